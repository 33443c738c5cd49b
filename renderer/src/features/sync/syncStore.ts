import { create } from 'zustand';
import { ContractError, type SyncSummary } from '../../../../shared/contract';
import { call } from '../../api/call';

export type SyncPhase = 'push' | 'pull' | 'market' | 'stats';

export interface SyncRunState {
  running: boolean;
  progress: { phase: SyncPhase; done: number; total: number } | null;
  /** The last finished sync's answer (kept until the next one finishes). */
  result: SyncSummary | null;
  /** The last sync's failure, as the contract typed it (offline is not shown as an error). */
  error: { code: string; message: string } | null;
  /** The server could not be reached by the last sync (cleared by the next successful one). */
  offlineSince: string | null;
  setProgress(p: SyncRunState['progress']): void;
}

/**
 * The sync run lives here, not in a component, so the button, Ctrl/Cmd+S and any workspace
 * start the same run and all see its progress and result.
 */
export const useSyncRun = create<SyncRunState>()((set) => ({
  running: false,
  progress: null,
  result: null,
  error: null,
  offlineSince: null,
  setProgress: (progress) => set((s) => (s.running ? { progress } : {})),
}));

let inFlight: Promise<SyncSummary | null> | null = null;

/**
 * Starts a sync (or joins the one running). Resolves with the summary, or null when it failed;
 * the failure is in the store. `onSettled` lets the caller refresh its queries.
 */
export function startSync(onSettled?: () => void): Promise<SyncSummary | null> {
  if (inFlight) return inFlight;
  useSyncRun.setState({ running: true, progress: null, error: null });
  inFlight = call('sync.run', {})
    .then((summary) => {
      useSyncRun.setState({ result: summary, offlineSince: null });
      return summary;
    })
    .catch((err: unknown) => {
      const e = err instanceof ContractError ? { code: err.code, message: err.message } : { code: 'internal', message: String(err) };
      useSyncRun.setState((s) => ({ error: e, offlineSince: e.code === 'offline' ? (s.offlineSince ?? new Date().toISOString()) : null }));
      return null;
    })
    .finally(() => {
      useSyncRun.setState({ running: false, progress: null });
      inFlight = null;
      onSettled?.();
    });
  return inFlight;
}

export async function cancelSync(): Promise<boolean> {
  return (await call('sync.cancel', {})).cancelled;
}
