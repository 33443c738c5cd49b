import type { Creative, Plan, SearchWord, Unit } from '../domain/entities';
import { TARGET_EVERYONE, type EngineCreative, type EnginePlan, type EngineUnit, type Placement } from './model';

/**
 * The ONE place that maps domain entities to the engine's own input types (model.ts). When the
 * domain gains a field the engine already models, only this file changes.
 *
 * Defaults for what today's domain does not carry yet (documented so a forecast can be read):
 * - SEARCH units: their search words (match type, per-word bid); negative words are not modelled yet;
 * - unit targeting: everyone (no city tier / age / gender / OS / interest restriction);
 * - unit placements: every placement of the plan's scene (the market snapshot's scenePlacements);
 * - frequency cap: none; unit daily budget: none; boost: none; plan total budget: none;
 * - creatives: the unit's creatives from the store, approved iff review status APPROVED; a unit
 *   with no creative at all is given one approved creative of its scene's usual template, so a
 *   plan being drafted still forecasts (a unit with only pending/rejected ones does not serve);
 * - BRAND plans sold GD: a CPM booking of the daily budget's worth of impressions at the unit's
 *   CPM bid on the splash screen (CPD plans: the daily budget is the day price), since the
 *   domain has no booking entity yet.
 */

const SCENE_TEMPLATE: Record<Plan['scene'], EngineCreative['template']> = {
  INTELLIGENT: 'FEED_IMAGE',
  SEARCH: 'SEARCH_TEXT',
  BRAND: 'SPLASH',
  DISPLAY: 'FEED_IMAGE',
};

export function unitFromDomain(plan: Plan, unit: Unit, creatives: readonly Creative[], searchWords: readonly SearchWord[] = []): EngineUnit {
  const own = creatives.filter((c) => c.unitId === unit.id);
  const engineCreatives: EngineCreative[] =
    own.length > 0
      ? own.map((c) => ({ id: c.id, template: c.template, approved: c.reviewStatus === 'APPROVED' }))
      : [{ id: `${unit.id}#default`, template: SCENE_TEMPLATE[plan.scene], approved: true }];
  return {
    id: unit.id,
    bidType: unit.bidType,
    bidFen: unit.bidFen,
    targetCpaFen: unit.targetCpaFen,
    targetRoi: unit.targetRoi,
    dailyBudgetFen: null,
    targeting: TARGET_EVERYONE,
    placements: [],
    frequencyCap: null,
    creatives: engineCreatives,
    boost: null,
    searchWords: plan.scene === 'SEARCH' ? searchWords.filter((w) => w.unitId === unit.id).map((w) => ({ matchType: w.matchType, bidFen: w.bidFen })) : [],
  };
}

export function planFromDomain(plan: Plan, units: readonly Unit[], creatives: readonly Creative[] = [], searchWords: readonly SearchWord[] = []): EnginePlan {
  const own = units.filter((u) => u.planId === plan.id);
  let gd: EnginePlan['gd'] = null;
  if (plan.scene === 'BRAND' && plan.sellMode === 'GD') {
    const placement: Placement = 'SPLASH';
    const cpm = own.find((u) => u.bidFen !== null && u.bidFen > 0)?.bidFen ?? 0;
    const budget = plan.dailyBudgetFen ?? 0;
    gd =
      plan.chargeType === 'CPD'
        ? { kind: 'CPD', placement, impressionsPerDay: 0, cpmFen: 0, dayPriceFen: budget }
        : { kind: 'CPM', placement, impressionsPerDay: cpm > 0 ? Math.floor((budget * 1000) / cpm) : 0, cpmFen: cpm, dayPriceFen: 0 };
  }
  return {
    id: plan.id,
    scene: plan.scene,
    objective: plan.objective,
    chargeType: plan.chargeType,
    dailyBudgetFen: plan.dailyBudgetFen,
    totalBudgetFen: null,
    startDate: plan.startDate,
    endDate: plan.endDate,
    timeSchema: plan.timeSchema,
    pacing: plan.pacing,
    status: plan.status,
    gd,
    units: own.map((u) => unitFromDomain(plan, u, creatives, searchWords)),
  };
}

export function plansFromDomain(plans: readonly Plan[], units: readonly Unit[], creatives: readonly Creative[] = [], searchWords: readonly SearchWord[] = []): EnginePlan[] {
  return plans.map((p) => planFromDomain(p, units, creatives, searchWords));
}
