import type { Browser, Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_MERCHANT_TOKEN } from '../../../shared/domain/demo';
import { CHROMIUM_ARGS, findChromium } from '../../../e2e/browser';

/**
 * The app as a user meets it in browser mode, for the ui suite: the built backend and
 * browser-mode host (siblings of bench.js in dist/node) on temp data, and a headless Chromium.
 * Every metric module opens its own app so that one metric's state never leaks into another's.
 */
const distNode = dirname(fileURLToPath(import.meta.url));

export interface UiApp {
  url: string;
  backendUrl: string;
  dataDir: string;
  browser: Browser;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

function startNode(script: string, args: string[], ready: RegExp): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(distNode, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start in 30 s: ${out}`));
    }, 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code}) before it was ready: ${out}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface OpenAppOptions {
  /** Extra arguments for the browser-mode host (e.g. a prepared data folder). */
  webArgs?: string[];
  /** A data folder prepared beforehand (e.g. a 200k-entity store); a temp one otherwise. */
  dataDir?: string;
}

export async function openApp(opts: OpenAppOptions = {}): Promise<UiApp> {
  // Loaded here, not at the top: Playwright costs the bench process ~85 MB of RSS, which the
  // other suites (store: peak_rss_mb) would otherwise count as their own.
  const { chromium } = await import('@playwright/test');
  const found = findChromium(() => chromium.executablePath());
  if ('missing' in found) throw new Error(found.missing);
  const tmp = mkdtempSync(join(tmpdir(), 'lantern-bench-ui-'));
  const dataDir = opts.dataDir ?? join(tmp, 'data');
  const backend = await startNode('server.js', ['--port', '0', '--db', join(tmp, 'server.sqlite')], /listening on (http:\/\/\S+)/);
  let web: { url: string; child: ChildProcess } | undefined;
  let browser: Browser | undefined;
  try {
    web = await startNode(
      'web.js',
      ['--port', '0', '--data-dir', dataDir, '--server', backend.url, '--token', DEMO_MERCHANT_TOKEN, ...(opts.webArgs ?? [])],
      /(http:\/\/127\.0\.0\.1:\d+)/,
    );
    browser = await chromium.launch({ ...(found.executablePath ? { executablePath: found.executablePath } : {}), args: CHROMIUM_ARGS });
  } catch (e) {
    if (web) await stop(web.child);
    await stop(backend.child);
    throw e;
  }
  const b = browser;
  const w = web;
  return {
    url: w.url,
    backendUrl: backend.url,
    dataDir,
    browser: b,
    newPage: async () => {
      const ctx = await b.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
      return ctx.newPage();
    },
    close: async () => {
      await b.close();
      await stop(w.child);
      await stop(backend.child);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}
