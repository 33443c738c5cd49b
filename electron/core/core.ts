import type { Envelope } from '../../shared/contract/errors';
import type { LanternEvent } from '../../shared/contract';
import { createContext } from './context';
import { toContractError } from './contractError';
import { capHeapGrowth } from './heapPolicy';
import { accountHandlers } from './handlers/accounts';
import { brandingHandlers } from './handlers/branding';
import { editHandlers } from './handlers/edit';
import { forecastHandlers } from './handlers/forecast';
import { gridHandlers } from './handlers/grid';
import { inspectHandlers } from './handlers/inspect';
import { planHandlers } from './handlers/plans';
import { syncHandlers } from './handlers/sync';
import type { Handlers } from './handlers/types';
import type { CoreOptions } from './options';
import { syncRunner } from './sync/orchestrate';
import { parseInput } from './validate';

export type { CoreOptions, SecretBox } from './options';

/** The contract, implemented over one data folder. */
export interface Core {
  /** Validates `input` against the contract and runs the method; never throws. */
  call(method: string, input: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (e: LanternEvent) => void): () => void;
  readonly dataDir: string;
  close(): Promise<void>;
}

/**
 * Opens the data folder and composes the handlers of every contract area. Each area lives in
 * `handlers/<area>.ts` beside its contract file; what they share is built in `context.ts`.
 */
export function createCore(options: CoreOptions): Core {
  capHeapGrowth();
  const ctx = createContext(options);
  // The mapped type makes a contract method without a handler a compile error here.
  const handlers: Handlers = {
    ...planHandlers(ctx),
    ...forecastHandlers(ctx),
    ...syncHandlers(ctx, syncRunner(ctx)),
    ...editHandlers(ctx),
    ...inspectHandlers(ctx),
    ...accountHandlers(ctx),
    ...gridHandlers(ctx),
    ...brandingHandlers(ctx),
  };
  let closed = false;

  return {
    dataDir: options.dataDir,
    async call(method, raw) {
      try {
        const { method: m, input } = parseInput(method, raw);
        // The handler map is keyed by method; TypeScript cannot correlate m with input here.
        const handler = handlers[m] as (i: unknown) => Promise<unknown> | unknown;
        return { ok: true, value: await handler(input) };
      } catch (err) {
        return { ok: false, error: toContractError(err).toJSON() };
      } finally {
        ctx.checkpointer.touched();
      }
    },
    subscribe(listener) {
      ctx.listeners.add(listener);
      return () => ctx.listeners.delete(listener);
    },
    async close() {
      // Idempotent: a second close must not release the data folder's lock again (it may be
      // another core's by then, in the same process).
      if (closed) return;
      closed = true;
      for (const close of ctx.closers) await close();
      ctx.checkpointer.close();
      ctx.db.close();
      ctx.db.releaseLock?.();
    },
  };
}
