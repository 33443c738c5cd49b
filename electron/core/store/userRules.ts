import { ContractError } from '../../../shared/contract/errors';
import { UserRule, type AccountRule } from '../../../shared/domain/checks';
import type { Db } from './db';

/** User rules, stored with the account they belong to (a store may hold several accounts). */
export function userRules(db: Db) {
  const stmt = {
    all: db.prepare('SELECT merchant_id, data FROM user_rules ORDER BY rowid'),
    clear: db.prepare('DELETE FROM user_rules WHERE merchant_id = ?'),
    put: db.prepare('INSERT INTO user_rules (id, merchant_id, data) VALUES (?, ?, ?)'),
  };
  /**
   * Every account's user rules, each tagged with its merchant: the checks apply a rule only to
   * its own merchant's rows.
   */
  const all = (): AccountRule[] =>
    (stmt.all.all() as { merchant_id: string; data: string }[]).flatMap((row) => {
      const r = UserRule.safeParse(JSON.parse(row.data));
      return r.success ? [{ ...r.data, merchantId: row.merchant_id }] : [];
    });
  /** One merchant's rules, as the contract shows them (untagged). */
  const of = (merchantId: string): UserRule[] => all().flatMap(({ merchantId: m, ...r }) => (m === merchantId ? [r] : []));
  return {
    all,
    of,
    /** Replaces the merchant's rules with these, in one transaction; ids must be unique. */
    replace(merchantId: string, rules: UserRule[]): UserRule[] {
      const ids = new Set<string>();
      for (const [i, r] of rules.entries()) {
        if (ids.has(r.id)) throw new ContractError('invalid_input', `rule id "${r.id}" is used twice`, [{ path: `rules.${i}.id`, message: 'duplicate id' }]);
        ids.add(r.id);
      }
      db.transaction(() => {
        stmt.clear.run(merchantId);
        for (const r of rules) stmt.put.run(r.id, merchantId, JSON.stringify(r));
      })();
      return of(merchantId);
    },
  };
}

export type UserRules = ReturnType<typeof userRules>;
