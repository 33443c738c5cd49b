import { describe, expect, it } from 'vitest';
import { demoAccount } from '../domain/demo';
import { planFromDomain, plansFromDomain } from './fromDomain';

describe('domain → engine adapter', () => {
  const a = demoAccount();
  const plans = plansFromDomain(a.plans, a.units, a.creatives);

  it('maps every demo plan with its own units', () => {
    expect(plans.map((p) => p.id)).toEqual(a.plans.map((p) => p.id));
    const latte = plans.find((p) => p.id === 'pl_autumn_latte');
    expect(latte?.units.map((u) => u.bidType)).toEqual(['OCPX', 'NO_BID']);
    // The demo's OCPX unit boosts (一键起量) with ¥200: read from the domain, not defaulted.
    expect(latte?.units[0]).toMatchObject({ targetCpaFen: 800, frequencyCap: null, placements: [], dailyBudgetFen: null });
    expect(latte?.units[0]?.boost).toEqual({ budgetFen: 20_000, bidMultiplier: 1.5, startHour: 0, hours: 24 });
    expect(latte?.totalBudgetFen).toBeNull();
  });

  it('carries review status: only approved creatives serve', () => {
    const search = plans.find((p) => p.id === 'pl_search_delivery');
    expect(search?.units.find((u) => u.id === 'un_search_generic')?.creatives).toEqual([{ id: 'cr_search_generic', template: 'SEARCH_TEXT', approved: false }]);
  });

  it('gives a unit without creatives a default approved one of its scene, so a draft forecasts', () => {
    const p = a.plans[0]!;
    const u = a.units.find((x) => x.planId === p.id)!;
    expect(planFromDomain(p, [u], []).units[0]?.creatives).toEqual([{ id: `${u.id}#default`, template: 'FEED_IMAGE', approved: true }]);
  });

  it('reads a BRAND GD plan as a CPM booking on the splash screen worth its daily budget', () => {
    const splash = plans.find((p) => p.id === 'pl_double11_splash');
    expect(splash?.gd).toEqual({ kind: 'CPM', placement: 'SPLASH', impressionsPerDay: Math.floor((2_000_000 * 1000) / 4_500), cpmFen: 4_500, dayPriceFen: 0 });
  });
});

describe('unit fields the engine models', () => {
  const a = demoAccount();
  const plan = a.plans.find((p) => p.id === 'pl_member_feed')!;
  const base = a.units.find((u) => u.planId === plan.id)!;

  it('maps targeting, placements, frequency cap, unit budget and boost', () => {
    const unit = {
      ...base,
      unitBudgetFen: 50_000,
      placements: ['HOME_FEED', 'MINI_PROGRAM_SLOT'] as const,
      frequencyCap: { impressions: 6, periodDays: 2 },
      boost: { enabled: true, budgetFen: 20_000 },
      targeting: {
        regionKind: 'ALL' as const,
        regions: [],
        cityTiers: ['TIER_1', 'NEW_TIER_1', 'TIER_2'] as ('TIER_1' | 'NEW_TIER_1' | 'TIER_2')[],
        mapPoints: [],
        ageRanges: ['24-30', '50+'] as ('24-30' | '50+')[],
        gender: 'FEMALE' as const,
        os: ['HARMONY'] as 'HARMONY'[],
        interests: ['coffee'],
        audienceInclude: [],
        audienceExclude: [],
        excludeConvertedDays: null,
      },
    };
    const u = planFromDomain(plan, [{ ...unit, placements: [...unit.placements] }], a.creatives).units[0]!;
    expect(u.dailyBudgetFen).toBe(50_000);
    expect(u.placements).toEqual(['HOME_FEED', 'MINI_PROGRAM']);
    expect(u.frequencyCap).toBe(3);
    expect(u.boost).toMatchObject({ budgetFen: 20_000, bidMultiplier: 1.5 });
    expect(u.targeting).toEqual({ cityTiers: [0, 1], ageBands: [1, 4], genders: [1], oses: [2], interests: [] });
  });

  it('leaves paused units out and carries the plan total budget', () => {
    const ep = planFromDomain({ ...plan, totalBudgetFen: 900_000 }, [{ ...base, status: 'PAUSED' }], a.creatives);
    expect(ep.units).toEqual([]);
    expect(ep.totalBudgetFen).toBe(900_000);
  });
});
