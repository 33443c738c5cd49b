import { z } from 'zod';
import { EntityId } from '../domain/entities';
import type { ForecastResult } from '../engine';

export const MAX_FORECAST_DAYS = 31;

export const forecastMethods = {
  /** Runs the engine for one plan off the UI thread; progress arrives as `forecast.progress`. */
  'forecast.run': z
    .object({
      planId: EntityId,
      days: z.number().int().min(1).max(MAX_FORECAST_DAYS).default(7),
      /** Seeded so the same inputs give the same forecast. */
      seed: z.number().int().min(0).max(0xffffffff).default(1),
    })
    .strict(),
};

export interface ForecastOutput extends ForecastResult {
  planId: string;
  /** True when the plan has local changes the forecast includes but the server has not seen. */
  includesUnposted: boolean;
}

export interface ForecastOutputs {
  'forecast.run': ForecastOutput;
}
