import { describe, expect, it } from 'vitest';
import { EntityId, EntityIdList } from './common';
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

describe('id lists', () => {
  it('checks every id with the rules and messages of EntityId, naming the first bad index', () => {
    const list = EntityIdList(1, 5, 'pick one');
    expect(list.parse(['sw_a', 'pl_b-1'])).toEqual(['sw_a', 'pl_b-1']);
    for (const [bad, message] of [
      ['x', 'id is too short'],
      [`sw_${'a'.repeat(70)}`, 'id is too long'],
      ["sw_a'; DROP TABLE units;--", 'id has an unknown format'],
    ] as const) {
      const r = list.safeParse(['sw_ok', bad, 'also bad']);
      expect(r.success).toBe(false);
      expect(r.error?.issues).toEqual([expect.objectContaining({ path: [1], message })]);
      expect(EntityId.safeParse(bad).error?.issues[0]?.message).toBe(message);
    }
    expect(list.safeParse([]).error?.issues[0]?.message).toBe('pick one');
    expect(list.safeParse(['sw_a', 'sw_b', 'sw_c', 'sw_d', 'sw_e', 'sw_f']).success).toBe(false);
    expect(list.safeParse([1]).success).toBe(false);
  });
});
