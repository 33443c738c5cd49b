import type { Db } from '../store/db';

/**
 * The plan a row belongs to, by its table's parent chain (as merchants.ts resolves the merchant).
 * The sync's only "which plan owns this row" question; store/ops.ts asks its own copy. Both are
 * to be replaced by one ownership module derived from the kinds' metadata (issue 13, item 3).
 */
export function planResolver(db: Db): (kind: string, id: string) => string | undefined {
  const q = (sql: string) => db.prepare(sql).pluck();
  const byKind: Partial<Record<string, ReturnType<typeof q>>> = {
    unit: q('SELECT plan_id FROM units WHERE id = ?'),
    gdBooking: q('SELECT plan_id FROM gd_bookings WHERE id = ?'),
    creative: q('SELECT u.plan_id FROM creatives x JOIN units u ON u.id = x.unit_id WHERE x.id = ?'),
    searchWord: q('SELECT u.plan_id FROM search_words x JOIN units u ON u.id = x.unit_id WHERE x.id = ?'),
    negativeWord: q('SELECT u.plan_id FROM negative_words x JOIN units u ON u.id = x.unit_id WHERE x.id = ?'),
  };
  return (kind, id) => byKind[kind]?.get(id) as string | undefined;
}
