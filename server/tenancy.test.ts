import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN, demoAccount } from '../shared/domain/demo';
import { EntityFeed, EntityPushResponse, WhoAmI, type EntityKind } from '../shared/sync/wire';
import type { RunningServer } from './app';
import { DEMO_ADMIN_TOKEN, DEMO_AGENCY_TOKEN, DEMO_GROUP_AGENCY_TOKEN, NORTHPEAK_MERCHANT_ID, NORTHPEAK_MERCHANT_TOKEN, northpeakAccount } from './seed';
import { call, startTestServer, tempDir, testBackends } from './test-helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());

const A = NORTHPEAK_MERCHANT_ID; // the attacker
const B = DEMO_MERCHANT_ID; // the victim
const demo = demoAccount();
/** Every id of merchant B, by kind: what an attacker would guess. */
const B_IDS: [EntityKind, string][] = [
  ...demo.plans.map((p): [EntityKind, string] => ['plan', p.id]),
  ...demo.units.map((u): [EntityKind, string] => ['unit', u.id]),
  ...demo.creatives.map((c): [EntityKind, string] => ['creative', c.id]),
  ...demo.searchWords.map((w): [EntityKind, string] => ['searchWord', w.id]),
  ...(demo.negativeWords ?? []).map((w): [EntityKind, string] => ['negativeWord', w.id]),
  ...(demo.audiencePacks ?? []).map((a): [EntityKind, string] => ['audiencePack', a.id]),
  ...(demo.gdBookings ?? []).map((g): [EntityKind, string] => ['gdBooking', g.id]),
];
/** A real field of each kind, so a refusal is about ownership, not an unknown field. */
const FIELD: Record<EntityKind, [string, unknown]> = {
  plan: ['name', 'pwned'],
  unit: ['bidFen', 1],
  creative: ['title', 'pwned'],
  searchWord: ['bidFen', 1],
  negativeWord: ['word', 'pwned'],
  audiencePack: ['name', 'pwned'],
  gdBooking: ['impressionsPerDay', 1],
};

for (const backend of testBackends(tmp)) {
  describe(`tenancy on ${backend.name}`, () => {
    let server: RunningServer;
    beforeEach(async () => {
      server = await startTestServer(await backend.newDb());
    });
    afterEach(async () => {
      await server.close();
    });

    const snapshot = async (account: string, token: string) => {
      const res = await call<EntityFeed>(server.url, `/v1/accounts/${account}/feed?cursor=0&limit=5000`, { token });
      expect(res.status).toBe(200);
      return EntityFeed.parse(res.body);
    };

    it("proves merchant A can neither read nor change merchant B's anything, by id guessing or otherwise", async () => {
      const before = await snapshot(B, DEMO_MERCHANT_TOKEN);
      const bPaths = [
        `/v1/accounts/${B}/plans`,
        `/v1/accounts/${B}/plans/pl_autumn_latte`,
        `/v1/accounts/${B}/feed?cursor=0`,
        `/v1/accounts/${B}/stats`,
        ...demo.plans.map((p) => `/v1/accounts/${A}/plans/${p.id}`),
      ];
      const nobody = await call(server.url, '/v1/accounts/mc_nobody/plans', { token: NORTHPEAK_MERCHANT_TOKEN });
      for (const path of bPaths) {
        const res = await call(server.url, path, { token: NORTHPEAK_MERCHANT_TOKEN });
        expect(res.status, path).toBe(404);
        const text = JSON.stringify(res.body);
        for (const p of demo.plans) expect(text).not.toContain(p.name);
        if (path.includes(`/accounts/${B}/`)) expect(res.body).toEqual(nobody.body); // looks like no account at all
      }

      // Pushing to B's account path: refused before anything is read.
      const direct = await call(server.url, `/v1/accounts/${B}/mutations`, {
        method: 'POST',
        token: NORTHPEAK_MERCHANT_TOKEN,
        body: { clientId: 'attacker-01', mutations: [{ id: 1, entity: 'plan', entityId: 'pl_autumn_latte', changes: [{ field: 'name', value: 'pwned', baseVersion: 1 }] }] },
      });
      expect(direct.status).toBe(404);

      // Through A's own account, naming B's ids: every kind, every operation.
      let id = 0;
      const mutations = B_IDS.flatMap(([entity, entityId]) => [
        { id: ++id, entity, entityId, changes: [{ field: FIELD[entity][0], value: FIELD[entity][1], baseVersion: 1 }] },
        { id: ++id, entity, entityId, op: 'delete' },
      ]);
      mutations.push(
        { id: ++id, entity: 'unit', entityId: 'un_attack_1', op: 'create', data: { planId: 'pl_autumn_latte', name: 'x', bidType: 'DEFAULT', bidFen: 1, targetCpaFen: null, targetRoi: null } } as never,
        { id: ++id, entity: 'creative', entityId: 'cr_attack_1', op: 'create', data: { unitId: 'un_latte_ocpx', template: 'VIDEO', title: 'x', description: 'x' } } as never,
        { id: ++id, entity: 'searchWord', entityId: 'sw_attack_1', op: 'create', data: { unitId: 'un_search_brand', word: 'x', matchType: 'EXACT', bidFen: 1 } } as never,
        { id: ++id, entity: 'plan', entityId: 'pl_autumn_latte', op: 'create', data: { ...demo.plans[0], merchantId: B } } as never,
        { id: ++id, entity: 'negativeWord', entityId: 'nw_attack_1', op: 'create', data: { unitId: 'un_search_generic', word: 'x', matchType: 'EXACT' } } as never,
        { id: ++id, entity: 'gdBooking', entityId: 'gd_attack_1', op: 'create', data: { planId: 'pl_double11_splash', date: '2026-11-12', placement: 'SPLASH', priceMode: 'CPM', impressionsPerDay: 1, priceFen: 1 } } as never,
        { id: ++id, entity: 'audiencePack', entityId: 'ap_members', op: 'create', data: { merchantId: B, name: 'x', sizeUsers: 1, validUntil: '2027-01-01' } } as never,
      );
      const viaOwn = await call<EntityPushResponse>(server.url, `/v1/accounts/${A}/mutations`, {
        method: 'POST',
        token: NORTHPEAK_MERCHANT_TOKEN,
        body: { clientId: 'attacker-01', mutations },
      });
      expect(viaOwn.status).toBe(200);
      const results = EntityPushResponse.parse(viaOwn.body).results;
      expect(results).toHaveLength(mutations.length);
      for (const r of results) {
        expect(r.status, JSON.stringify(r)).toBe('rejected');
        expect(r.version).toBeUndefined();
        for (const p of demo.plans) expect(JSON.stringify(r)).not.toContain(p.name);
      }

      // Reviews of B's creatives are not A's business either.
      expect((await call(server.url, '/v1/admin/reviews', { token: NORTHPEAK_MERCHANT_TOKEN })).status).toBe(403);

      expect(await snapshot(B, DEMO_MERCHANT_TOKEN)).toEqual(before);
      const own = await snapshot(A, NORTHPEAK_MERCHANT_TOKEN);
      expect(own.changes.some((c) => /^(un|cr|sw|nw|gd)_attack/.test(c.entityId))).toBe(false);
      expect(own.changes.every((c) => !B_IDS.some(([, bid]) => bid === c.entityId))).toBe(true);
    });

    it('lets an agency token act for the merchants it manages and no others', async () => {
      const managed = await call(server.url, `/v1/accounts/${B}/plans`, { token: DEMO_AGENCY_TOKEN });
      expect(managed.status).toBe(200);
      const push = await call<EntityPushResponse>(server.url, `/v1/accounts/${B}/mutations`, {
        method: 'POST',
        token: DEMO_AGENCY_TOKEN,
        body: { clientId: 'agency-client-1', mutations: [{ id: 1, entity: 'plan', entityId: 'pl_autumn_latte', changes: [{ field: 'dailyBudgetFen', value: 320_000, baseVersion: 1 }] }] },
      });
      expect(push.body.results[0]).toMatchObject({ status: 'applied', version: 2 });

      const np = northpeakAccount();
      for (const path of [`/v1/accounts/${A}/plans`, `/v1/accounts/${A}/feed`, `/v1/accounts/${A}/plans/${np.plans[0]!.id}`]) {
        const res = await call(server.url, path, { token: DEMO_AGENCY_TOKEN });
        expect(res.status, path).toBe(404);
      }
      const write = await call(server.url, `/v1/accounts/${A}/mutations`, {
        method: 'POST',
        token: DEMO_AGENCY_TOKEN,
        body: { clientId: 'agency-client-1', mutations: [{ id: 2, entity: 'plan', entityId: np.plans[0]!.id, changes: [{ field: 'name', value: 'x', baseVersion: 1 }] }] },
      });
      expect(write.status).toBe(404);
      expect((await snapshot(A, NORTHPEAK_MERCHANT_TOKEN)).changes.every((c) => c.version === 1)).toBe(true);
      // An agency is not an admin.
      expect((await call(server.url, '/v1/admin/reviews', { token: DEMO_AGENCY_TOKEN })).status).toBe(403);
    });

    it('tells each token which accounts it may sync (GET /v1/me)', async () => {
      const me = async (token: string) => {
        const w = WhoAmI.parse((await call(server.url, '/v1/me', { token })).body);
        // The account details name exactly the merchants listed, nothing more.
        expect(w.accounts?.map((a) => a.id)).toEqual(w.merchants);
        return { kind: w.kind, id: w.id, merchants: w.merchants };
      };
      expect(await me(DEMO_MERCHANT_TOKEN)).toEqual({ kind: 'merchant', id: B, merchants: [B] });
      expect(await me(NORTHPEAK_MERCHANT_TOKEN)).toEqual({ kind: 'merchant', id: A, merchants: [A] });
      expect(await me(DEMO_AGENCY_TOKEN)).toEqual({ kind: 'agency', id: 'ag_demo', merchants: [B] });
      expect(await me(DEMO_GROUP_AGENCY_TOKEN)).toEqual({ kind: 'agency', id: 'ag_group', merchants: [A, B].sort() });
      expect(await me(DEMO_ADMIN_TOKEN)).toEqual({ kind: 'admin', id: 'admin', merchants: [] });
      expect((await call(server.url, '/v1/me', { token: 'nope' })).status).toBe(401);
    });

    it('gives an admin token the review desk but no merchant account', async () => {
      expect((await call(server.url, `/v1/accounts/${B}/plans`, { token: DEMO_ADMIN_TOKEN })).status).toBe(404);
      expect((await call(server.url, '/v1/admin/reviews', { token: DEMO_ADMIN_TOKEN })).status).toBe(200);
    });

    it('checks the schema version on every route', async () => {
      for (const path of [`/v1/accounts/${B}/plans`, `/v1/accounts/${B}/feed`, '/v1/admin/reviews']) {
        const res = await call(server.url, path, { token: DEMO_MERCHANT_TOKEN, schema: '0' });
        expect(res.status, path).toBe(426);
      }
    });
  });
}
