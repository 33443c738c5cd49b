import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

/**
 * Bundles the core worker the way scripts/build.mjs does (packages external) into a fresh temp
 * folder, with a node_modules link back to the project's so better-sqlite3 & co. resolve.
 * Built once per test file (~0.3 s); nothing is written inside the repository.
 */
export async function buildCoreWorker(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lantern-core-worker-'));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // package.json "type": "module" makes .js ESM, as in dist/node.
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  const out = path.join(dir, 'core-worker.js');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'coreWorker.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    outfile: out,
    logLevel: 'silent',
  });
  return out;
}
