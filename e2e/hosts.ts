import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';

/** Real processes, as a user runs them: the built backend and browser-mode host from dist/. */
const root = path.resolve(import.meta.dirname, '..');

export interface Proc {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function startProcess(script: string, args: string[], port: number): Promise<Proc> {
  const file = path.join(root, 'dist', 'node', script);
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first`);
  const child: ChildProcess = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited (${child.exitCode}): ${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`${script} did not become healthy: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** `port`: bring a stopped backend back where the app expects it (offline journeys). */
export async function startBackend(dbPath: string, port?: number): Promise<Proc> {
  port ??= await freePort();
  return startProcess('server.js', ['--port', String(port), '--db', dbPath], port);
}

/** `token`: another sign-in than the demo merchant's (e.g. an agency's, for several accounts). */
export async function startWeb(dataDir: string, backendUrl: string, port?: number, token = DEMO_MERCHANT_TOKEN): Promise<Proc> {
  const p = port ?? (await freePort());
  return startProcess('web.js', ['--port', String(p), '--data-dir', dataDir, '--server', backendUrl, '--token', token], p);
}
