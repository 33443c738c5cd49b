import type { EntityKind } from '../../../shared/domain/kinds';
import type { Db } from '../store/db';
import { JSON_TABLES, rowWriteSql } from '../store/entityRepo';

type JsonKind = keyof typeof JSON_TABLES;

/**
 * Set-at-a-time writes for the common case of a pull: rows this store has never seen. One
 * statement per page and kind (SQLite walks the JSON array), instead of a statement per row —
 * an initial download of 200,000 entities is otherwise mostly per-statement overhead.
 * The rows are written exactly as the entity repo writes one (id, parent column, data JSON).
 */
export function bulkWriter(db: Db) {
  const kinds = Object.entries(JSON_TABLES) as [JsonKind, (typeof JSON_TABLES)[JsonKind]][];
  const stmts = Object.fromEntries(
    kinds.map(([kind, t]) => [
      kind,
      {
        existing: db.prepare(`SELECT id FROM ${t.table} WHERE id IN (SELECT value FROM json_each(?))`).pluck(),
        insert: db.prepare(
          `INSERT INTO ${t.table} (id, ${t.parentCol}, ${rowWriteSql(t, 'value').cols.join(', ')}) SELECT value ->> '$.id', value ->> '$.${t.parentField}', ${rowWriteSql(t, 'value').values.join(', ')} FROM json_each(?)`,
        ),
      },
    ]),
  ) as Record<JsonKind, { existing: ReturnType<Db['prepare']>; insert: ReturnType<Db['prepare']> }>;
  const bases = db.prepare(
    `INSERT INTO sync_base (entity, entity_id, field, version) SELECT ?, value ->> '$[0]', '', value ->> '$[1]' FROM json_each(?) WHERE true
     ON CONFLICT (entity, entity_id, field) DO UPDATE SET version = excluded.version`,
  );
  return {
    isBulkKind(kind: string): kind is JsonKind {
      return Object.hasOwn(JSON_TABLES, kind);
    },
    /** Which of these ids the store already has (any state, tombstones too). */
    existing(kind: JsonKind, ids: readonly string[]): Set<string> {
      const out = new Set<string>();
      for (let i = 0; i < ids.length; i += 10_000) for (const id of stmts[kind].existing.all(JSON.stringify(ids.slice(i, i + 10_000))) as string[]) out.add(id);
      return out;
    },
    /** New rows of one kind with their server versions (their parents must be there already). */
    insert(kind: EntityKind & JsonKind, rows: readonly { data: Record<string, unknown>; version: number }[]): void {
      if (rows.length === 0) return;
      stmts[kind].insert.run(JSON.stringify(rows.map((r) => r.data)));
      // A missing base reads as version 1 (state.entityBase): only later versions need a row. A
      // stale base of a row this store once had cannot be newer than the server's current one.
      const later = rows.filter((r) => r.version > 1);
      if (later.length > 0) bases.run(kind, JSON.stringify(later.map((r) => [r.data.id, r.version])));
    },
  };
}

export type BulkWriter = ReturnType<typeof bulkWriter>;
