import { describe, expect, it } from 'vitest';
import type { Plan, Unit } from '../domain/entities';
import { demoAccount } from '../domain/demo';
import { ALL_HOURS, isScheduled } from '../domain/schedule';
import { ForecastCancelled, demoMarket, runForecast, type ForecastRequest, type ForecastResult } from './index';

const account = demoAccount();
const market = demoMarket();
const MONDAY = '2026-11-02';

function planById(id: string): { plan: Plan; units: Unit[] } {
  const plan = account.plans.find((p) => p.id === id);
  if (!plan) throw new Error(`no demo plan ${id}`);
  return { plan, units: account.units.filter((u) => u.planId === id) };
}
const latte = planById('pl_autumn_latte'); // INTELLIGENT, OCPX + NO_BID, CPC, standard, ¥3,000/day
const search = planById('pl_search_delivery'); // SEARCH, DEFAULT CPC bids 120 and 85 fen, coffee hours
const splash = planById('pl_double11_splash'); // BRAND, DEFAULT CPM 4,500 fen
const feed = planById('pl_member_feed'); // DISPLAY, paused

function req(p: { plan: Plan; units: Unit[] }, over: Partial<ForecastRequest> = {}): ForecastRequest {
  return { plan: p.plan, units: p.units, market, startDate: MONDAY, days: 7, seed: 1, ...over };
}
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const daySums = (xs: number[]): number[] =>
  Array.from({ length: xs.length / 24 }, (_, d) => sum(xs.slice(d * 24, d * 24 + 24)));

describe('runForecast', () => {
  it('returns per-hour series of the right length whose sums are the totals', () => {
    const r = runForecast(req(latte));
    expect(r.hours).toBe(168);
    expect(r.days).toBe(7);
    expect(r.startDate).toBe(MONDAY);
    expect(r.marketVersion).toBe(market.version);
    for (const series of [r.impressions, r.clicks, r.conversions, r.spendFen]) {
      expect(series).toHaveLength(168);
      expect(series.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    }
    expect(r.totals.impressions).toBe(sum(r.impressions));
    expect(r.totals.clicks).toBe(sum(r.clicks));
    expect(r.totals.conversions).toBe(sum(r.conversions));
    expect(r.totals.spendFen).toBe(sum(r.spendFen));
    expect(r.totals.impressions).toBeGreaterThan(0);
    expect(r.totals.clicks).toBeLessThan(r.totals.impressions);
    expect(r.totals.conversions).toBeLessThan(r.totals.clicks);
    // every auctioned request is an impression or lost for exactly one reason
    const accounted = r.totals.impressions + r.lost.budget + r.lost.bid + r.lost.reserve;
    expect(Math.abs(accounted - r.totals.auctions)).toBeLessThanOrEqual(4);
    // an all-hours enabled plan reaches the whole week's traffic
    expect(r.totals.auctions / (7 * market.scenes.INTELLIGENT.dailyRequests)).toBeCloseTo(1, 2);
  });

  it('is deterministic: same seed → identical result, different seed → different result', () => {
    const a = runForecast(req(latte, { seed: 123 }));
    const b = runForecast(req(latte, { seed: 123 }));
    const c = runForecast(req(latte, { seed: 124 }));
    expect(b).toEqual(a);
    expect(c.impressions).not.toEqual(a.impressions);
    expect(c.seed).toBe(124);
  });

  it('never overspends a day by more than one charge (sample rate 1, CPC and CPM)', () => {
    for (const [p, maxChargeFen] of [
      [search, 120], // highest CPC bid: a click never costs more
      [splash, 5], // CPM bid 4,500 fen per mille: an impression costs at most 4.5 fen
    ] as const) {
      for (const budget of [5_000, p.plan.dailyBudgetFen ?? 0]) {
        for (const pacing of ['STANDARD', 'ACCELERATED'] as const) {
          const r = runForecast({
            ...req(p, { days: 2, sampleRate: 1 }),
            plan: { ...p.plan, dailyBudgetFen: budget, pacing },
          });
          for (const spent of daySums(r.spendFen)) {
            // + 1 fen: hourly spend is reported in whole fen, rounded
            expect(spent).toBeLessThanOrEqual(budget + maxChargeFen + 1);
          }
          expect(r.lost.budget).toBeGreaterThan(0);
        }
      }
    }
  });

  it('with sampling, overspends a day by at most one scaled-up charge', () => {
    const budget = 300_000;
    const scene = market.scenes.INTELLIGENT;
    const r = runForecast({ ...req(search), plan: { ...search.plan, dailyBudgetFen: budget, pacing: 'ACCELERATED' }, sampleRate: 0.1 });
    for (const spent of daySums(r.spendFen)) expect(spent).toBeLessThanOrEqual(budget + 120 * 10 + 1);
    const r2 = runForecast({ ...req(latte), plan: { ...latte.plan, dailyBudgetFen: 10_000 } });
    const scale = scene.dailyRequests / 250_000;
    // OCPX per-click charge ≤ target CPA (pCVR ≤ 1); NO_BID is capped by the budget itself
    for (const spent of daySums(r2.spendFen)) expect(spent).toBeLessThanOrEqual(10_000 + 10_000 * scale);
  });

  it('delivers nothing in unscheduled hours and counts them as lost to the schedule', () => {
    const r = runForecast(req(search));
    for (let i = 0; i < r.hours; i++) {
      const dow = Math.floor(i / 24) % 7; // starts on a Monday
      if (!isScheduled(search.plan.timeSchema, dow, i % 24)) {
        expect(r.impressions[i]).toBe(0);
        expect(r.clicks[i]).toBe(0);
        expect(r.spendFen[i]).toBe(0);
      }
    }
    expect(r.totals.impressions).toBeGreaterThan(0);
    expect(r.lost.schedule).toBeGreaterThan(0);
    expect(r.lost.paused).toBe(0);
  });

  it('delivers nothing for a paused or deleted plan and counts all of its traffic as paused', () => {
    for (const status of ['PAUSED', 'DELETED'] as const) {
      const r = runForecast({ ...req(feed), plan: { ...feed.plan, status } });
      expect(r.totals).toEqual({ impressions: 0, clicks: 0, conversions: 0, spendFen: 0, auctions: 0 });
      expect(r.impressions.every((x) => x === 0)).toBe(true);
      // a whole week (Monday to Sunday) is 7 average days
      expect(r.lost.paused / (7 * market.scenes.DISPLAY.dailyRequests)).toBeCloseTo(1, 4);
      expect(r.lost.schedule + r.lost.budget + r.lost.bid + r.lost.reserve).toBe(0);
    }
  });

  it('delivers nothing on days outside the plan dates', () => {
    const plan = { ...search.plan, startDate: '2026-11-04', endDate: '2026-11-05' };
    const r = runForecast({ ...req(search), plan });
    const days = daySums(r.impressions);
    expect(days[0]).toBe(0);
    expect(days[1]).toBe(0);
    expect(days[2]).toBeGreaterThan(0);
    expect(days[3]).toBeGreaterThan(0);
    expect(days.slice(4).every((x) => x === 0)).toBe(true);
  });

  it('derives the day of week from the start date', () => {
    const mondaysOnly = '1'.repeat(24) + '0'.repeat(144);
    const plan = { ...search.plan, timeSchema: mondaysOnly };
    const r = runForecast({ ...req(search), plan, startDate: '2026-11-04' }); // a Wednesday
    const days = daySums(r.impressions);
    days.forEach((x, d) => (d === 5 ? expect(x).toBeGreaterThan(0) : expect(x).toBe(0)));
  });

  it('a higher bid never wins fewer impressions (same seed, no budget limit)', () => {
    const plan = { ...search.plan, dailyBudgetFen: null };
    const higher = search.units.map((u) => ({ ...u, bidFen: Math.round((u.bidFen ?? 0) * 1.3) }));
    const low = runForecast({ ...req(search, { days: 2, sampleRate: 1 }), plan });
    const high = runForecast({ ...req(search, { days: 2, sampleRate: 1 }), plan, units: higher });
    for (let i = 0; i < low.hours; i++) expect(high.impressions[i]).toBeGreaterThanOrEqual(low.impressions[i]!);
    expect(high.totals.impressions).toBeGreaterThan(low.totals.impressions);
    expect(high.lost.bid).toBeLessThan(low.lost.bid);

    // and with the default sampling, in total
    const lowS = runForecast({ ...req(latte), plan: { ...latte.plan, dailyBudgetFen: null } });
    const highS = runForecast({
      ...req(latte),
      plan: { ...latte.plan, dailyBudgetFen: null },
      units: latte.units.map((u) => (u.targetCpaFen ? { ...u, targetCpaFen: u.targetCpaFen * 2 } : u)),
    });
    expect(highS.totals.impressions).toBeGreaterThanOrEqual(lowS.totals.impressions);
  });

  it('accelerated pacing spends earlier in the day than standard', () => {
    const run = (pacing: 'STANDARD' | 'ACCELERATED'): ForecastResult =>
      runForecast({ ...req(latte, { days: 3 }), plan: { ...latte.plan, pacing } });
    const standard = run('STANDARD');
    const accelerated = run('ACCELERATED');
    for (let d = 0; d < 3; d++) {
      const byNoon = (r: ForecastResult): number => sum(r.spendFen.slice(d * 24, d * 24 + 12)) / sum(r.spendFen.slice(d * 24, d * 24 + 24));
      expect(byNoon(accelerated)).toBeGreaterThan(byNoon(standard) + 0.1);
      // standard pacing still delivers in the evening
      expect(sum(standard.spendFen.slice(d * 24 + 18, d * 24 + 24))).toBeGreaterThan(0);
    }
    // both spend (about) the budget
    for (const r of [standard, accelerated]) {
      for (const spent of daySums(r.spendFen)) expect(spent / 300_000).toBeGreaterThan(0.9);
    }
  });

  it('standard pacing spends along the traffic curve', () => {
    const r = runForecast(req(latte, { days: 7 }));
    const hourly = new Array<number>(24).fill(0);
    r.spendFen.forEach((x, i) => (hourly[i % 24]! += x));
    const total = sum(hourly);
    // afternoon peak hours carry several times the spend of the small hours
    expect(hourly[14]! / total).toBeGreaterThan(3 * (hourly[3]! / total));
  });

  it('an unlimited budget is never lost to budget', () => {
    const r = runForecast({ ...req(latte), plan: { ...latte.plan, dailyBudgetFen: null } });
    expect(r.lost.budget).toBe(0);
    expect(r.totals.spendFen).toBeGreaterThan(7 * 300_000);
  });

  it('reports progress once per simulated hour and can be cancelled', () => {
    const seen: number[] = [];
    runForecast(req(latte, { days: 2 }), { onProgress: (done, total) => (expect(total).toBe(48), seen.push(done)) });
    expect(seen).toEqual(Array.from({ length: 48 }, (_, i) => i + 1));

    let hours = 0;
    let checks = 0;
    expect(() =>
      runForecast(req(latte, { days: 2 }), {
        onProgress: () => hours++,
        isCancelled: () => ++checks > 10,
      }),
    ).toThrow(ForecastCancelled);
    expect(hours).toBe(10);
    expect(checks).toBe(11);
  });

  it('rejects invalid requests', () => {
    expect(() => runForecast(req(latte, { days: 0 }))).toThrow(RangeError);
    expect(() => runForecast(req(latte, { days: 32 }))).toThrow(RangeError);
    expect(() => runForecast(req(latte, { startDate: '2026-02-30' }))).toThrow(RangeError);
    expect(() => runForecast(req(latte, { startDate: '02/11/2026' }))).toThrow(RangeError);
    expect(() => runForecast(req(latte, { sampleRate: 0 }))).toThrow(RangeError);
    expect(() => runForecast(req(latte, { sampleRate: 1.5 }))).toThrow(RangeError);
  });

  it('works for every scene and an all-hours schedule', () => {
    for (const p of [latte, search, splash]) {
      const r = runForecast({ ...req(p, { days: 1 }), plan: { ...p.plan, timeSchema: ALL_HOURS } });
      expect(r.totals.impressions).toBeGreaterThan(0);
      expect(r.lost.schedule).toBe(0);
    }
  });
});
