import { ContractError } from '../../../shared/contract/errors';
import type { ForecastEstimate, WhatIf } from '../../../shared/contract';
import type { Plan } from '../../../shared/domain/entities';
import { demoMarket, parseMarketSnapshot, planFromDomain, type EnginePlan, type ForecastRequest, type ForecastResult, type MarketSnapshot } from '../../../shared/engine';
import type { Db } from '../store/db';
import type { Journal } from '../store/journal';
import type { PlanRepo } from '../store/planRepo';
import { postedPlanParts } from '../store/postedPlan';
import type { Settings } from '../store/settings';
import { MARKET_SNAPSHOT_KEY } from '../sync/settingsKeys';
import { dateInZone } from '../time';

export interface ForecastInputsDeps {
  db: Db;
  plans: PlanRepo;
  journal: Journal;
  settings: Settings;
  merchantZone: () => string;
  /** The day forecasts start on; default tomorrow in the merchant's zone. */
  today?: () => string;
}

/** What a forecast runs on: the plans as the engine sees them, the market, the first day. */
export function forecastInputs(deps: ForecastInputsDeps) {
  const { db, plans, journal, settings } = deps;
  const requirePlan = (id: string): Plan => {
    const p = plans.getPlan(id);
    if (!p) throw new ContractError('not_found', `no plan with id "${id}"`);
    return p;
  };
  /** Domain → engine through the one adapter (shared/engine/fromDomain.ts), then the what-if applied. */
  const enginePlan = (id: string, whatIf?: WhatIf, asPosted = false): EnginePlan => {
    let ep: EnginePlan;
    if (asPosted) {
      requirePlan(id);
      const p = postedPlanParts(db, journal, id);
      if (!p) throw new ContractError('not_found', `plan "${id}" has not been posted yet`);
      ep = planFromDomain(p.plan, p.units, p.creatives, p.searchWords);
    } else {
      const plan = requirePlan(id);
      ep = planFromDomain(plan, plans.units(id), plans.creatives(id), plans.searchWords(id));
    }
    if (!whatIf) return ep;
    const m = whatIf.bidMultiplier ?? 1;
    return {
      ...ep,
      ...(whatIf.dailyBudgetFen !== undefined ? { dailyBudgetFen: whatIf.dailyBudgetFen } : {}),
      ...(whatIf.pacing ? { pacing: whatIf.pacing } : {}),
      units: ep.units.map((u) => ({
        ...u,
        bidFen: u.bidFen === null ? null : Math.round(u.bidFen * m),
        targetCpaFen: u.targetCpaFen === null ? null : Math.round(u.targetCpaFen * m),
        targetRoi: u.targetRoi === null ? null : u.targetRoi / m,
        searchWords: u.searchWords.map((w) => ({ ...w, bidFen: Math.round(w.bidFen * m) })),
      })),
    };
  };
  /**
   * The market snapshot forecasts run on: the one the backend sent last (stored as JSON under
   * MARKET_SNAPSHOT_KEY by sync, validated again on read), else the demo snapshot shipped with
   * the app. A stored snapshot that no longer validates is ignored, not fatal.
   */
  const market = (): MarketSnapshot => {
    const raw = settings.get(MARKET_SNAPSHOT_KEY);
    if (!raw) return demoMarket();
    try {
      return parseMarketSnapshot(JSON.parse(raw));
    } catch (err) {
      console.error('[lantern core] stored market snapshot ignored:', (err as Error).message);
      return demoMarket();
    }
  };
  return {
    request(planId: string, withPlanIds: string[], days: number, seed: number, whatIf?: WhatIf, unitIds?: string[], asPosted = false): ForecastRequest {
      const ids = [planId, ...withPlanIds.filter((id) => id !== planId)];
      const main = enginePlan(planId, whatIf, asPosted);
      if (unitIds) {
        const unknown = unitIds.find((u) => !main.units.some((x) => x.id === u));
        if (unknown) throw new ContractError('not_found', `plan "${planId}" has no unit "${unknown}"`);
        main.units = main.units.filter((u) => unitIds.includes(u.id));
      }
      const startDate = deps.today?.() ?? dateInZone(new Date(Date.now() + 86_400_000), deps.merchantZone());
      return { plans: ids.map((id) => (id === planId ? main : enginePlan(id, undefined, asPosted))), market: market(), startDate, days, seed };
    },
  };
}

/** The first quick estimate as the contract's progress event carries it. */
export function toEstimate(e: ForecastResult): ForecastEstimate {
  return {
    days: e.days,
    impressions: e.impressions,
    spendFen: e.spendFen,
    clicks: e.clicks,
    conversions: e.conversions,
    bands: {
      impressions: { p10: e.bands.impressions.p10, p90: e.bands.impressions.p90 },
      clicks: { p10: e.bands.clicks.p10, p90: e.bands.clicks.p90 },
      conversions: { p10: e.bands.conversions.p10, p90: e.bands.conversions.p90 },
      spendFen: { p10: e.bands.spendFen.p10, p90: e.bands.spendFen.p90 },
    },
    exhaustionHour: e.exhaustionHour,
    totals: { impressions: e.totals.impressions, clicks: e.totals.clicks, conversions: e.totals.conversions, spendFen: e.totals.spendFen },
    lowConfidence: e.confidence.low,
  };
}
