import { describe, expect, it } from 'vitest';
import { demoAccount } from '../domain/demo';
import { planFromDomain, plansFromDomain } from './fromDomain';

describe('domain → engine adapter', () => {
  const a = demoAccount();
  const plans = plansFromDomain(a.plans, a.units, a.creatives);

  it('maps every demo plan with its own units and documented defaults', () => {
    expect(plans.map((p) => p.id)).toEqual(a.plans.map((p) => p.id));
    const latte = plans.find((p) => p.id === 'pl_autumn_latte');
    expect(latte?.units.map((u) => u.bidType)).toEqual(['OCPX', 'NO_BID']);
    expect(latte?.units[0]).toMatchObject({ targetCpaFen: 800, frequencyCap: null, placements: [], boost: null, dailyBudgetFen: null });
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
