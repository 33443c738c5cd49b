import { parentPort } from 'node:worker_threads';
import { ForecastCancelled, bidLandscape, firstEstimate, runForecast } from '../../../shared/engine';
import type { EngineJobResult, FromWorker, ToWorker } from './protocol';

/**
 * Engine worker thread: runs one job at a time off the main thread. The engine is synchronous,
 * so cancellation is a flag in a SharedArrayBuffer the pool writes directly and the engine reads
 * once per simulated hour.
 */
if (!parentPort) throw new Error('engine worker must run in a worker thread');
const port = parentPort;

/** Diagnosis needs the loss shares, not tight bands: a few runs are enough. */
const DIAGNOSE_RUNS = 3;

port.on('message', (msg: ToWorker) => {
  if (msg.type !== 'run') return;
  const { jobId, job } = msg;
  const flag = msg.cancelFlag;
  const post = (m: FromWorker) => port.postMessage(m);
  const opts = {
    onProgress: (done: number, total: number) => post({ type: 'progress', jobId, done, total }),
    isCancelled: () => (flag ? Atomics.load(flag, 0) === 1 : false),
  };
  try {
    let result: EngineJobResult;
    if (job.kind === 'forecast') {
      if (job.firstEstimate) post({ type: 'estimate', jobId, result: firstEstimate(job.request, { isCancelled: opts.isCancelled }) });
      result = runForecast(job.request, opts);
    } else if (job.kind === 'landscape') {
      result = bidLandscape(job.request, opts);
    } else {
      result = runForecast({ ...job.request, runs: job.request.runs ?? DIAGNOSE_RUNS }, opts);
    }
    post({ type: 'done', jobId, result });
  } catch (err) {
    if (err instanceof ForecastCancelled) post({ type: 'cancelled', jobId });
    else post({ type: 'failed', jobId, message: (err as Error).message });
  }
});
