import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope, SyncConflict, SyncSummary } from '../../../shared/contract';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../../../shared/domain/demo';
import { SCHEMA_HEADER, SCHEMA_VERSION, type EntityFeed, type EntityPushResponse, type FeedEntry } from '../../../shared/sync/wire';
import { startServer, type RunningServer } from '../../../server/app';
import { startFaultProxy } from '../../../server/fault-proxy';
import { createCore, type Core, type CoreOptions } from '../core';
import { buildEngineWorker, tempDir } from '../testing';

/** Every entity kind through the real backend: creates, deletes, per-field conflicts, review, paging, faults. */
let server: RunningServer;
let core: Core;
let dataDir: string;
const FAST = { attempts: 5, baseMs: 5, maxMs: 40 };

const newCore = (extra: Partial<CoreOptions> = {}) => createCore({ dataDir, serverUrl: server.url, token: DEMO_MERCHANT_TOKEN, syncRetry: FAST, ...extra });
beforeEach(async () => {
  server = await startServer({ port: 0, dbPath: path.join(tempDir('lantern-srv-'), 'server.sqlite'), autoApproveAfterMs: null });
  dataDir = tempDir();
  core = newCore();
});
afterEach(async () => {
  await core.close();
  await server.close();
});

const headers = (token = DEMO_MERCHANT_TOKEN) => ({ authorization: `Bearer ${token}`, [SCHEMA_HEADER]: String(SCHEMA_VERSION), 'content-type': 'application/json' });
function ok<T>(e: Envelope<T>): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value;
}
const call = async <T>(method: string, input: unknown, c = core): Promise<T> => ok(await c.call(method, input)) as T;
const sync = (c = core) => call<SyncSummary>('sync.run', {}, c);

/** The server's current state of every entity (the whole feed). */
async function serverState(): Promise<Map<string, FeedEntry>> {
  const out = new Map<string, FeedEntry>();
  let cursor = 0;
  for (;;) {
    const res = await fetch(`${server.url}/v1/accounts/${DEMO_MERCHANT_ID}/feed?cursor=${cursor}&limit=1000`, { headers: headers() });
    const page = (await res.json()) as EntityFeed;
    for (const c of page.changes) out.set(c.entityId, c);
    cursor = page.cursor;
    if (!page.hasMore) return out;
  }
}
let otherMutationId = 1;
/** Another Lantern pushes a mutation (its base: the server's current version). */
async function other(m: { entity: string; entityId: string; op?: string; changes?: { field: string; value: unknown }[]; data?: object }): Promise<EntityPushResponse> {
  const cur = (await serverState()).get(m.entityId);
  const body = {
    clientId: 'cl_other_desktop',
    mutations: [{ id: otherMutationId++, entity: m.entity, entityId: m.entityId, op: m.op ?? 'update', changes: (m.changes ?? []).map((c) => ({ ...c, baseVersion: cur?.version ?? 0 })), ...(m.data ? { data: m.data } : {}) }],
  };
  const res = await fetch(`${server.url}/v1/accounts/${DEMO_MERCHANT_ID}/mutations`, { method: 'POST', headers: headers(), body: JSON.stringify(body) });
  return (await res.json()) as EntityPushResponse;
}
beforeEach(() => {
  otherMutationId = 1;
});

describe('sync of every entity kind', () => {
  it('pushes creates (parents first), updates per field and deletes as tombstones', async () => {
    const { id: unitId } = await call<{ id: string }>('entities.create', {
      kind: 'unit',
      data: { planId: 'pl_search_delivery', name: 'New unit', bidType: 'DEFAULT', bidFen: 90, targetCpaFen: null, targetRoi: null },
    });
    const { id: wordId } = await call<{ id: string }>('entities.create', { kind: 'searchWord', data: { unitId, word: '美式', matchType: 'EXACT', bidFen: 70 } });
    const { id: crId } = await call<{ id: string }>('entities.create', {
      kind: 'creative',
      data: { unitId, template: 'SEARCH_TEXT', title: '美式咖啡 9.9', description: 'Americano', reviewStatus: 'PENDING' },
    });
    await call('entities.update', { kind: 'unit', id: unitId, patch: { bidFen: 95 } }); // folded into the create
    await call('entities.update', { kind: 'searchWord', id: 'sw_latte', patch: { bidFen: 88 } });
    await call('entities.update', { kind: 'creative', id: 'cr_member_feed', patch: { title: '会员日 第二杯半价' } });
    await call('entities.delete', { kind: 'searchWord', ids: ['sw_shanlan'] });

    const s = await sync();
    expect(s).toMatchObject({ rejected: 0, conflicts: 0 });
    expect(s.applied).toBe(s.pushed);
    expect((await call<{ pending: number }>('sync.status', {})).pending).toBe(0);

    const st = await serverState();
    expect(st.get(unitId)?.data).toMatchObject({ name: 'New unit', bidFen: 95, planId: 'pl_search_delivery' });
    expect(st.get(wordId)?.data).toMatchObject({ word: '美式', unitId });
    expect(st.get(crId)?.data).toMatchObject({ title: '美式咖啡 9.9', reviewStatus: 'PENDING' });
    expect(st.get('sw_latte')?.data.bidFen).toBe(88);
    expect(st.get('cr_member_feed')?.data).toMatchObject({ title: '会员日 第二杯半价', reviewStatus: 'PENDING' }); // back to review
    expect(st.get('sw_shanlan')?.deleted).toBe(true);

    // The pull brought the review status back; a second sync changes nothing.
    expect((await call<{ row: { reviewStatus: string } }>('entities.get', { kind: 'creative', id: 'cr_member_feed' })).row.reviewStatus).toBe('PENDING');
    const again = await sync();
    expect(again).toMatchObject({ pushed: 0, conflicts: 0 });
    expect((await serverState()).get('sw_latte')?.version).toBe(st.get('sw_latte')?.version);
  });

  it('pulls other clients’ creates, deletes and review outcomes through small pages', async () => {
    await core.close();
    core = newCore({ syncPageSize: 2 });
    await sync(); // a first full download (paged)
    expect((await other({ entity: 'unit', entityId: 'un_from_other_1', op: 'create', data: { planId: 'pl_member_feed', name: 'From the other desk', bidType: 'DEFAULT', bidFen: 300, targetCpaFen: null, targetRoi: null } })).results[0]?.status).toBe('applied');
    expect((await other({ entity: 'creative', entityId: 'cr_from_other_1', op: 'create', data: { unitId: 'un_from_other_1', template: 'FEED_IMAGE', title: '最好的咖啡', description: 'best coffee' } })).results[0]?.status).toBe('applied');
    await other({ entity: 'searchWord', entityId: 'sw_latte', op: 'delete' });
    await other({ entity: 'unit', entityId: 'un_from_other_1', changes: [{ field: 'bidFen', value: 310 }] }); // the parent changes after its child
    const rej = await fetch(`${server.url}/v1/admin/reviews/cr_from_other_1`, {
      method: 'POST',
      headers: headers('lantern-demo-admin-token'),
      body: JSON.stringify({ decision: 'reject', reason: 'absolute claim 最好' }),
    });
    expect(rej.status).toBe(200);

    const s = await sync();
    expect(s.pulled).toBeGreaterThanOrEqual(3);
    const unit = await call<{ row: { bidFen: number } }>('entities.get', { kind: 'unit', id: 'un_from_other_1' });
    expect(unit.row.bidFen).toBe(310);
    const cr = await call<{ row: { reviewStatus: string; reviewReason: string } }>('entities.get', { kind: 'creative', id: 'cr_from_other_1' });
    expect(cr.row).toMatchObject({ reviewStatus: 'REJECTED', reviewReason: 'absolute claim 最好' });
    expect((await call<{ deleted: boolean }>('entities.get', { kind: 'searchWord', id: 'sw_latte' })).deleted).toBe(true);
  });

  it('stores per-field conflicts, merges other fields, never overwrites pending work; resolve mine / theirs', async () => {
    await other({ entity: 'unit', entityId: 'un_member_feed', changes: [{ field: 'bidFen', value: 2_500 }, { field: 'name', value: 'Renamed elsewhere' }] });
    await other({ entity: 'searchWord', entityId: 'sw_latte', changes: [{ field: 'bidFen', value: 81 }] });
    await call('entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidFen: 2_000 } });
    await call('entities.update', { kind: 'searchWord', id: 'sw_latte', patch: { bidFen: 99 } });

    const s = await sync();
    expect(s.conflicts).toBe(2);
    const conflicts = await call<SyncConflict[]>('sync.conflicts', {});
    expect(conflicts.map((c) => [c.entityId, c.field, c.localValue, c.serverValue]).sort()).toEqual([
      ['sw_latte', 'bidFen', 99, 81],
      ['un_member_feed', 'bidFen', 2_000, 2_500],
    ]);
    expect((await call<{ conflicts: number }>('sync.status', {})).conflicts).toBe(2);
    // Mine is kept locally; the other field merged in.
    expect((await call<{ row: { bidFen: number; name: string } }>('entities.get', { kind: 'unit', id: 'un_member_feed' })).row).toMatchObject({ bidFen: 2_000, name: 'Renamed elsewhere' });
    // A second sync does not resend a field in conflict.
    expect((await sync()).pushed).toBe(0);

    expect(await call('sync.resolve', { choice: 'mine', entityId: 'un_member_feed', field: 'bidFen' })).toEqual({ resolved: 1, remaining: 1 });
    expect(await call('sync.resolve', { choice: 'theirs' })).toEqual({ resolved: 1, remaining: 0 });
    expect((await call<{ row: { bidFen: number } }>('entities.get', { kind: 'searchWord', id: 'sw_latte' })).row.bidFen).toBe(81);
    const after = await sync();
    expect(after).toMatchObject({ pushed: 1, applied: 1, conflicts: 0 });
    const st = await serverState();
    expect(st.get('un_member_feed')?.data).toMatchObject({ bidFen: 2_000, name: 'Renamed elsewhere' });
    expect(st.get('sw_latte')?.data.bidFen).toBe(81);
    expect((await call<{ pending: number }>('sync.status', {})).pending).toBe(0);
  });

  it('a lost answer retried as `duplicate` is checked against the pulled row: a field that did not land is a conflict, not lost', async () => {
    await other({ entity: 'plan', entityId: 'pl_member_feed', changes: [{ field: 'dailyBudgetFen', value: 123_400 }] });
    await call('plans.update', { id: 'pl_member_feed', patch: { dailyBudgetFen: 222_200 } });
    await core.close();
    let lose = true;
    core = newCore({
      syncRetry: { attempts: 1, baseMs: 1, maxMs: 1 },
      fetchImpl: async (input, init) => {
        const res = await fetch(input, init);
        if (lose && init?.method === 'POST') throw new Error('connection reset');
        return res;
      },
    });
    expect((await core.call('sync.run', {})).ok).toBe(false);
    lose = false;
    const s = await sync();
    expect(s.results[0]?.status).toBe('applied'); // duplicate: the server saw it before
    expect(s.conflicts).toBe(1);
    const [c] = await call<SyncConflict[]>('sync.conflicts', {});
    expect(c).toMatchObject({ entityId: 'pl_member_feed', field: 'dailyBudgetFen', localValue: 222_200, serverValue: 123_400 });
    await call('sync.resolve', { choice: 'mine' });
    expect(await sync()).toMatchObject({ pushed: 1, applied: 1, conflicts: 0 });
    expect((await serverState()).get('pl_member_feed')?.data.dailyBudgetFen).toBe(222_200);
  });

  it('retries 5xx and cut connections through the fault proxy with backoff, then lands exactly once', async () => {
    const proxy = await startFaultProxy(server.url, { fail: 0.4, failAfter: 0.2, cut: 0.1 }, 7);
    try {
      await core.close();
      core = createCore({ dataDir, serverUrl: proxy.url, token: DEMO_MERCHANT_TOKEN, syncRetry: { attempts: 30, baseMs: 2, maxMs: 20 } });
      for (let i = 0; i < 5; i++) await call('entities.update', { kind: 'searchWord', id: 'sw_latte', patch: { bidFen: 60 + i } });
      await call('entities.update', { kind: 'unit', id: 'un_search_generic', patch: { name: 'Generic (retried)' } });
      await sync();
      expect(proxy.counts.fail + proxy.counts.failAfter + proxy.counts.cut).toBeGreaterThan(0);
      const st = await serverState();
      expect(st.get('sw_latte')?.data.bidFen).toBe(64);
      expect(st.get('un_search_generic')?.data.name).toBe('Generic (retried)');
      expect(st.get('sw_latte')?.version).toBe(2); // one mutation, applied once
      expect((await call<{ pending: number }>('sync.status', {})).pending).toBe(0);
    } finally {
      await core.close();
      core = newCore();
      await proxy.close();
    }
  });

  it('cancel stops a sync without half-applied state; the next sync finishes', async () => {
    await other({ entity: 'searchWord', entityId: 'sw_latte', changes: [{ field: 'bidFen', value: 77 }] });
    await call('entities.update', { kind: 'unit', id: 'un_member_feed', patch: { name: 'Cancelled sync' } });
    await core.close();
    let gate: (() => void) | undefined;
    core = newCore({
      fetchImpl: async (input, init) => {
        if (String(input).includes('/feed')) await new Promise<void>((r) => (gate = r));
        return fetch(input, init);
      },
    });
    const running = core.call('sync.run', {});
    while (!gate) await new Promise((r) => setTimeout(r, 5));
    expect(await call('sync.cancel', {})).toEqual({ cancelled: true });
    gate();
    const r = await running;
    expect(!r.ok && r.error.code).toBe('cancelled');
    // The push committed as a whole; nothing of the feed was applied.
    expect((await call<{ pending: number }>('sync.status', {})).pending).toBe(0);
    expect((await call<{ row: { bidFen: number } }>('entities.get', { kind: 'searchWord', id: 'sw_latte' })).row.bidFen).toBe(80);
    await core.close();
    core = newCore();
    await sync();
    expect((await call<{ row: { bidFen: number } }>('entities.get', { kind: 'searchWord', id: 'sw_latte' })).row.bidFen).toBe(77);
  });

  it('keeps the market snapshot and delivery stats for offline use', async () => {
    await core.close();
    core = newCore({ engineWorkerFile: await buildEngineWorker() });
    const market = (await (await fetch(`${server.url}/v1/market`, { headers: headers() })).json()) as { version: string };
    await sync();
    const stats = await call<{ range: { from: string; to: string } | null; rows: unknown[] }>('sync.stats', {});
    expect(stats.range).not.toBeNull();
    await server.close();
    // Offline: forecasts run on the stored snapshot, stats are still there.
    expect((await call<{ range: unknown }>('sync.stats', {})).range).toEqual(stats.range);
    const d = await call<{ marketVersion: string }>('forecast.diagnose', { planId: 'pl_member_feed', days: 1 });
    expect(d.marketVersion).toBe(market.version);
    server = await startServer({ port: 0, dbPath: path.join(tempDir('lantern-srv-'), 'server.sqlite') }); // for afterEach
  });
});
