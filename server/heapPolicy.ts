import v8 from 'node:v8';

/**
 * How far V8 lets the backend's heap grow past the live data before a full collection.
 *
 * By default V8 sets the next full collection at up to ~4× the heap that survived the last one.
 * The backend's live heap is small (~15 MB serving a 200k-entity account) but it passes through
 * large transient peaks: rebuilding the serving tables holds the old and the new ones (~70 MB)
 * while requests are served. A full collection that lands in such a peak set the next one at
 * ~150 MB or more, and /v1/decide under load (garbage promoted at ~7 MB/s) then filled the old
 * generation up to it. Measured on the sync bench's account (start, two feed downloads, a push,
 * the rebuild, 20 s of decisions at 64 connections): peak RSS 293–303 MB with the default, 212–219
 * MB with growth capped at 1.5×, at the same decisions per second. A cap, not a limit: the heap
 * still grows as far as the live data needs.
 *
 * The desktop core has the same policy (electron/core/heapPolicy.ts); this is the backend's own
 * copy because server/ depends only on shared/, which is pure TypeScript (no node:v8), and the
 * backend always runs as its own process (server/cli.ts).
 */
export const HEAP_GROWING_PERCENT = 50;

let applied = false;
export function capHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  if (applied) return;
  applied = true;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
