import type { Envelope } from '../../../shared/contract/errors';
import type { LanternEvent } from '../../../shared/contract';
import type { CoreOptions } from '../core';

/**
 * What crosses between a host's thread and the core's worker thread. Everything here is
 * structured-cloneable: functions (the SecretBox, test fakes) cannot cross a thread, so the
 * worker takes only the serialisable options and asks the host for secrets (secretBridge.ts).
 */

/** The options a worker-hosted core accepts: the serialisable part of CoreOptions. */
export type SerialisableCoreOptions = Pick<CoreOptions, 'dataDir' | 'serverUrl' | 'token' | 'syncPageSize' | 'syncTimeoutMs'> & {
  /** A path: a URL object does not survive the structured clone as a URL. */
  engineWorkerFile?: string;
};

export interface CoreWorkerData {
  options: SerialisableCoreOptions;
  /** Set when the host has a SecretBox: the worker end of its synchronous bridge. */
  secret?: { port: import('node:worker_threads').MessagePort; signal: Int32Array };
}

/** Host → worker. */
export type ToCore = { type: 'call'; id: number; method: string; input: unknown } | { type: 'close' };

/** An error as it crosses a thread: enough to rebuild a typed StoreOpenError on the host side. */
export interface CrossedError {
  name: string;
  message: string;
  code?: string;
}

/** Worker → host. */
export type FromCore =
  | { type: 'ready' }
  | { type: 'startFailed'; error: CrossedError }
  | { type: 'answer'; id: number; envelope: Envelope<unknown> }
  | { type: 'event'; event: LanternEvent }
  | { type: 'closed' };

/**
 * Test-only hook: when this variable is "1" in the worker's environment, the worker answers the
 * method `__test.crash` by dying (`{ how: 'throw' }`: an uncaught exception; `'exit'`: the
 * thread exits). It exists so the crash handling can be tested against a real dead thread;
 * without the variable the name reaches the contract and is an unknown method like any other.
 */
export const TEST_CRASH_ENV = 'LANTERN_CORE_WORKER_TEST_HOOKS';
export const TEST_CRASH_METHOD = '__test.crash';
