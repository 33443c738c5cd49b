import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContractErrorShape, Envelope, InspectEntity, InspectSearchResult } from '../../shared/contract';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../../shared/domain/demo';
import { SCHEMA_HEADER, SCHEMA_VERSION, StatsResponse } from '../../shared/sync/wire';
import { startServer, type RunningServer } from '../../server/app';
import { createCore, type Core } from './core';
import { tempDir } from './testing';

/** Support's inspect methods against a real SQLite store (and, for server state and stats, the real backend). */
const cores: Core[] = [];
let server: RunningServer | undefined;
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  await server?.close();
  server = undefined;
});
const open = (extra: { serverUrl?: string; token?: string } = {}) => {
  const core = createCore({ dataDir: tempDir(), syncRetry: { attempts: 2, baseMs: 5, maxMs: 10 }, ...extra });
  cores.push(core);
  return core;
};
function ok<T>(e: Envelope<T>): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value;
}
function fail(e: Envelope<unknown>): ContractErrorShape {
  if (e.ok) throw new Error('expected an error');
  return e.error;
}
const call = async <T>(core: Core, method: string, input: unknown): Promise<T> => ok(await core.call(method, input)) as T;
const search = (core: Core, query: string, extra: object = {}) => call<InspectSearchResult>(core, 'inspect.search', { query, ...extra });
const entity = (core: Core, kind: string, id: string) => call<InspectEntity>(core, 'inspect.entity', { kind, id });

describe('inspect.search', () => {
  it('finds rows of every level by part of a name, with their merchant and plan › unit path', async () => {
    const core = open();
    const { hits } = await search(core, 'latte');
    const byId = new Map(hits.map((h) => [h.id, h]));
    expect(byId.get('pl_autumn_latte')).toMatchObject({ kind: 'plan', merchantId: DEMO_MERCHANT_ID, merchantName: { name: '山岚咖啡', nameEn: 'Shanlan Coffee' }, planId: 'pl_autumn_latte', path: [] });
    expect(byId.get('un_latte_ocpx')).toMatchObject({ kind: 'unit', merchantId: DEMO_MERCHANT_ID, planId: 'pl_autumn_latte' });
    expect(byId.get('un_latte_ocpx')!.path).toEqual(['全域智投·秋冬新品拿铁 Autumn Latte Smart Delivery']);
    // A creative is named by its title; a search word by its word.
    expect((await search(core, '一杯暖冬')).hits.map((h) => h.id)).toEqual(['cr_latte_video']);
    const word = (await search(core, '拿铁', { kinds: ['searchWord'] })).hits;
    expect(word.map((h) => h.id)).toEqual(['sw_latte']);
    expect(word[0]!.path).toEqual(['搜索宝·咖啡外卖关键词 Coffee Delivery Keywords', '通用词 Generic coffee terms']);
    expect((await search(core, 'LATTE')).hits.length).toBe(hits.length);
  });

  it('ranks an exact id first, takes LIKE wildcards literally, limits and says when it cut', async () => {
    const core = open();
    const exact = await search(core, 'un_member_feed');
    expect(exact.hits[0]).toMatchObject({ kind: 'unit', id: 'un_member_feed' });
    expect((await search(core, '%')).hits).toEqual([]);
    expect((await search(core, '_')).hits.every((h) => h.id.includes('_') || h.name.includes('_'))).toBe(true);
    const cut = await search(core, 'pl_', { limit: 2 });
    expect(cut.hits).toHaveLength(2);
    expect(cut.truncated).toBe(true);
    expect((await search(core, 'pl_', { limit: 200 })).truncated).toBe(false);
  });

  it('marks unposted and deleted rows; rejects an empty query and unknown kinds, changing nothing', async () => {
    const core = open();
    await call(core, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidFen: 1 } });
    await call(core, 'entities.delete', { kind: 'searchWord', ids: ['sw_latte'] });
    const hits = (await search(core, 'un_member_feed')).hits;
    expect(hits[0]).toMatchObject({ unposted: true, deleted: false });
    expect((await search(core, 'sw_latte')).hits[0]).toMatchObject({ deleted: true, unposted: true });
    expect(fail(await core.call('inspect.search', { query: '   ' }))).toMatchObject({ code: 'invalid_input', issues: [{ path: 'query' }] });
    expect(fail(await core.call('inspect.search', { query: 'x', kinds: ['campaign'] })).code).toBe('invalid_input');
    expect(fail(await core.call('inspect.entity', { kind: 'unit', id: 'un_nope' }))).toMatchObject({ code: 'not_found' });
  });
});

describe('inspect.entity', () => {
  it('shows local and last-synced server values of a pending field, and the journal history with undo', async () => {
    const core = open();
    await call(core, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidFen: 1 } });
    await call(core, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { name: 'Too cheap' } });
    await call(core, 'journal.undo', {});
    const e = await entity(core, 'unit', 'un_member_feed');
    expect(e).toMatchObject({ kind: 'unit', id: 'un_member_feed', name: '会员日·首页信息流 Member day, home feed', planId: 'pl_member_feed', unitIds: ['un_member_feed'] });
    expect(e.merchant).toMatchObject({ id: DEMO_MERCHANT_ID, nameEn: 'Shanlan Coffee', timeZone: 'Asia/Shanghai' });
    expect(e.path).toEqual([{ kind: 'plan', id: 'pl_member_feed', name: '展示推广·会员日信息流 Member Day Feed' }]);
    expect(e.local).toMatchObject({ bidFen: 1 });
    expect(e.server).toMatchObject({ neverSynced: false, localOnly: false, version: 1 });
    expect(e.server.row).toMatchObject({ bidFen: 2200, name: '会员日·首页信息流 Member day, home feed' });
    // The undone rename nets to nothing: only the bid is pending.
    expect(e.pending).toEqual([{ field: 'bidFen', serverValue: 2200, localValue: 1 }]);
    expect(e.history.map((h) => [h.field, h.batchKind, h.oldValue, h.newValue, h.postedAt])).toEqual([
      ['name', 'undo', 'Too cheap', '会员日·首页信息流 Member day, home feed', null],
      ['name', 'edit', '会员日·首页信息流 Member day, home feed', 'Too cheap', null],
      ['bidFen', 'edit', 2200, 1, null],
    ]);
    expect(e.reviews).toEqual([{ creativeId: 'cr_member_feed', title: '会员日 买一送一', status: 'APPROVED', reason: null, backToReview: false }]);
    expect(e.stats).toEqual({ range: null, hours: [] });
    expect(e.lastSyncAt).toBeNull();
  });

  it('a row created here was never synced; editing an approved creative says it goes back to review', async () => {
    const core = open();
    const { id } = await call<{ id: string }>(core, 'entities.create', {
      kind: 'unit',
      data: { planId: 'pl_member_feed', name: 'Fresh unit', bidType: 'DEFAULT', bidFen: 100, targetCpaFen: null, targetRoi: null },
    });
    const fresh = await entity(core, 'unit', id);
    expect(fresh.server).toEqual({ neverSynced: true, localOnly: false, version: null, row: null });
    await call(core, 'entities.update', { kind: 'creative', id: 'cr_member_feed', patch: { title: '会员日 第二杯半价' } });
    const plan = await entity(core, 'plan', 'pl_member_feed');
    expect(plan.unitIds).toEqual(['un_member_feed', id]);
    expect(plan.reviews).toEqual([{ creativeId: 'cr_member_feed', title: '会员日 第二杯半价', status: 'APPROVED', reason: null, backToReview: true }]);
    const pack = await entity(core, 'audiencePack', 'ap_members');
    expect(pack.server).toMatchObject({ localOnly: true, neverSynced: true, row: null });
    expect(pack.merchant?.id).toBe(DEMO_MERCHANT_ID);
  });

  it('after syncs with the real backend: server version, the review outcome with its reason, and delivery stats summed per hour', async () => {
    server = await startServer({ port: 0, dbPath: path.join(tempDir('lantern-srv-'), 'server.sqlite'), autoApproveAfterMs: null, servingRefreshMs: 0 });
    const core = open({ serverUrl: server.url, token: DEMO_MERCHANT_TOKEN });
    const headers = (token: string) => ({ authorization: `Bearer ${token}`, [SCHEMA_HEADER]: String(SCHEMA_VERSION), 'content-type': 'application/json' });
    await call(core, 'entities.update', { kind: 'creative', id: 'cr_latte_card', patch: { title: '秋冬拿铁 第二杯半价' } });
    await call(core, 'sync.run', {});
    const rejected = await fetch(`${server.url}/v1/admin/reviews/cr_latte_card`, {
      method: 'POST',
      headers: headers('lantern-demo-admin-token'),
      body: JSON.stringify({ decision: 'reject', reason: '素材与落地页不一致 Asset does not match the landing page' }),
    });
    expect(rejected.status).toBe(200);
    // Serve the autumn latte plan (all hours, home feed) so the backend has delivery to report.
    for (let i = 0; i < 150; i++) {
      const res = await fetch(`${server.url}/v1/decide`, {
        method: 'POST',
        headers: headers(DEMO_MERCHANT_TOKEN),
        body: JSON.stringify({ placement: 'home_feed', user: { id: `u${i}` }, time: new Date().toISOString() }),
      });
      expect(res.status).toBe(200);
    }
    await call(core, 'sync.run', {});
    const serverStats = StatsResponse.parse(await (await fetch(`${server.url}/v1/accounts/${DEMO_MERCHANT_ID}/stats`, { headers: headers(DEMO_MERCHANT_TOKEN) })).json());
    const served = serverStats.rows.filter((r) => r.planId === 'pl_autumn_latte');
    expect(served.reduce((s, r) => s + r.impressions, 0)).toBeGreaterThan(0);

    const plan = await entity(core, 'plan', 'pl_autumn_latte');
    expect(plan.lastSyncAt).not.toBeNull();
    expect(plan.stats.range).not.toBeNull();
    const hours = new Set(served.map((r) => r.hour));
    expect(plan.stats.hours.map((h) => h.hour)).toEqual([...hours].sort());
    for (const h of plan.stats.hours) {
      const rows = served.filter((r) => r.hour === h.hour);
      expect(h.impressions).toBe(rows.reduce((s, r) => s + r.impressions, 0));
      expect(h.costFen).toBe(rows.reduce((s, r) => s + r.costFen, 0));
      expect(h.cpmFen).toBe(h.impressions ? Math.round((h.costFen * 1000) / h.impressions) : null);
    }
    const creative = await entity(core, 'creative', 'cr_latte_card');
    expect(creative.pending).toEqual([]);
    expect(creative.server.version).toBeGreaterThan(1);
    expect(creative.history[0]).toMatchObject({ field: 'title', postedAt: expect.any(String) });
    expect(creative.reviews).toEqual([
      { creativeId: 'cr_latte_card', title: '秋冬拿铁 第二杯半价', status: 'REJECTED', reason: '素材与落地页不一致 Asset does not match the landing page', backToReview: false },
    ]);
    expect(creative.stats.hours.every((h) => h.creativeId === 'cr_latte_card')).toBe(true);
  });

  it('searches across every merchant downloaded into the store (an agency sign-in with two)', async () => {
    server = await startServer({ port: 0, dbPath: path.join(tempDir('lantern-srv-'), 'server.sqlite'), autoApproveAfterMs: null, servingRefreshMs: 0 });
    const core = open({ serverUrl: server.url, token: 'lantern-demo-group-token' });
    await call(core, 'sync.run', { merchantIds: [DEMO_MERCHANT_ID, 'mc_northpeak'] });
    const launch = (await search(core, 'X9 Launch')).hits;
    expect(launch[0]).toMatchObject({ kind: 'plan', id: 'pl_np_launch', merchantId: 'mc_northpeak', merchantName: { nameEn: 'Northpeak Phones' } });
    // One query, both merchants' rows.
    const merchants = new Set((await search(core, 'pl_', { kinds: ['plan'], limit: 200 })).hits.map((h) => h.merchantId));
    expect(merchants).toEqual(new Set([DEMO_MERCHANT_ID, 'mc_northpeak']));
    const plan = await entity(core, 'plan', 'pl_np_launch');
    expect(plan.merchant).toMatchObject({ id: 'mc_northpeak', nameEn: 'Northpeak Phones' });
    expect(plan.lastSyncAt).not.toBeNull();
    expect(plan.server.neverSynced).toBe(false);
  });
});
