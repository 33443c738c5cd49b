import type { EntityKind } from '../../../shared/domain/kinds';
import type { Plan } from '../../../shared/domain/entities';
import type Database from 'better-sqlite3';
import type { Db } from './db';

/** A JSON-row table: one entity per row, its fields in `data`, its parent id in a column. */
interface JsonTable {
  table: string;
  parentCol: string;
  parentField: string;
}

export const JSON_TABLES: Record<Exclude<EntityKind, 'plan'>, JsonTable> = {
  unit: { table: 'units', parentCol: 'plan_id', parentField: 'planId' },
  creative: { table: 'creatives', parentCol: 'unit_id', parentField: 'unitId' },
  searchWord: { table: 'search_words', parentCol: 'unit_id', parentField: 'unitId' },
  negativeWord: { table: 'negative_words', parentCol: 'unit_id', parentField: 'unitId' },
  audiencePack: { table: 'audience_packs', parentCol: 'merchant_id', parentField: 'merchantId' },
  gdBooking: { table: 'gd_bookings', parentCol: 'plan_id', parentField: 'planId' },
};

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
      Object.entries(JSON_TABLES).map(([kind, t]) => [
        kind,
        {
          get: db.prepare(`SELECT data, deleted FROM ${t.table} WHERE id = ?`),
          insert: db.prepare(`INSERT INTO ${t.table} (id, ${t.parentCol}, data) VALUES (?, ?, ?)`),
          del: db.prepare(`DELETE FROM ${t.table} WHERE id = ?`),
          setField: db.prepare(`UPDATE ${t.table} SET data = json_set(data, '$.' || ?, json(?)) WHERE id = ?`),
          setParent: db.prepare(`UPDATE ${t.table} SET ${t.parentCol} = ?, data = json_set(data, '$.${t.parentField}', ?) WHERE id = ?`),
          setDeleted: db.prepare(`UPDATE ${t.table} SET deleted = ? WHERE id = ?`),
          children: db.prepare(`SELECT data FROM ${t.table} WHERE ${t.parentCol} = ? AND deleted = 0 ORDER BY rowid`),
          all: db.prepare(`SELECT data FROM ${t.table} WHERE deleted = 0 ORDER BY rowid`),
        },
      ]),
    ) as Record<Exclude<EntityKind, 'plan'>, Record<'get' | 'insert' | 'del' | 'setField' | 'setParent' | 'setDeleted' | 'children' | 'all', Database.Statement<unknown[], unknown>>>,
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
        for (const [k, v] of Object.entries(row)) if (!(k in PLAN_FIELD_COLUMNS)) extra[k] = v;
        stmts.insertPlan.run({ ...Object.fromEntries(planCols.map(([f]) => [f, row[f] ?? null])), extra: JSON.stringify(extra) });
        return;
      }
      const t = JSON_TABLES[kind];
      stmts.json[kind].insert.run(row.id, row[t.parentField], JSON.stringify(row));
    },
    /** Physical removal: only the undo of a create does this (deletes are tombstones). */
    remove(kind: EntityKind, id: string): void {
      if (kind === 'plan') stmts.deletePlan.run(id);
      else stmts.json[kind].del.run(id);
    },
    setField(kind: EntityKind, id: string, field: string, value: unknown): void {
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
      if (field === t.parentField) stmts.json[kind].setParent.run(value, value, id);
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
