import { create } from 'zustand';
import { ContractError, type ErrorDetails, type FieldIssue, type LanternEvent, type MethodOutput, type SyncSummary } from '../../../shared/contract';
import { call } from '../api/call';

export type SyncPhase = 'push' | 'pull' | 'market' | 'stats';

export interface SyncFailure {
  code: string;
  message: string;
  issues?: FieldIssue[];
  details?: ErrorDetails;
}

/** A merchant of the running sync that finished (sync.merchant event). */
export type MerchantFinished = Omit<Extract<LanternEvent, { type: 'sync.merchant' }>, 'type'>;

export interface SyncRunState {
  running: boolean;
  progress: { phase: SyncPhase; done: number; total: number; merchantId: string } | null;
  /** The merchants the running sync has finished so far (a failed one shows while the others go on). */
  finished: MerchantFinished[];
  /** The last finished sync's answer (kept until the next one finishes). */
  result: SyncSummary | null;
  /** The last sync's failure, as the contract typed it (offline is shown as a state, not an error). */
  error: SyncFailure | null;
  /** The server could not be reached by the last sync (cleared by the next successful one). */
  offlineSince: string | null;
  setProgress(p: SyncRunState['progress']): void;
  noteFinished(m: MerchantFinished): void;
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
  finished: [],
  setProgress: (progress) => set((s) => (s.running ? { progress } : {})),
  noteFinished: (m) => set((s) => (s.running ? { finished: [...s.finished.filter((x) => x.merchantId !== m.merchantId), m] } : {})),
}));

export const toFailure = (err: unknown): SyncFailure =>
  err instanceof ContractError
    ? { code: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}), ...(err.details ? { details: err.details } : {}) }
    : { code: 'internal', message: err instanceof Error ? err.message : String(err) };

let inFlight: Promise<SyncSummary | null> | null = null;

/**
 * Starts a sync of `merchantIds` (default: every account in this store), or joins the one
 * running. Resolves with the summary, or null when it failed (the failure is in the store).
 * `onSettled` lets the caller refresh its queries.
 */
export function startSync(merchantIds?: string[], onSettled?: () => void): Promise<SyncSummary | null> {
  if (inFlight) return inFlight;
  useSyncRun.setState({ running: true, progress: null, error: null, finished: [] });
  inFlight = call('sync.run', merchantIds && merchantIds.length > 0 ? { merchantIds } : {})
    .then((summary) => {
      useSyncRun.setState({ result: summary, offlineSince: null });
      return summary;
    })
    .catch((err: unknown) => {
      const e = toFailure(err);
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

/**
 * "Get full account": asks first. Without `confirm` the core refuses when unposted work would
 * be lost (code `unposted_changes`, with the counts) and the caller asks the user; confirmed,
 * it writes a backup, discards and downloads. Shows as a running sync meanwhile.
 */
export async function getFullAccount(
  merchantId: string,
  confirm: boolean,
): Promise<{ ok: true; value: MethodOutput<'sync.refresh'> } | { ok: false; error: SyncFailure }> {
  if (inFlight) return { ok: false, error: { code: 'invalid_input', message: 'a sync is running' } };
  useSyncRun.setState({ running: true, progress: null, error: null });
  try {
    const value = await call('sync.refresh', confirm ? { merchantId, confirm: true } : { merchantId });
    useSyncRun.setState({ result: value.summary, offlineSince: null });
    return { ok: true, value };
  } catch (err) {
    const error = toFailure(err);
    if (error.code === 'offline') useSyncRun.setState((s) => ({ offlineSince: s.offlineSince ?? new Date().toISOString() }));
    return { ok: false, error };
  } finally {
    useSyncRun.setState({ running: false, progress: null });
  }
}
