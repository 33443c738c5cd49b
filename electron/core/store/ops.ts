import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { BulkOpInput, ReplaceInput } from '../../../shared/contract/edit';
import { ContractError, type FieldIssue } from '../../../shared/contract/errors';
import { checkRow, type CheckIssue, type UserRule } from '../../../shared/domain/checks';
import type { AnyEntity } from '../../../shared/domain/checks';
import { fieldDef, fieldsFor } from '../../../shared/domain/fields';
import { KINDS, type EntityKind } from '../../../shared/domain/kinds';
import { cached, type Db } from './db';
import { columnOf, DELETED_FIELD, JSON_TABLES, ROW_FIELD, rowSql, type EntityRepo, type Row } from './entityRepo';
import type { Journal, JournalChange, JournalEntry } from './journal';
import { planLookup } from './ownership';

/** A bulk edit and a find & replace as the contract's schemas parse them (defaults filled). */
export type BulkOp = z.output<typeof BulkOpInput>;
export type ReplaceSpec = z.output<typeof ReplaceInput>;

export interface PreviewRow {
  entity: EntityKind;
  id: string;
  name: string;
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

export interface Preview {
  /** Rows that would change. */
  changed: number;
  /** Selected rows that would not change (equal, or no value to change). */
  unchanged: number;
  /** The first rows that would change (at most `limit`). */
  rows: PreviewRow[];
  /** Checks the change would break (errors block posting, warnings don't), at most `limit`. */
  issues: CheckIssue[];
  errorCount: number;
  warningCount: number;
}

/**
 * How "change by amount / percent" rounds a field (the registry's number kinds), or undefined
 * when the field is not a number: fen and counts stay whole, ratios keep 2 decimals.
 */
function numericMode(kind: EntityKind, field: string): 'whole' | 'ratio' | undefined {
  const t = fieldDef(kind, field)?.type;
  return t === 'money' || t === 'integer' ? 'whole' : t === 'number' ? 'ratio' : undefined;
}

const shapeOf = (kind: EntityKind) => (KINDS[kind].schema as z.ZodObject<z.ZodRawShape>).shape as Record<string, z.ZodType>;

function invalid(message: string, issues: FieldIssue[] = []): ContractError {
  return new ContractError('invalid_input', message, issues.length ? issues : undefined);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A bulk edit's selection named a changed row more than once (see bulkApplyOnce). */
class RepeatedIds extends Error {}

export interface OpsDeps {
  db: Db;
  repo: EntityRepo;
  journal: Journal;
  today: () => string;
  rules: () => UserRule[];
}

/** Every editing operation: each is one transaction and one journal batch (one undo step). */
export function operations({ db, repo, journal, today, rules }: OpsDeps) {
  const prep = (sql: string) => cached(db, sql);
  const newId = (kind: EntityKind) => `${KINDS[kind].prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

  /** Applies one change in its forward direction (newValue). */
  function apply(c: JournalChange, value: unknown): void {
    const kind = c.entity as EntityKind;
    if (c.field === ROW_FIELD) {
      if (value === null) repo.remove(kind, c.entityId);
      else repo.insert(kind, value as Row);
    } else if (c.field === DELETED_FIELD && kind !== 'plan') repo.setDeleted(kind, c.entityId, value === true);
    else repo.setField(kind, c.entityId, c.field, value);
  }

  /** One batch: apply and journal `changes`; nothing happens when there are none. */
  const commit = db.transaction((label: string, changes: JournalChange[]): number | null => {
    if (changes.length === 0) return null;
    const batch = journal.beginBatch('edit', label);
    if (changes.length < 2000) {
      for (const c of changes) apply(c, c.newValue);
      journal.append(batch, changes);
      return batch;
    }
    commitMany(batch, changes);
    return batch;
  });

  /** Writes one field of many rows of a JSON table from a set entry's items (value at `at`: 1 old, 2 new). */
  function applySet(entity: string, field: string, items: string, at: 1 | 2): void {
    const t = setTable(entity, field);
    const col = columnOf(t, field);
    if (col) prep(`UPDATE ${t.table} SET ${col} = e.v FROM (SELECT value ->> 0 AS id, value ->> ${at} AS v FROM json_each(?)) e WHERE ${t.table}.id = e.id`).run(items);
    else prep(`UPDATE ${t.table} SET data = json_set(${t.table}.data, '$.${field}', json(e.v)) FROM (SELECT value ->> 0 AS id, value -> ${at} AS v FROM json_each(?)) e WHERE ${t.table}.id = e.id`).run(items);
  }

  /**
   * Writes the old values of a journaled set entry, walking its items inside SQLite (an undo of
   * 100k changes never brings them into JavaScript). A swapped entry holds [id, new, old].
   */
  function revertSet(entity: string, field: string, journalId: number): void {
    const t = setTable(entity, field);
    const col = columnOf(t, field);
    // A column gets the SQL value (->>), a path in `data` the JSON text (->).
    const op = col ? '->>' : '->';
    const items = `SELECT e.value ->> 0 AS id, CASE WHEN j.swapped THEN e.value ${op} 2 ELSE e.value ${op} 1 END AS v FROM journal j, json_each(j.items) e WHERE j.id = ?`;
    if (col) prep(`UPDATE ${t.table} SET ${col} = e.v FROM (${items}) e WHERE ${t.table}.id = e.id`).run(journalId);
    else prep(`UPDATE ${t.table} SET data = json_set(${t.table}.data, '$.${field}', json(e.v)) FROM (${items}) e WHERE ${t.table}.id = e.id`).run(journalId);
  }

  function setTable(entity: string, field: string) {
    const t = Object.hasOwn(JSON_TABLES, entity) ? JSON_TABLES[entity as Exclude<EntityKind, 'plan'>] : undefined;
    if (!t || !fieldDef(entity as EntityKind, field) || !/^[A-Za-z]+$/.test(field) || field === t.parentField || field === DELETED_FIELD || field === ROW_FIELD) throw new Error(`not a set-wise field: ${entity}.${field}`);
    return t;
  }

  /**
   * Large batches (CSV imports, find & replace over an account): one set entry per (kind,
   * field), applied with one statement each. Creates, tombstones, moves and plan fields still
   * go row by row, in order, first.
   */
  function commitMany(batch: number, changes: JournalChange[]): void {
    const created = new Set(changes.filter((c) => c.field === ROW_FIELD).map((c) => c.entity));
    const groups = new Map<string, JournalChange[]>();
    const rows: JournalChange[] = [];
    for (const c of changes) {
      const kind = c.entity as EntityKind;
      const t = kind === 'plan' ? undefined : JSON_TABLES[kind as Exclude<EntityKind, 'plan'>];
      if (t && !created.has(kind) && c.field !== DELETED_FIELD && c.field !== ROW_FIELD && c.field !== t.parentField && /^[A-Za-z]+$/.test(c.field)) {
        const k = `${c.entity}|${c.field}`;
        const g = groups.get(k);
        if (g) g.push(c);
        else groups.set(k, [c]);
      } else rows.push(c);
    }
    for (const [k, g] of groups) {
      // A set entry names each entity once; a field changed twice in one batch goes row by row.
      const seen = new Set<string>();
      if (g.some((c) => seen.size === seen.add(c.entityId).size)) {
        rows.push(...g);
        groups.delete(k);
      }
    }
    for (const c of rows) apply(c, c.newValue);
    journal.append(batch, rows);
    for (const g of groups.values()) {
      const first = g[0] as JournalChange;
      const items = JSON.stringify(g.map((c) => [c.entityId, c.oldValue ?? null, c.newValue ?? null]));
      journal.appendSet(batch, first.entity, first.field, items, g.length);
      applySet(first.entity, first.field, items, 2);
    }
  }

  function requireLive(kind: EntityKind, id: string): Row {
    const got = repo.get(kind, id);
    if (!got || got.deleted) throw new ContractError('not_found', `no ${kind} with id "${id}"`);
    return got.row;
  }

  function validateRow(kind: EntityKind, row: Row, pathPrefix: string): Row {
    const parsed = KINDS[kind].schema.safeParse(row);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: [pathPrefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
      throw invalid(`invalid ${kind}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
    }
    return parsed.data as Row;
  }

  function requireParent(kind: EntityKind, parentId: unknown): void {
    const p = KINDS[kind].parent;
    if (p.kind === 'merchant') return;
    if (typeof parentId !== 'string') throw invalid(`${p.field} is required`, [{ path: p.field, message: 'required' }]);
    requireLive(p.kind, parentId);
  }

  const CHILDREN: Partial<Record<EntityKind, Exclude<EntityKind, 'plan'>[]>> = {
    plan: ['unit', 'gdBooking'],
    unit: ['creative', 'searchWord', 'negativeWord'],
  };

  /** Deep copy of a row and its live descendants under `parentId`, as create changes. */
  function copyTree(kind: EntityKind, row: Row, parentId: string | undefined, rename: boolean, out: JournalChange[]): string {
    const id = newId(kind);
    const info = KINDS[kind];
    const copy: Row = { ...KINDS[kind].defaults(row as never), id } as Row;
    if (parentId !== undefined) copy[info.parent.field] = parentId;
    if (kind === 'plan') copy.status = 'PAUSED'; // a copied plan never starts spending on its own
    if (kind === 'creative') copy.reviewStatus = 'PENDING';
    if (rename && info.nameField === 'name') {
      const n = `${String(row.name)} (copy)`;
      if (n.length <= 100) copy.name = n;
    }
    out.push({ entity: kind, entityId: id, field: ROW_FIELD, oldValue: null, newValue: copy });
    for (const child of CHILDREN[kind] ?? []) for (const c of repo.children(child, row.id)) copyTree(child, c, id, false, out);
    return id;
  }

  // ---- bulk edit -------------------------------------------------------------------------

  function bulkNew(kind: EntityKind, op: BulkOp, old: unknown): unknown {
    if (op.type === 'set') return op.value;
    if (typeof old !== 'number') return old; // nothing to change by an amount
    const mode = numericMode(kind, op.field);
    const raw = op.type === 'add' ? old + op.amount : old * (1 + op.percent / 100);
    const v = Math.max(0, raw);
    return mode === 'ratio' ? Math.round(v * 100) / 100 : Math.round(v);
  }

  function checkBulkOp(kind: EntityKind, op: BulkOp): z.ZodType {
    // Only a field the registry lists for the kind (never a name looked up on a plain object:
    // "constructor" or "__proto__" would find Object's own).
    const def = fieldDef(kind, op.field);
    if (!def || def.type === 'id' || def.type === 'ref' || op.field === KINDS[kind].parent.field)
      throw invalid(`${kind} has no editable field ${JSON.stringify(op.field)}`, [{ path: 'op.field', message: 'unknown or not editable field' }]);
    const fieldSchema = def.schema;
    if (op.type !== 'set') {
      const mode = numericMode(kind, op.field);
      if (!mode) throw invalid(`${op.field} is not a number field`, [{ path: 'op.field', message: 'not a number field' }]);
      if (op.type === 'add' && mode !== 'ratio' && !Number.isInteger(op.amount)) throw invalid('amount must be whole fen', [{ path: 'op.amount', message: 'must be whole' }]);
    } else {
      const r = fieldSchema.safeParse(op.value);
      if (!r.success) throw invalid(`invalid value for ${op.field}: ${r.error.issues[0]?.message ?? ''}`, [{ path: 'op.value', message: r.error.issues[0]?.message ?? 'invalid' }]);
    }
    return fieldSchema;
  }

  function loadRows(kind: EntityKind, ids: readonly string[]): Row[] {
    if (kind === 'plan') return ids.flatMap((id) => (repo.get('plan', id)?.deleted === false ? [repo.get('plan', id)?.row as Row] : []));
    const t = JSON_TABLES[kind];
    const rows = prep(`SELECT ${rowSql(t, 't')} FROM ${t.table} t WHERE id IN (SELECT value FROM json_each(?)) AND deleted = 0`).pluck().all(JSON.stringify(ids)) as string[];
    return rows.map((d) => JSON.parse(d) as Row);
  }

  function previewOf(kind: EntityKind, pairs: { before: Row; after: Row; field: string }[], unchanged: number, limit: number): Preview {
    const planOf = planLookup(repo);
    const ruleList = rules();
    const issues: CheckIssue[] = [];
    let errorCount = 0;
    let warningCount = 0;
    const t = today();
    const nameField = KINDS[kind].nameField;
    for (const { before, after } of pairs) {
      const beforeIssues = new Set(checkRow(kind, before as unknown as AnyEntity, { today: t, isNew: false, rules: ruleList, plan: planOf(kind, before) } as never).map((i) => `${i.code}|${i.field}`));
      for (const i of checkRow(kind, after as unknown as AnyEntity, { today: t, isNew: false, rules: ruleList, plan: planOf(kind, after), before } as never)) {
        if (beforeIssues.has(`${i.code}|${i.field}`)) continue; // only what this change breaks
        if (i.severity === 'error') errorCount++;
        else warningCount++;
        if (issues.length < limit) issues.push(i);
      }
    }
    return {
      changed: pairs.length,
      unchanged,
      rows: pairs.slice(0, limit).map(({ before, after, field }) => ({ entity: kind, id: before.id, name: String(before[nameField] ?? ''), field, oldValue: before[field] ?? null, newValue: after[field] ?? null })),
      issues,
      errorCount,
      warningCount,
    };
  }

  // ---- find & replace --------------------------------------------------------------------

  function replacer(spec: ReplaceSpec): (s: string) => string {
    if (spec.find === '') throw invalid('find must not be empty', [{ path: 'find', message: 'must not be empty' }]);
    let re: RegExp;
    try {
      const src = spec.regex ? spec.find : spec.find.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      re = new RegExp(src, `gu${spec.caseSensitive ? '' : 'i'}`);
    } catch (err) {
      throw invalid(`not a valid regular expression: ${(err as Error).message}`, [{ path: 'find', message: 'not a valid regular expression' }]);
    }
    // Plain mode inserts the replacement verbatim ($ has no special meaning); regex mode allows $1.
    return spec.regex ? (s) => s.replace(re, spec.replace) : (s) => s.replace(re, () => spec.replace);
  }

  function replacePairs(spec: ReplaceSpec): { kind: EntityKind; before: Row; after: Row; field: string; changes: JournalChange[] }[] {
    const fn = replacer(spec);
    const out: { kind: EntityKind; before: Row; after: Row; field: string; changes: JournalChange[] }[] = [];
    const idSet = spec.ids ? new Set(spec.ids) : undefined;
    for (const kind of spec.kinds) {
      const fields = fieldsFor(kind, 'replace').map((d) => d.field);
      if (fields.length === 0) continue;
      const rows = kind === 'plan' ? allPlans() : repo.all(kind);
      const shape = shapeOf(kind);
      for (const row of rows) {
        if (idSet && !idSet.has(row.id)) continue;
        const after: Row = { ...row };
        const changes: JournalChange[] = [];
        for (const f of fields) {
          const v = row[f];
          if (typeof v !== 'string') continue;
          const nv = fn(v);
          if (nv === v) continue;
          const r = shape[f]?.safeParse(nv);
          if (r && !r.success) throw invalid(`replacing in ${kind} ${row.id} ${f}: ${r.error.issues[0]?.message ?? 'invalid'}`, [{ path: 'replace', message: `${kind} ${row.id} ${f}: ${r.error.issues[0]?.message ?? 'invalid'}` }]);
          after[f] = nv;
          changes.push({ entity: kind, entityId: row.id, field: f, oldValue: v, newValue: nv });
        }
        if (changes.length) out.push({ kind, before: row, after, field: changes[0]?.field ?? '', changes });
      }
    }
    return out;
  }

  const allPlans = (): Row[] =>
    (prep("SELECT id FROM plans WHERE status != 'DELETED' ORDER BY rowid").pluck().all() as string[]).map((id) => repo.get('plan', id)?.row as Row);

  // ---- undo / redo -----------------------------------------------------------------------

  /** Applies the inverse of a batch's journal rows (their old values, newest row first). */
  function applyInverse(entries: JournalEntry[]): void {
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i] as JournalEntry;
      if (e.isSet) revertSet(e.entity, e.field, e.id);
      else {
        const c: JournalChange = { entity: e.entity, entityId: e.entityId as string, field: e.field, oldValue: null, newValue: null };
        apply(c, e.oldValue === null ? null : (JSON.parse(e.oldValue) as unknown));
      }
    }
  }

  const undoRedo = db.transaction((which: 'undo' | 'redo') => {
    const b = which === 'undo' ? journal.undoable() : journal.redoable();
    if (!b) return null;
    const label = which === 'undo' ? `undo: ${b.label}` : b.label.replace(/^undo: /, '');
    const nb = journal.beginBatch(which, label, b.id);
    const entries = journal.entries(b.id);
    applyInverse(entries);
    journal.appendInverse(nb, entries);
    return { batch: nb, of: b.id, rows: b.rows, label };
  });

  /**
   * One bulk edit, assuming each id is named once (a Set over 100k ids costs more than the rest
   * of the preparation): the UPDATE counts the distinct rows it wrote, and a selection that
   * named a changed row twice is rolled back with RepeatedIds and redone deduplicated.
   */
  const bulkApplyOnce = db.transaction((kind: EntityKind, ids: string[], op: BulkOp): { batch: number | null; changed: number } => {
    const fieldSchema = checkBulkOp(kind, op);
    const label = `bulk ${op.type} ${kind}.${op.field} (${ids.length})`;
    if (kind === 'plan') {
      const changes: JournalChange[] = [];
      for (const r of loadRows(kind, [...new Set(ids)])) {
        const nv = bulkNew(kind, op, r[op.field] ?? null);
        if (same(nv, r[op.field])) continue;
        const ok = fieldSchema.safeParse(nv);
        if (!ok.success) throw invalid(`plan ${r.id}: ${op.field} ${ok.error.issues[0]?.message ?? 'invalid'}`, [{ path: 'op', message: `plan ${r.id}: ${ok.error.issues[0]?.message ?? 'invalid'}` }]);
        changes.push({ entity: kind, entityId: r.id, field: op.field, oldValue: r[op.field] ?? null, newValue: nv });
      }
      return { batch: commit(label, changes), changed: changes.length };
    }
    // In SQL: 100k rows change without a round trip per row.
    const t = JSON_TABLES[kind];
    const f = op.field;
    if (!/^[A-Za-z]+$/.test(f)) throw invalid('bad field name');
    const mode = numericMode(kind, f);
    const col = columnOf(t, f);
    // `old` and `new` per row: SQL numbers for a column-kept field, JSON texts for a field in
    // `data` (compared as texts, put into the set entry with json()).
    let oldExpr: string;
    let newExpr: string;
    let param: unknown;
    const byAmount = (value: string) => {
      const v = op.type === 'add' ? `MAX(0, ${value} + ?)` : `MAX(0, ${value} * ?)`;
      return mode === 'ratio' ? `ROUND(${v}, 2)` : `CAST(ROUND(${v}) AS INTEGER)`;
    };
    if (op.type !== 'set') param = op.type === 'add' ? op.amount : 1 + op.percent / 100;
    if (col) {
      oldExpr = `t.${col}`;
      if (op.type === 'set') {
        newExpr = '?';
        param = op.value ?? null;
      } else newExpr = `CASE WHEN typeof(t.${col}) IN ('integer', 'real') THEN ${byAmount(`t.${col}`)} ELSE t.${col} END`;
    } else {
      oldExpr = `COALESCE(t.data -> '$.${f}', 'null')`;
      if (op.type === 'set') {
        newExpr = 'json(?)';
        param = JSON.stringify(op.value ?? null);
      } else newExpr = `CASE WHEN json_type(t.data, '$.${f}') IN ('integer', 'real') THEN json_quote(${byAmount(`json_extract(t.data, '$.${f}')`)}) ELSE ${oldExpr} END`;
    }
    const item = col ? 'json_array(id, old, new)' : 'json_array(id, json(old), json(new))';
    // One pass computes the set entry (old and new per changed row, unchanged rows left out)
    // and the distinct new values to validate; one UPDATE writes them.
    const idsJson = JSON.stringify(ids);
    const got = prep(
      `SELECT json_group_array(${item}) AS items, COUNT(*) AS n, json_group_array(DISTINCT new) AS vals, json_group_array(rid) AS rowids FROM (
         SELECT t.rowid AS rid, t.id AS id, ${oldExpr} AS old, ${newExpr} AS new
         FROM json_each(?) s JOIN ${t.table} t ON t.id = s.value WHERE t.deleted = 0)
       WHERE new IS NOT old`,
    ).get(param, idsJson) as { items: string; n: number; vals: string; rowids: string };
    if (got.n === 0) return { batch: null, changed: 0 };
    for (const raw of JSON.parse(got.vals) as unknown[]) {
      const v: unknown = col ? raw : JSON.parse(raw as string);
      const ok = fieldSchema.safeParse(v);
      const shown = JSON.stringify(v);
      if (!ok.success) throw invalid(`${f} would become ${shown}: ${ok.error.issues[0]?.message ?? 'invalid'}`, [{ path: 'op', message: `${f} would become ${shown}: ${ok.error.issues[0]?.message ?? 'invalid'}` }]);
    }
    const batch = journal.beginBatch('edit', label);
    journal.appendSet(batch, kind, f, got.items, got.n);
    // The changed rows by rowid (found by the pass above, same transaction) and the same
    // deterministic expression: no id lookups, no reading the items back.
    const set = col ? `${col} = ${newExpr}` : `data = json_set(t.data, '$.${f}', json(${newExpr}))`;
    // A join on rowid (ascending, as found): no temporary index over the 100k rowids as IN builds.
    const wrote = prep(`UPDATE ${t.table} AS t SET ${set} FROM (SELECT value AS rid FROM json_each(?)) r WHERE t.rowid = r.rid`).run(param, got.rowids).changes;
    if (wrote !== got.n) throw new RepeatedIds();
    return { batch, changed: got.n };
  });

  return {
    commit,
    create(kind: EntityKind, data: Record<string, unknown>): string {
      // Only the registry's fields of the kind: a key from outside is never looked up on a plain object.
      for (const k of Object.keys(data)) if (!fieldDef(kind, k)) throw invalid(`${kind} has no field ${JSON.stringify(k)}`, [{ path: `data.${k}`, message: 'unknown field' }]);
      const id = typeof data.id === 'string' && data.id ? data.id : newId(kind);
      if (repo.get(kind, id)) throw invalid(`a ${kind} with id "${id}" already exists`, [{ path: 'data.id', message: 'already exists' }]);
      const row = validateRow(kind, { ...data, id } as Row, 'data');
      requireParent(kind, row[KINDS[kind].parent.field]);
      const full = KINDS[kind].defaults(row as never) as Row;
      commit(`create ${kind}`, [{ entity: kind, entityId: id, field: ROW_FIELD, oldValue: null, newValue: full }]);
      return id;
    },
    update(kind: EntityKind, id: string, patch: Record<string, unknown>): number {
      const before = requireLive(kind, id);
      const parentField = KINDS[kind].parent.field;
      for (const k of Object.keys(patch)) {
        if (k === 'id' || k === parentField) throw invalid(`${k} cannot be changed by update (use move)`, [{ path: `patch.${k}`, message: 'not editable' }]);
        if (!fieldDef(kind, k)) throw invalid(`${kind} has no field ${JSON.stringify(k)}`, [{ path: `patch.${k}`, message: 'unknown field' }]);
      }
      const after = validateRow(kind, { ...before, ...patch } as Row, 'patch');
      const changes: JournalChange[] = [];
      for (const k of Object.keys(patch)) if (!same(before[k], after[k])) changes.push({ entity: kind, entityId: id, field: k, oldValue: before[k] ?? null, newValue: after[k] ?? null });
      commit(`edit ${kind}`, changes);
      return changes.length;
    },
    remove(kind: EntityKind, ids: string[]): number {
      const changes: JournalChange[] = [];
      for (const id of ids) {
        const before = requireLive(kind, id);
        if (kind === 'plan') changes.push({ entity: kind, entityId: id, field: 'status', oldValue: before.status, newValue: 'DELETED' });
        else changes.push({ entity: kind, entityId: id, field: DELETED_FIELD, oldValue: false, newValue: true });
      }
      commit(`delete ${ids.length} ${kind}`, changes);
      return changes.length;
    },
    duplicate(kind: EntityKind, id: string): string {
      const row = requireLive(kind, id);
      const changes: JournalChange[] = [];
      const nid = copyTree(kind, row, undefined, true, changes);
      commit(`duplicate ${kind}`, changes);
      return nid;
    },
    copy(kind: 'unit' | 'creative', ids: string[], toParentId: string): string[] {
      requireLive(KINDS[kind].parent.kind as EntityKind, toParentId);
      const changes: JournalChange[] = [];
      const out = ids.map((id) => copyTree(kind, requireLive(kind, id), toParentId, false, changes));
      commit(`copy ${ids.length} ${kind}`, changes);
      return out;
    },
    move(kind: 'unit' | 'creative', ids: string[], toParentId: string): number {
      requireLive(KINDS[kind].parent.kind as EntityKind, toParentId);
      const field = KINDS[kind].parent.field;
      const changes: JournalChange[] = [];
      for (const id of ids) {
        const row = requireLive(kind, id);
        if (row[field] !== toParentId) changes.push({ entity: kind, entityId: id, field, oldValue: row[field], newValue: toParentId });
      }
      commit(`move ${ids.length} ${kind}`, changes);
      return changes.length;
    },
    bulkPreview(kind: EntityKind, ids: string[], op: BulkOp, limit = 200): Preview {
      checkBulkOp(kind, op);
      const rows = loadRows(kind, ids);
      const pairs: { before: Row; after: Row; field: string }[] = [];
      for (const r of rows) {
        const nv = bulkNew(kind, op, r[op.field] ?? null);
        if (!same(nv, r[op.field])) pairs.push({ before: r, after: { ...r, [op.field]: nv }, field: op.field });
      }
      return previewOf(kind, pairs, ids.length - pairs.length, limit);
    },
    /** A bulk edit of a selection: one transaction, one set entry (see bulkApplyOnce). */
    bulkApply(kind: EntityKind, ids: string[], op: BulkOp): { batch: number | null; changed: number } {
      try {
        return bulkApplyOnce(kind, ids, op);
      } catch (err) {
        // Rolled back: the selection named a row twice. Rare, so it is only then deduplicated.
        if (!(err instanceof RepeatedIds)) throw err;
        return bulkApplyOnce(kind, [...new Set(ids)], op);
      }
    },
    replacePreview(spec: ReplaceSpec, limit = 200): Preview {
      const pairs = replacePairs(spec);
      const byKind = new Map<EntityKind, typeof pairs>();
      for (const p of pairs) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p]);
      const out: Preview = { changed: 0, unchanged: 0, rows: [], issues: [], errorCount: 0, warningCount: 0 };
      for (const [kind, ps] of byKind) {
        const p = previewOf(kind, ps, 0, limit);
        out.changed += p.changed;
        out.rows.push(...p.rows.slice(0, limit - out.rows.length));
        out.issues.push(...p.issues.slice(0, limit - out.issues.length));
        out.errorCount += p.errorCount;
        out.warningCount += p.warningCount;
      }
      return out;
    },
    replaceApply(spec: ReplaceSpec): { batch: number | null; changed: number } {
      const pairs = replacePairs(spec);
      const batch = commit(`replace "${spec.find}"`, pairs.flatMap((p) => p.changes));
      return { batch, changed: pairs.length };
    },
    undo: () => undoRedo('undo'),
    redo: () => undoRedo('redo'),
    applyInverse,
    newId,
  };
}

export type Operations = ReturnType<typeof operations>;
