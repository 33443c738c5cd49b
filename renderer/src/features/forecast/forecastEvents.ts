import type { LanternEvent } from '../../../../shared/contract';
import { host } from '../../host';

export type ProgressEvent = Extract<LanternEvent, { type: 'forecast.progress' }>;
type Listener = (e: ProgressEvent) => void;

// One host subscription for every forecast run on screen: in browser mode each subscription is
// an SSE connection, and the browser allows only a few per origin.
const listeners = new Set<Listener>();
let unsubscribe: (() => void) | null = null;

export function onForecastProgress(listener: Listener): () => void {
  listeners.add(listener);
  unsubscribe ??= host.subscribe((e) => {
    if (e.type === 'forecast.progress') for (const l of listeners) l(e);
  });
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      unsubscribe?.();
      unsubscribe = null;
    }
  };
}
