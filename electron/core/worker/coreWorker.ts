import { parentPort, workerData } from 'node:worker_threads';
import { createCore, type Core } from '../core';
import { secretBoxClient } from './secretBridge';
import { TEST_CRASH_ENV, TEST_CRASH_METHOD, type CoreWorkerData, type CrossedError, type FromCore, type ToCore } from './protocol';

/**
 * The core's worker thread (bundled as core-worker.js / .mjs): runs createCore here, so no
 * SQLite statement runs on the thread that routes a window's input, and speaks coreHost.ts's
 * protocol over parentPort. Started only by startCoreWorker.
 */
if (!parentPort) throw new Error('core-worker runs as a worker thread (startCoreWorker), not as a script');
const port = parentPort;
const data = workerData as CoreWorkerData;
const send = (m: FromCore) => port.postMessage(m);

function crossed(err: unknown): CrossedError {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) };
}

function start(): Core | undefined {
  try {
    return createCore({ ...data.options, ...(data.secret ? { secretBox: secretBoxClient(data.secret) } : {}) });
  } catch (err) {
    // A store that cannot open (locked, damaged, newer) reaches the host typed; closing the
    // port lets the thread end (the host waits for its exit, which comes after this message).
    send({ type: 'startFailed', error: crossed(err) });
    port.close();
    return undefined;
  }
}

const core = start();
if (core) serve(core);

function serve(core: Core): void {
  core.subscribe((event) => send({ type: 'event', event }));
  const testHooks = process.env[TEST_CRASH_ENV] === '1';
  port.on('message', (m: ToCore) => {
    if (m.type === 'call') {
      if (testHooks && m.method === TEST_CRASH_METHOD) {
        if ((m.input as { how?: string } | null)?.how === 'exit') process.exit(3);
        // Thrown outside any handler (a timer), as a real bug in a callback would be.
        setImmediate(() => {
          throw new Error('core worker crashed on purpose (test hook)');
        });
        return;
      }
      void core.call(m.method, m.input).then((envelope) => {
        try {
          send({ type: 'answer', id: m.id, envelope });
        } catch (err) {
          // A value that cannot be cloned (a bug in a handler): a typed error, not a lost answer.
          send({ type: 'answer', id: m.id, envelope: { ok: false, error: { code: 'internal', message: `Something went wrong inside Lantern: ${(err as Error).message}` } } });
        }
      });
    } else if (m.type === 'close') {
      // The store closes, then the lock is released (core.close), and only then the host hears it.
      void core.close().then(
        () => send({ type: 'closed' }),
        (err: unknown) => {
          console.error('[lantern core] close failed', err);
          send({ type: 'closed' });
        },
      );
    }
  });
  send({ type: 'ready' });
}
