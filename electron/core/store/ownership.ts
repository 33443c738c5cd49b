import { ENTITY_KINDS, KINDS, type EntityKind, type KindInfo } from '../../../shared/domain/kinds';
import type { Db } from './db';
import type { Plan } from '../../../shared/domain/entities';
import { JSON_TABLES, type EntityRepo, type Row } from './entityRepo';

/**
 * The one answer to "which merchant (or plan) owns this row", in SQL and in memory. Tenant
 * isolation depends on it: every read, import, proposal and sync scoped to one account of a
 * store that holds several asks here. It is derived from the kinds' metadata (`KINDS[k].parent`)
 * and the tables (`JSON_TABLES`), so a new kind is owned the moment it names its parent — and
 * ownership.test.ts fails for a kind whose chain does not reach a merchant.
 *
 * Tombstoned rows count: a deleted row is still its account's unposted change.
 */

/** A kind's table and the column holding its parent's id. */
export function tableOf(kind: EntityKind): { table: string; parentCol: string } {
  if (kind === 'plan') return { table: 'plans', parentCol: 'merchant_id' };
  const t = JSON_TABLES[kind];
  return { table: t.table, parentCol: t.parentCol };
}

/** The kinds from a row's kind up to (not including) the merchant: creative → [creative, unit, plan]. */
export function chainOf(kind: EntityKind): EntityKind[] {
  const chain: EntityKind[] = [kind];
  for (let k = KINDS[kind].parent.kind; k !== 'merchant'; k = KINDS[k].parent.kind) {
    if (chain.includes(k) || chain.length > ENTITY_KINDS.length) throw new Error(`the parent chain of ${kind} loops at ${k}`);
    chain.push(k);
  }
  return chain;
}

/**
 * SQL of the ids of `kind` whose owner (up the chain) is `param`:
 * `SELECT t0.id FROM creatives t0 JOIN units t1 ON t1.id = t0.unit_id JOIN plans t2 ON … WHERE t2.merchant_id = ?`.
 * `upTo` stops the chain at a kind other than the merchant (e.g. 'plan': the ids under one plan).
 */
export function idsUnderSql(kind: EntityKind, param: string, upTo: EntityKind | 'merchant' = 'merchant'): string {
  const j = joinedChain(kind, upTo);
  if (!j) throw new Error(`${upTo} is not above ${kind}`);
  return `SELECT t0.id FROM ${j.from} WHERE ${j.owner} = ${param}`;
}

/**
 * The tables from `kind` up to (not including) `upTo`, joined by their parent columns as t0, t1,
 * …, and the column of the last one that holds the owner's id; undefined when `upTo` is not above.
 */
function joinedChain(kind: EntityKind, upTo: EntityKind | 'merchant'): { from: string; owner: string } | undefined {
  const chain = chainOf(kind);
  const stop = upTo === 'merchant' ? chain.length : chain.indexOf(upTo);
  if (stop <= 0) return undefined;
  const joins = chain.slice(0, stop).map((k, i) => (i === 0 ? `${tableOf(k).table} t0` : `JOIN ${tableOf(k).table} t${i} ON t${i}.id = t${i - 1}.${tableOf(chain[i - 1]!).parentCol}`));
  return { from: joins.join(' '), owner: `t${stop - 1}.${tableOf(chain[stop - 1]!).parentCol}` };
}

/** SQL of the owner of one row of `kind` (its merchant, or with `upTo` its plan), the row's id as `?`. */
function ownerSql(kind: EntityKind, upTo: EntityKind | 'merchant' = 'merchant'): string | undefined {
  const j = joinedChain(kind, upTo);
  return j && `SELECT ${j.owner} FROM ${j.from} WHERE t0.id = ?`;
}

/**
 * A WHERE fragment: row `alias` of `kind` is merchant `param`'s (`?`, `@m`, …). The parent
 * column is tested against the merchant's parents (`alias.unit_id IN (SELECT … )`), so the
 * row's own table is never joined again.
 */
export function ownedByMerchantSql(kind: EntityKind, alias: string, param = '?'): string {
  const { parentCol } = tableOf(kind);
  const parent = KINDS[kind].parent.kind;
  return parent === 'merchant' ? `${alias}.${parentCol} = ${param}` : `${alias}.${parentCol} IN (${idsUnderSql(parent, param)})`;
}

/**
 * The plan a row is under, by its parent fields (the row as read, or as an edit would leave
 * it), for the checks that read the plan as context: a plan is its own, an audience pack is
 * under none. Parents and plans are read once per lookup function (make one per operation).
 */
export function planLookup(repo: Pick<EntityRepo, 'get' | 'plan'>): (kind: EntityKind, row: Row) => Plan | undefined {
  const rows = new Map<string, Row | undefined>();
  const plans = new Map<string, Plan | undefined>();
  const read = (kind: EntityKind, id: string) => {
    const key = `${kind}:${id}`;
    if (!rows.has(key)) rows.set(key, repo.get(kind, id)?.row);
    return rows.get(key);
  };
  return (kind, row) => {
    if (kind === 'plan') return row as unknown as Plan;
    let k: EntityKind = kind;
    let r: Row | undefined = row;
    while (r) {
      const parent: KindInfo['parent'] = KINDS[k].parent;
      const pid = r[parent.field];
      if (parent.kind === 'merchant' || typeof pid !== 'string') return undefined;
      if (parent.kind === 'plan') {
        if (!plans.has(pid)) plans.set(pid, repo.plan(pid));
        return plans.get(pid);
      }
      k = parent.kind;
      r = read(k, pid);
    }
    return undefined;
  };
}

/** Ownership over one store. */
export function ownership(db: Db) {
  const merchantOfStmt = new Map(ENTITY_KINDS.map((k) => [k, db.prepare(ownerSql(k)!).pluck()]));
  const idsOfStmt = new Map(ENTITY_KINDS.map((k) => [k, db.prepare(idsUnderSql(k, '?')).pluck()]));
  const planOfStmt = new Map<EntityKind, ReturnType<typeof db.prepare>>();
  for (const k of ENTITY_KINDS) if (k !== 'plan' && chainOf(k).includes('plan')) planOfStmt.set(k, db.prepare(ownerSql(k, 'plan')!).pluck());
  const merchantIds = db.prepare('SELECT id FROM merchants').pluck();
  const isKind = (kind: string): kind is EntityKind => (ENTITY_KINDS as readonly string[]).includes(kind);
  const soleMerchant = (): string | undefined => {
    const ids = merchantIds.all() as string[];
    return ids.length === 1 ? ids[0] : undefined;
  };

  /** The merchant's ids of each kind, read once each on first need. */
  const idSets = (merchantId: string) => {
    const byKind = new Map<EntityKind, Set<string>>();
    return (kind: EntityKind): Set<string> => {
      let set = byKind.get(kind);
      if (!set) byKind.set(kind, (set = new Set(idsOfStmt.get(kind)!.all(merchantId) as string[])));
      return set;
    };
  };

  const ownerOf = (kind: string, id: string): string | undefined => (isKind(kind) ? (merchantOfStmt.get(kind)!.get(id) as string | undefined) : undefined);
  /**
   * The account journal rows are posted to, for loops over an outbox: with one merchant in the
   * store it is that merchant without a lookup (even for a row a later undo removed); else the
   * row's owner. The merchant list is read once per resolver, not once per row.
   */
  const accounts = (): ((kind: string, id: string) => string | undefined) => {
    const only = soleMerchant();
    return only === undefined ? ownerOf : (kind) => (isKind(kind) ? only : undefined);
  };

  return {
    /** The merchant owning the row; undefined when there is no such row here (or no such kind). */
    ownerOf,
    accounts,
    /** One row's account (see `accounts`). */
    accountOf(kind: string, id: string): string | undefined {
      return accounts()(kind, id);
    },
    /**
     * "Is this row (by kind and id) the merchant's?", for a loop over many rows (an outbox, an
     * import): each kind's ids are read once. With the merchant alone in the store, every row is its.
     */
    ownedBy(merchantId: string): (kind: string, id: string) => boolean {
      const only = soleMerchant();
      if (only !== undefined && only === merchantId) return () => true;
      const ids = idSets(merchantId);
      return (kind, id) => isKind(kind) && ids(kind).has(id);
    },
    /**
     * "Is this row (as read, or as it would be written) the merchant's?", by its parent field:
     * a row naming a parent that is not the merchant's (or not here) is not its.
     */
    ownsRow(merchantId: string): (kind: EntityKind, row: Row) => boolean {
      const ids = idSets(merchantId);
      return (kind, row) => {
        const parent = KINDS[kind].parent;
        const pid = row[parent.field];
        if (parent.kind === 'merchant') return pid === merchantId;
        return typeof pid === 'string' && ids(parent.kind).has(pid);
      };
    },
    /** The plan a row is under: a plan is its own; audience packs are under none. */
    planOf(kind: string, id: string): string | undefined {
      if (kind === 'plan') return id;
      const stmt = isKind(kind) ? planOfStmt.get(kind) : undefined;
      return stmt?.get(id) as string | undefined;
    },
  };
}

export type Ownership = ReturnType<typeof ownership>;
