import type { ForecastRequest, ForecastResult, LandscapeResult } from '../../../shared/engine';

/**
 * Messages between the engine pool and its worker threads.
 *
 * - `forecast`: a fast first estimate (posted as `estimate`), then the refined forecast with
 *   progress; `done` carries the refined result.
 * - `landscape`: the bid landscape (bid × 0.5 … 2.0).
 * - `diagnose`: a forecast whose caller reads the diagnosis (same engine code, fewer runs).
 */
export type EngineJob =
  | { kind: 'forecast'; request: ForecastRequest; firstEstimate: boolean }
  | { kind: 'landscape'; request: ForecastRequest }
  | { kind: 'diagnose'; request: ForecastRequest };

export type EngineJobResult = ForecastResult | LandscapeResult;

export type ToWorker = { type: 'run'; jobId: number; job: EngineJob; cancelFlag?: Int32Array };

export type FromWorker =
  | { type: 'progress'; jobId: number; done: number; total: number }
  | { type: 'estimate'; jobId: number; result: ForecastResult }
  | { type: 'done'; jobId: number; result: EngineJobResult }
  | { type: 'cancelled'; jobId: number }
  | { type: 'failed'; jobId: number; message: string };
