import v8 from 'node:v8';

/**
 * How far V8 lets the heap grow past the live data before a full collection, for the process
 * that hosts the core (the Electron main process, the browser-mode host, the backend).
 *
 * By default V8 lets the old generation reach up to 4× the live heap when collections are cheap
 * compared with the work in between: tuned for web pages, not for a process that parses a
 * 100k-line CSV import (≈300 MB allocated, ≈50 MB of it promoted, ~20 MB still live at the end)
 * or walks a 220k-change outbox. Measured on the store bench (200k-entity account), peak RSS
 * was 506 MB with the default and 367 MB with growth capped at 1.5×; the time targets still
 * pass (see the README's benchmark notes). A cap, not a limit: the heap still grows as far as
 * the live data needs, so nothing runs out of memory sooner.
 */
export const HEAP_GROWING_PERCENT = 50;

let applied = false;
export function capHeapGrowth(percent = HEAP_GROWING_PERCENT): void {
  if (applied) return;
  applied = true;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}
