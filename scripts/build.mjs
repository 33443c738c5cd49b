// Builds everything Lantern runs: the renderer (Vite) and the Node/Electron bundles (esbuild).
// `--if-missing` skips the work when dist/ is newer than every source file.
import { build as esbuild } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');
const sourceDirs = ['shared', 'electron', 'server', 'renderer', 'bench', 'assets'];

function newestSourceMtime() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'results') continue;
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of sourceDirs) if (fs.existsSync(path.join(root, d))) walk(path.join(root, d));
  for (const f of ['package.json', 'vite.config.ts', 'scripts/build.mjs']) newest = Math.max(newest, fs.statSync(path.join(root, f)).mtimeMs);
  return newest;
}

if (process.argv.includes('--if-missing') && fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newestSourceMtime()) {
  process.exit(0);
}

const started = Date.now();
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  absWorkingDir: root,
};

await Promise.all([
  // Plain-Node hosts and tools (ESM: package.json has "type": "module").
  esbuild({
    ...common,
    format: 'esm',
    entryPoints: {
      start: 'electron/launcher/start.ts',
      web: 'electron/web/cli.ts',
      server: 'server/cli.ts',
      traffic: 'server/traffic.ts',
      bench: 'bench/run.ts',
      'engine-worker': 'electron/core/engine/worker.ts',
      'core-worker': 'electron/core/worker/coreWorker.ts',
    },
    outdir: 'dist/node',
  }),
  // Electron main process (ESM) and its engine worker.
  esbuild({
    ...common,
    format: 'esm',
    entryPoints: { main: 'electron/main/main.ts', 'engine-worker': 'electron/core/engine/worker.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.mjs' },
  }),
  // The core's worker thread for Electron. Packaged, it is loaded from app.asar.unpacked
  // (worker_threads reads real files), where only the unpacked modules exist: so every plain-JS
  // package is bundled in, and only better-sqlite3 (native; unpacked with its `bindings`
  // helpers, electron-builder.yml) stays external. Bundled CommonJS packages require Node's
  // built-ins, which an ES module has no `require` for: the banner gives them one.
  esbuild({
    ...common,
    format: 'esm',
    packages: undefined,
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __lanternCreateRequire } from 'node:module'; const require = __lanternCreateRequire(import.meta.url);" },
    entryPoints: { 'core-worker': 'electron/core/worker/coreWorker.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.mjs' },
  }),
  // The preload runs sandboxed: one CommonJS file that may require only 'electron'.
  esbuild({
    ...common,
    format: 'cjs',
    packages: undefined,
    external: ['electron'],
    entryPoints: { preload: 'electron/preload/preload.ts' },
    outdir: 'dist/electron',
    outExtension: { '.js': '.cjs' },
  }),
]);

const { build: viteBuild } = await import('vite');
await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });

fs.writeFileSync(stamp, new Date().toISOString());
console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
