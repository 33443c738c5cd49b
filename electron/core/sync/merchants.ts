import type { EntityKind } from '../../../shared/domain/kinds';
import type { Merchant } from '../../../shared/domain/entities';
import type { AccountSummary } from '../../../shared/sync/wire';
import type { Db } from '../store/db';

/**
 * Which merchant an entity belongs to, by its table's parent chain (plan → merchant, unit →
 * plan, creative/words → unit, GD booking → plan, audience pack → merchant). Tombstoned rows
 * resolve too: a deleted row still has to be posted to its own account.
 */
export function merchantResolver(db: Db) {
  const q = (sql: string) => db.prepare(sql).pluck();
  const byKind: Record<EntityKind, ReturnType<typeof q>> = {
    plan: q('SELECT merchant_id FROM plans WHERE id = ?'),
    unit: q('SELECT p.merchant_id FROM units u JOIN plans p ON p.id = u.plan_id WHERE u.id = ?'),
    creative: q('SELECT p.merchant_id FROM creatives x JOIN units u ON u.id = x.unit_id JOIN plans p ON p.id = u.plan_id WHERE x.id = ?'),
    searchWord: q('SELECT p.merchant_id FROM search_words x JOIN units u ON u.id = x.unit_id JOIN plans p ON p.id = u.plan_id WHERE x.id = ?'),
    negativeWord: q('SELECT p.merchant_id FROM negative_words x JOIN units u ON u.id = x.unit_id JOIN plans p ON p.id = u.plan_id WHERE x.id = ?'),
    gdBooking: q('SELECT p.merchant_id FROM gd_bookings g JOIN plans p ON p.id = g.plan_id WHERE g.id = ?'),
    audiencePack: q('SELECT merchant_id FROM audience_packs WHERE id = ?'),
  };
  const all = db.prepare('SELECT id, name, name_en, currency, time_zone, balance_fen FROM merchants ORDER BY rowid');
  const count = db.prepare('SELECT COUNT(*) FROM merchants').pluck();
  const upsert = db.prepare(
    `INSERT INTO merchants (id, name, name_en, currency, time_zone, balance_fen) VALUES (@id, @name, @nameEn, @currency, @timeZone, @balanceFen)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, currency = excluded.currency,
       time_zone = excluded.time_zone, balance_fen = excluded.balance_fen`,
  );
  return {
    /** The merchant owning this entity; undefined when the row is gone (e.g. a create undone). */
    of(kind: string, id: string): string | undefined {
      const stmt = byKind[kind as EntityKind];
      if (!stmt) return undefined;
      // With one merchant in the store there is nothing to look up.
      if ((count.get() as number) === 1) return (all.get() as { id: string }).id;
      return stmt.get(id) as string | undefined;
    },
    /** A test for "belongs to this merchant" that asks the merchant count once (for a loop over the outbox). */
    belongsTo(merchantId: string): (kind: string, id: string) => boolean {
      if ((count.get() as number) === 1) {
        const only = (all.get() as { id: string }).id === merchantId;
        return () => only;
      }
      return (kind, id) => {
        const stmt = byKind[kind as EntityKind];
        return stmt !== undefined && stmt.get(id) === merchantId;
      };
    },
    /** Merchants downloaded into this store, oldest first. */
    local(): Merchant[] {
      return (all.all() as { id: string; name: string; name_en: string; currency: 'CNY'; time_zone: string; balance_fen: number }[]).map((r) => ({
        id: r.id,
        name: r.name,
        nameEn: r.name_en,
        currency: r.currency,
        timeZone: r.time_zone,
        balanceFen: r.balance_fen,
      }));
    },
    /** Adds (or refreshes the details of) a merchant the server says the token may sync. */
    upsert(a: AccountSummary): void {
      upsert.run(a);
    },
  };
}

export type MerchantResolver = ReturnType<typeof merchantResolver>;
