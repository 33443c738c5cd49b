import Database from 'better-sqlite3';
import { execFile, spawn } from 'node:child_process';
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LanternEvent } from '../../../shared/contract';
import type { Core } from '../core';
import { DB_FILE_NAME, isStoreOpenError, LOCK_FILE_NAME } from '../store/db';
import { call, fail, tempDir } from '../testing';
import { startCoreWorker, type CoreWorkerOptions } from './coreHost';
import { TEST_CRASH_ENV, TEST_CRASH_METHOD } from './protocol';
import { buildCoreWorker } from './testing';

let workerFile: string;
let probeFile: string;
beforeAll(async () => {
  workerFile = await buildCoreWorker();
  // Another process that tries to open a data folder: the lock is per process, so only a
  // second process can tell "still held" from "released".
  probeFile = path.join(path.dirname(workerFile), 'probe.js');
  await build({
    stdin: {
      contents: `import { openStore } from './store/db';
        try { const db = openStore(process.argv[2]); const n = db.prepare("SELECT name FROM plans WHERE id = 'pl_autumn_latte'").pluck().get(); db.close(); db.releaseLock(); console.log('opened ' + n); }
        catch (e) { console.log(e.code ?? e.message); }`,
      resolveDir: path.join(import.meta.dirname, '..'),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile: probeFile,
    logLevel: 'silent',
  });
});

const started: Core[] = [];
afterEach(async () => {
  delete process.env[TEST_CRASH_ENV];
  for (const c of started.splice(0)) await c.close();
});
async function start(options: Omit<CoreWorkerOptions, 'workerFile'>): Promise<Core> {
  const core = await startCoreWorker({ engineWorkerFile: 'unused.js', ...options, workerFile });
  started.push(core);
  return core;
}
const probe = (dir: string) =>
  new Promise<string>((resolve, reject) => execFile(process.execPath, [probeFile, dir], (err, out) => (err ? reject(err) : resolve(out.trim()))));
const nextEvent = (core: Core, type: LanternEvent['type']) =>
  new Promise<LanternEvent>((resolve) => {
    const off = core.subscribe((e) => {
      if (e.type === type) {
        off();
        resolve(e);
      }
    });
  });
type PlanRow = { plan: { id: string; name: string } };
const planName = async (core: Core) => (await call<PlanRow[]>(core, 'plans.list', {})).find((r) => r.plan.id === 'pl_autumn_latte')?.plan.name;

describe('the core in a worker thread', () => {
  it('answers calls with the same typed envelopes and forwards events', async () => {
    const core = await start({ dataDir: tempDir() });
    expect((await call<PlanRow[]>(core, 'plans.list', {})).length).toBe(4);
    const events: LanternEvent[] = [];
    core.subscribe((e) => events.push(e));
    await call(core, 'plans.update', { id: 'pl_autumn_latte', patch: { name: 'in a worker' } });
    expect(events).toContainEqual({ type: 'journal.changed', entity: 'plan', entityId: 'pl_autumn_latte' });
    expect(await planName(core)).toBe('in a worker');
    expect((await fail(core, 'no.such', {})).code).toBe('unknown_method');
    const invalid = await fail(core, 'plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 'lots' } });
    expect(invalid.code).toBe('invalid_input');
    expect(invalid.issues?.[0]?.path).toContain('dailyBudgetFen');
    // Without the test variable the crash hook is just an unknown method.
    expect((await fail(core, TEST_CRASH_METHOD, { how: 'throw' })).code).toBe('unknown_method');
  });

  it('rejects a store another Lantern holds with the typed StoreOpenError, as createCore throws it', async () => {
    const dir = tempDir();
    const other = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), String(other.pid));
      const err: unknown = await startCoreWorker({ dataDir: dir, workerFile }).then(
        () => new Error('started'),
        (e: unknown) => e,
      );
      expect(isStoreOpenError(err)).toBe(true);
      expect((err as { code: string }).code).toBe('store_locked');
      expect((err as Error).message).toContain(`process ${other.pid}`);
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('seals and opens the token with the host thread’s secret box', async () => {
    const dir = tempDir();
    const used: string[] = [];
    // Reversible stand-in for safeStorage; it records that it ran on the host's own thread.
    const box = {
      seal: (s: string) => (used.push(`seal main=${isMainThread}`), Buffer.from(s).toString('base64')),
      open: (s: string) => (used.push(`open main=${isMainThread}`), Buffer.from(s, 'base64').toString()),
    };
    const core = await start({ dataDir: dir, serverUrl: 'http://127.0.0.1:9', token: 'secret-token-123', secretBox: box, syncTimeoutMs: 1000 });
    // Opened for use: the sync fails as offline (nothing listens on port 9), not unauthorized.
    expect((await fail(core, 'sync.run', {})).code).toBe('offline');
    await core.close();
    expect(used).toEqual(['seal main=true', 'open main=true']);
    const db = new Database(path.join(dir, DB_FILE_NAME), { readonly: true });
    const stored = db.prepare("SELECT value FROM settings WHERE key = 'sync.token'").pluck().get();
    db.close();
    expect(stored).toBe(`sealed:${Buffer.from('secret-token-123').toString('base64')}`);
  });

  it('restarts a worker that died once: the call in flight gets a typed error, subscribers are told, edits are kept', async () => {
    process.env[TEST_CRASH_ENV] = '1';
    const dir = tempDir();
    const core = await start({ dataDir: dir, serverUrl: 'http://127.0.0.1:9', token: 'given-at-start' });
    await call(core, 'plans.update', { id: 'pl_autumn_latte', patch: { name: 'before the crash' } });
    // What the store holds by the time of the crash must survive the restart (the start's token is not written again).
    const side = new Database(path.join(dir, DB_FILE_NAME));
    side.prepare("UPDATE settings SET value = 'changed-since' WHERE key = 'sync.token'").run();
    side.close();
    const restarted = nextEvent(core, 'core.restarted');
    const lost = await fail(core, TEST_CRASH_METHOD, { how: 'throw' });
    expect(lost.code).toBe('internal');
    expect(lost.details).toEqual({ reason: 'core_restarted' });
    await restarted;
    expect(await planName(core)).toBe('before the crash');
    await call(core, 'plans.update', { id: 'pl_autumn_latte', patch: { name: 'after the crash' } });
    expect(await planName(core)).toBe('after the crash');
    await core.close();
    expect(await probe(dir)).toBe('opened after the crash');
    const db = new Database(path.join(dir, DB_FILE_NAME), { readonly: true });
    expect(db.prepare("SELECT value FROM settings WHERE key = 'sync.token'").pluck().get()).toBe('changed-since');
    db.close();
  });

  it('reports a second death as failed, without a restart loop, and still closes cleanly', async () => {
    process.env[TEST_CRASH_ENV] = '1';
    const dir = tempDir();
    const core = await start({ dataDir: dir });
    const events: string[] = [];
    core.subscribe((e) => events.push(e.type));
    const restarted = nextEvent(core, 'core.restarted');
    await fail(core, TEST_CRASH_METHOD, { how: 'exit' });
    await restarted;
    await call(core, 'plans.update', { id: 'pl_autumn_latte', patch: { name: 'kept' } });
    const lost = await fail(core, TEST_CRASH_METHOD, { how: 'throw' });
    expect(lost.details).toEqual({ reason: 'core_restarted' });
    await new Promise((r) => setTimeout(r, 300)); // a restart, if one (wrongly) happened, would be under way
    expect(events.filter((t) => t.startsWith('core.'))).toEqual(['core.restarted', 'core.failed']);
    const after = await fail(core, 'plans.list', {});
    expect(after).toMatchObject({ code: 'internal', details: { reason: 'core_failed' } });
    await core.close();
    // The dead worker's lock was released: another process opens the folder, with the edit.
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
    expect(await probe(dir)).toBe('opened kept');
  });

  it('close resolves only after the store closed and the lock was released; not before', async () => {
    const dir = tempDir();
    const core = await start({ dataDir: dir });
    await call(core, 'plans.update', { id: 'pl_autumn_latte', patch: { name: 'closed cleanly' } });
    expect(await probe(dir)).toBe('store_locked');
    expect(fs.existsSync(path.join(dir, `${DB_FILE_NAME}-wal`))).toBe(true);
    await core.close();
    // SQLite removes the WAL when the last connection closes: the store closed, then the lock went.
    expect(fs.existsSync(path.join(dir, `${DB_FILE_NAME}-wal`))).toBe(false);
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
    expect(await probe(dir)).toBe('opened closed cleanly');
    expect(await fail(core, 'plans.list', {})).toMatchObject({ code: 'internal', details: { reason: 'core_closed' } });
  });
});
