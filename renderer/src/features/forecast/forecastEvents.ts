import { useSyncExternalStore } from 'react';
import type { LanternEvent } from '../../../../shared/contract';
import { host } from '../../host';

export type ProgressEvent = Extract<LanternEvent, { type: 'forecast.progress' }>;
type Listener = (e: ProgressEvent) => void;

// One host subscription for every forecast on screen: in browser mode each subscription is an
// SSE connection, and the browser allows only a few per origin.
const listeners = new Set<Listener>();
const revisionListeners = new Set<() => void>();
let unsubscribe: (() => void) | null = null;
/** Bumped on every journal change: a forecast's inputs (the plan, its units) may have changed. */
let revision = 0;

function ensureSubscribed() {
  unsubscribe ??= host.subscribe((e) => {
    if (e.type === 'forecast.progress') for (const l of listeners) l(e);
    else if (e.type === 'journal.changed') {
      revision += 1;
      for (const l of revisionListeners) l();
    }
  });
}
function maybeUnsubscribe() {
  if (listeners.size === 0 && revisionListeners.size === 0) {
    unsubscribe?.();
    unsubscribe = null;
  }
}

export function onForecastProgress(listener: Listener): () => void {
  listeners.add(listener);
  ensureSubscribed();
  return () => {
    listeners.delete(listener);
    maybeUnsubscribe();
  };
}

/** The journal revision seen by this window: part of every forecast's query key, so an edit re-forecasts. */
export function useJournalRevision(): number {
  return useSyncExternalStore(
    (onChange) => {
      revisionListeners.add(onChange);
      ensureSubscribed();
      return () => {
        revisionListeners.delete(onChange);
        maybeUnsubscribe();
      };
    },
    () => revision,
  );
}
