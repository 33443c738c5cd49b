import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountsList, SyncConflict, SyncRefreshResult, SyncRejection, SyncStatus, SyncSummary } from '../../../shared/contract';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../../../shared/domain/demo';
import { SCHEMA_HEADER, SCHEMA_VERSION, type EntityFeed, type FeedEntry } from '../../../shared/sync/wire';
import { startServer, type RunningServer } from '../../../server/app';
import { DEMO_GROUP_AGENCY_TOKEN, NORTHPEAK_MERCHANT_ID, NORTHPEAK_MERCHANT_TOKEN } from '../../../server/seed';
import { createCore, type Core, type CoreOptions } from '../core';
import { call, fail, tempDir } from '../testing';

/** Several merchants in one store, "get full account", posting blocked by check errors, held rejections. */
let server: RunningServer;
const cores: Core[] = [];
const FAST = { attempts: 3, baseMs: 5, maxMs: 20 };
const newCore = (extra: Partial<CoreOptions> = {}) => {
  const c = createCore({ dataDir: tempDir(), serverUrl: server.url, token: DEMO_GROUP_AGENCY_TOKEN, syncRetry: FAST, ...extra });
  cores.push(c);
  return c;
};
beforeEach(async () => {
  server = await startServer({ port: 0, dbPath: path.join(tempDir('lantern-srv-'), 'server.sqlite'), autoApproveAfterMs: null });
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  await server.close();
});


async function serverState(merchantId: string, token: string): Promise<Map<string, FeedEntry>> {
  const out = new Map<string, FeedEntry>();
  let cursor = 0;
  for (;;) {
    const res = await fetch(`${server.url}/v1/accounts/${merchantId}/feed?cursor=${cursor}&limit=1000`, {
      headers: { authorization: `Bearer ${token}`, [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
    });
    const page = (await res.json()) as EntityFeed;
    for (const c of page.changes) out.set(c.entityId, c);
    cursor = page.cursor;
    if (!page.hasMore) return out;
  }
}

describe('several merchants in one store', () => {
  it('lists local and reachable accounts, downloads one on request, syncs each with its own cursor and results', async () => {
    const core = newCore();
    const before = await call<AccountsList>(core, 'accounts.list', {});
    expect(before.server).toBe('ok');
    expect(before.principal).toEqual({ kind: 'agency', id: 'ag_group' });
    expect(before.accounts.map((a) => [a.id, a.local, a.reachable])).toEqual([
      [DEMO_MERCHANT_ID, true, true],
      [NORTHPEAK_MERCHANT_ID, false, true],
    ]);
    expect(before.accounts[1]).toMatchObject({ name: '北峰手机', nameEn: 'Northpeak Phones', pending: 0, lastSyncAt: null });

    // Progress names the merchant being synced.
    const progress: string[] = [];
    core.subscribe((e) => {
      if (e.type === 'sync.progress') progress.push(`${e.merchantId}:${e.phase}`);
    });
    const first = await call<SyncSummary>(core, 'sync.run', { merchantIds: [NORTHPEAK_MERCHANT_ID] });
    expect(first.merchants.map((m) => m.merchantId)).toEqual([NORTHPEAK_MERCHANT_ID]);
    expect(first.pulled).toBe(6); // 2 plans, 2 units, 2 creatives
    expect(progress).toContain(`${NORTHPEAK_MERCHANT_ID}:pull`);
    expect(progress.some((p) => p.startsWith(DEMO_MERCHANT_ID))).toBe(false);
    const plan = await call<{ row: { merchantId: string; name: string } }>(core, 'entities.get', { kind: 'plan', id: 'pl_np_launch' });
    expect(plan.row.merchantId).toBe(NORTHPEAK_MERCHANT_ID);

    // An edit in each account; the default sync posts both, each to its own account.
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_np_launch', patch: { dailyBudgetFen: 1_600_000 } });
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { dailyBudgetFen: 260_000 } });
    const list = await call<AccountsList>(core, 'accounts.list', {});
    expect(list.accounts.map((a) => [a.id, a.local, a.pending])).toEqual([
      [DEMO_MERCHANT_ID, true, 1],
      [NORTHPEAK_MERCHANT_ID, true, 1],
    ]);
    expect(list.accounts[1]!.lastSyncAt).not.toBeNull();
    expect(list.accounts[0]!.lastSyncAt).toBeNull();
    expect((await call<SyncStatus>(core, 'sync.status', { merchantId: NORTHPEAK_MERCHANT_ID })).pending).toBe(1);

    const both = await call<SyncSummary>(core, 'sync.run', {});
    expect(both.merchants.map((m) => [m.merchantId, m.pushed, m.applied])).toEqual([
      [DEMO_MERCHANT_ID, 1, 1],
      [NORTHPEAK_MERCHANT_ID, 1, 1],
    ]);
    expect(both.results.map((r) => [r.merchantId, r.entityId, r.status])).toEqual([
      [DEMO_MERCHANT_ID, 'pl_member_feed', 'applied'],
      [NORTHPEAK_MERCHANT_ID, 'pl_np_launch', 'applied'],
    ]);
    expect((await serverState(NORTHPEAK_MERCHANT_ID, NORTHPEAK_MERCHANT_TOKEN)).get('pl_np_launch')?.data.dailyBudgetFen).toBe(1_600_000);
    expect((await serverState(DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN)).get('pl_member_feed')?.data.dailyBudgetFen).toBe(260_000);

    // A subset: only Northpeak is asked; Shanlan's edit waits.
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { name: '会员日 仅本地' } });
    const subset = await call<SyncSummary>(core, 'sync.run', { merchantIds: [NORTHPEAK_MERCHANT_ID] });
    expect(subset.pushed).toBe(0);
    expect((await call<SyncStatus>(core, 'sync.status', { merchantId: DEMO_MERCHANT_ID })).pending).toBe(1);
  });

  it('refuses a merchant the token may not sync, and changes nothing', async () => {
    const core = newCore({ token: DEMO_MERCHANT_TOKEN });
    const err = await fail(core, 'sync.run', { merchantIds: [NORTHPEAK_MERCHANT_ID] });
    expect(err.code).toBe('not_found');
    const list = await call<AccountsList>(core, 'accounts.list', {});
    expect(list.accounts.map((a) => a.id)).toEqual([DEMO_MERCHANT_ID]);
  });

  it('lists local accounts when the server cannot be reached', async () => {
    const core = newCore({ serverUrl: 'http://127.0.0.1:9', syncTimeoutMs: 500 });
    const list = await call<AccountsList>(core, 'accounts.list', {});
    expect(list.server).toBe('offline');
    expect(list.accounts).toEqual([expect.objectContaining({ id: DEMO_MERCHANT_ID, local: true, reachable: null })]);
  });
});

describe('get full account', () => {
  it('never discards unposted work silently: asks with the count, then backs up and downloads again', async () => {
    const core = newCore();
    await call(core, 'sync.run', {});
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { name: '本地未发布' } });
    await call(core, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidFen: 2_345 } });
    const asked = await fail(core, 'sync.refresh', { merchantId: DEMO_MERCHANT_ID });
    expect(asked.code).toBe('unposted_changes');
    expect(asked.details).toMatchObject({ unposted: 2, merchantId: DEMO_MERCHANT_ID });
    // Nothing changed by asking.
    expect((await call<{ row: { name: string } }>(core, 'entities.get', { kind: 'plan', id: 'pl_member_feed' })).row.name).toBe('本地未发布');

    const done = await call<SyncRefreshResult>(core, 'sync.refresh', { merchantId: DEMO_MERCHANT_ID, confirm: true });
    expect(done.discarded).toBe(2);
    expect(done.backup && fs.existsSync(done.backup.file)).toBe(true);
    const server = await serverState(DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN);
    expect(done.summary.pulled).toBe(server.size);
    expect((await call<{ row: { name: string } }>(core, 'entities.get', { kind: 'plan', id: 'pl_member_feed' })).row.name).toBe(server.get('pl_member_feed')?.data.name);
    expect((await call<SyncStatus>(core, 'sync.status', {})).pending).toBe(0);
    // The backup holds the discarded work: restoring it brings the edit back.
    await call(core, 'backup.restore', { file: done.backup!.file });
    expect((await call<{ row: { name: string } }>(core, 'entities.get', { kind: 'plan', id: 'pl_member_feed' })).row.name).toBe('本地未发布');
  });

  it('with nothing unposted, downloads again without asking and without a backup', async () => {
    const core = newCore();
    await call(core, 'sync.run', {});
    const done = await call<SyncRefreshResult>(core, 'sync.refresh', { merchantId: DEMO_MERCHANT_ID });
    expect(done).toMatchObject({ discarded: 0, backup: null });
    expect(done.summary.pulled).toBe((await serverState(DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN)).size);
  });
});

describe('check errors block posting', () => {
  it('posts nothing of a merchant with check errors (outcome blocked_by_errors, with the count), still pulls; warnings do not block', async () => {
    const core = newCore({ token: DEMO_MERCHANT_TOKEN });
    const other = newCore({ token: DEMO_MERCHANT_TOKEN });
    await call(core, 'sync.run', {});
    await call(other, 'entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { name: '别处改的' } });
    await call(other, 'sync.run', {});

    await call(core, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidType: 'OCPX', bidFen: null, targetCpaFen: null } });
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { dailyBudgetFen: 270_000 } });
    const blocked = await call<SyncSummary>(core, 'sync.run', {});
    expect(blocked.pushed).toBe(0);
    expect(blocked.merchants).toEqual([expect.objectContaining({ merchantId: DEMO_MERCHANT_ID, outcome: 'blocked_by_errors', errors: 1, pushed: 0 })]);
    expect(blocked.merchants[0]?.issues?.[0]?.path).toBe('unit.un_member_feed.targetCpaFen');
    // Nothing posted; the other Lantern's change was still pulled.
    const srv = await serverState(DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN);
    expect(srv.get('pl_member_feed')?.data.dailyBudgetFen).not.toBe(270_000);
    expect((await call<{ row: { name: string } }>(core, 'entities.get', { kind: 'plan', id: 'pl_autumn_latte' })).row.name).toBe('别处改的');

    // Fixed: posts. A warning-level user rule that the edit breaks does not block.
    await call(core, 'rules.save', { rules: [{ id: 'short', name: 'short names', entity: 'plan', field: 'name', op: 'maxLength', value: 2, severity: 'warning' }] });
    await call(core, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { targetCpaFen: 3_000 } });
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { name: '一个很长的计划名字' } });
    const s = await call<SyncSummary>(core, 'sync.run', {});
    expect(s).toMatchObject({ rejected: 0, conflicts: 0 });
    expect(s.merchants.map((m) => m.outcome)).toEqual(['done']);
    expect((await serverState(DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN)).get('pl_member_feed')?.data.dailyBudgetFen).toBe(270_000);
  });
});

describe('server rejections', () => {
  it('a rejected row stays rejected with its reason and is not resent until edited again', async () => {
    const core = newCore({ token: DEMO_MERCHANT_TOKEN });
    const other = newCore({ token: DEMO_MERCHANT_TOKEN });
    await call(core, 'sync.run', {});
    await call(other, 'sync.run', {});
    // A rejection only the server can make: a create under a unit another Lantern deleted meanwhile.
    await call(other, 'entities.delete', { kind: 'unit', ids: ['un_search_generic'] });
    await call(other, 'sync.run', {});
    const { id } = await call<{ id: string }>(core, 'entities.create', { kind: 'searchWord', data: { unitId: 'un_search_generic', word: '会员', matchType: 'EXACT', bidFen: 70 } });
    const first = await call<SyncSummary>(core, 'sync.run', {});
    expect(first.results).toContainEqual(expect.objectContaining({ entityId: id, status: 'rejected', merchantId: DEMO_MERCHANT_ID }));
    const rejections = await call<SyncRejection[]>(core, 'sync.rejections', {});
    expect(rejections).toEqual([expect.objectContaining({ entity: 'searchWord', entityId: id, merchantId: DEMO_MERCHANT_ID })]);
    expect(rejections[0]!.message).toMatch(/unit/);

    const again = await call<SyncSummary>(core, 'sync.run', {});
    expect(again.pushed).toBe(0);
    expect(again.merchants[0]!.held).toBe(1);
    expect((await call<SyncStatus>(core, 'sync.status', {})).rejected).toBe(1);
    expect((await call<SyncStatus>(core, 'sync.status', {})).pending).toBeGreaterThan(0); // still unposted, still shown

    // Edited again: sent again (and rejected again, since the unit is still gone).
    await call(core, 'entities.update', { kind: 'searchWord', id, patch: { bidFen: 75 } });
    const third = await call<SyncSummary>(core, 'sync.run', {});
    expect(third.pushed).toBe(1);
    expect(third.results[0]).toMatchObject({ entityId: id, status: 'rejected' });
    const conflicts = await call<SyncConflict[]>(core, 'sync.conflicts', {});
    expect(conflicts.every((c) => c.merchantId === DEMO_MERCHANT_ID)).toBe(true);
  });
});

describe('every kind the desktop edits syncs', () => {
  it('negative words, audience packs and GD bookings: create, edit, delete, through the server to another store', async () => {
    const a = newCore({ token: DEMO_MERCHANT_TOKEN });
    const b = newCore({ token: DEMO_MERCHANT_TOKEN });
    await call(a, 'sync.run', {});
    await call(b, 'sync.run', {});
    const { id: nw } = await call<{ id: string }>(a, 'entities.create', { kind: 'negativeWord', data: { unitId: 'un_search_generic', word: '加盟', matchType: 'PHRASE' } });
    await call(a, 'entities.update', { kind: 'audiencePack', id: 'ap_members', patch: { sizeUsers: 420_000 } });
    await call(a, 'entities.update', { kind: 'gdBooking', id: 'gd_splash_1111', patch: { impressionsPerDay: 3_500_000 } });
    await call(a, 'entities.delete', { kind: 'negativeWord', ids: ['nw_recruit'] });
    const s = await call<SyncSummary>(a, 'sync.run', {});
    expect(s).toMatchObject({ pushed: 4, applied: 4, rejected: 0, conflicts: 0 });
    expect((await call<SyncStatus>(a, 'sync.status', {})).pending).toBe(0);

    const srv = await serverState(DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN);
    expect(srv.get(nw)?.data).toMatchObject({ word: '加盟', unitId: 'un_search_generic' });
    expect(srv.get('ap_members')?.data.sizeUsers).toBe(420_000);
    expect(srv.get('gd_splash_1111')?.data.impressionsPerDay).toBe(3_500_000);
    expect(srv.get('nw_recruit')?.deleted).toBe(true);

    await call(b, 'sync.run', {});
    expect((await call<{ row: { word: string } }>(b, 'entities.get', { kind: 'negativeWord', id: nw })).row.word).toBe('加盟');
    expect((await call<{ row: { sizeUsers: number } }>(b, 'entities.get', { kind: 'audiencePack', id: 'ap_members' })).row.sizeUsers).toBe(420_000);
    expect((await call<{ deleted: boolean }>(b, 'entities.get', { kind: 'negativeWord', id: 'nw_recruit' })).deleted).toBe(true);
    // The same field changed on both sides is a conflict for these kinds too.
    await call(a, 'entities.update', { kind: 'gdBooking', id: 'gd_splash_1111', patch: { priceFen: 4_600 } });
    await call(b, 'entities.update', { kind: 'gdBooking', id: 'gd_splash_1111', patch: { priceFen: 4_700 } });
    await call(a, 'sync.run', {});
    const conflicted = await call<SyncSummary>(b, 'sync.run', {});
    expect(conflicted.conflicts).toBe(1);
    expect(await call<SyncConflict[]>(b, 'sync.conflicts', {})).toEqual([
      expect.objectContaining({ entity: 'gdBooking', entityId: 'gd_splash_1111', field: 'priceFen', localValue: 4_700, serverValue: 4_600, merchantId: DEMO_MERCHANT_ID }),
    ]);
  });
});

describe('backup restore and sync', () => {
  it('restores the base versions with the rows: a restored unposted edit is a conflict, never a silent overwrite', async () => {
    const core = newCore({ token: DEMO_MERCHANT_TOKEN });
    const other = newCore({ token: DEMO_MERCHANT_TOKEN });
    await call(core, 'sync.run', {});
    await call(other, 'sync.run', {});
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { name: '我的改名' } });
    const snap = await call<{ file: string }>(core, 'backup.create', {});

    // Meanwhile someone else renames it; this store takes theirs (its base moves on).
    await call(other, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { name: '别人的改名' } });
    await call(other, 'sync.run', {});
    expect((await call<SyncSummary>(core, 'sync.run', {})).conflicts).toBe(1);
    await call(core, 'sync.resolve', { choice: 'theirs' });
    expect((await call<SyncStatus>(core, 'sync.status', {})).pending).toBe(0);

    // Restoring the snapshot brings back my unposted rename AND the base it was made on: posting
    // it must be a conflict with the other rename, not an overwrite of it.
    await call(core, 'backup.restore', { file: snap.file });
    const s = await call<SyncSummary>(core, 'sync.run', {});
    expect(s.conflicts).toBe(1);
    expect((await serverState(DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN)).get('pl_member_feed')?.data.name).toBe('别人的改名');
    const [c] = await call<SyncConflict[]>(core, 'sync.conflicts', {});
    expect(c).toMatchObject({ entityId: 'pl_member_feed', field: 'name', localValue: '我的改名', serverValue: '别人的改名' });
  });

  it('an edit posted after the snapshot, restored as unposted, settles without a false conflict', async () => {
    const core = newCore({ token: DEMO_MERCHANT_TOKEN });
    await call(core, 'sync.run', {});
    await call(core, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidFen: 2_468 } });
    const snap = await call<{ file: string }>(core, 'backup.create', {});
    await call(core, 'sync.run', {});
    await call(core, 'backup.restore', { file: snap.file });
    expect((await call<SyncStatus>(core, 'sync.status', {})).pending).toBe(1);
    const s = await call<SyncSummary>(core, 'sync.run', {});
    expect(s).toMatchObject({ conflicts: 0, rejected: 0 });
    expect((await call<SyncStatus>(core, 'sync.status', {})).pending).toBe(0);
    expect((await serverState(DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN)).get('un_member_feed')?.data.bidFen).toBe(2_468);
  });
});

describe('market snapshot', () => {
  it('is fetched conditionally: an unchanged snapshot comes back as 304 and the stored one stays', async () => {
    const statuses: number[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).endsWith('/v1/market')) statuses.push(res.status);
      return res;
    };
    const core = newCore({ token: DEMO_MERCHANT_TOKEN, fetchImpl });
    await call(core, 'sync.run', {});
    await call(core, 'sync.run', {});
    expect(statuses).toEqual([200, 304]);
    // Forecasts still have the snapshot the first answer carried.
    const res = await fetch(`${server.url}/v1/market`, { headers: { [SCHEMA_HEADER]: String(SCHEMA_VERSION) } });
    expect(res.headers.get('etag')).toMatch(/^".+"$/);
  });
});
