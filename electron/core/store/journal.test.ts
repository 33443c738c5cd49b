import { describe, expect, it } from 'vitest';
import { createCore } from '../core';
import { ok, tempDir } from '../testing';
import { openStore } from './db';
import { journal as makeJournal } from './journal';

const WORDS = ['sw_shanlan', 'sw_shanlan_delivery', 'sw_coffee_delivery', 'sw_latte'];

/** Opens the store of a closed core directly (the journal API the sync client uses). */
function openJournal(dir: string) {
  const db = openStore(dir);
  return { db, j: makeJournal(db), close: () => (db.close(), db.releaseLock?.()) };
}

describe('set-wise journal entries', () => {
  it('a bulk edit is one journal row; outbox, markers, undo and redo read it like per-entity rows', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, engineWorkerFile: 'unused.js' });
    const before = new Map<string, number>();
    for (const id of WORDS) before.set(id, (await ok(core, 'entities.get', { kind: 'searchWord', id })).row.bidFen as number);
    const r = await ok(core, 'bulk.apply', { kind: 'searchWord', ids: WORDS, op: { type: 'percent', field: 'bidFen', percent: 10 } });
    expect(r.changed).toBe(4);
    // A later single edit of one of the same fields.
    await ok(core, 'entities.update', { kind: 'searchWord', id: 'sw_latte', patch: { bidFen: 123 } });
    const out = await ok(core, 'outbox.list', {});
    expect(out.total).toBe(4);
    const latte = out.rows.find((x) => x.entityId === 'sw_latte');
    expect(latte).toMatchObject({ field: 'bidFen', oldValue: before.get('sw_latte'), newValue: 123 });
    for (const x of out.rows.filter((x) => x.entityId !== 'sw_latte')) expect(x.newValue).toBe(Math.round((before.get(x.entityId) as number) * 1.1));
    const got = await ok(core, 'entities.get', { kind: 'searchWord', id: 'sw_shanlan' });
    expect(got.state).toMatchObject({ unposted: true, editedFields: ['bidFen'] });
    expect(typeof got.row.bidFen).toBe('number');
    const status = await ok(core, 'journal.status', { limit: 5 });
    expect(status.history.map((h) => h.rows)).toEqual([1, 4]);
    // Undo both, redo both: values exact, numbers stay numbers.
    await ok(core, 'journal.undo', {});
    await ok(core, 'journal.undo', {});
    for (const id of WORDS) expect((await ok(core, 'entities.get', { kind: 'searchWord', id })).row.bidFen).toBe(before.get(id));
    expect((await ok(core, 'outbox.list', {})).total).toBe(0);
    await ok(core, 'journal.redo', {});
    expect((await ok(core, 'entities.get', { kind: 'searchWord', id: 'sw_latte' })).row.bidFen).toBe(Math.round((before.get('sw_latte') as number) * 1.1));
    await core.close();

    const { db, j, close } = openJournal(dir);
    try {
      // Stored once: the bulk edit, its undo and its redo are one journal row each.
      const sets = db.prepare("SELECT batch_id, n FROM journal WHERE items IS NOT NULL ORDER BY id").raw(true).all() as [number, number][];
      expect(sets.map((s) => s[1])).toEqual([4, 4, 4]);
      expect(db.prepare('SELECT COUNT(*) FROM journal_rows WHERE batch_id = ?').pluck().get(sets[0]?.[0])).toBe(4);
      // Posting part of a set entry: the rest stays in the outbox.
      const pending = j.outbox();
      expect(pending.map((p) => p.entityId).sort()).toEqual([...WORDS].sort());
      const [a, b] = pending;
      if (!a || !b) throw new Error('outbox too short');
      j.markPosted(a.entity, a.entityId, a.field, a.id);
      j.markPosted(b.entity, b.entityId, b.field, b.id);
      expect(j.outbox().map((p) => p.entityId).sort()).toEqual(WORDS.filter((w) => w !== a.entityId && w !== b.entityId).sort());
      expect(j.markers().has(`searchWord:${a.entityId}`)).toBe(false);
      expect(j.outboxOf('searchWord', [a.entityId, WORDS[3] as string]).length).toBe(a.entityId === WORDS[3] || b.entityId === WORDS[3] ? 0 : 1);
      for (const p of j.outbox()) j.markPosted(p.entity, p.entityId, p.field, p.id);
      expect(j.outbox()).toEqual([]);
      expect(j.pendingCount()).toBe(0);
      // Every change of the set entries is posted: they are posted themselves, no marks left.
      expect(db.prepare('SELECT COUNT(*) FROM journal WHERE items IS NOT NULL AND posted_at IS NULL').pluck().get()).toBe(0);
      expect(db.prepare('SELECT COUNT(*) FROM journal_posted').pluck().get()).toBe(0);
    } finally {
      close();
    }
  });

  it('an edit undone before posting settles: nothing to post, set entries included', async () => {
    const dir = tempDir();
    const core = createCore({ dataDir: dir, engineWorkerFile: 'unused.js' });
    await ok(core, 'bulk.apply', { kind: 'searchWord', ids: WORDS, op: { type: 'add', field: 'bidFen', amount: 7 } });
    await ok(core, 'entities.update', { kind: 'searchWord', id: 'sw_latte', patch: { bidFen: 200 } });
    await ok(core, 'journal.undo', {});
    await ok(core, 'journal.undo', {});
    // A third, unrelated set entry that stays unposted, partly cancelled by a single edit.
    await ok(core, 'bulk.apply', { kind: 'searchWord', ids: WORDS, op: { type: 'add', field: 'bidFen', amount: 1 } });
    await ok(core, 'entities.update', { kind: 'searchWord', id: 'sw_shanlan', patch: { bidFen: (await ok(core, 'entities.get', { kind: 'searchWord', id: 'sw_shanlan' })).row.bidFen as number - 1 } });
    await core.close();
    const { db, j, close } = openJournal(dir);
    try {
      expect(j.outbox().map((p) => p.entityId).sort()).toEqual(WORDS.filter((w) => w !== 'sw_shanlan').sort());
      expect(j.settleNetZero()).toBeGreaterThan(0);
      expect(j.outbox().map((p) => p.entityId).sort()).toEqual(WORDS.filter((w) => w !== 'sw_shanlan').sort());
      // sw_shanlan's changes in the set entries are settled by a mark; the other words' are not.
      expect(db.prepare('SELECT entity_id FROM journal_posted').pluck().all()).toEqual(['sw_shanlan']);
      expect(db.prepare('SELECT COUNT(*) FROM journal_rows WHERE posted_at IS NULL AND entity_id = ?').pluck().get('sw_shanlan')).toBe(3);
      // Posting the rest posts the set entries whole and drops the mark.
      for (const p of j.outbox()) j.markPosted(p.entity, p.entityId, p.field, p.id);
      expect(j.outbox()).toEqual([]);
      expect(db.prepare('SELECT COUNT(*) FROM journal WHERE posted_at IS NULL').pluck().get()).toBe(0);
      expect(db.prepare('SELECT COUNT(*) FROM journal_posted').pluck().get()).toBe(0);
    } finally {
      close();
    }
  });
});
