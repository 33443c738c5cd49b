import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Envelope, SyncSummary } from '../../../shared/contract';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../../../shared/domain/demo';
import { SCHEMA_HEADER, SCHEMA_VERSION, type EntityPushResponse, type VersionedPlan } from '../../../shared/sync/wire';
import { startServer, type RunningServer } from '../../../server/app';
import { createCore, type Core } from '../core';
import { tempDir } from '../testing';

/** These tests sync a real core (SQLite file) with the real reference backend over HTTP. */
let server: RunningServer;
let core: Core;
let dataDir: string;

beforeEach(async () => {
  server = await startServer({ port: 0, dbPath: path.join(tempDir('lantern-srv-'), 'server.sqlite') });
  dataDir = tempDir();
  core = createCore({ dataDir, serverUrl: server.url, token: DEMO_MERCHANT_TOKEN });
});
afterEach(async () => {
  await core.close();
  await server.close();
});

const headers = { authorization: `Bearer ${DEMO_MERCHANT_TOKEN}`, [SCHEMA_HEADER]: String(SCHEMA_VERSION), 'content-type': 'application/json' };
async function serverPlan(id: string): Promise<VersionedPlan> {
  const res = await fetch(`${server.url}/v1/accounts/${DEMO_MERCHANT_ID}/plans/${id}`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as VersionedPlan;
}
/** Another Lantern (another client id) changes a field on the server. */
async function otherClientSets(id: string, field: 'name' | 'dailyBudgetFen', value: unknown): Promise<EntityPushResponse> {
  const base = (await serverPlan(id)).version;
  const res = await fetch(`${server.url}/v1/accounts/${DEMO_MERCHANT_ID}/mutations`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ clientId: 'cl_other_desktop', mutations: [{ id: 1, entity: 'plan', entityId: id, changes: [{ field, value, baseVersion: base }] }] }),
  });
  return (await res.json()) as EntityPushResponse;
}
function ok<T>(e: Envelope<T>): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value;
}
const sync = async (c = core) => ok(await c.call('sync.run', {})) as SyncSummary;
const pending = async (c = core) => (ok(await c.call('sync.status', {})) as { pending: number }).pending;

describe('sync with the reference backend', () => {
  it('pushes an edit; the backend API then returns the new value and the outbox is empty', async () => {
    ok(await core.call('plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 432_150 } }));
    expect(await pending()).toBe(1);
    const summary = await sync();
    expect(summary).toMatchObject({ pushed: 1, applied: 1, rejected: 0, conflicts: 0 });
    const onServer = await serverPlan('pl_autumn_latte');
    expect(onServer.plan.dailyBudgetFen).toBe(432_150);
    expect(onServer.version).toBe(2);
    expect(await pending()).toBe(0);
    // A second sync has nothing to push and changes nothing on the server.
    expect(await sync()).toMatchObject({ pushed: 0 });
    expect((await serverPlan('pl_autumn_latte')).version).toBe(2);
  });

  it('a push whose answer was lost is resent with the same mutation ids and applied once', async () => {
    ok(await core.call('plans.update', { id: 'pl_search_delivery', patch: { dailyBudgetFen: 150_000 } }));
    await core.close();
    // A core whose fetch delivers the push but loses the answer, like a dropped connection.
    let loseAnswers = true;
    const lossy = createCore({
      dataDir,
      fetchImpl: async (input, init) => {
        const res = await fetch(input, init);
        if (loseAnswers && init?.method === 'POST') throw new Error('connection reset');
        return res;
      },
    });
    const failed = await lossy.call('sync.run', {});
    expect(failed.ok).toBe(false);
    expect(!failed.ok && failed.error.code).toBe('offline');
    expect((await serverPlan('pl_search_delivery')).plan.dailyBudgetFen).toBe(150_000); // it did land
    expect(await pending(lossy)).toBe(1); // but the client could not know

    loseAnswers = false;
    const summary = await sync(lossy);
    expect(summary).toMatchObject({ pushed: 1, applied: 1 });
    expect((await serverPlan('pl_search_delivery')).version).toBe(2); // applied exactly once
    expect(await pending(lossy)).toBe(0);
    core = lossy;
  });

  it('reports a conflict on the same field, keeps the local value, and merges a different field', async () => {
    expect((await otherClientSets('pl_autumn_latte', 'dailyBudgetFen', 500_000)).results[0]?.status).toBe('applied');
    ok(await core.call('plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 420_000, name: 'Renamed locally' } }));
    const summary = await sync();
    expect(summary.conflicts).toBe(1);
    expect(summary.results[0]).toMatchObject({ status: 'conflict', fields: ['dailyBudgetFen'] });
    const onServer = await serverPlan('pl_autumn_latte');
    expect(onServer.plan.dailyBudgetFen).toBe(500_000); // theirs stays until the user chooses
    expect(onServer.plan.name).toBe('Renamed locally'); // the other field merged
    const local = ok(await core.call('plans.get', { id: 'pl_autumn_latte' })) as { plan: { dailyBudgetFen: number }; state: { editedFields: string[] } };
    expect(local.plan.dailyBudgetFen).toBe(420_000); // mine is not lost
    expect(local.state.editedFields).toEqual(['dailyBudgetFen']);
  });

  it('pulls changes made elsewhere into rows without local edits', async () => {
    await otherClientSets('pl_member_feed', 'name', '会员日 v2');
    const summary = await sync();
    expect(summary.pulled).toBeGreaterThanOrEqual(1);
    const local = ok(await core.call('plans.get', { id: 'pl_member_feed' })) as { plan: { name: string } };
    expect(local.plan.name).toBe('会员日 v2');
  });

  it('offline is a normal state: a clear error and nothing lost', async () => {
    ok(await core.call('plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 333_300 } }));
    await server.close();
    const e = await core.call('sync.run', {});
    expect(e.ok).toBe(false);
    expect(!e.ok && e.error.code).toBe('offline');
    expect(!e.ok && e.error.message).toMatch(/kept/);
    expect(await pending()).toBe(1);
    server = await startServer({ port: 0, dbPath: path.join(tempDir('lantern-srv-'), 'server.sqlite') }); // for afterEach
  });

  it('a wrong token is refused as unauthorized and posts nothing', async () => {
    await core.close();
    core = createCore({ dataDir, token: 'not-the-token' });
    ok(await core.call('plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 444_400 } }));
    const e = await core.call('sync.run', {});
    expect(!e.ok && e.error.code).toBe('unauthorized');
    expect((await serverPlan('pl_autumn_latte')).plan.dailyBudgetFen).toBe(300_000);
  });
});
