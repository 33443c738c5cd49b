import type { Db } from './db';

/**
 * WAL checkpoints off the edit path. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses its threshold (1,000 pages): it copies the WAL into the database file and syncs it, so
 * every 100k-row bulk edit (~5,000 pages) would pay for one while the user waits. The store
 * raises the threshold to a safety net (128 MB of WAL at 4 KB pages: a burst of about twenty
 * 100k-row edits without a pause) and checkpoints once writes have stopped for a moment
 * instead; the WAL file is cut back to 32 MB after a checkpoint (journal_size_limit). Nothing is less durable: a commit is in the WAL either way,
 * and an unclean exit replays the WAL on the next open.
 */
export const IDLE_CHECKPOINT_MS = 750;
export const SAFETY_NET_PAGES = 32_768;
const WAL_SIZE_LIMIT_BYTES = 32 * 1024 * 1024;

export function idleCheckpointer(db: Db, idleMs = IDLE_CHECKPOINT_MS) {
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  let seen = totalChanges.get() as number;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let checkpoints = 0;
  const run = () => {
    timer = undefined;
    if (!db.open || db.inTransaction) return;
    // PASSIVE: never waits for readers; what it cannot copy now, the next one will.
    db.pragma('wal_checkpoint(PASSIVE)');
    checkpoints++;
  };
  return {
    /** After each contract call: schedules a checkpoint when the call wrote something. */
    touched(): void {
      if (!db.open) return;
      const n = totalChanges.get() as number;
      if (n === seen) return;
      seen = n;
      if (timer) clearTimeout(timer);
      timer = setTimeout(run, idleMs);
      timer.unref?.();
    },
    /** How many idle checkpoints have run (for tests and diagnostics). */
    get checkpoints(): number {
      return checkpoints;
    },
    close(): void {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
