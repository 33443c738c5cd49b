import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ContractError } from '../../../shared/contract/errors';
import type { ForecastResult } from '../../../shared/engine';
import type { EngineJob, EngineJobResult, FromWorker } from './protocol';

export interface RunningJob<T extends EngineJobResult = EngineJobResult> {
  result: Promise<T>;
  cancel(): void;
}

export interface JobListeners {
  onProgress?: (done: number, total: number) => void;
  /** A forecast's fast first estimate, before the refined result. */
  onEstimate?: (estimate: ForecastResult) => void;
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

interface Pending {
  jobId: number;
  job: EngineJob;
  cancelFlag: Int32Array;
  listeners: JobListeners;
  resolve: (r: EngineJobResult) => void;
  reject: (e: Error) => void;
}

/**
 * A small pool of engine worker threads. Jobs (forecast, landscape, diagnosis) queue when every worker is busy; a
 * cancelled job is dropped from the queue or stopped at its next simulated hour.
 */
export class EnginePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<number, { slot: Slot; job: Pending }>();
  private nextJobId = 1;
  private closed = false;

  constructor(
    private readonly workerFile: string | URL,
    size = Math.max(1, Math.min(2, os.availableParallelism() - 1)),
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerFile);
    const slot: Slot = { worker, busy: false };
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (err) => this.onCrash(slot, err));
    worker.unref();
    return slot;
  }

  /** Queues a job; the caller names the result type its job kind produces. */
  run<T extends EngineJobResult>(engineJob: EngineJob, listeners: JobListeners = {}): RunningJob<T> {
    if (this.closed) throw new ContractError('internal', 'the engine pool is closed');
    const cancelFlag = new Int32Array(new SharedArrayBuffer(4));
    let job!: Pending;
    const result = new Promise<T>((resolve, reject) => {
      job = { jobId: this.nextJobId++, job: engineJob, cancelFlag, listeners, resolve: resolve as (r: EngineJobResult) => void, reject };
    });
    this.queue.push(job);
    this.pump();
    return {
      result,
      cancel: () => {
        const i = this.queue.indexOf(job);
        if (i >= 0) {
          this.queue.splice(i, 1);
          job.reject(new ContractError('cancelled', 'forecast cancelled'));
        } else {
          Atomics.store(cancelFlag, 0, 1);
        }
      },
    };
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.busy = true;
      slot.worker.ref();
      this.running.set(job.jobId, { slot, job });
      slot.worker.postMessage({ type: 'run', jobId: job.jobId, job: job.job, cancelFlag: job.cancelFlag });
    }
  }

  private finish(slot: Slot, jobId: number): Pending | undefined {
    const entry = this.running.get(jobId);
    this.running.delete(jobId);
    slot.busy = false;
    slot.worker.unref();
    queueMicrotask(() => this.pump());
    return entry?.job;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.type === 'progress') {
      this.running.get(m.jobId)?.job.listeners.onProgress?.(m.done, m.total);
      return;
    }
    if (m.type === 'estimate') {
      this.running.get(m.jobId)?.job.listeners.onEstimate?.(m.result);
      return;
    }
    const job = this.finish(slot, m.jobId);
    if (!job) return;
    if (m.type === 'done') job.resolve(m.result);
    else if (m.type === 'cancelled') job.reject(new ContractError('cancelled', 'forecast cancelled'));
    else job.reject(new ContractError('internal', `the engine failed: ${m.message}`));
  }

  private onCrash(slot: Slot, err: Error): void {
    for (const [jobId, entry] of this.running) {
      if (entry.slot !== slot) continue;
      this.running.delete(jobId);
      entry.job.reject(new ContractError('internal', `the engine worker crashed: ${err.message}`));
    }
    const i = this.slots.indexOf(slot);
    if (i >= 0 && !this.closed) this.slots[i] = this.spawn();
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new ContractError('cancelled', 'the app is closing'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
