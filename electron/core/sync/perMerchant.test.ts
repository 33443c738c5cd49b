import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountsList, LanternEvent, SyncStatus, SyncSummary } from '../../../shared/contract';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../../../shared/domain/demo';
import { SCHEMA_HEADER, SCHEMA_VERSION, type EntityFeed, type FeedEntry } from '../../../shared/sync/wire';
import { startServer, type RunningServer } from '../../../server/app';
import { startFaultProxy, type FaultProxy } from '../../../server/fault-proxy';
import { DEMO_GROUP_AGENCY_TOKEN, NORTHPEAK_MERCHANT_ID, NORTHPEAK_MERCHANT_TOKEN } from '../../../server/seed';
import { createCore, type Core } from '../core';
import { call, fail, tempDir } from '../testing';

/**
 * One merchant failing must not fail the others: an agency store syncs Shanlan and Northpeak;
 * Northpeak's server is down (the fault proxy answers 503 for its routes only), or the agency's
 * access to it is revoked on the server, or its outbox has check errors. Each merchant gets its
 * own outcome and reason, the others post and pull.
 */
let server: RunningServer;
let serverDb: string;
let proxy: FaultProxy;
const cores: Core[] = [];
beforeEach(async () => {
  serverDb = path.join(tempDir('lantern-srv-'), 'server.sqlite');
  server = await startServer({ port: 0, dbPath: serverDb, autoApproveAfterMs: null });
  proxy = await startFaultProxy(server.url);
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  await proxy.close();
  await server.close();
});
const newCore = (serverUrl = proxy.url) => {
  const c = createCore({ dataDir: tempDir(), serverUrl, token: DEMO_GROUP_AGENCY_TOKEN, syncRetry: { attempts: 3, baseMs: 5, maxMs: 20 }, syncTimeoutMs: 3000 });
  cores.push(c);
  return c;
};

async function serverState(merchantId: string, token: string): Promise<Map<string, FeedEntry>> {
  const res = await fetch(`${server.url}/v1/accounts/${merchantId}/feed?cursor=0&limit=5000`, { headers: { authorization: `Bearer ${token}`, [SCHEMA_HEADER]: String(SCHEMA_VERSION) } });
  return new Map(((await res.json()) as EntityFeed).changes.map((c) => [c.entityId, c]));
}
/** A store with both merchants downloaded, an unposted edit in each. */
async function bothWithEdits(): Promise<{ core: Core; events: LanternEvent[] }> {
  const core = newCore();
  await call(core, 'sync.run', { merchantIds: [DEMO_MERCHANT_ID, NORTHPEAK_MERCHANT_ID] });
  await call(core, 'entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { dailyBudgetFen: 330_000 } });
  await call(core, 'entities.update', { kind: 'plan', id: 'pl_np_launch', patch: { dailyBudgetFen: 1_700_000 } });
  const events: LanternEvent[] = [];
  core.subscribe((e) => events.push(e));
  return { core, events };
}
const merchantEvents = (events: LanternEvent[]) => events.flatMap((e) => (e.type === 'sync.merchant' ? [e] : []));

describe('one merchant failing does not fail the others', () => {
  it("Northpeak's server is down: Shanlan posts and pulls, Northpeak fails as offline, keeps its edit, and posts it once the server is back", async () => {
    const { core, events } = await bothWithEdits();
    proxy.setFaults({ fail: 1, only: new RegExp(`^/v1/accounts/${NORTHPEAK_MERCHANT_ID}/`) });
    const s = await call<SyncSummary>(core, 'sync.run', {});

    expect(s.merchants.map((m) => [m.merchantId, m.outcome])).toEqual([
      [DEMO_MERCHANT_ID, 'done'],
      [NORTHPEAK_MERCHANT_ID, 'failed'],
    ]);
    const np = s.merchants[1];
    expect(np?.failure?.code).toBe('offline');
    expect(np?.failure?.message).toMatch(/server had an error \(503\)/);
    expect(s.results).toEqual([expect.objectContaining({ merchantId: DEMO_MERCHANT_ID, entityId: 'pl_autumn_latte', status: 'applied' })]);
    expect((await serverState(DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN)).get('pl_autumn_latte')?.data.dailyBudgetFen).toBe(330_000);
    expect((await serverState(NORTHPEAK_MERCHANT_ID, NORTHPEAK_MERCHANT_TOKEN)).get('pl_np_launch')?.data.dailyBudgetFen).toBe(1_500_000);
    expect((await call<SyncStatus>(core, 'sync.status', { merchantId: NORTHPEAK_MERCHANT_ID })).pending).toBe(1);
    // The UI learns each outcome as it happens, with the reason.
    expect(merchantEvents(events)).toEqual([
      { type: 'sync.merchant', merchantId: DEMO_MERCHANT_ID, outcome: 'done' },
      { type: 'sync.merchant', merchantId: NORTHPEAK_MERCHANT_ID, outcome: 'failed', failure: np?.failure },
    ]);

    proxy.setFaults({});
    const back = await call<SyncSummary>(core, 'sync.run', {});
    expect(back.merchants.map((m) => m.outcome)).toEqual(['done', 'done']);
    expect((await serverState(NORTHPEAK_MERCHANT_ID, NORTHPEAK_MERCHANT_TOKEN)).get('pl_np_launch')?.data.dailyBudgetFen).toBe(1_700_000);
  });

  it("the agency's access to Northpeak is revoked on the server: Northpeak fails as not_found, Shanlan syncs", async () => {
    const { core } = await bothWithEdits();
    const db = new Database(serverDb);
    try {
      expect(db.prepare("DELETE FROM agency_merchants WHERE agency_id = 'ag_group' AND merchant_id = ?").run(NORTHPEAK_MERCHANT_ID).changes).toBe(1);
    } finally {
      db.close();
    }
    const s = await call<SyncSummary>(core, 'sync.run', {});
    expect(s.merchants.map((m) => [m.merchantId, m.outcome, m.failure?.code])).toEqual([
      [DEMO_MERCHANT_ID, 'done', undefined],
      [NORTHPEAK_MERCHANT_ID, 'failed', 'not_found'],
    ]);
    expect(s.merchants[1]?.failure?.message).toMatch(/no account mc_northpeak for this sign-in/);
    expect(s.applied).toBe(1);
    expect((await serverState(DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN)).get('pl_autumn_latte')?.data.dailyBudgetFen).toBe(330_000);
    const list = await call<AccountsList>(core, 'accounts.list', {});
    expect(list.accounts.find((a) => a.id === NORTHPEAK_MERCHANT_ID)).toMatchObject({ reachable: false, pending: 1 });
  });

  it("a merchant blocked by check errors does not hide the other merchant's row results", async () => {
    const { core, events } = await bothWithEdits();
    await call(core, 'entities.update', { kind: 'unit', id: 'un_search_brand', patch: { bidFen: 5 } });
    const s = await call<SyncSummary>(core, 'sync.run', {});
    expect(s.merchants.map((m) => [m.merchantId, m.outcome])).toEqual([
      [DEMO_MERCHANT_ID, 'blocked_by_errors'],
      [NORTHPEAK_MERCHANT_ID, 'done'],
    ]);
    expect(s.merchants[0]).toMatchObject({ errors: 1, pushed: 0, issues: [{ path: 'unit.un_search_brand.bidFen', message: 'CPC bid must be 0.1 yuan–100 yuan' }] });
    expect(s.results).toEqual([expect.objectContaining({ merchantId: NORTHPEAK_MERCHANT_ID, entityId: 'pl_np_launch', status: 'applied' })]);
    expect(merchantEvents(events).map((e) => [e.merchantId, e.outcome, e.errors])).toEqual([
      [DEMO_MERCHANT_ID, 'blocked_by_errors', 1],
      [NORTHPEAK_MERCHANT_ID, 'done', undefined],
    ]);
    expect((await serverState(DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN)).get('pl_autumn_latte')?.data.dailyBudgetFen).not.toBe(330_000);
    expect((await serverState(NORTHPEAK_MERCHANT_ID, NORTHPEAK_MERCHANT_TOKEN)).get('pl_np_launch')?.data.dailyBudgetFen).toBe(1_700_000);
  });

  it('a merchant that cannot be added fails alone; when every merchant fails the call fails, naming each', async () => {
    const core = newCore();
    const db = new Database(serverDb);
    try {
      db.prepare("DELETE FROM agency_merchants WHERE agency_id = 'ag_group' AND merchant_id = ?").run(NORTHPEAK_MERCHANT_ID);
    } finally {
      db.close();
    }
    // Northpeak is no longer the agency's to add; Shanlan (here already) syncs.
    const s = await call<SyncSummary>(core, 'sync.run', { merchantIds: [DEMO_MERCHANT_ID, NORTHPEAK_MERCHANT_ID] });
    expect(s.merchants.map((m) => [m.merchantId, m.outcome, m.failure?.code])).toEqual([
      [DEMO_MERCHANT_ID, 'done', undefined],
      [NORTHPEAK_MERCHANT_ID, 'failed', 'not_found'],
    ]);

    // The whole server is unreachable: nothing synced, so the call fails (offline), naming each merchant.
    proxy.setFaults({ fail: 1 });
    const err = await fail(core, 'sync.run', {});
    expect(err.code).toBe('offline');
    expect(err.details).toMatchObject({ merchants: [DEMO_MERCHANT_ID], failed: [`${DEMO_MERCHANT_ID}: offline`] });
  });
});
