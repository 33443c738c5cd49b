import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncConflict, SyncRejection, SyncStatus, SyncSummary } from '../../../shared/contract';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../../../shared/domain/demo';
import { ALL_HOURS } from '../../../shared/domain/schedule';
import { SCHEMA_HEADER, SCHEMA_VERSION, type EntityFeed, type FeedEntry } from '../../../shared/sync/wire';
import { startServer, type RunningServer } from '../../../server/app';
import { createCore, type Core } from '../core';
import { dateInZone } from '../time';
import { call, tempDir } from '../testing';

/**
 * A row the server rejected is held (not resent) until it is edited: also when one of its fields
 * is in an open conflict, and when the server refused the row itself (deleted there meanwhile).
 * A sync with nothing new to send stays a no-op.
 */
let server: RunningServer;
let serverNow = () => new Date();
const cores: Core[] = [];
const newCore = () => {
  const c = createCore({ dataDir: tempDir(), serverUrl: server.url, token: DEMO_MERCHANT_TOKEN, syncRetry: { attempts: 2, baseMs: 5, maxMs: 10 } });
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

async function serverRow(id: string): Promise<FeedEntry | undefined> {
  const res = await fetch(`${server.url}/v1/accounts/${DEMO_MERCHANT_ID}/feed?cursor=0&limit=5000`, {
    headers: { authorization: `Bearer ${DEMO_MERCHANT_TOKEN}`, [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
  });
  return ((await res.json()) as EntityFeed).changes.find((c) => c.entityId === id);
}

/** Syncs twice more: nothing is pushed or pulled, the row stays held and rejected. */
async function expectNoop(core: Core, held: number): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const s = await call<SyncSummary>(core, 'sync.run', {});
    expect({ pushed: s.pushed, pulled: s.pulled, held: s.merchants[0]?.held }).toEqual({ pushed: 0, pulled: 0, held });
  }
}

describe('held rejections', () => {
  /**
   * A DEFAULT unit with a (then unused) target ROI 2 everywhere; then theirs clears the target ROI
   * and posts first while mine sets it to 3: an open conflict on targetRoi here.
   */
  async function conflictOnTargetRoi(): Promise<Core> {
    const mine = newCore();
    const theirs = newCore();
    await call(mine, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { targetRoi: 2 } });
    await call(mine, 'sync.run', {});
    await call(theirs, 'sync.run', {});
    await call(theirs, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { targetRoi: null } });
    await call(theirs, 'sync.run', {});
    await call(mine, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { targetRoi: 3 } });
    expect((await call<SyncSummary>(mine, 'sync.run', {})).conflicts).toBe(1);
    return mine;
  }
  /**
   * Mine turns the unit to ROI bidding: valid here (its target ROI is mine), but the push cannot
   * carry the conflicted target ROI, and on the server (target ROI null) an ROI unit fails its check.
   */
  async function rejectedWhole(mine: Core): Promise<void> {
    const s = await call<SyncSummary>(mine, 'sync.run', {});
    expect(s).toMatchObject({ pushed: 1, rejected: 1 });
    expect(s.results).toEqual([expect.objectContaining({ entityId: 'un_member_feed', status: 'rejected', codes: ['unit.roi_needs_target_roi'] })]);
    expect(await call<SyncRejection[]>(mine, 'sync.rejections', {})).toEqual([expect.objectContaining({ entityId: 'un_member_feed', fields: [''] })]);
  }
  async function keepMineApplies(mine: Core, targetRoi: number): Promise<void> {
    await call(mine, 'sync.resolve', { choice: 'mine' });
    const fixed = await call<SyncSummary>(mine, 'sync.run', {});
    expect(fixed).toMatchObject({ pushed: 1, applied: 1, rejected: 0, conflicts: 0 });
    expect((await serverRow('un_member_feed'))?.data).toMatchObject({ bidType: 'ROI', targetRoi });
    expect(await call<SyncRejection[]>(mine, 'sync.rejections', {})).toEqual([]);
    expect(await call<SyncStatus>(mine, 'sync.status', {})).toMatchObject({ pending: 0, conflicts: 0, rejected: 0 });
    await expectNoop(mine, 0);
  }

  it('a row rejected whole while a field of it is in conflict is not resent, edits of the conflicted field included', async () => {
    const mine = await conflictOnTargetRoi();
    // The conflicted field is edited once more after the unit's bid type, before the sync.
    await call(mine, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidType: 'ROI' } });
    await call(mine, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { targetRoi: 4 } });
    await rejectedWhole(mine);
    const version = (await serverRow('un_member_feed'))?.version;

    // Nothing edited since: not sent again (it was sent, and rejected, on every sync).
    await expectNoop(mine, 1);
    // An edit of the field still in conflict changes nothing the push would carry: still held.
    await call(mine, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { targetRoi: 5 } });
    await expectNoop(mine, 1);
    expect((await serverRow('un_member_feed'))?.version).toBe(version);
    expect((await call<SyncStatus>(mine, 'sync.status', {})).rejected).toBe(1);
    // Keep mine: the push now carries the target ROI as well, and the server takes the row.
    await keepMineApplies(mine, 5);
  });

  it('keeping mine in the conflict releases the held row even when the conflicted field was edited first', async () => {
    const mine = await conflictOnTargetRoi();
    await call(mine, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidType: 'ROI' } });
    await rejectedWhole(mine);
    await expectNoop(mine, 1);
    await keepMineApplies(mine, 3);
  });

  it('taking theirs in the conflict keeps the row held: the server would check the row it rejected', async () => {
    const mine = await conflictOnTargetRoi();
    await call(mine, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidType: 'ROI' } });
    await rejectedWhole(mine);
    await call(mine, 'sync.resolve', { choice: 'theirs' });
    // Now the desktop sees the error too (ROI without a target ROI): nothing is posted.
    const s = await call<SyncSummary>(mine, 'sync.run', {});
    expect(s.pushed).toBe(0);
    expect(await call<SyncRejection[]>(mine, 'sync.rejections', {})).toEqual([expect.objectContaining({ entityId: 'un_member_feed', fields: [''] })]);
    // Fixed by an edit: sent, applied.
    await call(mine, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { targetRoi: 6 } });
    expect(await call<SyncSummary>(mine, 'sync.run', {})).toMatchObject({ pushed: 1, applied: 1, rejected: 0 });
    expect(await call<SyncRejection[]>(mine, 'sync.rejections', {})).toEqual([]);
  });

  it('an edit of a row the server deleted meanwhile is rejected once, held, and gone with take theirs', async () => {
    const mine = newCore();
    const theirs = newCore();
    await call(mine, 'sync.run', {});
    await call(theirs, 'sync.run', {});
    await call(theirs, 'entities.delete', { kind: 'searchWord', ids: ['sw_latte'] });
    await call(theirs, 'sync.run', {});
    await call(mine, 'entities.update', { kind: 'searchWord', id: 'sw_latte', patch: { bidFen: 99 } });

    const first = await call<SyncSummary>(mine, 'sync.run', {});
    expect(first.results).toEqual([expect.objectContaining({ entityId: 'sw_latte', status: 'rejected', message: 'entityId: search word "sw_latte" was deleted' })]);
    // The pull brought the deletion: a conflict for the user (the edit is not lost silently).
    expect(await call<SyncConflict[]>(mine, 'sync.conflicts', {})).toEqual([expect.objectContaining({ entityId: 'sw_latte', field: 'deleted', serverValue: true })]);
    expect(await call<SyncRejection[]>(mine, 'sync.rejections', {})).toEqual([expect.objectContaining({ entityId: 'sw_latte', fields: [''] })]);
    await expectNoop(mine, 1);

    await call(mine, 'sync.resolve', { choice: 'theirs' });
    expect(await call<SyncStatus>(mine, 'sync.status', {})).toMatchObject({ pending: 0, conflicts: 0, rejected: 0 });
    expect(await call<SyncRejection[]>(mine, 'sync.rejections', {})).toEqual([]);
    await expectNoop(mine, 0);
  });

  it('a plan held for its own error is tried once more when a row under it is edited, then held again', async () => {
    const core = newCore();
    await call(core, 'sync.run', {});
    // The server's clock is two days ahead: a new plan starting today here is in the past there.
    serverNow = () => new Date(Date.now() + 2 * 86_400_000);
    const { id: planId } = await call<{ id: string }>(core, 'entities.create', {
      kind: 'plan',
      data: { merchantId: DEMO_MERCHANT_ID, name: '今日开投 Starts today', scene: 'DISPLAY', objective: 'COUPON_CLAIM', sellMode: 'RTB', chargeType: 'CPM', dailyBudgetFen: 200_000, startDate: dateInZone(new Date(), 'Asia/Shanghai'), endDate: null, timeSchema: ALL_HOURS, pacing: 'STANDARD', status: 'ENABLED' },
    });
    const { id: unitId } = await call<{ id: string }>(core, 'entities.create', { kind: 'unit', data: { planId, name: '单元 Unit', bidType: 'DEFAULT', bidFen: 1_000, targetCpaFen: null, targetRoi: null } });
    const first = await call<SyncSummary>(core, 'sync.run', {});
    expect(first).toMatchObject({ pushed: 2, rejected: 2 });
    await expectNoop(core, 2);
    // An edit under the plan: both are sent again, both rejected again (the plan still starts in
    // the past there), and held again: no sync after resends them.
    await call(core, 'entities.update', { kind: 'unit', id: unitId, patch: { name: '单元 改 Unit, renamed' } });
    const again = await call<SyncSummary>(core, 'sync.run', {});
    expect(again).toMatchObject({ pushed: 2, rejected: 2 });
    await expectNoop(core, 2);
  });
});
