import { parentPort } from 'node:worker_threads';
import { ForecastCancelled, runForecast } from '../../../shared/engine';
import type { FromWorker, ToWorker } from './protocol';

/**
 * Engine worker thread: runs one forecast at a time off the main thread. A cancel message
 * sets a flag the engine checks once per simulated hour; since the engine is synchronous,
 * the flag is read from a SharedArrayBuffer the pool writes directly.
 */
if (!parentPort) throw new Error('engine worker must run in a worker thread');
const port = parentPort;

port.on('message', (msg: ToWorker & { cancelFlag?: Int32Array }) => {
  if (msg.type !== 'run') return;
  const { jobId, request } = msg;
  const flag = msg.cancelFlag;
  const post = (m: FromWorker) => port.postMessage(m);
  try {
    const result = runForecast(request, {
      onProgress: (done, total) => post({ type: 'progress', jobId, done, total }),
      isCancelled: () => (flag ? Atomics.load(flag, 0) === 1 : false),
    });
    post({ type: 'done', jobId, result });
  } catch (err) {
    if (err instanceof ForecastCancelled) post({ type: 'cancelled', jobId });
    else post({ type: 'failed', jobId, message: (err as Error).message });
  }
});
