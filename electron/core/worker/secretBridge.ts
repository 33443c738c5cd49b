import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { SecretBox } from '../core';

/**
 * The host's SecretBox (safeStorage in Electron main: only main can reach the OS keychain),
 * offered to the core's worker synchronously, so core.ts keeps its sync SecretBox interface.
 * The worker posts a request on a dedicated port and sleeps on a shared flag (Atomics.wait);
 * the host answers on the port, then raises the flag. The answer is in the port's queue before
 * the flag rises (postMessage enqueues synchronously), so receiveMessageOnPort finds it.
 * Sealing happens when a token is given and opening once per sync: rare, short waits.
 */

type Request = { op: 'seal' | 'open'; text: string };
type Reply = { ok: true; text: string } | { ok: false; message: string };

export interface SecretBridgeEnds {
  port: MessagePort;
  signal: Int32Array;
}

/** Host side: answers the worker's requests with `box`. `close()` when the worker is gone. */
export function serveSecretBox(box: SecretBox): { workerEnds: SecretBridgeEnds; close(): void } {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  port1.on('message', (req: Request) => {
    let reply: Reply;
    try {
      reply = { ok: true, text: req.op === 'seal' ? box.seal(req.text) : box.open(req.text) };
    } catch (err) {
      reply = { ok: false, message: (err as Error)?.message ?? String(err) };
    }
    port1.postMessage(reply);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  });
  // Waiting for the worker's requests must not keep a host alive that is otherwise done.
  port1.unref();
  return { workerEnds: { port: port2, signal }, close: () => port1.close() };
}

/** Worker side: a SecretBox whose every call blocks this thread until the host answers. */
export function secretBoxClient({ port, signal }: SecretBridgeEnds): SecretBox {
  const ask = (op: Request['op'], text: string): string => {
    Atomics.store(signal, 0, 0);
    port.postMessage({ op, text } satisfies Request);
    Atomics.wait(signal, 0, 0);
    const got = receiveMessageOnPort(port);
    if (!got) throw new Error('the host did not answer the secret request');
    const reply = got.message as Reply;
    // The same failure the in-process box would throw: core.ts turns it into a typed error.
    if (!reply.ok) throw new Error(reply.message);
    return reply.text;
  };
  return { seal: (plain) => ask('seal', plain), open: (sealed) => ask('open', sealed) };
}
