import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_MERCHANT_TOKEN } from '../../shared/domain/demo';
import { defaultDataDir } from '../core/dataDir';
import { findElectron } from './findElectron';

/**
 * `npm start`: starts the reference backend on loopback (seeded with the demo merchant), then
 * the desktop app — or, where the Electron binary cannot be had, browser mode — and stops
 * everything it started on Ctrl-C.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const children: ChildProcess[] = [];

async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => resolve(typeof a === 'object' && a ? a.port : port));
      });
    });
  try {
    return await tryPort(preferred);
  } catch {
    return tryPort(0);
  }
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url} exited with code ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${url} did not answer /healthz within ${timeoutMs / 1000} s`);
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(cmd, args, { stdio: 'inherit', env });
  children.push(child);
  child.on('exit', (code, signal) => {
    // Ctrl-C reaches the children too (same process group): that is a stop, not a crash.
    if (!stopping && signal !== 'SIGINT' && code !== 0) {
      console.error(`${path.basename(args[0] ?? cmd)} stopped (${signal ?? code}); stopping Lantern.`);
      void stop(code ?? 1);
    }
  });
  return child;
}

let stopping = false;
async function stop(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 5_000).unref();
        }),
    ),
  );
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const dataDir = defaultDataDir();
  const backendDb = path.join(dataDir, 'demo-backend', 'server.sqlite');
  fs.mkdirSync(path.dirname(backendDb), { recursive: true });

  const backendPort = await freePort(4801);
  const backendUrl = `http://127.0.0.1:${backendPort}`;
  const backend = run(process.execPath, [path.join(root, 'dist', 'node', 'server.js'), '--port', String(backendPort), '--db', backendDb]);
  await waitHealthy(backendUrl, backend);

  const electron = findElectron();
  const env = { ...process.env, LANTERN_DATA_DIR: dataDir, LANTERN_SERVER_URL: backendUrl, LANTERN_SERVER_TOKEN: DEMO_MERCHANT_TOKEN };
  if ('path' in electron) {
    console.log(`Lantern: starting the desktop app (data in ${dataDir}, backend ${backendUrl}).`);
    run(electron.path, [root], env);
    return;
  }
  console.log(`Lantern: no Electron binary here — ${electron.missing}; serving the same UI in browser mode instead.`);
  const webPort = await freePort(4800);
  const web = run(process.execPath, [
    path.join(root, 'dist', 'node', 'web.js'),
    '--port', String(webPort),
    '--data-dir', dataDir,
    '--server', backendUrl,
    '--token', DEMO_MERCHANT_TOKEN,
  ]);
  await waitHealthy(`http://127.0.0.1:${webPort}`, web);
  console.log(`Lantern is ready: open http://127.0.0.1:${webPort} in your browser. Ctrl-C stops it.`);
}

main().catch((err: unknown) => {
  console.error(`Lantern could not start: ${(err as Error).message}`);
  void stop(1);
});
