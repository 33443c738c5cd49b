import { ENTITY_KINDS } from '../../../shared/domain/kinds';
import { cached, type Db } from '../store/db';
import type { Journal } from '../store/journal';
import { chainOf, idsUnderSql, ownedByMerchantSql, tableOf, type Ownership } from '../store/ownership';
import type { Settings } from '../store/settings';
import { forgetMerchantSync } from './settingsKeys';
import type { SyncState } from './state';

/** Unposted work of one merchant: rows with unposted changes and open conflicts. */
export function unpostedOf(deps: { journal: Journal; owners: Ownership; state: SyncState }, merchantId: string): { rows: number; fields: number; conflicts: number } {
  const accountOf = deps.owners.accounts();
  const rows = new Set<string>();
  let fields = 0;
  for (const r of deps.journal.outbox()) {
    if (accountOf(r.entity, r.entityId) !== merchantId) continue;
    rows.add(`${r.entity}:${r.entityId}`);
    fields++;
  }
  const conflicts = deps.state.conflicts().filter((c) => accountOf(c.entity, c.entityId) === merchantId).length;
  return { rows: rows.size, fields, conflicts };
}

/** Each table of a merchant's account, children first (deepest chain first), with how to find its rows. */
const ACCOUNT_TABLES: { kind: string; table: string; where: string }[] = [...ENTITY_KINDS]
  .sort((a, b) => chainOf(b).length - chainOf(a).length)
  .map((kind) => ({ kind, table: tableOf(kind).table, where: ownedByMerchantSql(kind, tableOf(kind).table) }));

/**
 * Forgets what this store has of one merchant, in one transaction, so the next pull downloads
 * it whole: its unposted changes are settled (the caller has asked and taken a backup), its rows,
 * their journal history (undo cannot reach rows that are gone), their sync bookkeeping and
 * stats, and its cursor. The merchant row and the other merchants stay as they are.
 * Returns how many unposted rows were discarded.
 */
export function discardMerchant(deps: { db: Db; journal: Journal; settings: Settings; state: SyncState; owners: Ownership }, merchantId: string): number {
  const { db, journal, settings, state, owners } = deps;
  return db.transaction(() => {
    const accountOf = owners.accounts();
    const discarded = new Set<string>();
    for (const r of journal.outbox()) {
      if (accountOf(r.entity, r.entityId) !== merchantId) continue;
      journal.markPosted(r.entity, r.entityId, r.field, r.id);
      discarded.add(`${r.entity}:${r.entityId}`);
    }
    cached(db, `DELETE FROM sync_stats WHERE plan_id IN (${idsUnderSql('plan', '?')})`).run(merchantId);
    const inJson = 'entity = ? AND entity_id IN (SELECT value FROM json_each(?))';
    const touchedBatches = cached(db, `SELECT DISTINCT batch_id FROM journal WHERE ${inJson}`).pluck();
    const dropJournal = cached(db, `DELETE FROM journal WHERE posted_at IS NOT NULL AND ${inJson}`);
    const batches = new Set<number>();
    for (const t of ACCOUNT_TABLES) {
      const ids = cached(db, `SELECT id FROM ${t.table} WHERE ${t.where}`).pluck().all(merchantId) as string[];
      for (const id of ids) state.forget(t.kind, id);
      for (let i = 0; i < ids.length; i += 5000) {
        const chunk = JSON.stringify(ids.slice(i, i + 5000));
        for (const b of touchedBatches.all(t.kind, chunk) as number[]) batches.add(b);
        dropJournal.run(t.kind, chunk);
      }
      cached(db, `DELETE FROM ${t.table} WHERE ${t.where}`).run(merchantId);
    }
    // Batches left without rows (their every change was of this merchant) leave the undo stack.
    const dropBatch = cached(db, 'DELETE FROM batches WHERE id = ? AND NOT EXISTS (SELECT 1 FROM journal WHERE batch_id = ?)');
    for (const b of batches) dropBatch.run(b, b);
    forgetMerchantSync(settings, merchantId);
    return discarded.size;
  })();
}
