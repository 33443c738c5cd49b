import type { Creative, Plan, SearchWord, Unit } from '../../../shared/domain/entities';
import { cached, type Db } from './db';
import { DELETED_FIELD, jsonTableNamed, PLAN_FIELD_COLUMNS, ROW_FIELD, rowSql, type Row } from './entityRepo';
import type { Journal } from './journal';

export interface PlanParts {
  plan: Plan;
  units: Unit[];
  creatives: Creative[];
  searchWords: SearchWord[];
}

/**
 * A plan as the server has it: the local rows with every unposted net change (the journal's
 * outbox) taken back. Rows created locally drop out, rows deleted locally come back, edited
 * fields get their posted value, and children moved between plans or units follow their posted
 * parent. Returns null when the plan itself was never posted.
 */
export function postedPlanParts(db: Db, journal: Journal, planId: string): PlanParts | null {
  // "kind:id" → field → the value the server last had.
  const posted = new Map<string, Map<string, unknown>>();
  for (const o of journal.outbox()) {
    const key = `${o.entity}:${o.entityId}`;
    let m = posted.get(key);
    if (!m) posted.set(key, (m = new Map()));
    m.set(o.field, o.oldValue);
  }
  /** Reverts one row; null when the row did not exist (or was deleted) on the server. */
  const revert = (kind: string, row: Row, deletedNow: boolean): Row | null => {
    const changes = posted.get(`${kind}:${row.id}`);
    if (!changes) return deletedNow ? null : row;
    if (changes.has(ROW_FIELD) && changes.get(ROW_FIELD) === null) return null;
    const out: Row = { ...row };
    let deleted = deletedNow;
    for (const [field, old] of changes) {
      if (field === ROW_FIELD) continue;
      if (field === DELETED_FIELD) deleted = old === true;
      else out[field] = old;
    }
    return deleted ? null : out;
  };
  /** Ids of `kind` rows whose posted parent is one of `parents` though their local one is not. */
  const movedInto = (kind: string, parentField: string, parents: Set<string>): string[] => {
    const ids: string[] = [];
    for (const [key, changes] of posted) {
      if (!key.startsWith(`${kind}:`) || !changes.has(parentField)) continue;
      if (parents.has(String(changes.get(parentField)))) ids.push(key.slice(kind.length + 1));
    }
    return ids;
  };

  const planRow = cached(db, 'SELECT * FROM plans WHERE id = ?').get(planId) as Record<string, unknown> | undefined;
  if (!planRow) return null;
  const planLocal: Row = { id: planId };
  for (const [f, c] of Object.entries(PLAN_FIELD_COLUMNS)) planLocal[f] = planRow[c];
  Object.assign(planLocal, JSON.parse((planRow.extra as string) || '{}') as object);
  const plan = revert('plan', planLocal, false);
  if (!plan || plan.status === 'DELETED') return null;

  const children = (table: string, parentCol: string, kind: string, parentField: string, parents: Set<string>): Row[] => {
    const jt = jsonTableNamed(table);
    const rowOf = jt ? rowSql(jt, 't') : 't.data';
    const ids = JSON.stringify([...parents]);
    const local = cached(db, `SELECT ${rowOf} AS data, deleted FROM ${table} t WHERE ${parentCol} IN (SELECT value FROM json_each(?)) ORDER BY rowid`).all(ids) as { data: string; deleted: number }[];
    const moved = movedInto(kind, parentField, parents);
    const extra = moved.length
      ? (cached(db, `SELECT ${rowOf} AS data, deleted FROM ${table} t WHERE id IN (SELECT value FROM json_each(?)) ORDER BY rowid`).all(JSON.stringify(moved)) as { data: string; deleted: number }[])
      : [];
    const seen = new Set<string>();
    const out: Row[] = [];
    for (const r of [...local, ...extra]) {
      const row = JSON.parse(r.data) as Row;
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      const p = revert(kind, row, r.deleted === 1);
      if (p && parents.has(String(p[parentField]))) out.push(p);
    }
    return out;
  };
  const units = children('units', 'plan_id', 'unit', 'planId', new Set([planId]));
  const unitIds = new Set(units.map((u) => u.id));
  return {
    plan: plan as unknown as Plan,
    units: units as unknown as Unit[],
    creatives: children('creatives', 'unit_id', 'creative', 'unitId', unitIds) as unknown as Creative[],
    searchWords: children('search_words', 'unit_id', 'searchWord', 'unitId', unitIds) as unknown as SearchWord[],
  };
}
