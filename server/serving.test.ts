import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { DecideResponse, EventsResponse, StatsResponse, type DecideRequest, type ShownAd } from '../shared/sync/wire';
import type { RunningServer } from './app';
import { openDatabase } from './db';
import { createServing, FREQUENCY_CAP_PER_DAY, parseMarketSnapshot } from './serving';
import { NORTHPEAK_MERCHANT_ID, NORTHPEAK_MERCHANT_TOKEN } from './seed';
import { call, startTestServer, tempDir, testBackends } from './test-helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());

// Today at 12:00 in Shanghai: every scheduled demo plan runs then, whatever the weekday.
const TODAY = new Date().toISOString().slice(0, 10);
const NOON = `${TODAY}T04:00:00.000Z`;
const NEXT_DAY = new Date(Date.parse(TODAY) + 86_400_000).toISOString().slice(0, 10);
const at = (hhmmss: string) => `${TODAY}T${hhmmss}.000Z`;
const SHANLAN = `/v1/accounts/${DEMO_MERCHANT_ID}`;

for (const backend of testBackends(tmp)) {
  describe(`serving on ${backend.name}`, () => {
    let server: RunningServer;
    let loc: string;
    beforeEach(async () => {
      loc = await backend.newDb();
      server = await startTestServer(loc, { servingRefreshMs: 0 });
    });
    afterEach(async () => {
      await server.close();
    });

    const decide = async (body: Partial<DecideRequest> & { user: DecideRequest['user'] }) => {
      const res = await call<DecideResponse>(server.url, '/v1/decide', { method: 'POST', body: { placement: 'home_feed', time: NOON, ...body } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return DecideResponse.parse(res.body);
    };
    const events = async (evs: unknown[]) => {
      const res = await call<EventsResponse>(server.url, '/v1/events', { method: 'POST', body: { events: evs } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return EventsResponse.parse(res.body);
    };
    const stats = async (account = SHANLAN, token = DEMO_MERCHANT_TOKEN) => {
      const res = await call<StatsResponse>(server.url, `${account}/stats?from=${TODAY}T00&to=${NEXT_DAY}T00`, { token });
      expect(res.status).toBe(200);
      return StatsResponse.parse(res.body);
    };
    const push = (mutations: unknown[]) =>
      call(server.url, `${SHANLAN}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body: { clientId: 'serving-test', mutations } });

    it('shows ads of enabled, scheduled plans with approved creatives, respecting the frequency cap', async () => {
      const shown: ShownAd[] = [];
      for (let i = 0; i < 300; i++) shown.push(...(await decide({ user: { id: `u${i % 20}` }, time: new Date(Date.parse(NOON) + i * 1000).toISOString() })).ads);
      expect(shown.length).toBeGreaterThan(0);
      const plans = new Set(shown.map((a) => a.planId));
      expect(plans.has('pl_member_feed')).toBe(false); // paused
      for (const a of shown) expect(['pl_autumn_latte', 'pl_np_launch']).toContain(a.planId); // home feed: INTELLIGENT or DISPLAY
      // Cap: one user, one plan, one day.
      const one: ShownAd[] = [];
      for (let i = 0; i < 60; i++) one.push(...(await decide({ user: { id: 'capped-user' }, time: new Date(Date.parse(NOON) + i * 997).toISOString() })).ads);
      const byPlan = new Map<string, number>();
      for (const a of one) byPlan.set(a.planId, (byPlan.get(a.planId) ?? 0) + 1);
      for (const n of byPlan.values()) expect(n).toBeLessThanOrEqual(FREQUENCY_CAP_PER_DAY);
    });

    it("a paused unit stops serving, and its plan's other units serve with their own words and bids", async () => {
      const searched = async (n: number, prefix: string) => {
        const ads: ShownAd[] = [];
        for (let i = 0; i < n; i++) ads.push(...(await decide({ placement: 'search', query: '山岚咖啡外卖', user: { id: `${prefix}${i}` }, time: new Date(Date.parse(NOON) + i * 1000).toISOString() })).ads);
        return ads;
      };
      expect((await searched(100, 'p')).some((a) => a.unitId === 'un_search_brand')).toBe(true);
      // The brand-terms unit (first of its plan) paused; the generic unit gets an approved creative.
      const res = await push([
        { id: 1, entity: 'unit', entityId: 'un_search_brand', changes: [{ field: 'status', value: 'PAUSED', baseVersion: 1 }] },
        { id: 2, entity: 'creative', entityId: 'cr_search_generic_2', op: 'create', changes: [], data: { unitId: 'un_search_generic', template: 'SEARCH_TEXT', title: '咖啡外卖 半小时达', description: 'Coffee delivered in 30 minutes' } },
        // (Written after the pause: PostgreSQL then reads it after the paused unit, as SQLite does.)
        { id: 3, entity: 'unit', entityId: 'un_search_generic', changes: [{ field: 'name', value: '通用词 Generic', baseVersion: 1 }] },
      ]);
      expect(res.status).toBe(200);
      const approve = await call(server.url, '/v1/admin/reviews/cr_search_generic_2', { method: 'POST', token: 'lantern-demo-admin-token', body: { decision: 'approve' } });
      expect(approve.status).toBe(200);
      const after = await searched(200, 'q');
      // Never the paused unit (the compiled tables are the engine's, which leave paused units out:
      // the served units must line up with them).
      expect(after.some((a) => a.unitId === 'un_search_brand')).toBe(false);
      expect(after.some((a) => a.unitId === 'un_search_generic' && a.creativeId === 'cr_search_generic_2')).toBe(true);
    });

    it('enters search plans only for queries their words match; never shows pending or rejected creatives', async () => {
      const search: ShownAd[] = [];
      for (let i = 0; i < 200; i++) search.push(...(await decide({ placement: 'search', query: '山岚咖啡', user: { id: `s${i}` }, time: new Date(Date.parse(NOON) + i * 1000).toISOString() })).ads);
      expect(search.some((a) => a.planId === 'pl_search_delivery')).toBe(true);
      expect(search.some((a) => a.creativeId === 'cr_search_generic')).toBe(false); // PENDING in the seed
      const unrelated: ShownAd[] = [];
      for (let i = 0; i < 100; i++) unrelated.push(...(await decide({ placement: 'search', query: 'bicycle', user: { id: `s${i}` }, time: NOON })).ads);
      expect(unrelated.some((a) => a.planId === 'pl_search_delivery')).toBe(false);

      // Editing a creative sends it to review: it stops serving at once.
      await push([{ id: 1, entity: 'creative', entityId: 'cr_search_text', changes: [{ field: 'title', value: '山岚咖啡 新标题', baseVersion: 1 }] }]);
      const after: ShownAd[] = [];
      for (let i = 0; i < 100; i++) after.push(...(await decide({ placement: 'search', query: '山岚咖啡', user: { id: `t${i}` }, time: new Date(Date.parse(NOON) + i * 1000).toISOString() })).ads);
      expect(after.some((a) => a.creativeId === 'cr_search_text')).toBe(false);
    });

    it('charges clicks once, counts conversions after clicks, refuses forged impressions; stats show the report columns', async () => {
      let ad: ShownAd | undefined;
      for (let i = 0; i < 500 && !ad; i++) ad = (await decide({ user: { id: `c${i}` }, time: NOON })).ads.find((a) => a.merchantId === DEMO_MERCHANT_ID && a.chargeType === 'CPC');
      expect(ad).toBeDefined();
      const click = { type: 'click', impressionId: ad!.impressionId, time: at('04:00:05') };
      const conv = { type: 'conversion', impressionId: ad!.impressionId, time: at('04:10:00'), orderValueFen: 3_200 };
      const forged = { type: 'click', impressionId: `${ad!.impressionId.split('.')[0]}.AAAAAAAAAAAAAAAAAAAAAA`, time: NOON };
      const early = { type: 'click', impressionId: ad!.impressionId, time: at('03:00:00') };
      const r1 = await events([conv, click, click, forged, early]);
      expect(r1.accepted).toBe(1);
      expect(r1.rejected.map((r) => r.index)).toEqual([0, 2, 3, 4]);
      const r2 = await events([conv]);
      expect(r2).toEqual({ accepted: 1, rejected: [] });

      const s = await stats();
      const row = s.rows.find((r) => r.creativeId === ad!.creativeId)!;
      expect(row).toMatchObject({ hour: `${TODAY}T04`, planId: ad!.planId, clicks: 1, conversions: 1, tradeAmountFen: 3_200, tradeCount: 1 });
      expect(row.impressions).toBeGreaterThanOrEqual(1);
      expect(row.costFen).toBeGreaterThan(0);
      expect(row.cpcFen).toBe(row.costFen);
      expect(row.cvr).toBe(1);
      // Stats are per account: Northpeak's show none of Shanlan's rows.
      const np = await stats(`/v1/accounts/${NORTHPEAK_MERCHANT_ID}`, NORTHPEAK_MERCHANT_TOKEN);
      expect(np.rows.every((r) => r.planId.startsWith('pl_np_'))).toBe(true);
    });

    it('stops a plan at its daily budget, and keeps the spend across a restart', async () => {
      // ¥50 a day on the brand splash (CPM, charged per impression), accelerated, bidding high to win often.
      await push([
        { id: 1, entity: 'plan', entityId: 'pl_double11_splash', changes: [{ field: 'dailyBudgetFen', value: 5_000, baseVersion: 1 }, { field: 'pacing', value: 'ACCELERATED', baseVersion: 1 }] },
        { id: 2, entity: 'unit', entityId: 'un_splash_gd', changes: [{ field: 'bidFen', value: 60_000, baseVersion: 1 }] },
      ]);
      await server.close();
      // In-process, without HTTP: thousands of decisions in a moment.
      const db = await openDatabase(loc);
      try {
        let serving = createServing(db, { refreshMs: 0 });
        await serving.start();
        const run = async (n: number, prefix: string) => {
          let shown = 0;
          for (let i = 0; i < n; i++) {
            const r = await serving.decide({ placement: 'splash', user: { id: `${prefix}${i}` }, time: NOON });
            shown += r.ads.filter((a) => a.planId === 'pl_double11_splash').length;
          }
          return shown;
        };
        expect(await run(6000, 'b')).toBeGreaterThan(0);
        const spentOf = async () => (await serving.stats(DEMO_MERCHANT_ID, `${TODAY}T00`, `${NEXT_DAY}T00`)).rows.filter((r) => r.planId === 'pl_double11_splash').reduce((a, r) => a + r.costFen, 0);
        const spent = await spentOf();
        expect(spent).toBeGreaterThan(4_900); // it ran out...
        expect(spent).toBeLessThanOrEqual(5_000 + 60); // ...and stopped (the last impression may overshoot by its price)
        expect(await run(200, 'x')).toBe(0);
        await serving.close();
        // A restart reloads today's spend: the budget stays spent.
        serving = createServing(db, { refreshMs: 0 });
        await serving.start();
        expect(await run(200, 'y')).toBe(0);
        await serving.close();
      } finally {
        await db.close();
        server = await startTestServer(loc, { servingRefreshMs: 0 }); // for afterEach
      }
    });

    it('returns a market snapshot built from what it served', async () => {
      for (let i = 0; i < 20; i++) await decide({ user: { id: `m${i}` } });
      const res = await call<unknown>(server.url, '/v1/market');
      expect(res.status).toBe(200);
      // The engine's own snapshot shape (v2): it must validate as one.
      const snap = parseMarketSnapshot(res.body);
      expect(snap.version).toMatch(/^served-/);
      expect(snap.schemaVersion).toBe(2);
      expect(Object.keys(snap.scenePlacements).sort()).toEqual(['BRAND', 'DISPLAY', 'INTELLIGENT', 'SEARCH']);
      expect(snap.hourOfWeekShare).toHaveLength(168);
      expect(snap.placements.HOME_FEED?.slots.length).toBeGreaterThan(0);
    });

    it('answers bad decide and events bodies with 400 and the schema check with 426', async () => {
      const bad = [{}, { placement: 'moon', user: { id: 'x' }, time: NOON }, { placement: 'home_feed', user: { id: 'x' }, time: 'yesterday' }, { placement: 'home_feed', user: { id: 'x', extra: 1 }, time: NOON }];
      for (const body of bad) expect((await call(server.url, '/v1/decide', { method: 'POST', body })).status).toBe(400);
      expect((await call(server.url, '/v1/events', { method: 'POST', body: { events: [] } })).status).toBe(400);
      expect((await call(server.url, '/v1/decide', { method: 'POST', schema: null, body: { placement: 'home_feed', user: { id: 'x' }, time: NOON } })).status).toBe(426);
    });
  });
}
