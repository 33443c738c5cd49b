import { z } from 'zod';
import { EntityId } from '../domain/entities';
import type { Diagnosis, ForecastResult, LandscapeResult, PlanForecast } from '../engine';

export const MAX_FORECAST_DAYS = 31;

const days = z.number().int().min(1).max(MAX_FORECAST_DAYS).default(7);
/** Seeded so the same inputs give the same forecast. */
const seed = z.number().int().min(0).max(0xffffffff).default(1);
/** Other plans of the account forecast together with `planId` (they share the auctions). */
const withPlanIds = z.array(EntityId).max(200).default([]);

/** What-if on the plan (`planId`) without editing it: the sliders. */
export const WhatIf = z
  .object({
    /** Every bid of the plan × this. */
    bidMultiplier: z.number().min(0.1).max(5).optional(),
    /** The plan's daily budget, fen (null = unlimited). */
    dailyBudgetFen: z.number().int().min(0).max(100_000_000_000).nullable().optional(),
    pacing: z.enum(['STANDARD', 'ACCELERATED']).optional(),
  })
  .strict();
export type WhatIf = z.infer<typeof WhatIf>;

export const forecastMethods = {
  /**
   * Runs the engine off the UI thread. Progress arrives as `forecast.progress`; the first of
   * those events after the fast first estimate carries it (`estimate`), then the refined result
   * is the answer.
   */
  'forecast.run': z
    .object({
      planId: EntityId,
      days,
      seed,
      withPlanIds,
      /** Forecast only these units of `planId` (default: all of them). */
      unitIds: z.array(EntityId).min(1).max(500).optional(),
      whatIf: WhatIf.optional(),
      /** Pacing algorithm for standard pacing (dual-gradient is the platform default). */
      pacer: z.enum(['DUAL_GRADIENT', 'THROTTLE']).default('DUAL_GRADIENT'),
      /**
       * Forecast the plan as the server has it: its unposted local changes (the journal's
       * outbox) taken back. The compare view sets it beside a forecast "with my edits".
       */
      asPosted: z.boolean().default(false),
      /** The caller's tag, echoed on this run's progress events so a stale run's estimate is told apart. */
      requestId: z.string().min(1).max(64).optional(),
    })
    .strict(),
  /** Bid landscape: impressions, clicks, conversions, spend at bid × 0.5 … 2.0. */
  'forecast.landscape': z
    .object({
      planId: EntityId,
      days,
      seed,
      multipliers: z.array(z.number().min(0.1).max(5)).min(1).max(15).optional(),
    })
    .strict(),
  /** Why a plan does (not) deliver: share of its eligible-looking requests lost to each reason. */
  'forecast.diagnose': z.object({ planId: EntityId, days, seed }).strict(),
};

export interface ForecastOutput extends ForecastResult {
  planId: string;
  /** True when the plan has local changes the forecast includes but the server has not seen. */
  includesUnposted: boolean;
  /** True when this is the forecast of the plan as posted (its unposted changes taken back). */
  asPosted: boolean;
}

export interface LandscapeOutput extends LandscapeResult {
  planId: string;
}

export interface DiagnoseOutput {
  planId: string;
  days: number;
  /** The plan's own diagnosis (reasons in the order of `REASONS` in shared/engine). */
  diagnosis: Diagnosis;
  plan: PlanForecast;
  confidence: ForecastResult['confidence'];
  marketVersion: string;
}

export interface ForecastOutputs {
  'forecast.run': ForecastOutput;
  'forecast.landscape': LandscapeOutput;
  'forecast.diagnose': DiagnoseOutput;
}
