import type { ContractErrorShape } from '../../shared/contract';
import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { afterEach } from 'vitest';
import { createCore, type Core, type CoreOptions } from './core';
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh, empty data folder under the OS temp dir. */
export function tempDir(prefix = 'lantern-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Opens cores on fresh (or given) data folders and closes each after its test:
 * `const open = coresClosedAfterEach(); const core = open();`. No engine worker unless given
 * (`engineWorkerFile`): a test that forecasts builds one (buildEngineWorker).
 */
export function coresClosedAfterEach(defaults: Omit<Partial<CoreOptions>, 'dataDir'> = {}): (dataDir?: string) => Core {
  const open: Core[] = [];
  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
  });
  return (dataDir = tempDir()) => {
    const core = createCore({ engineWorkerFile: 'unused.js', ...defaults, dataDir });
    open.push(core);
    return core;
  };
}

/** Bundles the engine worker the way the build does, so tests run the real worker thread. */
export async function buildEngineWorker(): Promise<string> {
  const out = path.join(tempDir('lantern-worker-'), 'engine-worker.mjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'engine', 'worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'silent',
  });
  return out;
}

/** Calls a contract method and returns its typed value, throwing on an error envelope. */
export async function ok<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const e = await core.call(method, input);
  if (!e.ok) throw new Error(`${method}: expected ok, got ${e.error.code}: ${e.error.message}`);
  return e.value as MethodOutput<M>;
}

/** A call by any method name that must succeed (tests that reach past the typed contract). */
export async function call<T>(core: Core, method: string, input: unknown): Promise<T> {
  const e = await core.call(method, input);
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value as T;
}

/** A call that must fail: its error. */
export async function fail(core: Core, method: string, input: unknown): Promise<ContractErrorShape> {
  const r = await core.call(method, input);
  if (r.ok) throw new Error(`${method} succeeded, expected an error`);
  return r.error;
}
