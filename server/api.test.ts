import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN, demoAccount } from '../shared/domain/demo';
import { DAILY_BUDGET_MAX_FEN } from '../shared/domain/money';
import type { z } from 'zod';
import { ApiError, EntityFeed, EntityPushResponse, VersionedPlan, type EntityPushRequest } from '../shared/sync/wire';
import type { RunningServer } from './app';
import { NORTHPEAK_MERCHANT_ID, NORTHPEAK_MERCHANT_TOKEN } from './seed';
import { call, startTestServer, tempDir, testBackends } from './test-helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());

const SHANLAN = `/v1/accounts/${DEMO_MERCHANT_ID}`;
const NORTHPEAK = `/v1/accounts/${NORTHPEAK_MERCHANT_ID}`;
const LATTE = 'pl_autumn_latte';

for (const backend of testBackends(tmp)) {
describe(`backend on ${backend.name}`, () => {
  let server: RunningServer;
  let dbPath: string;

  beforeEach(async () => {
    dbPath = await backend.newDb();
    server = await startTestServer(dbPath);
  });
  afterEach(async () => {
    await server.close();
  });

  const get = <T>(path: string, token: string | null = DEMO_MERCHANT_TOKEN) => call<T>(server.url, path, { token });
  const push = (body: unknown, { token = DEMO_MERCHANT_TOKEN, account = SHANLAN } = {}) =>
    call<EntityPushResponse>(server.url, `${account}/mutations`, { method: 'POST', token, body });

  async function getPlan(id = LATTE): Promise<VersionedPlan> {
    const res = await get<VersionedPlan>(`${SHANLAN}/plans/${id}`);
    expect(res.status).toBe(200);
    return VersionedPlan.parse(res.body);
  }

  /** The plans changed after `cursor`, read through the paged `/feed` (one page holds the demo account). */
  async function feed(cursor: number, token = DEMO_MERCHANT_TOKEN, account = SHANLAN): Promise<{ cursor: number; changes: { entity: 'plan'; entityId: string; version: number; data: Record<string, unknown> }[] }> {
    const res = await get<EntityFeed>(`${account}/feed?cursor=${cursor}&limit=5000`, token);
    expect(res.status).toBe(200);
    const page = EntityFeed.parse(res.body);
    expect(page.hasMore).toBe(false);
    const changes = page.changes.flatMap((c) => (c.entity === 'plan' && !c.deleted ? [{ entity: 'plan' as const, entityId: c.entityId, version: c.version, data: c.data }] : []));
    return { cursor: page.cursor, changes };
  }

  function budgetPush(clientId: string, id: number, value: unknown, baseVersion = 1, entityId = LATTE): z.input<typeof EntityPushRequest> {
    return { clientId, mutations: [{ id, entity: 'plan', entityId, changes: [{ field: 'dailyBudgetFen', value, baseVersion }] }] };
  }

  function expectApiError(body: unknown, code: string): ApiError {
    const parsed = ApiError.parse(body);
    expect(parsed.error.code).toBe(code);
    expect(parsed.error.message.length).toBeGreaterThan(0);
    return parsed;
  }

  describe('health and the request gate', () => {
    it('answers /healthz without a token or schema header', async () => {
      const res = await call(server.url, '/healthz', { schema: null });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ ok: true });
    });

    it('answers 401 without a token, with a wrong one, or with a malformed header', async () => {
      const variants: Record<string, string>[] = [{}, { authorization: 'Bearer not-a-real-token' }, { authorization: DEMO_MERCHANT_TOKEN }, { authorization: 'Basic abc' }];
      for (const headers of variants) {
        const res = await call(server.url, `${SHANLAN}/plans`, { headers });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expectApiError(res.body, 'unauthorized');
      }
    });

    it('answers 426 schema_mismatch for a missing or different schema header, telling the user to update', async () => {
      for (const schema of [null, '0', 'banana']) {
        const res = await call(server.url, `${SHANLAN}/plans`, { token: DEMO_MERCHANT_TOKEN, schema });
        expect(res.status).toBe(426);
        expect(expectApiError(res.body, 'schema_mismatch').error.message).toMatch(/update Lantern/);
      }
      const newer = await call(server.url, `${SHANLAN}/plans`, { token: DEMO_MERCHANT_TOKEN, schema: '2' });
      expect(newer.status).toBe(426);
      expect(expectApiError(newer.body, 'schema_mismatch').error.message).toMatch(/server needs an update/);
    });

    it('answers unknown routes and malformed input with ApiError bodies', async () => {
      const unknown = await get('/v1/nothing-here');
      expect(unknown.status).toBe(404);
      expectApiError(unknown.body, 'not_found');

      const badJson = await fetch(`${server.url}${SHANLAN}/mutations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_MERCHANT_TOKEN}`, 'lantern-schema': '1', 'content-type': 'application/json' },
        body: '{"clientId": ',
      });
      expect(badJson.status).toBe(400);
      expectApiError(await badJson.json(), 'bad_request');

      const notJson = await fetch(`${server.url}${SHANLAN}/mutations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${DEMO_MERCHANT_TOKEN}`, 'lantern-schema': '1', 'content-type': 'text/plain' },
        body: 'hello',
      });
      expect(notJson.status).toBe(415);
      expectApiError(await notJson.json(), 'unsupported_media_type');

      const badPush = await push({ clientId: 'short', mutations: [] });
      expect(badPush.status).toBe(400);
      expect(expectApiError(badPush.body, 'bad_request').error.message).toMatch(/clientId/);

      const badCursor = await get(`${SHANLAN}/feed?cursor=-1`);
      expect(badCursor.status).toBe(400);
      expectApiError(badCursor.body, 'bad_request');

      const badId = await get(`${SHANLAN}/plans/NOT%20AN%20ID`);
      expect(badId.status).toBe(400);
      expectApiError(badId.body, 'bad_request');
    });
  });

  describe('reading an account', () => {
    it('lists the seeded demo plans at version 1', async () => {
      const res = await get<{ plans: VersionedPlan[] }>(`${SHANLAN}/plans`);
      expect(res.status).toBe(200);
      const plans = res.body.plans.map((p) => VersionedPlan.parse(p));
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      expect(plans.map((p) => p.plan).sort(byId)).toEqual([...demoAccount().plans].sort(byId));
      expect(plans.every((p) => p.version === 1)).toBe(true);
    });

    it('reads one plan, and answers 404 for an unknown one', async () => {
      const one = await getPlan(LATTE);
      expect(one.plan).toEqual(demoAccount().plans.find((p) => p.id === LATTE));
      const missing = await get(`${SHANLAN}/plans/pl_does_not_exist`);
      expect(missing.status).toBe(404);
      expectApiError(missing.body, 'not_found');
    });

    it('serves the whole account on the change feed from cursor 0, then nothing new', async () => {
      const first = await feed(0);
      expect(first.changes.map((c) => c.entityId).sort()).toEqual(demoAccount().plans.map((p) => p.id).sort());
      const again = await feed(first.cursor);
      expect(again).toEqual({ cursor: first.cursor, changes: [] });
    });

    it('answers 409 cursor_ahead for a cursor the server never handed out', async () => {
      const res = await get(`${SHANLAN}/feed?cursor=999999`);
      expect(res.status).toBe(409);
      expectApiError(res.body, 'cursor_ahead');
    });
  });

  describe('pushing mutations', () => {
    it('applies a budget change, bumps the version and shows it on GET and the change feed', async () => {
      const { cursor } = await feed(0);
      const res = await push(budgetPush('client-aaaa', 1, 450_000));
      expect(res.status).toBe(200);
      expect(EntityPushResponse.parse(res.body)).toEqual({ lastMutationId: 1, results: [{ id: 1, status: 'applied', version: 2 }] });

      const plan = await getPlan();
      expect(plan.version).toBe(2);
      expect(plan.plan.dailyBudgetFen).toBe(450_000);

      const changes = await feed(cursor);
      expect(changes.cursor).toBeGreaterThan(cursor);
      expect(changes.changes).toEqual([{ entity: 'plan', entityId: LATTE, version: 2, data: plan.plan }]);
    });

    it('treats the same push again as duplicate: no double change', async () => {
      const body = budgetPush('client-aaaa', 1, 450_000);
      await push(body);
      const { cursor } = await feed(0);

      const again = await push(body);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ lastMutationId: 1, results: [{ id: 1, status: 'duplicate' }] });
      expect((await getPlan()).version).toBe(2);
      expect((await feed(cursor)).changes).toEqual([]);

      // A later mutation from the same client still applies; an older id in the same push is a duplicate.
      const later = budgetPush('client-aaaa', 2, 460_000, 2);
      const next = await push({ clientId: 'client-aaaa', mutations: [...later.mutations, ...body.mutations] });
      expect(next.body.results).toEqual([
        { id: 2, status: 'applied', version: 3 },
        { id: 1, status: 'duplicate' },
      ]);
      expect(next.body.lastMutationId).toBe(2);
    });

    it('reports a conflict on a field changed by another client, while a different field in the same mutation applies', async () => {
      await push(budgetPush('client-aaaa', 1, 500_000)); // plan → v2, budget changed at v2

      const res = await push({
        clientId: 'client-bbbb',
        mutations: [
          {
            id: 1,
            entity: 'plan',
            entityId: LATTE,
            changes: [
              { field: 'dailyBudgetFen', value: 999_900, baseVersion: 1 },
              { field: 'name', value: 'Latte, renamed by B', baseVersion: 1 },
            ],
          },
        ],
      });
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual([
        { id: 1, status: 'conflict', version: 3, conflicts: [{ field: 'dailyBudgetFen', serverValue: 500_000, serverVersion: 2 }] },
      ]);
      const plan = await getPlan();
      expect(plan).toMatchObject({ version: 3, plan: { dailyBudgetFen: 500_000, name: 'Latte, renamed by B' } });

      // Having seen version 3, B can now change the budget: the field dates from version 2.
      const retry = await push(budgetPush('client-bbbb', 2, 999_900, 3));
      expect(retry.body.results).toEqual([{ id: 2, status: 'applied', version: 4 }]);
    });

    it('rejects invalid budgets with a field error and changes nothing', async () => {
      const { cursor } = await feed(0);
      const bad: unknown[] = [-100, DAILY_BUDGET_MAX_FEN + 1, '3000', 1234.5, 100, {}];
      const res = await push({
        clientId: 'client-aaaa',
        mutations: bad.map((value, i) => ({ id: i + 1, entity: 'plan', entityId: LATTE, changes: [{ field: 'dailyBudgetFen', value, baseVersion: 1 }] })),
      });
      expect(res.status).toBe(200);
      expect(res.body.lastMutationId).toBe(bad.length);
      for (const r of res.body.results) {
        expect(r.status).toBe('rejected');
        expect(r.version).toBeUndefined();
        expect(r.errors).toHaveLength(1);
        expect(r.errors?.[0]?.field).toBe('dailyBudgetFen');
      }
      expect(res.body.results[0]?.errors?.[0]?.message).toMatch(/at least 50 yuan/);
      expect(res.body.results[1]?.errors?.[0]?.message).toMatch(/at most/);
      const plan = await getPlan();
      expect(plan.version).toBe(1);
      expect(plan.plan.dailyBudgetFen).toBe(300_000);
      expect((await feed(cursor)).changes).toEqual([]);
    });

    it('applies null as an unlimited budget', async () => {
      const res = await push(budgetPush('client-aaaa', 1, null));
      expect(res.body.results[0]?.status).toBe('applied');
      expect((await getPlan()).plan.dailyBudgetFen).toBeNull();
    });

    it('applies the valid field and rejects the invalid one of the same mutation', async () => {
      const res = await push({
        clientId: 'client-aaaa',
        mutations: [
          {
            id: 1,
            entity: 'plan',
            entityId: LATTE,
            changes: [
              { field: 'name', value: '   ', baseVersion: 1 },
              { field: 'dailyBudgetFen', value: 310_000, baseVersion: 1 },
            ],
          },
        ],
      });
      expect(res.body.results).toEqual([{ id: 1, status: 'rejected', version: 2, errors: [{ field: 'name', message: 'name must not be empty' }] }]);
      expect((await getPlan()).plan).toMatchObject({ name: demoAccount().plans[0]?.name, dailyBudgetFen: 310_000 });
    });

    it('rejects an unknown plan, a repeated field and a base version from the future, row by row', async () => {
      const res = await push({
        clientId: 'client-aaaa',
        mutations: [
          { id: 1, entity: 'plan', entityId: 'pl_nope', changes: [{ field: 'name', value: 'x', baseVersion: 1 }] },
          {
            id: 2,
            entity: 'plan',
            entityId: LATTE,
            changes: [
              { field: 'name', value: 'a', baseVersion: 1 },
              { field: 'name', value: 'b', baseVersion: 1 },
            ],
          },
          { id: 3, entity: 'plan', entityId: LATTE, changes: [{ field: 'name', value: 'future', baseVersion: 7 }] },
          { id: 4, entity: 'plan', entityId: LATTE, changes: [{ field: 'name', value: 'fine', baseVersion: 1 }] },
        ],
      });
      const [unknown, twice, future, fine] = res.body.results;
      expect(unknown).toMatchObject({ id: 1, status: 'rejected', errors: [{ field: 'entityId' }] });
      expect(unknown?.errors?.[0]?.message).toMatch(/no plan "pl_nope"/);
      expect(twice).toMatchObject({ id: 2, status: 'rejected', errors: [{ field: 'name' }] });
      expect(future).toMatchObject({ id: 3, status: 'rejected', errors: [{ field: 'name' }] });
      expect(fine).toEqual({ id: 4, status: 'applied', version: 2 });
      expect((await getPlan()).plan.name).toBe('fine');
    });

    it('stores an SQL-looking name verbatim', async () => {
      const name = "'); DROP TABLE plans;-- \"x\" 计划 ☕";
      const res = await push({ clientId: 'client-aaaa', mutations: [{ id: 1, entity: 'plan', entityId: LATTE, changes: [{ field: 'name', value: name, baseVersion: 1 }] }] });
      expect(res.body.results[0]?.status).toBe('applied');
      expect((await getPlan()).plan.name).toBe(name);
      const list = await get<{ plans: VersionedPlan[] }>(`${SHANLAN}/plans`);
      expect(list.body.plans).toHaveLength(demoAccount().plans.length);
    });
  });

  describe('isolation between merchants', () => {
    it("never lets merchant A's token read merchant B's account, even by guessing ids", async () => {
      const paths = [`${SHANLAN}/plans`, `${SHANLAN}/plans/${LATTE}`, `${SHANLAN}/feed?cursor=0`, `${NORTHPEAK}/plans/${LATTE}`];
      for (const path of paths) {
        const res = await get(path, NORTHPEAK_MERCHANT_TOKEN);
        expect(res.status, path).toBe(404);
        expect(JSON.stringify(res.body)).not.toContain('Latte');
      }
      // Another merchant's account looks exactly like one that does not exist.
      const other = await get(`${SHANLAN}/plans`, NORTHPEAK_MERCHANT_TOKEN);
      const none = await get('/v1/accounts/mc_nobody/plans', NORTHPEAK_MERCHANT_TOKEN);
      expect(other.body).toEqual(none.body);

      const own = await get<{ plans: VersionedPlan[] }>(`${NORTHPEAK}/plans`, NORTHPEAK_MERCHANT_TOKEN);
      expect(own.status).toBe(200);
      expect(own.body.plans.every((p) => p.plan.merchantId === NORTHPEAK_MERCHANT_ID)).toBe(true);
      expect(own.body.plans.length).toBeGreaterThan(0);
      const ownFeed = await feed(0, NORTHPEAK_MERCHANT_TOKEN, NORTHPEAK);
      expect(ownFeed.changes.every((c) => c.data.merchantId === NORTHPEAK_MERCHANT_ID)).toBe(true);
    });

    it("never lets merchant A's token mutate merchant B's plan", async () => {
      const viaB = await push(budgetPush('client-np01', 1, 5_000), { token: NORTHPEAK_MERCHANT_TOKEN, account: SHANLAN });
      expect(viaB.status).toBe(404);
      expectApiError(viaB.body, 'not_found');

      const viaOwn = await push(budgetPush('client-np01', 1, 5_000), { token: NORTHPEAK_MERCHANT_TOKEN, account: NORTHPEAK });
      expect(viaOwn.status).toBe(200);
      expect(viaOwn.body.results[0]).toMatchObject({ status: 'rejected', errors: [{ field: 'entityId' }] });

      const plan = await getPlan();
      expect(plan).toMatchObject({ version: 1, plan: { dailyBudgetFen: 300_000 } });
    });

    it("keeps one merchant's client ids apart from another's", async () => {
      await push(budgetPush('shared-client', 5, 400_000));
      const np = await push(budgetPush('shared-client', 1, 2_000_000, 1, 'pl_np_launch'), { token: NORTHPEAK_MERCHANT_TOKEN, account: NORTHPEAK });
      expect(np.body).toEqual({ lastMutationId: 1, results: [{ id: 1, status: 'applied', version: 2 }] });
    });
  });

  describe('persistence', () => {
    it('keeps data and duplicate detection across a restart on the same file, without reseeding', async () => {
      const body = budgetPush('client-aaaa', 1, 777_700);
      await push(body);
      await server.close();

      server = await startTestServer(dbPath);
      const plan = await getPlan();
      expect(plan).toMatchObject({ version: 2, plan: { dailyBudgetFen: 777_700 } });
      const again = await push(body);
      expect(again.body.results).toEqual([{ id: 1, status: 'duplicate' }]);
      const list = await get<{ plans: VersionedPlan[] }>(`${SHANLAN}/plans`);
      expect(list.body.plans).toHaveLength(demoAccount().plans.length);
    });
  });

});
}
