import { ALL_HOURS } from '../domain/schedule';
import { Rng } from './prng';
import { TARGET_EVERYONE, type EnginePlan, type EngineScene, type EngineUnit, type Objective, type Template } from './model';

/**
 * A synthetic account of `n` plans for benchmarks and tests: a mix of the four scenes, bid
 * types, budgets, pacing modes and a few frequency caps and GD bookings, as a big merchant
 * would run. Deterministic for a seed.
 */
export function syntheticAccount(n: number, seed = 1): EnginePlan[] {
  const rng = new Rng(seed);
  const scenes: EngineScene[] = ['INTELLIGENT', 'INTELLIGENT', 'DISPLAY', 'SEARCH', 'INTELLIGENT', 'DISPLAY', 'SEARCH', 'BRAND'];
  const objectives: Objective[] = ['COUPON_CLAIM', 'MINI_PROGRAM_VISIT', 'MEMBER_SIGNUP', 'PURCHASE'];
  const plans: EnginePlan[] = [];
  for (let i = 0; i < n; i++) {
    const scene = scenes[i % scenes.length] as EngineScene;
    const gd = scene === 'BRAND' && i % 16 === 7;
    const template: Template = scene === 'SEARCH' ? 'SEARCH_TEXT' : scene === 'BRAND' ? 'SPLASH' : i % 3 === 0 ? 'VIDEO' : 'FEED_IMAGE';
    const chargeType = scene === 'SEARCH' || (scene === 'INTELLIGENT' && i % 2 === 0) ? 'CPC' : 'CPM';
    const units: EngineUnit[] = [];
    const nUnits = 1 + (i % 3);
    for (let k = 0; k < nUnits; k++) {
      const bt = scene === 'INTELLIGENT' ? ((['OCPX', 'NO_BID', 'ROI'] as const)[(i + k) % 3] ?? 'OCPX') : 'DEFAULT';
      units.push({
        id: `un_s${i}_${k}`,
        bidType: bt,
        bidFen: bt === 'DEFAULT' ? (chargeType === 'CPC' ? 60 + Math.floor(rng.float() * 120) : 800 + Math.floor(rng.float() * 3000)) : null,
        targetCpaFen: bt === 'OCPX' ? 400 + Math.floor(rng.float() * 1200) : null,
        targetRoi: bt === 'ROI' ? 2 + rng.float() * 3 : null,
        dailyBudgetFen: null,
        targeting: k === 1 ? { ...TARGET_EVERYONE, cityTiers: [0, 1], ageBands: [1, 2] } : TARGET_EVERYONE,
        placements: [],
        frequencyCap: i % 5 === 0 ? 3 : null,
        creatives: [{ id: `cr_s${i}_${k}`, template, approved: (i + k) % 11 !== 10 }],
        boost: null,
        searchWords: scene === 'SEARCH' ? [{ matchType: k === 0 ? 'BROAD' : 'PHRASE', bidFen: 60 + Math.floor(rng.float() * 120) }] : [],
      });
    }
    plans.push({
      id: `pl_s${i}`,
      scene,
      objective: objectives[i % objectives.length] as Objective,
      chargeType: gd ? 'CPM' : chargeType,
      dailyBudgetFen: 20_000 + Math.floor(rng.float() * 400_000),
      totalBudgetFen: null,
      startDate: '2026-01-01',
      endDate: null,
      timeSchema: ALL_HOURS,
      pacing: i % 4 === 3 ? 'ACCELERATED' : 'STANDARD',
      status: i % 17 === 16 ? 'PAUSED' : 'ENABLED',
      gd: gd ? { kind: 'CPM', placement: 'SPLASH', impressionsPerDay: 50_000, cpmFen: 3_000, dayPriceFen: 0 } : null,
      units,
    });
  }
  return plans;
}
