import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { ALL_HOURS } from '../shared/domain/schedule';
import { EntityFeed, EntityPushResponse, type EntityMutation, type FeedEntry } from '../shared/sync/wire';
import type { RunningServer } from './app';
import { dateInZone } from './checks';
import { call, startTestServer, tempDir, testBackends } from './test-helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());

const SHANLAN = `/v1/accounts/${DEMO_MERCHANT_ID}`;
/** 17:30 UTC on 1 December is already 2 December in Shanghai: "today" must be the merchant's. */
const SERVER_NOW = new Date('2026-12-01T17:30:00Z');

const newPlan = (id: string, startDate: string) => ({
  merchantId: DEMO_MERCHANT_ID,
  name: `新计划 ${id}`,
  scene: 'DISPLAY',
  objective: 'COUPON_CLAIM',
  sellMode: 'RTB',
  chargeType: 'CPM',
  dailyBudgetFen: 100_000,
  startDate,
  endDate: null,
  timeSchema: ALL_HOURS,
  pacing: 'STANDARD',
  status: 'ENABLED',
});

for (const backend of testBackends(tmp)) {
  describe(`the shared checks on the server, ${backend.name}`, () => {
    let server: RunningServer;
    beforeEach(async () => {
      server = await startTestServer(await backend.newDb(), { clock: () => SERVER_NOW });
    });
    afterEach(async () => {
      await server.close();
    });

    let mutationId = 0;
    const pushRaw = async (mutations: EntityMutation[] | Record<string, unknown>[], clientId = 'client-checks') => {
      const res = await call<EntityPushResponse>(server.url, `${SHANLAN}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body: { clientId, mutations } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return EntityPushResponse.parse(res.body);
    };
    const numbered = (ms: Record<string, unknown>[]) => ms.map((m) => ({ id: ++mutationId, ...m }));
    const everything = async (): Promise<Map<string, FeedEntry>> => {
      const res = await call<EntityFeed>(server.url, `${SHANLAN}/feed?cursor=0&limit=5000`, { token: DEMO_MERCHANT_TOKEN });
      expect(res.status).toBe(200);
      return new Map(EntityFeed.parse(res.body).changes.map((c) => [`${c.entity}:${c.entityId}`, c]));
    };

    it('rejects each row that breaks a check, whole and with the check code; the valid rows of the batch apply; a retry is a no-op', async () => {
      const before = await everything();
      const batch = numbered([
        // OCPX without a target CPA.
        { entity: 'unit', entityId: 'un_chk_ocpx', op: 'create', data: { planId: 'pl_autumn_latte', name: 'OCPX 无目标', bidType: 'OCPX', bidFen: null, targetCpaFen: null, targetRoi: null } },
        // A search word on a DISPLAY plan's unit.
        { entity: 'searchWord', entityId: 'sw_chk_display', op: 'create', data: { unitId: 'un_member_feed', word: '会员', matchType: 'EXACT', bidFen: 100 } },
        // Boost with 99 yuan, and a valid name change in the same row: none of the row applies.
        {
          entity: 'unit',
          entityId: 'un_latte_ocpx',
          changes: [
            { field: 'boost', value: { enabled: true, budgetFen: 9_900 }, baseVersion: 1 },
            { field: 'name', value: '起量 Boosted', baseVersion: 1 },
          ],
        },
        // Valid rows: an edit and a create.
        { entity: 'plan', entityId: 'pl_member_feed', changes: [{ field: 'dailyBudgetFen', value: 330_000, baseVersion: 1 }] },
        { entity: 'unit', entityId: 'un_chk_ok', op: 'create', data: { planId: 'pl_autumn_latte', name: 'OCPX 有目标', bidType: 'OCPX', bidFen: null, targetCpaFen: 1_500, targetRoi: null } },
        // A warning (a DISPLAY plan's unit without placements) never rejects.
        { entity: 'unit', entityId: 'un_member_feed', changes: [{ field: 'placements', value: [], baseVersion: 1 }] },
      ]);
      const res = await pushRaw(batch);
      const [ocpx, word, boost, budget, ok, warned] = res.results;
      expect(ocpx).toMatchObject({ status: 'rejected', errors: [{ code: 'unit.ocpx_needs_target_cpa', field: 'targetCpaFen', message: 'OCPX needs a target CPA' }] });
      expect(ocpx?.version).toBeUndefined();
      expect(word).toMatchObject({ status: 'rejected', errors: [{ code: 'word.only_search', field: 'unitId' }] });
      expect(boost).toMatchObject({ status: 'rejected', errors: [{ code: 'unit.boost_budget_min', field: 'boost', message: 'boost budget must be at least 100 yuan' }] });
      expect(boost?.version).toBeUndefined();
      expect(budget).toMatchObject({ status: 'applied', version: 2 });
      expect(ok).toMatchObject({ status: 'applied', version: 1 });
      expect(warned).toMatchObject({ status: 'applied', version: 2 });
      expect(res.lastMutationId).toBe(mutationId);

      const after = await everything();
      expect(after.has('unit:un_chk_ocpx')).toBe(false);
      expect(after.has('searchWord:sw_chk_display')).toBe(false);
      // Nothing of the rejected update: neither the boost nor the valid name beside it.
      expect(after.get('unit:un_latte_ocpx')).toEqual(before.get('unit:un_latte_ocpx'));
      expect(after.get('plan:pl_member_feed')?.data.dailyBudgetFen).toBe(330_000);
      expect(after.get('unit:un_chk_ok')?.data.targetCpaFen).toBe(1_500);

      // The same batch again (an answer lost on the way): nothing changes; the applied mutations
      // are duplicates, the rejected ones answer their rejection again (never "duplicate", which a
      // client takes for posted).
      const again = await pushRaw(batch);
      expect(again.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'duplicate', 'duplicate', 'duplicate']);
      expect(again.results.slice(0, 3)).toEqual(res.results.slice(0, 3));
      expect(again.lastMutationId).toBe(res.lastMutationId);
      expect(await everything()).toEqual(after);

      // The next push of new mutations tells the server the client saw those answers: they are dropped.
      await pushRaw(numbered([{ entity: 'plan', entityId: 'pl_member_feed', changes: [{ field: 'name', value: '会员日', baseVersion: 2 }] }]));
      const late = await pushRaw(batch);
      expect(late.results.map((r) => r.status)).toEqual(Array(batch.length).fill('duplicate'));
    });

    it("checks a row against its plan as the batch's earlier mutations left it", async () => {
      const res = await pushRaw(
        numbered([
          // The DISPLAY plan becomes INTELLIGENT: a NO_BID unit created after it in the batch is valid…
          { entity: 'plan', entityId: 'pl_member_feed', changes: [{ field: 'scene', value: 'INTELLIGENT', baseVersion: 1 }] },
          { entity: 'unit', entityId: 'un_chk_nobid', op: 'create', data: { planId: 'pl_member_feed', name: '最大转化', bidType: 'NO_BID', bidFen: null, targetCpaFen: null, targetRoi: null } },
          // …the INTELLIGENT plan becomes DISPLAY: a NO_BID unit created after it is not.
          { entity: 'plan', entityId: 'pl_autumn_latte', changes: [{ field: 'scene', value: 'DISPLAY', baseVersion: 1 }] },
          { entity: 'unit', entityId: 'un_chk_nobid2', op: 'create', data: { planId: 'pl_autumn_latte', name: '最大转化 2', bidType: 'NO_BID', bidFen: null, targetCpaFen: null, targetRoi: null } },
          // A plan change that is itself rejected leaves the plan as it was for what follows:
          // the SEARCH plan stays SEARCH, so its search word is fine.
          {
            entity: 'plan',
            entityId: 'pl_search_delivery',
            changes: [
              { field: 'scene', value: 'DISPLAY', baseVersion: 1 },
              { field: 'endDate', value: '2026-01-01', baseVersion: 1 },
            ],
          },
          { entity: 'searchWord', entityId: 'sw_chk_still_search', op: 'create', data: { unitId: 'un_search_brand', word: '手冲', matchType: 'PHRASE', bidFen: 90 } },
        ]),
      );
      expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'rejected', 'rejected', 'applied']);
      expect(res.results[3]?.errors).toEqual([expect.objectContaining({ code: 'unit.no_bid_only_intelligent', field: 'bidType' })]);
      expect(res.results[4]?.errors).toEqual([expect.objectContaining({ code: 'plan.end_before_start', field: 'endDate' })]);
      const after = await everything();
      expect(after.get('plan:pl_search_delivery')?.data.scene).toBe('SEARCH');
      expect(after.has('unit:un_chk_nobid2')).toBe(false);
      expect(after.get('searchWord:sw_chk_still_search')?.version).toBe(1);
    });

    it("'start date not in the past' is for new plans only, with today in the merchant's time zone by the server's clock", async () => {
      const today = dateInZone(SERVER_NOW, 'Asia/Shanghai');
      expect(today).toBe('2026-12-02');
      const res = await pushRaw(
        numbered([
          // The UTC date is 1 December, Shanghai's is the 2nd: the 1st is the past there.
          { entity: 'plan', entityId: 'pl_chk_yesterday', op: 'create', data: newPlan('pl_chk_yesterday', '2026-12-01') },
          { entity: 'plan', entityId: 'pl_chk_today', op: 'create', data: newPlan('pl_chk_today', today) },
          // An existing plan that started in November can still be edited.
          { entity: 'plan', entityId: 'pl_autumn_latte', changes: [{ field: 'name', value: '秋季拿铁 续', baseVersion: 1 }] },
        ]),
      );
      expect(res.results[0]).toMatchObject({ status: 'rejected', errors: [{ code: 'plan.start_in_past', field: 'startDate', message: 'start date 2026-12-01 is in the past' }] });
      expect(res.results[1]).toMatchObject({ status: 'applied', version: 1 });
      expect(res.results[2]).toMatchObject({ status: 'applied', version: 2 });
      const after = await everything();
      expect(after.has('plan:pl_chk_yesterday')).toBe(false);
      expect(after.get('plan:pl_chk_today')?.data.startDate).toBe(today);
    });
  });
}
