import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../core';
import { coresClosedAfterEach, ok, tempDir } from '../testing';
import { ContractError } from '../../../shared/contract/errors';
import { DB_FILE_NAME, openStore } from './db';
import { DELETED_FIELD, entityRepo, ROW_FIELD } from './entityRepo';
import { MIGRATIONS } from './migrations';

/**
 * Column-kept fields (JSON_TABLES.columns: a search word's bid lives in `bid_fen`, not in
 * `data`): every reader gets the field back in the row, every writer writes the column.
 */
const open = coresClosedAfterEach();
const wordOf = async (core: Core, id: string) => (await ok(core, 'entities.get', { kind: 'searchWord', id })).row;
const bidsOf = (core: Core, ids: string[]) => Promise.all(ids.map(async (id) => (await wordOf(core, id)).bidFen));
const raw = (dir: string, id: string) => {
  const db = new Database(path.join(dir, DB_FILE_NAME), { readonly: true });
  try {
    return db.prepare('SELECT bid_fen, data FROM search_words WHERE id = ?').get(id) as { bid_fen: number; data: string } | undefined;
  } finally {
    db.close();
  }
};

describe('column-kept fields', () => {
  it('create, edit, bulk edit, undo and grid sort all see the bid kept in its column', async () => {
    const dir = tempDir();
    const core = open(dir);
    const { id } = (await ok(core, 'entities.create', { kind: 'searchWord', data: { unitId: 'un_search_brand', word: '拿铁 latte', matchType: 'EXACT', bidFen: 321 } })) as { id: string };
    const r = raw(dir, id);
    expect(r?.bid_fen).toBe(321);
    expect(JSON.parse(r?.data ?? '{}')).not.toHaveProperty('bidFen');
    expect(await wordOf(core, id)).toMatchObject({ bidFen: 321, word: '拿铁 latte' });

    await ok(core, 'entities.update', { kind: 'searchWord', id, patch: { bidFen: 400 } });
    expect(raw(dir, id)?.bid_fen).toBe(400);

    const ids = ['sw_shanlan', 'sw_shanlan_delivery', id];
    const before = (await bidsOf(core, ids)) as number[];
    const bulk = (await ok(core, 'bulk.apply', { kind: 'searchWord', ids, op: { type: 'percent', field: 'bidFen', percent: 10 } })) as { changed: number };
    expect(bulk.changed).toBe(3);
    const after = await bidsOf(core, ids);
    expect(after).toEqual(before.map((b) => Math.round(b * 1.1)));
    expect(raw(dir, id)?.bid_fen).toBe(440);
    // A selection naming rows twice changes each once: one set entry, undone in one step.
    const twice = (await ok(core, 'bulk.apply', { kind: 'searchWord', ids: [...ids, ...ids], op: { type: 'add', field: 'bidFen', amount: 1 } })) as { changed: number };
    expect(twice.changed).toBe(3);
    expect(await bidsOf(core, ids)).toEqual(after.map((b) => (b as number) + 1));
    await ok(core, 'journal.undo', {});
    expect(await bidsOf(core, ids)).toEqual(after);
    // A value the schema refuses changes nothing (bids are whole non-negative fen).
    const bad = await core.call('bulk.apply', { kind: 'searchWord', ids, op: { type: 'set', field: 'bidFen', value: -5 } });
    expect(bad.ok).toBe(false);
    expect(raw(dir, id)?.bid_fen).toBe(440);

    // The grid sorts and filters on the column.
    const grid = await ok(core, 'grid.query', { kind: 'searchWord', sort: { field: 'bidFen', desc: true }, limit: 1, offset: 0 });
    expect(grid.rows[0]?.row).toMatchObject({ id, bidFen: 440 });

    await ok(core, 'journal.undo', {});
    const undone = await bidsOf(core, ids);
    expect(undone).toEqual(before);
    await ok(core, 'journal.redo', {});
    expect(raw(dir, id)?.bid_fen).toBe(440);
    // The outbox names the field as the entity has it.
    const outbox = (await ok(core, 'outbox.list', { limit: 10_000 })).rows;
    expect(outbox.find((o) => o.entityId === 'sw_shanlan' && o.field === 'bidFen')?.newValue).toBe(after[0]);
  });

  it('migration 6 moves bids out of the JSON of a store written before it', () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, DB_FILE_NAME));
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((x) => x.version < 6)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, '2026-01-01T00:00:00Z');
    }
    db.exec(`INSERT INTO merchants VALUES ('mc_old', 'm', 'm', 'CNY', 'Asia/Shanghai', 0);
      INSERT INTO plans (id, merchant_id, name, scene, objective, sell_mode, charge_type, daily_budget_fen, start_date, time_schema, pacing, status)
        VALUES ('pl_old', 'mc_old', 'p', 'SEARCH', 'MINI_PROGRAM_VISIT', 'RTB', 'CPC', 10000, '2026-12-01', '', 'STANDARD', 'ENABLED');
      INSERT INTO units (id, plan_id, data) VALUES ('un_old', 'pl_old', '{"id":"un_old","planId":"pl_old"}');
      INSERT INTO search_words (id, unit_id, data) VALUES ('sw_old', 'un_old', '{"id":"sw_old","unitId":"un_old","word":"旧词","matchType":"BROAD","bidFen":77}');`);
    db.close();
    const store = openStore(dir);
    try {
      const r = store.prepare('SELECT bid_fen, data FROM search_words WHERE id = ?').get('sw_old') as { bid_fen: number; data: string };
      expect(r.bid_fen).toBe(77);
      expect(JSON.parse(r.data)).toEqual({ id: 'sw_old', unitId: 'un_old', word: '旧词', matchType: 'BROAD' });
    } finally {
      store.releaseLock?.();
      store.close();
    }
  });
});

describe('field names as JSON paths (issue 17, item 11)', () => {
  it('setField writes only a field the registry lists for the kind: a quoted or inherited name is refused before any write', async () => {
    const dir = tempDir();
    const core = open(dir);
    await ok(core, 'entities.get', { kind: 'unit', id: 'un_latte_ocpx' }); // the demo store exists
    await core.close();
    const store = openStore(dir);
    try {
      const repo = entityRepo(store);
      const rowOf = () => store.prepare('SELECT plan_id, data FROM units WHERE id = ?').get('un_latte_ocpx') as { plan_id: string; data: string };
      const before = rowOf();
      const planBefore = repo.get('plan', 'pl_autumn_latte');
      for (const field of ['"planId"', '$.planId', 'planId.x', '__proto__', 'constructor', 'toString', ROW_FIELD, DELETED_FIELD]) {
        for (const kind of ['unit', 'plan'] as const) {
          const id = kind === 'unit' ? 'un_latte_ocpx' : 'pl_autumn_latte';
          let err: unknown;
          try {
            repo.setField(kind, id, field, 'pl_np_launch');
          } catch (e) {
            err = e;
          }
          expect([kind, field, err instanceof ContractError && err.code]).toEqual([kind, field, 'invalid_input']);
        }
      }
      expect(rowOf()).toEqual(before);
      expect(JSON.parse(before.data)).toMatchObject({ planId: 'pl_autumn_latte' });
      expect(repo.get('plan', 'pl_autumn_latte')).toEqual(planBefore);
      // The real names still write (the parent field moves the column and the JSON together).
      repo.setField('unit', 'un_latte_ocpx', 'targetCpaFen', 850);
      expect(repo.get('unit', 'un_latte_ocpx')?.row.targetCpaFen).toBe(850);
    } finally {
      store.releaseLock?.();
      store.close();
    }
  });
});
