import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { ALL_HOURS } from '../shared/domain/schedule';
import { EntityFeed, EntityPushResponse, type EntityMutation, type FeedEntry } from '../shared/sync/wire';
import type { RunningServer } from './app';
import { checkRow, type AnyEntity } from '../shared/domain/checks';
import type { Plan } from '../shared/domain/entities';
import { dateInZone, PLAN_FIELDS_CHECKED_BY, type PlanChildKind } from './checks';
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
          // The DISPLAY plan becomes INTELLIGENT (its unit gives up the placements INTELLIGENT has
          // none of): a NO_BID unit created after it in the batch is valid…
          { entity: 'unit', entityId: 'un_member_feed', changes: [{ field: 'placements', value: [], baseVersion: 1 }] },
          { entity: 'plan', entityId: 'pl_member_feed', changes: [{ field: 'scene', value: 'INTELLIGENT', baseVersion: 1 }] },
          { entity: 'unit', entityId: 'un_chk_nobid', op: 'create', data: { planId: 'pl_member_feed', name: '最大转化', bidType: 'NO_BID', bidFen: null, targetCpaFen: null, targetRoi: null } },
          // …the INTELLIGENT plan becomes DISPLAY (its units fixed for DISPLAY after it, in the
          // same batch): a NO_BID unit created after it is not.
          { entity: 'plan', entityId: 'pl_autumn_latte', changes: [{ field: 'scene', value: 'DISPLAY', baseVersion: 1 }] },
          {
            entity: 'unit',
            entityId: 'un_latte_nobid',
            changes: [
              { field: 'bidType', value: 'DEFAULT', baseVersion: 1 },
              { field: 'bidFen', value: 100, baseVersion: 1 },
              { field: 'recommendedTraffic', value: false, baseVersion: 1 },
            ],
          },
          { entity: 'unit', entityId: 'un_latte_ocpx', changes: [{ field: 'recommendedTraffic', value: false, baseVersion: 1 }] },
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
      expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied', 'rejected', 'rejected', 'applied']);
      expect(res.results[6]?.errors).toEqual([expect.objectContaining({ code: 'unit.no_bid_only_intelligent', field: 'bidType' })]);
      expect(res.results[7]?.errors).toEqual([expect.objectContaining({ code: 'plan.end_before_start', field: 'endDate' })]);
      const after = await everything();
      expect(after.get('plan:pl_search_delivery')?.data.scene).toBe('SEARCH');
      expect(after.get('plan:pl_autumn_latte')?.data.scene).toBe('DISPLAY');
      expect(after.get('unit:un_latte_nobid')?.data).toMatchObject({ bidType: 'DEFAULT', bidFen: 100 });
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

    it('a plan change that would make children it does not change fail their checks is rejected whole, naming the children', async () => {
      const before = await everything();
      const batch = numbered([
        // INTELLIGENT → DISPLAY: its NO_BID unit and both units' recommended traffic would fail.
        { entity: 'plan', entityId: 'pl_autumn_latte', changes: [{ field: 'scene', value: 'DISPLAY', baseVersion: 1 }] },
        // SEARCH → DISPLAY: all six search and negative words would fail; five are named.
        { entity: 'plan', entityId: 'pl_search_delivery', changes: [{ field: 'scene', value: 'DISPLAY', baseVersion: 1 }] },
        // CPM → CPD: the unit's 22-yuan bid is below a CPD bid's floor. The name beside it does not land.
        {
          entity: 'plan',
          entityId: 'pl_member_feed',
          changes: [
            { field: 'chargeType', value: 'CPD', baseVersion: 1 },
            { field: 'name', value: '会员日 按天', baseVersion: 1 },
          ],
        },
        // The GD booking of 11 November would fall outside the plan's dates.
        { entity: 'plan', entityId: 'pl_double11_splash', changes: [{ field: 'endDate', value: '2026-11-10', baseVersion: 1 }] },
        // Checked fields changed, the children still pass: applied.
        { entity: 'plan', entityId: 'pl_double11_splash', changes: [{ field: 'endDate', value: '2026-11-30', baseVersion: 1 }] },
      ]);
      const res = await pushRaw(batch);
      const [latte, search, member, gdBroken, gdOk] = res.results;
      expect(latte).toEqual({
        id: latte?.id,
        status: 'rejected',
        errors: [
          { entity: 'unit', entityId: 'un_latte_nobid', field: 'bidType', code: 'unit.no_bid_only_intelligent', message: 'unit un_latte_nobid would fail: NO_BID is only for INTELLIGENT plans' },
          { entity: 'unit', entityId: 'un_latte_nobid', field: 'recommendedTraffic', code: 'unit.recommended_only_intelligent', message: 'unit un_latte_nobid would fail: recommended traffic is only for INTELLIGENT plans' },
          { entity: 'unit', entityId: 'un_latte_ocpx', field: 'recommendedTraffic', code: 'unit.recommended_only_intelligent', message: 'unit un_latte_ocpx would fail: recommended traffic is only for INTELLIGENT plans' },
        ],
      });
      expect(search?.status).toBe('rejected');
      expect(search?.errors?.map((e) => [e.entity, e.entityId, e.code])).toEqual([
        ['searchWord', 'sw_shanlan', 'word.only_search'],
        ['searchWord', 'sw_shanlan_delivery', 'word.only_search'],
        ['searchWord', 'sw_coffee_delivery', 'word.only_search'],
        ['searchWord', 'sw_latte', 'word.only_search'],
        ['negativeWord', 'nw_free', 'negative.only_search'],
      ]);
      expect(member).toMatchObject({ status: 'rejected', errors: [{ entity: 'unit', entityId: 'un_member_feed', field: 'bidFen', code: 'unit.bid_limits', message: 'unit un_member_feed would fail: CPD bid must be 1,000 yuan–1,000,000 yuan' }] });
      expect(member?.version).toBeUndefined();
      expect(gdBroken).toMatchObject({ status: 'rejected', errors: [{ entity: 'gdBooking', entityId: 'gd_splash_1111', field: 'date', code: 'gd.date_outside_plan' }] });
      expect(gdOk).toMatchObject({ status: 'applied', version: 2 });

      // Nothing of the rejected plan changes landed; the children are as they were.
      const after = await everything();
      for (const id of ['plan:pl_autumn_latte', 'plan:pl_search_delivery', 'plan:pl_member_feed', 'unit:un_latte_nobid', 'unit:un_member_feed', 'searchWord:sw_latte'])
        expect(after.get(id), id).toEqual(before.get(id));
      expect(after.get('plan:pl_double11_splash')?.data.endDate).toBe('2026-11-30');

      // The same push again (a lost answer): each plan change answers its rejection again.
      const again = await pushRaw(batch);
      expect(again.results).toEqual([...res.results.slice(0, 4), { id: gdOk?.id, status: 'duplicate' }]);
      expect(await everything()).toEqual(after);
    });

    it("a plan change passes with the children it needs changed after it in the push; a child change that does not land refuses it, and the push's other rows still apply", async () => {
      const res = await pushRaw(
        numbered([
          // CPM → CPD with the unit's bid raised to a CPD bid after it (the desktop's order: plans first).
          { entity: 'plan', entityId: 'pl_member_feed', changes: [{ field: 'chargeType', value: 'CPD', baseVersion: 1 }] },
          { entity: 'unit', entityId: 'un_member_feed', changes: [{ field: 'bidFen', value: 200_000, baseVersion: 1 }] },
          // INTELLIGENT → DISPLAY: one unit fixed for DISPLAY, the other's fix fails its own check
          // (a target CPA below the floor), so it keeps recommended traffic: the plan change is refused.
          { entity: 'plan', entityId: 'pl_autumn_latte', changes: [{ field: 'scene', value: 'DISPLAY', baseVersion: 1 }] },
          {
            entity: 'unit',
            entityId: 'un_latte_nobid',
            changes: [
              { field: 'bidType', value: 'DEFAULT', baseVersion: 1 },
              { field: 'bidFen', value: 100, baseVersion: 1 },
              { field: 'recommendedTraffic', value: false, baseVersion: 1 },
            ],
          },
          {
            entity: 'unit',
            entityId: 'un_latte_ocpx',
            changes: [
              { field: 'recommendedTraffic', value: false, baseVersion: 1 },
              { field: 'targetCpaFen', value: 1, baseVersion: 1 },
            ],
          },
        ]),
      );
      const [cpd, bid, display, nobid, ocpx] = res.results;
      expect(cpd).toMatchObject({ status: 'applied', version: 2 });
      expect(bid).toMatchObject({ status: 'applied', version: 2 });
      expect(display).toEqual({
        id: display?.id,
        status: 'rejected',
        errors: [{ entity: 'unit', entityId: 'un_latte_ocpx', field: 'recommendedTraffic', code: 'unit.recommended_only_intelligent', message: 'unit un_latte_ocpx would fail: recommended traffic is only for INTELLIGENT plans' }],
      });
      // Checked against the plan as it stays (INTELLIGENT): a DEFAULT unit is fine there too.
      expect(nobid).toMatchObject({ status: 'applied', version: 2 });
      expect(ocpx).toMatchObject({ status: 'rejected', errors: [{ code: 'unit.target_cpa_limits', field: 'targetCpaFen' }] });
      const after = await everything();
      expect(after.get('plan:pl_member_feed')?.data.chargeType).toBe('CPD');
      expect(after.get('unit:un_member_feed')?.data.bidFen).toBe(200_000);
      expect(after.get('plan:pl_autumn_latte')).toMatchObject({ version: 1, data: { scene: 'INTELLIGENT' } });
      expect(after.get('unit:un_latte_nobid')?.data).toMatchObject({ bidType: 'DEFAULT', recommendedTraffic: false });
      expect(after.get('unit:un_latte_ocpx')).toMatchObject({ version: 1, data: { recommendedTraffic: true, targetCpaFen: 800 } });
    });

    it('a child the push created under a plan it then changes counts with every error it would have', async () => {
      const res = await pushRaw(
        numbered([
          // DISPLAY → INTELLIGENT (its unit gives up its placements first), a NO_BID unit created
          // there, then the plan back to DISPLAY: the new unit would fail, as it would have under
          // the plan as it was before the push, and is still the push's doing.
          { entity: 'unit', entityId: 'un_member_feed', changes: [{ field: 'placements', value: [], baseVersion: 1 }] },
          { entity: 'plan', entityId: 'pl_member_feed', changes: [{ field: 'scene', value: 'INTELLIGENT', baseVersion: 1 }] },
          { entity: 'unit', entityId: 'un_chk_nobid3', op: 'create', data: { planId: 'pl_member_feed', name: '最大转化 3', bidType: 'NO_BID', bidFen: null, targetCpaFen: null, targetRoi: null } },
          { entity: 'plan', entityId: 'pl_member_feed', changes: [{ field: 'scene', value: 'DISPLAY', baseVersion: 2 }] },
        ]),
      );
      expect(res.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'rejected']);
      expect(res.results[3]?.errors).toEqual([expect.objectContaining({ entity: 'unit', entityId: 'un_chk_nobid3', code: 'unit.no_bid_only_intelligent' })]);
      const after = await everything();
      expect(after.get('plan:pl_member_feed')).toMatchObject({ version: 2, data: { scene: 'INTELLIGENT' } });
      expect(after.get('unit:un_chk_nobid3')?.data.bidType).toBe('NO_BID');
    });

    it("lists every plan field the children's error checks read; a plan change outside them is applied as before", async () => {
      // Every field the children's error checks read of their plan is listed (PLAN_FIELDS_CHECKED_BY):
      // the checks are run over varied children with a plan that records what is read.
      const demo = await everything();
      const children = [...demo.values()].filter((e) => ['unit', 'searchWord', 'negativeWord', 'gdBooking'].includes(e.entity));
      const read = new Map<string, Set<string>>();
      for (const c of children) {
        const kind = c.entity as PlanChildKind;
        const variants: Record<string, unknown>[] = [c.data];
        if (kind === 'unit')
          variants.push(
            { ...c.data, bidType: 'DEFAULT', bidFen: 50, recommendedTraffic: true, placements: ['HOME_FEED', 'SPLASH'], unitBudgetFen: 10_000 },
            { ...c.data, bidType: 'NO_BID', bidFen: null },
          );
        for (const data of variants)
          for (const plan of [demo.get('plan:pl_autumn_latte'), demo.get('plan:pl_search_delivery'), demo.get('plan:pl_double11_splash'), demo.get('plan:pl_member_feed')]) {
            const seen = read.get(kind) ?? new Set<string>();
            read.set(kind, seen);
            const watched = new Proxy(plan?.data ?? {}, {
              get(target, key, receiver) {
                if (typeof key === 'string') seen.add(key);
                return Reflect.get(target, key, receiver) as unknown;
              },
            });
            checkRow(kind, data as unknown as AnyEntity, { today: '', isNew: false, rules: [], plan: watched as unknown as Plan });
          }
      }
      for (const [kind, fields] of read) {
        // A field read only by warnings (the plan's daily budget) never rejects: not listed.
        const unlisted = [...fields].filter((f) => !(PLAN_FIELDS_CHECKED_BY[kind as PlanChildKind] as readonly string[]).includes(f));
        expect({ kind, unlisted }).toEqual({ kind, unlisted: kind === 'unit' ? ['dailyBudgetFen'] : [] });
      }

      // A plan change outside those fields is applied, whatever its children.
      const res = await pushRaw(numbered([{ entity: 'plan', entityId: 'pl_search_delivery', changes: [{ field: 'dailyBudgetFen', value: 150_000, baseVersion: 1 }] }]));
      expect(res.results[0]).toMatchObject({ status: 'applied', version: 2 });
    });
  });
}
