import type { Merchant } from '../../../shared/domain/entities';
import type { AccountSummary } from '../../../shared/sync/wire';
import type { Db } from '../store/db';

/**
 * The merchants downloaded into this store and their details. Which merchant owns a row is
 * store/ownership.ts's question, not this module's.
 */
export function merchantResolver(db: Db) {
  const all = db.prepare('SELECT id, name, name_en, currency, time_zone, balance_fen FROM merchants ORDER BY rowid');
  const upsert = db.prepare(
    `INSERT INTO merchants (id, name, name_en, currency, time_zone, balance_fen) VALUES (@id, @name, @nameEn, @currency, @timeZone, @balanceFen)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, currency = excluded.currency,
       time_zone = excluded.time_zone, balance_fen = excluded.balance_fen`,
  );
  return {
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
