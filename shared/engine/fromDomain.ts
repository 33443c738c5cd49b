import type { Creative, Plan, SearchWord, Unit } from '../domain/entities';
import type { Placement as DomainPlacement } from '../domain/placements';
import type { Boost, FrequencyCap, Targeting } from '../domain/unit';
import { type EngineBoost, type EngineCreative, type EnginePlan, type EngineTargeting, type EngineUnit, type Placement } from './model';

/**
 * The ONE place that maps domain entities to the engine's own input types (model.ts). When the
 * domain gains a field the engine already models, only this file changes.
 *
 * How domain fields map, and the defaults for what the engine does not model (documented so a
 * forecast can be read):
 * - SEARCH units: their search words (match type, per-word bid); negative words are not modelled yet;
 * - unit targeting: city tiers, age ranges, gender and OS map to the engine's audience
 *   dimensions (新一线 NEW_TIER_1 counts as tier 2, the engine's five tiers being 1–5; HarmonyOS
 *   as the engine's "other" OS). Regions, map points, interests (named by the merchant, not by
 *   the snapshot), audience packs and "exclude converted" are not modelled: everyone passes them;
 * - unit placements: the unit's chosen ones; none chosen = every placement of the plan's scene;
 * - frequency cap: impressions per period → per day (at least 1 a day); paused units do not serve;
 * - boost: when enabled, its budget at a 1.5× bid over the first day of the horizon;
 * - creatives: the unit's creatives from the store, approved iff review status APPROVED; a unit
 *   with no creative at all is given one approved creative of its scene's usual template, so a
 *   plan being drafted still forecasts (a unit with only pending/rejected ones does not serve);
 * - BRAND plans sold GD: a CPM booking of the daily budget's worth of impressions at the unit's
 *   CPM bid on the splash screen (CPD plans: the daily budget is the day price), since the
 *   domain has no booking entity yet.
 */

const CITY_TIER_INDEX: Record<Targeting['cityTiers'][number], number> = { TIER_1: 0, NEW_TIER_1: 1, TIER_2: 1, TIER_3: 2, TIER_4: 3, TIER_5: 4 };
const AGE_INDEX: Record<Targeting['ageRanges'][number], number> = { '18-23': 0, '24-30': 1, '31-40': 2, '41-49': 3, '50+': 4 };
const OS_INDEX: Record<Targeting['os'][number], number> = { IOS: 0, ANDROID: 1, HARMONY: 2 };
/** Boost bids this much higher while its budget lasts (the platform's "起量" multiplier is not published). */
export const BOOST_BID_MULTIPLIER = 1.5;

const uniq = (xs: number[]): number[] => [...new Set(xs)].sort((a, b) => a - b);

export function targetingFromDomain(t: Targeting | undefined): EngineTargeting {
  if (!t) return { cityTiers: [], ageBands: [], genders: [], oses: [], interests: [] };
  return {
    cityTiers: uniq(t.cityTiers.map((c) => CITY_TIER_INDEX[c])),
    ageBands: uniq(t.ageRanges.map((a) => AGE_INDEX[a])),
    genders: t.gender === 'MALE' ? [0] : t.gender === 'FEMALE' ? [1] : [],
    oses: uniq(t.os.map((o) => OS_INDEX[o])),
    interests: [],
  };
}

function placementFromDomain(p: DomainPlacement): Placement {
  return p === 'MINI_PROGRAM_SLOT' ? 'MINI_PROGRAM' : p;
}

function frequencyCapPerDay(cap: FrequencyCap | null): number | null {
  return cap === null ? null : Math.max(1, Math.floor(cap.impressions / cap.periodDays));
}

function boostFromDomain(b: Boost | null): EngineBoost | null {
  return b?.enabled ? { budgetFen: b.budgetFen, bidMultiplier: BOOST_BID_MULTIPLIER, startHour: 0, hours: 24 } : null;
}

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
    dailyBudgetFen: unit.unitBudgetFen ?? null,
    targeting: targetingFromDomain(unit.targeting),
    placements: (unit.placements ?? []).map(placementFromDomain),
    frequencyCap: frequencyCapPerDay(unit.frequencyCap ?? null),
    creatives: engineCreatives,
    boost: boostFromDomain(unit.boost ?? null),
    searchWords: plan.scene === 'SEARCH' ? searchWords.filter((w) => w.unitId === unit.id).map((w) => ({ matchType: w.matchType, bidFen: w.bidFen })) : [],
  };
}

function groupByUnit<T extends { unitId: string }>(xs: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const list = m.get(x.unitId);
    if (list) list.push(x);
    else m.set(x.unitId, [x]);
  }
  return m;
}

/** Creatives and search words grouped by unit once per call, not filtered per unit. */
interface Groups {
  creativesByUnit: Map<string, Creative[]>;
  wordsByUnit: Map<string, SearchWord[]>;
}

export function planFromDomain(plan: Plan, units: readonly Unit[], creatives: readonly Creative[] = [], searchWords: readonly SearchWord[] = []): EnginePlan {
  return planFromGroups(plan, units.filter((u) => u.planId === plan.id), { creativesByUnit: groupByUnit(creatives), wordsByUnit: groupByUnit(searchWords) });
}

export function plansFromDomain(plans: readonly Plan[], units: readonly Unit[], creatives: readonly Creative[] = [], searchWords: readonly SearchWord[] = []): EnginePlan[] {
  const groups: Groups = { creativesByUnit: groupByUnit(creatives), wordsByUnit: groupByUnit(searchWords) };
  const unitsByPlan = new Map<string, Unit[]>();
  for (const u of units) {
    const list = unitsByPlan.get(u.planId);
    if (list) list.push(u);
    else unitsByPlan.set(u.planId, [u]);
  }
  return plans.map((p) => planFromGroups(p, unitsByPlan.get(p.id) ?? [], groups));
}

/** Filtering every word per unit would be O(units × words): minutes for a 200k-entity account. */
function planFromGroups(plan: Plan, planUnits: readonly Unit[], { creativesByUnit, wordsByUnit }: Groups): EnginePlan {
  const own = planUnits.filter((u) => u.status !== 'PAUSED');
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
    totalBudgetFen: plan.totalBudgetFen ?? null,
    startDate: plan.startDate,
    endDate: plan.endDate,
    timeSchema: plan.timeSchema,
    pacing: plan.pacing,
    status: plan.status,
    gd,
    units: own.map((u) => unitFromDomain(plan, u, creativesByUnit.get(u.id) ?? [], wordsByUnit.get(u.id) ?? [])),
  };
}
