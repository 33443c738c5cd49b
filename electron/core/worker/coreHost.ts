import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Envelope } from '../../../shared/contract/errors';
import type { LanternEvent } from '../../../shared/contract';
import type { Core, SecretBox } from '../core';
import { acquireLock, StoreOpenError, type StoreOpenErrorCode } from '../store/db';
import type { CoreWorkerData, CrossedError, FromCore, SerialisableCoreOptions, ToCore } from './protocol';
import { serveSecretBox } from './secretBridge';

export interface CoreWorkerOptions extends SerialisableCoreOptions {
  /** Protects secrets at rest; runs on the host's thread (safeStorage is main's), asked by the worker. */
  secretBox?: SecretBox;
  /** The bundled worker entry (coreWorker.ts). Defaults to core-worker.js beside this bundle (dist/node). */
  workerFile?: string | URL;
}

/** Why a call got no answer from the core: the worker died under it, or the core is gone. */
const lost = (message: string, reason: string): Envelope<unknown> => ({ ok: false, error: { code: 'internal', message, details: { reason } } });
const CRASHED = lost('Lantern’s data engine stopped while doing this and was restarted; nothing half-done was kept. Check the result and try again.', 'core_restarted');
const FAILED = lost('Lantern’s data engine stopped and could not be restarted. Restart Lantern; your saved work is safe.', 'core_failed');
const CLOSED = lost('Lantern is closing; this was not done.', 'core_closed');

function revive(e: CrossedError): Error {
  if (e.name === 'StoreOpenError' && e.code) return new StoreOpenError(e.code as StoreOpenErrorCode, e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

interface Running {
  worker: Worker;
  /**
   * Settles when the worker has finished: true when its core closed the store and released the
   * folder's lock (it said so), false when the thread ended without saying it.
   */
  closed: Promise<boolean>;
}

/**
 * Starts the core in its own worker thread and returns the same Core the in-process
 * createCore does: the host's thread only forwards calls (by id), answers (the same typed
 * envelopes) and events. Rejects as createCore throws: a store that cannot open is a typed
 * StoreOpenError. If the worker dies unexpectedly it is restarted once (calls in flight get a
 * typed `internal` error, subscribers get `core.restarted`); a second death is `core.failed`,
 * after which every call answers a typed error. No edit is lost: each one is a transaction.
 */
export async function startCoreWorker(options: CoreWorkerOptions): Promise<Core> {
  const { secretBox, workerFile: givenFile, ...serialisable } = options;
  const workerFile = givenFile ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'core-worker.js');
  const listeners = new Set<(e: LanternEvent) => void>();
  const emit = (e: LanternEvent) => {
    for (const l of listeners) l(e);
  };
  const inflight = new Map<number, (e: Envelope<unknown>) => void>();
  const settleAll = (e: Envelope<unknown>) => {
    for (const answer of inflight.values()) answer(e);
    inflight.clear();
  };
  let nextId = 1;
  let current: Running | undefined;
  let ready: Promise<Running>;
  let restarted = false;
  let closing: Promise<void> | undefined;

  const spawn = (again = false): Promise<Running> => {
    const secret = secretBox ? serveSecretBox(secretBox) : undefined;
    // The server and token were stored by the first start; a restart must not write them again
    // over what the store holds by then.
    const { serverUrl: _url, token: _token, ...restartOptions } = serialisable;
    const workerData: CoreWorkerData = { options: again ? restartOptions : serialisable, ...(secret ? { secret: secret.workerEnds } : {}) };
    const worker = new Worker(workerFile, { workerData, transferList: secret ? [secret.workerEnds.port] : [] });
    let markClosed!: (clean: boolean) => void;
    const closed = new Promise<boolean>((r) => (markClosed = r));
    const running: Running = { worker, closed };
    return new Promise<Running>((resolve, reject) => {
      let started = false;
      let startError: Error | undefined;
      let lastError: Error | undefined;
      worker.on('message', (m: FromCore) => {
        switch (m.type) {
          case 'ready':
            started = true;
            resolve(running);
            break;
          case 'startFailed':
            startError = revive(m.error);
            break;
          case 'answer': {
            const answer = inflight.get(m.id);
            inflight.delete(m.id);
            answer?.(m.envelope);
            break;
          }
          case 'event':
            emit(m.event);
            break;
          case 'closed':
            markClosed(true);
            break;
        }
      });
      worker.on('error', (err) => (lastError = err));
      // 'exit' comes after every message the worker posted: the start failure is known by then.
      worker.on('exit', (code) => {
        secret?.close();
        markClosed(false);
        if (!started) {
          reject(startError ?? lastError ?? new Error(`Lantern's core stopped before it started (exit code ${code})`));
        } else if (current === running && !closing) {
          console.error('[lantern] the core worker stopped unexpectedly:', lastError ?? `exit code ${code}`);
          crashed();
        }
      });
    });
  };

  const crashed = () => {
    current = undefined;
    settleAll(CRASHED);
    if (restarted) {
      settleFailed();
      return;
    }
    restarted = true;
    ready = spawn(true).then(
      (r) => {
        current = r;
        emit({ type: 'core.restarted' });
        return r;
      },
      (err: unknown) => {
        console.error('[lantern] the core worker could not be restarted:', err);
        return settleFailed();
      },
    );
    ready.catch(() => {}); // callers handle it (call answers FAILED); none may be left unhandled
  };
  const settleFailed = (): Promise<never> => {
    const failed = Promise.reject(new Error('the core failed'));
    failed.catch(() => {}); // callers handle it (call answers FAILED); none may be left unhandled
    ready = failed;
    releaseOrphanLock(serialisable.dataDir);
    emit({ type: 'core.failed' });
    return failed;
  };

  current = await spawn();
  ready = Promise.resolve(current);

  return {
    dataDir: options.dataDir,
    async call(method, input) {
      if (closing) return CLOSED;
      let running: Running;
      try {
        // The worker this call waited for may have died meanwhile: then wait for its successor.
        do running = await ready;
        while (running !== current && !closing);
      } catch {
        return FAILED;
      }
      if (closing) return CLOSED;
      const id = nextId++;
      return new Promise<Envelope<unknown>>((resolve) => {
        inflight.set(id, resolve);
        try {
          running.worker.postMessage({ type: 'call', id, method, input } satisfies ToCore);
        } catch (err) {
          // The input cannot cross a thread (a function, a symbol): it was never valid contract input.
          inflight.delete(id);
          resolve({ ok: false, error: { code: 'invalid_input', message: `invalid input: ${(err as Error).message}` } });
        }
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closing ??= (async () => {
        const running = current;
        // A restart may be under way: let it finish, then close what it started.
        const settled = await ready.then(
          (r) => r,
          () => undefined,
        );
        const target = settled ?? running;
        if (!target || target !== current) return;
        target.worker.postMessage({ type: 'close' } satisfies ToCore);
        const clean = await target.closed;
        await target.worker.terminate();
        settleAll(CLOSED);
        current = undefined;
        if (!clean) releaseOrphanLock(serialisable.dataDir);
      })();
      return closing;
    },
  };
}

/**
 * After the worker died for good, its lock file (holding this process's pid) is left behind;
 * its store was closed with the thread (better-sqlite3 closes on thread exit). Taking over our
 * own stale lock and releasing it lets another Lantern open the folder without a false "in use".
 */
function releaseOrphanLock(dataDir: string): void {
  try {
    acquireLock(dataDir)();
  } catch {
    /* another live process holds it: not ours to release */
  }
}
