import { build } from 'esbuild';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

/**
 * The host's thread only forwards calls to the core's worker: the bundles of both hosts must
 * not load the database driver (a SQL call on the thread that routes a window's input would
 * stall it), nor the store's code.
 */
describe('host threads', () => {
  for (const [host, entry] of [
    ['Electron main', 'electron/main/main.ts'],
    ['browser mode', 'electron/web/cli.ts'],
  ] as const) {
    it(`${host} bundles neither better-sqlite3 nor the store`, async () => {
      const result = await build({
        entryPoints: [path.join(root, entry)],
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        write: false,
        metafile: true,
        logLevel: 'silent',
        outdir: 'out',
      });
      const output = Object.values(result.metafile.outputs)[0]!;
      const externals = output.imports.filter((i) => i.external).map((i) => i.path);
      const sources = Object.keys(result.metafile.inputs);
      expect(externals).toContain('node:worker_threads');
      expect(externals).not.toContain('better-sqlite3');
      expect(sources.filter((s) => /electron\/core\/(store\/(?!lock|openError)|sync\/|handlers\/|context)/.test(s))).toEqual([]);
    });
  }
});
