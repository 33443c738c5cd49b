import type { ForecastRequest, ForecastResult } from '../../../shared/engine';

/** Messages between the engine pool and its worker threads. */
export type ToWorker = { type: 'run'; jobId: number; request: ForecastRequest } | { type: 'cancel'; jobId: number };

export type FromWorker =
  | { type: 'progress'; jobId: number; done: number; total: number }
  | { type: 'done'; jobId: number; result: ForecastResult }
  | { type: 'cancelled'; jobId: number }
  | { type: 'failed'; jobId: number; message: string };
