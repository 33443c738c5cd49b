import type { ForecastEstimate } from './forecastEstimate';
import type { ProfileName } from './session';
import type { SyncFailureReason, SyncOutcome } from './sync';

/** Events a host pushes to the renderer (IPC in Electron, SSE in browser mode). */
export type LanternEvent =
  | { type: 'journal.changed'; entity: string; entityId: string }
  /** `merchantId`: the account being synced (a sync may cover several, one after another). */
  | { type: 'sync.progress'; phase: 'push' | 'pull' | 'market' | 'stats'; done: number; total: number; merchantId: string }
  /** One merchant of a running sync finished (the sync goes on with the next): how, and why not when it failed. */
  | { type: 'sync.merchant'; merchantId: string; outcome: SyncOutcome; failure?: SyncFailureReason; errors?: number }
  /** `estimate` is set on the event sent when the fast first estimate is ready; `requestId` echoes the run's. */
  | { type: 'forecast.progress'; planId: string; done: number; total: number; estimate?: ForecastEstimate; requestId?: string }
  /**
   * The core's worker thread stopped unexpectedly and was started again (once): saved edits are
   * intact (each is a transaction); a call that was running got an `internal` error.
   */
  | { type: 'core.restarted' }
  /** It stopped a second time and was not restarted: every call now fails until Lantern restarts. */
  | { type: 'core.failed' }
  /** The server refused the saved token as expired or revoked (mid-sync too): sign in again; nothing local is lost. */
  | { type: 'session.expired' }
  /** The host opened the other profile (demo / account): every view reloads. */
  | { type: 'profile.changed'; profile: ProfileName };
