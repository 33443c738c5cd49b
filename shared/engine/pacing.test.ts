import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { runForecast } from './forecast';
import { DEMO_HOUR_SHARE } from './market';
import { DualGradientPacer, PACING_MU_MAX, THROTTLE_MIN_RATE, ThrottlePacer } from './pacing';
import { simulate } from './sim';
import { MONDAY, plan, smallMarket } from './testing';
import type { EnginePlan } from './model';

describe('pacers', () => {
  it('dual gradient: μ rises on overspend, falls back to 0 on underspend, stays in [0, μ̄]', () => {
    const p = new DualGradientPacer();
    expect(p.shade()).toBe(1);
    p.update(200, 100);
    expect(p.mu).toBeCloseTo(0.3);
    expect(p.shade()).toBeCloseTo(1 / 1.3);
    for (let i = 0; i < 100; i++) p.update(10_000, 100);
    expect(p.mu).toBe(PACING_MU_MAX);
    for (let i = 0; i < 200; i++) p.update(0, 100);
    expect(p.mu).toBe(0);
    p.update(5, 0); // no target: skipped
    expect(p.mu).toBe(0);
  });

  it('throttle: pass-through ×0.9 over target, ×1.1 at or under, within [min, 1]', () => {
    const p = new ThrottlePacer();
    p.update(200, 100);
    expect(p.passRate()).toBeCloseTo(0.9);
    p.update(100, 100);
    expect(p.passRate()).toBeCloseTo(0.99);
    for (let i = 0; i < 500; i++) p.update(200, 100);
    expect(p.passRate()).toBe(THROTTLE_MIN_RATE);
    for (let i = 0; i < 500; i++) p.update(0, 100);
    expect(p.passRate()).toBe(1);
  });
});

const market = smallMarket(100_000);
function days(hourly: number[]): number[] {
  const out: number[] = [];
  for (let d = 0; d < hourly.length / 24; d++) out.push(hourly.slice(d * 24, d * 24 + 24).reduce((a, b) => a + b, 0));
  return out;
}
const one = (p: EnginePlan, d = 2, extra: object = {}) => runForecast({ plans: [p], market, startDate: MONDAY, days: d, seed: 5, runs: 1, sampleRate: 1, ...extra });

describe('pacing in the simulation (sample rate 1, every request simulated)', () => {
  it.each(['DUAL_GRADIENT', 'THROTTLE'] as const)('%s: standard pacing ends the day within 5 %% of the budget and spreads spend with the traffic', (pacer) => {
    const budget = 30_000;
    const f = one(plan({ dailyBudgetFen: budget }), 2, { pacer });
    for (const spend of days(f.spendFen)) {
      expect(spend).toBeGreaterThanOrEqual(0.95 * budget);
      expect(spend).toBeLessThanOrEqual(budget + 4); // one CPM charge (≤ 3 fen) + rounding
    }
    // spend before noon ≈ traffic before noon (dayparted by the traffic curve, not front-loaded)
    const trafficAm = DEMO_HOUR_SHARE.slice(0, 12).reduce((a, b) => a + b, 0) / DEMO_HOUR_SHARE.reduce((a, b) => a + b, 0);
    const day0 = f.spendFen.slice(0, 24);
    const spendAm = day0.slice(0, 12).reduce((a, b) => a + b, 0) / day0.reduce((a, b) => a + b, 0);
    expect(Math.abs(spendAm - trafficAm)).toBeLessThan(0.12);
  });

  it('accelerated pacing exhausts the budget earlier than standard', () => {
    const std = one(plan({ dailyBudgetFen: 30_000 }), 1);
    const acc = one(plan({ dailyBudgetFen: 30_000, pacing: 'ACCELERATED' }), 1);
    expect(acc.exhaustionHour).not.toBeNull();
    expect(acc.exhaustionHour as number).toBeLessThan(std.exhaustionHour ?? 24);
    expect(acc.exhaustionHour as number).toBeLessThan(16);
  });

  it('no budget (plan daily, unit daily, plan total, boost) is overspent by more than one auction price', () => {
    // CPC at 150 fen a click: one charge ≤ 150 fen.
    const cpc = plan({ chargeType: 'CPC', dailyBudgetFen: 20_000, pacing: 'ACCELERATED' }, { bidFen: 150 });
    for (const s of days(one(cpc, 2).spendFen)) expect(s).toBeLessThanOrEqual(20_000 + 150 + 1);
    const unitCapped = plan({ dailyBudgetFen: 50_000, pacing: 'ACCELERATED' }, { dailyBudgetFen: 7_000 });
    for (const s of days(one(unitCapped, 2).spendFen)) expect(s).toBeLessThanOrEqual(7_000 + 4);
    const total = plan({ dailyBudgetFen: null, totalBudgetFen: 9_000, pacing: 'ACCELERATED' });
    expect(one(total, 2).totals.spendFen).toBeLessThanOrEqual(9_000 + 4);
    const boosted = plan(
      { dailyBudgetFen: 20_000, pacing: 'ACCELERATED' },
      { boost: { budgetFen: 10_000, bidMultiplier: 2, startHour: 8, hours: 4 } },
    );
    const b = one(boosted, 1);
    expect(b.totals.spendFen).toBeLessThanOrEqual(20_000 + 10_000 + 8);
    // the boost budget is spent on top of the plan's
    expect(b.totals.spendFen).toBeGreaterThan(20_000 + 5_000);
  });

  it('a frequency cap of N shows no user more than N times a day', () => {
    const cap = 2;
    const p = plan({ dailyBudgetFen: null }, { frequencyCap: cap });
    const c = compile([p], market);
    const seen = new Map<string, number>();
    simulate({
      compiled: c,
      market,
      startDate: MONDAY,
      days: 2,
      seed: 3,
      sampleRate: 1,
      trace: (_plan, u, user, hour) => {
        const k = `${u}/${user}/${Math.floor(hour / 24)}`;
        seen.set(k, (seen.get(k) ?? 0) + 1);
      },
    });
    const counts = [...seen.values()];
    expect(Math.max(...counts)).toBe(cap); // the cap binds and holds
    const uncapped = one(plan({ dailyBudgetFen: null }), 2);
    const capped = one(p, 2);
    expect(capped.totals.impressions).toBeLessThan(uncapped.totals.impressions);
    expect(capped.diagnosis.lost.frequencyCap).toBeGreaterThan(0);
  });
});
