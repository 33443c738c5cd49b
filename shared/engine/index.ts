/**
 * The engine's public API: pure, deterministic forecasts of a set of plans against a market
 * snapshot. Runs the same on the desktop (in a worker) and in the reference backend. Internals
 * (prng, gsp, pacing, sim) are importable from their own modules for tests and benchmarks.
 */
export type {
  Band,
  Confidence,
  Diagnosis,
  ForecastRequest,
  ForecastResult,
  LandscapePoint,
  LandscapeResult,
  Metrics,
  PlanForecast,
  ProgressFn,
  Range3,
  ReachPoint,
} from './forecast';
export { ForecastCancelled, LANDSCAPE_MULTIPLIERS, bidLandscape, firstEstimate, runForecast } from './forecast';
export { MarketSnapshotSchema, demoMarket, parseMarketSnapshot } from './market';
export type { MarketSnapshot } from './market';
export type { EnginePlan, EngineUnit, EngineCreative, Placement } from './model';
export { PLACEMENTS } from './model';
export { REASONS, type LossReason } from './sim';
export { planFromDomain, plansFromDomain } from './fromDomain';
