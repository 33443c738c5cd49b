// No better-sqlite3 here: the host's thread (Electron main) recognises these errors without
// loading the database driver, which only the core's worker uses.

export type StoreOpenErrorCode = 'store_locked' | 'store_damaged' | 'store_newer' | 'store_drift';

/**
 * Why the local store could not be opened. Hosts show `message` and stop; they never create a
 * new empty database in its place.
 */
export class StoreOpenError extends Error {
  readonly code: StoreOpenErrorCode;
  constructor(code: StoreOpenErrorCode, message: string) {
    super(message);
    this.name = 'StoreOpenError';
    this.code = code;
  }
}

export function isStoreOpenError(err: unknown): err is StoreOpenError {
  return err instanceof Error && err.name === 'StoreOpenError';
}
