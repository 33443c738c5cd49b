import type { RetryPolicy } from './sync/transport';

/** What a host gives `createCore`. Hosts that run the core in a worker pass only serialisable fields. */
export interface CoreOptions {
  /** Folder holding all local state (SQLite file, settings). */
  dataDir: string;
  /** Reference backend to sync with; stored in settings so a restart keeps it. */
  serverUrl?: string;
  token?: string;
  /** The engine worker script (bundled). Defaults to engine-worker.js beside this bundle. */
  engineWorkerFile?: string | URL;
  /**
   * Protects secrets at rest (the sync token). Electron passes one backed by safeStorage (the OS
   * keychain); browser mode has none, so the token is stored as given (loopback demo tokens).
   */
  secretBox?: SecretBox;
  /** HTTP for sync; tests inject faults here (a lost answer, a reset connection). */
  fetchImpl?: typeof fetch;
  /** Sync retries (network errors, 5xx): tests shorten the backoff. */
  syncRetry?: RetryPolicy;
  /** Feed page size (default 5000, the server's largest); tests page with small ones. */
  syncPageSize?: number;
  /** Per-request timeout of sync (default 30 s). */
  syncTimeoutMs?: number;
  /** The day forecasts start on (merchant-local YYYY-MM-DD); defaults to tomorrow in the merchant's zone. */
  today?: () => string;
}

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}
