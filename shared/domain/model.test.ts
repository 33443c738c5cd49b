import { describe, expect, it } from 'vitest';
import { demoAccount } from './demo';
import { AudiencePack, Creative, GdBooking, NegativeWord, Plan, SearchWord, Unit } from './entities';
import { dayRanges, NO_HOURS, scheduledHours, setRange } from './schedule';

describe('full model', () => {
  it('the demo account parses with every schema and keeps the skeleton ids', () => {
    const a = demoAccount();
    for (const p of a.plans) Plan.parse(p);
    for (const u of a.units) Unit.parse(u);
    for (const c of a.creatives) Creative.parse(c);
    for (const w of a.searchWords) SearchWord.parse(w);
    for (const w of a.negativeWords ?? []) NegativeWord.parse(w);
    for (const x of a.audiencePacks ?? []) AudiencePack.parse(x);
    for (const x of a.gdBookings ?? []) GdBooking.parse(x);
    expect(a.plans.map((p) => p.id)).toEqual(['pl_autumn_latte', 'pl_search_delivery', 'pl_double11_splash', 'pl_member_feed']);
    expect(a.plans[0]?.dailyBudgetFen).toBe(300_000);
  });
  it('refuses bad values with field errors', () => {
    const r = Plan.safeParse({ ...demoAccount().plans[0], startDate: '2026-02-30', dailyBudgetFen: Number.NaN });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.path.join('.')).sort()).toEqual(['dailyBudgetFen', 'startDate']);
  });
});

describe('schedule helpers', () => {
  it('writes and reads ranges', () => {
    const s = setRange(NO_HOURS, [0, 1, 2, 3, 4], 7, 22, true);
    expect(scheduledHours(s)).toBe(75);
    expect(dayRanges(s, 0)).toEqual([[7, 22]]);
    expect(dayRanges(s, 6)).toEqual([]);
    expect(() => setRange(s, [7], 0, 1, true)).toThrow();
  });
});
