import { cached, type Db } from '../store/db';
import type { Journal } from '../store/journal';
import type { Settings } from '../store/settings';
import { forgetMerchantSync } from './client';
import type { MerchantResolver } from './merchants';
import type { SyncState } from './state';

/** Unposted work of one merchant: rows with unposted changes and open conflicts. */
export function unpostedOf(deps: { journal: Journal; merchants: MerchantResolver; state: SyncState }, merchantId: string): { rows: number; fields: number; conflicts: number } {
  const rows = new Set<string>();
  let fields = 0;
  for (const r of deps.journal.outbox()) {
    if (deps.merchants.of(r.entity, r.entityId) !== merchantId) continue;
    rows.add(`${r.entity}:${r.entityId}`);
    fields++;
  }
  const conflicts = deps.state.conflicts().filter((c) => deps.merchants.of(c.entity, c.entityId) === merchantId).length;
  return { rows: rows.size, fields, conflicts };
}

/** Each table of a merchant's account, children first, with how to find its rows. */
const ACCOUNT_TABLES: { kind: string; table: string; where: string }[] = [
  { kind: 'creative', table: 'creatives', where: 'unit_id IN (SELECT u.id FROM units u JOIN plans p ON p.id = u.plan_id WHERE p.merchant_id = ?)' },
  { kind: 'searchWord', table: 'search_words', where: 'unit_id IN (SELECT u.id FROM units u JOIN plans p ON p.id = u.plan_id WHERE p.merchant_id = ?)' },
  { kind: 'negativeWord', table: 'negative_words', where: 'unit_id IN (SELECT u.id FROM units u JOIN plans p ON p.id = u.plan_id WHERE p.merchant_id = ?)' },
  { kind: 'unit', table: 'units', where: 'plan_id IN (SELECT id FROM plans WHERE merchant_id = ?)' },
  { kind: 'gdBooking', table: 'gd_bookings', where: 'plan_id IN (SELECT id FROM plans WHERE merchant_id = ?)' },
  { kind: 'plan', table: 'plans', where: 'merchant_id = ?' },
  { kind: 'audiencePack', table: 'audience_packs', where: 'merchant_id = ?' },
];

/**
 * Forgets what this store has of one merchant, in one transaction, so the next pull downloads
 * it whole: its unposted changes are settled (the caller has asked and taken a backup), its rows,
 * their journal history (undo cannot reach rows that are gone), their sync bookkeeping and
 * stats, and its cursor. The merchant row and the other merchants stay as they are.
 * Returns how many unposted rows were discarded.
 */
export function discardMerchant(deps: { db: Db; journal: Journal; settings: Settings; state: SyncState; merchants: MerchantResolver }, merchantId: string): number {
  const { db, journal, settings, state, merchants } = deps;
  return db.transaction(() => {
    const discarded = new Set<string>();
    for (const r of journal.outbox()) {
      if (merchants.of(r.entity, r.entityId) !== merchantId) continue;
      journal.markPosted(r.entity, r.entityId, r.field, r.id);
      discarded.add(`${r.entity}:${r.entityId}`);
    }
    cached(db, 'DELETE FROM sync_stats WHERE plan_id IN (SELECT id FROM plans WHERE merchant_id = ?)').run(merchantId);
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
