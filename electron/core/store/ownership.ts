import type { EntityKind } from '../../../shared/domain/kinds';
import type { Db } from './db';

/**
 * Which merchant a row belongs to, by its table's parent chain (plan and audience pack →
 * merchant; unit and GD booking → plan; creative and words → unit). Tombstoned rows count: a
 * deleted row is still its account's unposted change.
 */
const OWNER_SQL: Record<EntityKind, { one: string; all: string }> = (() => {
  const viaPlan = (table: string) => ({
    one: `SELECT p.merchant_id FROM ${table} t JOIN plans p ON p.id = t.plan_id WHERE t.id = ?`,
    all: `SELECT t.id FROM ${table} t JOIN plans p ON p.id = t.plan_id WHERE p.merchant_id = ?`,
  });
  const viaUnit = (table: string) => ({
    one: `SELECT p.merchant_id FROM ${table} t JOIN units u ON u.id = t.unit_id JOIN plans p ON p.id = u.plan_id WHERE t.id = ?`,
    all: `SELECT t.id FROM ${table} t JOIN units u ON u.id = t.unit_id JOIN plans p ON p.id = u.plan_id WHERE p.merchant_id = ?`,
  });
  return {
    plan: { one: 'SELECT merchant_id FROM plans WHERE id = ?', all: 'SELECT id FROM plans WHERE merchant_id = ?' },
    audiencePack: { one: 'SELECT merchant_id FROM audience_packs WHERE id = ?', all: 'SELECT id FROM audience_packs WHERE merchant_id = ?' },
    unit: viaPlan('units'),
    gdBooking: viaPlan('gd_bookings'),
    creative: viaUnit('creatives'),
    searchWord: viaUnit('search_words'),
    negativeWord: viaUnit('negative_words'),
  };
})();

/** Row ownership for reads and imports scoped to one merchant of a store that holds several. */
export function rowOwnership(db: Db) {
  const kinds = Object.keys(OWNER_SQL) as EntityKind[];
  const one = new Map(kinds.map((k) => [k, db.prepare(OWNER_SQL[k].one).pluck()]));
  const all = new Map(kinds.map((k) => [k, db.prepare(OWNER_SQL[k].all).pluck()]));
  const merchants = db.prepare('SELECT id FROM merchants').pluck();
  return {
    /** The merchant owning the row; undefined when there is no such row here (or no such kind). */
    ownerOf(kind: string, id: string): string | undefined {
      return one.get(kind as EntityKind)?.get(id) as string | undefined;
    },
    /**
     * A test "is this row the merchant's?" for a loop over many rows (an outbox): each kind's ids
     * are read once, on first need. With the merchant alone in the store, every row is its own.
     */
    ownedBy(merchantId: string): (kind: string, id: string) => boolean {
      const ids = merchants.all() as string[];
      if (ids.length === 1 && ids[0] === merchantId) return () => true;
      const byKind = new Map<string, Set<string>>();
      return (kind, id) => {
        let set = byKind.get(kind);
        if (!set) {
          const stmt = all.get(kind as EntityKind);
          byKind.set(kind, (set = new Set(stmt ? (stmt.all(merchantId) as string[]) : [])));
        }
        return set.has(id);
      };
    },
  };
}
