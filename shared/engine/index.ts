/**
 * The engine's public API: a pure, deterministic forecast of one plan's delivery against a
 * market snapshot. Runs the same on the desktop (in a worker) and in the reference backend.
 * Internals (prng, auction, bidding, pacing) are importable from their own modules for tests
 * and for the deeper engine that follows; callers use this file.
 */
export type { ForecastRequest, ForecastResult, ProgressFn } from './forecast';
export { ForecastCancelled, runForecast } from './forecast';
export { demoMarket } from './market';
export type { MarketSnapshot } from './market';
