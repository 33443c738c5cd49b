import { ContractError } from '../../../shared/contract/errors';
import { fieldDef } from '../../../shared/domain/fields';
import type { EntityKind } from '../../../shared/domain/kinds';
import type { Plan } from '../../../shared/domain/entities';
import type Database from 'better-sqlite3';
import type { Db } from './db';

/** A JSON-row table: one entity per row, its fields in `data`, its parent id in a column. */
export interface JsonTable {
  table: string;
  parentCol: string;
  parentField: string;
  /**
   * Number fields kept in a column of their own instead of in `data` (field → column). A bulk
   * edit of 100,000 bids then reads and writes an integer per row instead of parsing and
   * re-serialising each row's JSON (issue 3's bulk_edit_100k_ms). Only number fields: the
   * column's SQL value is put back into the row as a JSON number (rowSql).
   */
  columns: Readonly<Record<string, string>>;
}

export const JSON_TABLES: Record<Exclude<EntityKind, 'plan'>, JsonTable> = {
  unit: { table: 'units', parentCol: 'plan_id', parentField: 'planId', columns: {} },
  creative: { table: 'creatives', parentCol: 'unit_id', parentField: 'unitId', columns: {} },
  searchWord: { table: 'search_words', parentCol: 'unit_id', parentField: 'unitId', columns: { bidFen: 'bid_fen' } },
  negativeWord: { table: 'negative_words', parentCol: 'unit_id', parentField: 'unitId', columns: {} },
  audiencePack: { table: 'audience_packs', parentCol: 'merchant_id', parentField: 'merchantId', columns: {} },
  gdBooking: { table: 'gd_bookings', parentCol: 'plan_id', parentField: 'planId', columns: {} },
};

/** The JSON table of a table name (for code that walks tables by name). */
export const jsonTableNamed = (table: string): JsonTable | undefined => Object.values(JSON_TABLES).find((t) => t.table === table);

/**
 * SQL for a whole row as JSON text, as the entity has it: `data` with the column-kept fields
 * put back. Every reader of a JSON table's rows goes through this (or the repo).
 */
export function rowSql(t: JsonTable, alias: string): string {
  const cols = Object.entries(t.columns);
  if (cols.length === 0) return `${alias}.data`;
  return `json_set(${alias}.data, ${cols.map(([f, c]) => `'$.${f}', ${alias}.${c}`).join(', ')})`;
}

/**
 * The column a field of a JSON table is kept in, or undefined (it lives in `data`). Own keys
 * only: a field name from outside ("constructor", "__proto__") is never an inherited property.
 */
export const columnOf = (t: JsonTable, field: string): string | undefined => (Object.hasOwn(t.columns, field) ? t.columns[field] : undefined);

/** The plan column a plan field is stored in, or undefined (the field lives in `extra`). Own keys only. */
export const planColumnOf = (field: string): string | undefined => (Object.hasOwn(PLAN_FIELD_COLUMNS, field) ? PLAN_FIELD_COLUMNS[field] : undefined);

/** SQL for one field's value (an SQL value, as json_extract gives it): its column or its JSON path. */
export function fieldSql(t: JsonTable, alias: string, field: string): string {
  const col = columnOf(t, field);
  if (col) return `${alias}.${col}`;
  // The name becomes a JSON path: only a field the registry lists for the table's kind (no quotes, dots, $).
  if (!/^[A-Za-z]+$/.test(field)) throw new Error(`not a field name: ${JSON.stringify(field)}`);
  return `json_extract(${alias}.data, '$.${field}')`;
}

/**
 * The columns and SQL values that store a row given as JSON text by the expression `json`
 * (a parameter or json_each's `value`): `data` without the column-kept fields, and each of them.
 */
export function rowWriteSql(t: JsonTable, json: string): { cols: string[]; values: string[] } {
  const kept = Object.entries(t.columns);
  return {
    cols: ['data', ...kept.map(([, c]) => c)],
    values: [kept.length ? `json_remove(${json}, ${kept.map(([f]) => `'$.${f}'`).join(', ')})` : json, ...kept.map(([f]) => `${json} ->> '$.${f}'`)],
  };
}

/** Plan fields stored as columns; every other plan field lives in `extra` (JSON). */
export const PLAN_FIELD_COLUMNS: Record<string, string> = {
  id: 'id',
  merchantId: 'merchant_id',
  name: 'name',
  scene: 'scene',
  objective: 'objective',
  sellMode: 'sell_mode',
  chargeType: 'charge_type',
  dailyBudgetFen: 'daily_budget_fen',
  startDate: 'start_date',
  endDate: 'end_date',
  timeSchema: 'time_schema',
  pacing: 'pacing',
  status: 'status',
};

export type Row = { id: string } & Record<string, unknown>;

/** Journal field names with a special meaning: the whole row (create / undo of create) and the tombstone. */
export const ROW_FIELD = '_row';
export const DELETED_FIELD = 'deleted';

/**
 * Whether a journal change may name this field of this kind: a field the registry lists for the
 * kind, the whole-row marker, or (not for plans, whose delete is a status) the tombstone. Every
 * field name that comes from outside (a proposal file, a bulk edit, a patch) is checked with this
 * or the registry before it reaches a statement: a field name is a JSON path in `data`
 * (`'$.' || ?`), so `"planId"` (quoted) would otherwise be the path to the parent id.
 */
export function isJournalField(kind: EntityKind, field: string): boolean {
  if (field === ROW_FIELD) return true;
  if (field === DELETED_FIELD) return kind !== 'plan';
  return fieldDef(kind, field) !== undefined;
}

/** Reads and writes any entity by kind; the only place that knows tables and columns. */
export function entityRepo(db: Db) {
  const planCols = Object.entries(PLAN_FIELD_COLUMNS);
  const planFromDb = (r: Record<string, unknown>): Row => {
    const out: Row = { id: r.id as string };
    for (const [f, c] of planCols) out[f] = r[c];
    return { ...out, ...(JSON.parse((r.extra as string) || '{}') as object) };
  };
  const stmts = {
    getPlan: db.prepare('SELECT * FROM plans WHERE id = ?'),
    insertPlan: db.prepare(
      `INSERT INTO plans (${planCols.map(([, c]) => c).join(', ')}, extra, server_version) VALUES (${planCols.map(([f]) => `@${f}`).join(', ')}, @extra, 0)`,
    ),
    deletePlan: db.prepare('DELETE FROM plans WHERE id = ?'),
    setPlanExtra: db.prepare('UPDATE plans SET extra = ? WHERE id = ?'),
    planCol: new Map(planCols.map(([f, c]) => [f, db.prepare(`UPDATE plans SET ${c} = ? WHERE id = ?`)])),
    json: Object.fromEntries(
      Object.entries(JSON_TABLES).map(([kind, t]) => {
        const w = rowWriteSql(t, '@data');
        const row = rowSql(t, 't');
        return [
          kind,
          {
            get: db.prepare(`SELECT ${row} AS data, deleted FROM ${t.table} t WHERE id = ?`),
            insert: db.prepare(`INSERT INTO ${t.table} (id, ${t.parentCol}, ${w.cols.join(', ')}) VALUES (@id, @parent, ${w.values.join(', ')})`),
            del: db.prepare(`DELETE FROM ${t.table} WHERE id = ?`),
            setField: db.prepare(`UPDATE ${t.table} SET data = json_set(data, '$.' || ?, json(?)) WHERE id = ?`),
            setParent: db.prepare(`UPDATE ${t.table} SET ${t.parentCol} = ?, data = json_set(data, '$.${t.parentField}', ?) WHERE id = ?`),
            setDeleted: db.prepare(`UPDATE ${t.table} SET deleted = ? WHERE id = ?`),
            children: db.prepare(`SELECT ${row} AS data FROM ${t.table} t WHERE ${t.parentCol} = ? AND deleted = 0 ORDER BY rowid`),
            all: db.prepare(`SELECT ${row} AS data FROM ${t.table} t WHERE deleted = 0 ORDER BY rowid`),
          },
        ];
      }),
    ) as Record<Exclude<EntityKind, 'plan'>, Record<'get' | 'insert' | 'del' | 'setField' | 'setParent' | 'setDeleted' | 'children' | 'all', Database.Statement<unknown[], unknown>>>,
    /** UPDATE of each column-kept field, by kind and field. */
    columns: new Map(
      Object.entries(JSON_TABLES).flatMap(([kind, t]) => Object.entries(t.columns).map(([f, c]) => [`${kind}.${f}`, db.prepare(`UPDATE ${t.table} SET ${c} = ? WHERE id = ?`)] as const)),
    ),
  };

  const repo = {
    /** The row (tombstoned rows too, with `deleted`), or undefined. */
    get(kind: EntityKind, id: string): { row: Row; deleted: boolean } | undefined {
      if (kind === 'plan') {
        const r = stmts.getPlan.get(id) as Record<string, unknown> | undefined;
        return r && { row: planFromDb(r), deleted: r.status === 'DELETED' };
      }
      const r = stmts.json[kind].get.get(id) as { data: string; deleted: number } | undefined;
      return r && { row: JSON.parse(r.data) as Row, deleted: r.deleted === 1 };
    },
    insert(kind: EntityKind, row: Row): void {
      if (kind === 'plan') {
        const extra: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) if (!Object.hasOwn(PLAN_FIELD_COLUMNS, k)) extra[k] = v;
        stmts.insertPlan.run({ ...Object.fromEntries(planCols.map(([f]) => [f, row[f] ?? null])), extra: JSON.stringify(extra) });
        return;
      }
      const t = JSON_TABLES[kind];
      stmts.json[kind].insert.run({ id: row.id, parent: row[t.parentField], data: JSON.stringify(row) });
    },
    /** Physical removal: only the undo of a create does this (deletes are tombstones). */
    remove(kind: EntityKind, id: string): void {
      if (kind === 'plan') stmts.deletePlan.run(id);
      else stmts.json[kind].del.run(id);
    },
    /**
     * Writes one field. Only a field the registry lists for the kind: the name is a JSON path
     * in `data` (or a key of a plan's `extra`), so anything else is refused before any write.
     */
    setField(kind: EntityKind, id: string, field: string, value: unknown): void {
      if (!fieldDef(kind, field)) throw new ContractError('invalid_input', `${kind} has no field ${JSON.stringify(field)}`, [{ path: 'field', message: `not a ${kind} field` }]);
      if (kind === 'plan') {
        const col = stmts.planCol.get(field);
        if (col) {
          col.run(value as never, id);
          return;
        }
        const r = stmts.getPlan.get(id) as { extra: string } | undefined;
        if (!r) return;
        const extra = JSON.parse(r.extra || '{}') as Record<string, unknown>;
        extra[field] = value;
        stmts.setPlanExtra.run(JSON.stringify(extra), id);
        return;
      }
      const t = JSON_TABLES[kind];
      const col = stmts.columns.get(`${kind}.${field}`);
      if (col) col.run(value ?? null, id);
      else if (field === t.parentField) stmts.json[kind].setParent.run(value, value, id);
      else stmts.json[kind].setField.run(field, JSON.stringify(value ?? null), id);
    },
    setDeleted(kind: Exclude<EntityKind, 'plan'>, id: string, deleted: boolean): void {
      stmts.json[kind].setDeleted.run(deleted ? 1 : 0, id);
    },
    /** Live (not tombstoned) children of a parent. */
    children(kind: Exclude<EntityKind, 'plan'>, parentId: string): Row[] {
      return (stmts.json[kind].children.all(parentId) as { data: string }[]).map((r) => JSON.parse(r.data) as Row);
    },
    all(kind: Exclude<EntityKind, 'plan'>): Row[] {
      return (stmts.json[kind].all.all() as { data: string }[]).map((r) => JSON.parse(r.data) as Row);
    },
    plan(id: string): Plan | undefined {
      const r = stmts.getPlan.get(id) as Record<string, unknown> | undefined;
      return r && (planFromDb(r) as unknown as Plan);
    },
  };
  return repo;
}

export type EntityRepo = ReturnType<typeof entityRepo>;
