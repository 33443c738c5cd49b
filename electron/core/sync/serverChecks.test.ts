import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckIssue } from '../../../shared/domain/checks';
import type { SyncRejection, SyncStatus, SyncSummary } from '../../../shared/contract';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../../../shared/domain/demo';
import { ALL_HOURS } from '../../../shared/domain/schedule';
import { SCHEMA_HEADER, SCHEMA_VERSION, type EntityFeed, type FeedEntry } from '../../../shared/sync/wire';
import { startServer, type RunningServer } from '../../../server/app';
import { createCore, type Core } from '../core';
import { dateInZone } from '../time';
import { call, tempDir } from '../testing';

/**
 * Rows that pass the desktop's checks but fail the server's run of the same checks (the server
 * knows more: its own clock, rows other Lanterns changed): they end in sync_rejections with the
 * server's message, and are not sent again until edited.
 */
const DAY = 86_400_000;
let server: RunningServer;
let serverNow = () => new Date();
const cores: Core[] = [];
const newCore = (fetchImpl?: typeof fetch) => {
  const c = createCore({ dataDir: tempDir(), serverUrl: server.url, token: DEMO_MERCHANT_TOKEN, syncRetry: { attempts: 2, baseMs: 5, maxMs: 10 }, ...(fetchImpl ? { fetchImpl } : {}) });
  cores.push(c);
  return c;
};
beforeEach(async () => {
  serverNow = () => new Date();
  server = await startServer({ port: 0, dbPath: path.join(tempDir('lantern-srv-'), 'server.sqlite'), autoApproveAfterMs: null, clock: () => serverNow() });
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  await server.close();
});

const headers = { authorization: `Bearer ${DEMO_MERCHANT_TOKEN}`, [SCHEMA_HEADER]: String(SCHEMA_VERSION), 'content-type': 'application/json' };

async function serverState(): Promise<Map<string, FeedEntry>> {
  const res = await fetch(`${server.url}/v1/accounts/${DEMO_MERCHANT_ID}/feed?cursor=0&limit=5000`, { headers });
  return new Map(((await res.json()) as EntityFeed).changes.map((c) => [c.entityId, c]));
}
const errorsOf = async (c: Core, id: string) => (await call<{ issues: CheckIssue[] }>(c, 'checks.run', {})).issues.filter((i) => i.entityId === id && i.severity === 'error');

describe("the server's checks reject what the desktop's passed", () => {
  it("a new plan starting 'today' on the desktop is in the past on a server a day ahead: held with the server's message until edited", async () => {
    const core = newCore();
    await call(core, 'sync.run', {});
    // The server's clock is two days ahead of this desktop's.
    serverNow = () => new Date(Date.now() + 2 * DAY);
    const today = dateInZone(new Date(), 'Asia/Shanghai');
    const { id } = await call<{ id: string }>(core, 'entities.create', {
      kind: 'plan',
      data: { merchantId: DEMO_MERCHANT_ID, name: '今日开投 Starts today', scene: 'DISPLAY', objective: 'COUPON_CLAIM', sellMode: 'RTB', chargeType: 'CPM', dailyBudgetFen: 200_000, startDate: today, endDate: null, timeSchema: ALL_HOURS, pacing: 'STANDARD', status: 'ENABLED' },
    });
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { dailyBudgetFen: 280_000 } });
    // The desktop's own checks find nothing wrong: it posts.
    expect(await errorsOf(core, id)).toEqual([]);

    const first = await call<SyncSummary>(core, 'sync.run', {});
    expect(first).toMatchObject({ pushed: 2, applied: 1, rejected: 1 });
    expect(first.results).toContainEqual(
      expect.objectContaining({ entity: 'plan', entityId: id, status: 'rejected', codes: ['plan.start_in_past'], message: `startDate: start date ${today} is in the past` }),
    );
    expect(first.results).toContainEqual(expect.objectContaining({ entityId: 'pl_member_feed', status: 'applied' }));
    const rejections = await call<SyncRejection[]>(core, 'sync.rejections', {});
    expect(rejections).toEqual([expect.objectContaining({ merchantId: DEMO_MERCHANT_ID, entity: 'plan', entityId: id, fields: [''], message: `startDate: start date ${today} is in the past` })]);
    let srv = await serverState();
    expect(srv.has(id)).toBe(false);
    expect(srv.get('pl_member_feed')?.data.dailyBudgetFen).toBe(280_000);

    // Not sent again while nobody edits it.
    const again = await call<SyncSummary>(core, 'sync.run', {});
    expect(again.pushed).toBe(0);
    expect(again.merchants[0]?.held).toBe(1);
    expect((await call<SyncStatus>(core, 'sync.status', {})).rejected).toBe(1);

    // Edited to start on the server's today: sent, applied, the rejection is gone.
    const serverToday = dateInZone(serverNow(), 'Asia/Shanghai');
    await call(core, 'entities.update', { kind: 'plan', id, patch: { startDate: serverToday } });
    const fixed = await call<SyncSummary>(core, 'sync.run', {});
    expect(fixed).toMatchObject({ pushed: 1, applied: 1, rejected: 0 });
    expect(await call<SyncRejection[]>(core, 'sync.rejections', {})).toEqual([]);
    srv = await serverState();
    expect(srv.get(id)?.data.startDate).toBe(serverToday);
  });

  it('a push whose answer was lost is resent and the rejected row comes back rejected, never taken for posted', async () => {
    let lose = 0;
    // The server applies the first push of mutations, then its answer is lost on the way.
    const flaky: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method === 'POST' && String(input).endsWith('/mutations') && lose++ === 0) {
        await res.text();
        throw new TypeError('socket hang up');
      }
      return res;
    };
    const core = newCore(flaky);
    await call(core, 'sync.run', {});
    serverNow = () => new Date(Date.now() + 2 * DAY);
    const today = dateInZone(new Date(), 'Asia/Shanghai');
    const { id } = await call<{ id: string }>(core, 'entities.create', {
      kind: 'plan',
      data: { merchantId: DEMO_MERCHANT_ID, name: '丢失的回答 Lost answer', scene: 'DISPLAY', objective: 'COUPON_CLAIM', sellMode: 'RTB', chargeType: 'CPM', dailyBudgetFen: 200_000, startDate: today, endDate: null, timeSchema: ALL_HOURS, pacing: 'STANDARD', status: 'ENABLED' },
    });
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { name: '会员日 改' } });
    const s = await call<SyncSummary>(core, 'sync.run', {});
    expect(lose).toBe(2);
    expect(s.results).toContainEqual(expect.objectContaining({ entityId: id, status: 'rejected', codes: ['plan.start_in_past'] }));
    expect(s.results).toContainEqual(expect.objectContaining({ entityId: 'pl_member_feed', status: 'applied' }));
    expect(await call<SyncRejection[]>(core, 'sync.rejections', {})).toEqual([expect.objectContaining({ entityId: id, fields: [''] })]);
    // Still unposted here (held), and not on the server.
    expect((await call<SyncStatus>(core, 'sync.status', {})).pending).toBe(1);
    expect((await serverState()).has(id)).toBe(false);
    expect((await serverState()).get('pl_member_feed')?.data.name).toBe('会员日 改');
  });

  it("posts a plan's change before the new rows that depend on it: the server checks them against the plan as changed", async () => {
    const core = newCore();
    await call(core, 'sync.run', {});
    // The DISPLAY plan becomes INTELLIGENT (its unit gives up the placements INTELLIGENT has none
    // of), and gets a NO_BID unit (only valid in an INTELLIGENT plan).
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { scene: 'INTELLIGENT' } });
    await call(core, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { placements: [] } });
    const { id } = await call<{ id: string }>(core, 'entities.create', {
      kind: 'unit',
      data: { planId: 'pl_member_feed', name: '最大转化 Max conversions', bidType: 'NO_BID', bidFen: null, targetCpaFen: null, targetRoi: null },
    });
    expect(await errorsOf(core, id)).toEqual([]);
    const s = await call<SyncSummary>(core, 'sync.run', {});
    expect(s).toMatchObject({ pushed: 3, applied: 3, rejected: 0 });
    const srv = await serverState();
    expect(srv.get('pl_member_feed')?.data.scene).toBe('INTELLIGENT');
    expect(srv.get(id)?.data.bidType).toBe('NO_BID');
  });

  it('an edit checked against a plan another Lantern changed meanwhile is rejected whole, its other fields too', async () => {
    const mine = newCore();
    const theirs = newCore();
    await call(mine, 'sync.run', {});
    await call(theirs, 'sync.run', {});
    // Another Lantern turns the CPM plan into a CPC one and posts (its unit's 22-yuan bid is a valid CPC bid).
    await call(theirs, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { chargeType: 'CPC' } });
    expect((await call<SyncSummary>(theirs, 'sync.run', {})).applied).toBe(1);

    // Here the plan is still CPM: a 500-yuan bid passes the desktop's checks. On the server it is
    // a CPC bid above the 100-yuan ceiling.
    await call(mine, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { name: '会员日 高价 High bid', bidFen: 50_000 } });
    expect(await errorsOf(mine, 'un_member_feed')).toEqual([]);
    const first = await call<SyncSummary>(mine, 'sync.run', {});
    const message = 'bidFen: CPC bid must be 0.1 yuan–100 yuan';
    expect(first.results).toContainEqual(expect.objectContaining({ entity: 'unit', entityId: 'un_member_feed', status: 'rejected', fields: ['bidFen'], codes: ['unit.bid_limits'], message }));
    // Nothing of the row landed, the name beside the bid neither.
    expect((await serverState()).get('un_member_feed')?.data).toMatchObject({ name: '会员日·首页信息流 Member day, home feed', bidFen: 2_200 });
    // The pull brought the plan's new charge type, so the desktop now sees the error too; the row is held.
    expect((await errorsOf(mine, 'un_member_feed')).map((i) => i.code)).toEqual(['unit.bid_limits']);
    expect(await call<SyncRejection[]>(mine, 'sync.rejections', {})).toEqual([expect.objectContaining({ entity: 'unit', entityId: 'un_member_feed', fields: [''], message })]);

    // Fixed for a CPC plan: posted with the name, the rejection cleared.
    await call(mine, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidFen: 5_000 } });
    const fixed = await call<SyncSummary>(mine, 'sync.run', {});
    expect(fixed).toMatchObject({ applied: 1, rejected: 0 });
    expect((await serverState()).get('un_member_feed')?.data).toMatchObject({ name: '会员日 高价 High bid', bidFen: 5_000 });
    expect(await call<SyncRejection[]>(mine, 'sync.rejections', {})).toEqual([]);
  });

  it('a plan change the server refuses for a child it would break is held, naming the child; fixing the child sends both and both land', async () => {
    const core = newCore();
    await call(core, 'sync.run', {});
    // CPM → CPD: the plan passes its own checks, and only the plan is in the outbox, so nothing
    // blocks the push; the server finds the unit's 22-yuan bid below a CPD bid's floor.
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { chargeType: 'CPD' } });
    expect(await errorsOf(core, 'pl_member_feed')).toEqual([]);
    const first = await call<SyncSummary>(core, 'sync.run', {});
    const message = 'unit un_member_feed would fail: CPD bid must be 1,000 yuan–1,000,000 yuan';
    expect(first).toMatchObject({ pushed: 1, rejected: 1 });
    expect(first.results).toEqual([expect.objectContaining({ entity: 'plan', entityId: 'pl_member_feed', status: 'rejected', fields: ['chargeType'], codes: ['unit.bid_limits'], message })]);
    expect(await call<SyncRejection[]>(core, 'sync.rejections', {})).toEqual([expect.objectContaining({ entity: 'plan', entityId: 'pl_member_feed', fields: [''], message })]);
    expect((await serverState()).get('pl_member_feed')?.data.chargeType).toBe('CPM');
    // Held: not sent again while nothing under it changes.
    const again = await call<SyncSummary>(core, 'sync.run', {});
    expect({ pushed: again.pushed, held: again.merchants[0]?.held }).toEqual({ pushed: 0, held: 1 });

    // The desktop shows the unit's error; the user raises its bid (the plan itself is not edited
    // again): the plan is released, posted first, and the unit is checked against it as changed.
    expect((await errorsOf(core, 'un_member_feed')).map((i) => i.code)).toEqual(['unit.bid_limits']);
    await call(core, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidFen: 200_000 } });
    const fixed = await call<SyncSummary>(core, 'sync.run', {});
    expect(fixed).toMatchObject({ pushed: 2, applied: 2, rejected: 0 });
    const srv = await serverState();
    expect(srv.get('pl_member_feed')?.data.chargeType).toBe('CPD');
    expect(srv.get('un_member_feed')?.data.bidFen).toBe(200_000);
    expect(await call<SyncRejection[]>(core, 'sync.rejections', {})).toEqual([]);
    expect((await call<SyncSummary>(core, 'sync.run', {})).pushed).toBe(0);
  });
});
