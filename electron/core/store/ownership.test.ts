import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID } from '../../../shared/domain/demo';
import { ENTITY_KINDS, KINDS, type EntityKind } from '../../../shared/domain/kinds';
import { merchantResolver } from '../sync/merchants';
import { tempDir } from '../testing';
import { openStore, type Db } from './db';
import { entityRepo, type Row } from './entityRepo';
import { chainOf, idsUnderSql, ownedByMerchantSql, ownership, planLookup, tableOf } from './ownership';
import { seedDemoIfEmpty } from './seed';

const OTHER = 'mc_other';
const opened: (Db & { releaseLock?: () => void })[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) {
    db.close();
    db.releaseLock?.();
  }
});

/**
 * A store holding the demo merchant and a second one with one row of every kind, each a copy
 * of the demo's first row of that kind re-parented under the second merchant's copies.
 */
function twoMerchantStore() {
  const db = openStore(tempDir());
  opened.push(db);
  seedDemoIfEmpty(db);
  const repo = entityRepo(db);
  merchantResolver(db).upsert({ id: OTHER, name: '其他', nameEn: 'Other', currency: 'CNY', timeZone: 'Asia/Shanghai', balanceFen: 0 });
  const mine = new Map<EntityKind, Row>(); // the demo merchant's row of each kind
  const theirs = new Map<EntityKind, Row>(); // the other merchant's copy
  // Parents before children: a kind's chain is longer than its parent's.
  for (const kind of [...ENTITY_KINDS].sort((a, b) => chainOf(a).length - chainOf(b).length)) {
    const { table } = tableOf(kind);
    const id = db.prepare(`SELECT id FROM ${table} ORDER BY rowid LIMIT 1`).pluck().get() as string | undefined;
    if (!id) throw new Error(`the demo account has no ${kind}: the ownership test needs one of every kind`);
    const row = repo.get(kind, id)!.row;
    mine.set(kind, row);
    const parent = KINDS[kind].parent;
    const copy: Row = { ...row, id: `${row.id}_other`, [parent.field]: parent.kind === 'merchant' ? OTHER : theirs.get(parent.kind)!.id };
    repo.insert(kind, copy);
    theirs.set(kind, copy);
  }
  return { db, mine, theirs };
}

describe('ownership', () => {
  it('every kind has a table and a parent chain that ends at a merchant', () => {
    for (const kind of ENTITY_KINDS) {
      const chain = chainOf(kind);
      expect(chain[0]).toBe(kind);
      expect(KINDS[chain[chain.length - 1]!].parent.kind).toBe('merchant');
      expect(tableOf(kind).table).toMatch(/^[a-z_]+$/);
    }
  });

  it('answers the same owner for every kind in SQL and in memory, never the other merchant', () => {
    const { db, mine, theirs } = twoMerchantStore();
    const own = ownership(db);
    const shanlanOwns = own.ownedBy(DEMO_MERCHANT_ID);
    const otherOwns = own.ownedBy(OTHER);
    const shanlanRows = own.ownsRow(DEMO_MERCHANT_ID);
    const otherRows = own.ownsRow(OTHER);
    for (const kind of ENTITY_KINDS) {
      const a = mine.get(kind)!;
      const b = theirs.get(kind)!;
      expect(own.ownerOf(kind, a.id), kind).toBe(DEMO_MERCHANT_ID);
      expect(own.ownerOf(kind, b.id), kind).toBe(OTHER);
      expect(own.accountOf(kind, b.id), kind).toBe(OTHER);
      expect([shanlanOwns(kind, a.id), shanlanOwns(kind, b.id), otherOwns(kind, a.id), otherOwns(kind, b.id)], kind).toEqual([true, false, false, true]);
      expect([shanlanRows(kind, a), shanlanRows(kind, b), otherRows(kind, a), otherRows(kind, b)], kind).toEqual([true, false, false, true]);
      const { table } = tableOf(kind);
      const inSql = db.prepare(`SELECT t.id FROM ${table} t WHERE ${ownedByMerchantSql(kind, 't')} AND t.id IN (?, ?)`).pluck();
      expect(inSql.all(OTHER, a.id, b.id), kind).toEqual([b.id]);
      expect(inSql.all(DEMO_MERCHANT_ID, a.id, b.id), kind).toEqual([a.id]);
      const ids = db.prepare(idsUnderSql(kind, '?')).pluck().all(OTHER);
      expect(ids, kind).toEqual([b.id]);
      if (kind !== 'plan' && chainOf(kind).includes('plan')) expect(own.planOf(kind, b.id), kind).toBe(theirs.get('plan')!.id);
    }
    expect(own.planOf('audiencePack', theirs.get('audiencePack')!.id)).toBeUndefined();
    expect(own.ownerOf('unit', 'un_nowhere')).toBeUndefined();
    expect(own.ownerOf('notAKind', 'x')).toBeUndefined();
  });

  it('finds the plan a row (as read or as edited) is under, by its parent fields', () => {
    const { db, theirs } = twoMerchantStore();
    const planOf = planLookup(entityRepo(db));
    const plan = theirs.get('plan')!;
    for (const kind of ENTITY_KINDS) {
      const expected = chainOf(kind).includes('plan') ? plan.id : undefined;
      expect(planOf(kind, theirs.get(kind)!)?.id, kind).toBe(expected);
    }
    // A unit as an edit would leave it, moved under the demo's plan: that plan is its context.
    expect(planOf('unit', { ...theirs.get('unit')!, planId: 'pl_autumn_latte' })?.id).toBe('pl_autumn_latte');
    expect(planOf('creative', { id: 'cr_x', unitId: 'un_not_here' })).toBeUndefined();
  });

  it('with one merchant in the store, its rows are all its own without a lookup', () => {
    const db = openStore(tempDir());
    opened.push(db);
    seedDemoIfEmpty(db);
    const own = ownership(db);
    expect(own.ownedBy(DEMO_MERCHANT_ID)('unit', 'un_not_here_yet')).toBe(true);
    expect(own.ownedBy(OTHER)('plan', 'pl_autumn_latte')).toBe(false);
    expect(own.accountOf('creative', 'cr_gone')).toBe(DEMO_MERCHANT_ID);
    // ownsRow reads the parent: a row naming a parent that is not here is nobody's.
    expect(own.ownsRow(DEMO_MERCHANT_ID)('unit', { id: 'un_x', planId: 'pl_not_here' })).toBe(false);
  });
});
