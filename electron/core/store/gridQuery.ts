import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { ContractError } from '../../../shared/contract/errors';
import type { EntityState } from '../../../shared/contract/edit';
import type { GridFieldFilter, GridOutputs, GridRow, GridStateFilter, TreeNode } from '../../../shared/contract/grid';
import { checkRow, type AnyEntity, type CheckIssue, type UserRule } from '../../../shared/domain/checks';
import { KINDS, type EntityKind } from '../../../shared/domain/kinds';
import type { Db } from './db';
import { fieldSql, JSON_TABLES, PLAN_FIELD_COLUMNS, planColumnOf, rowSql, type EntityRepo, type Row } from './entityRepo';
import type { EntityMarkers, Journal } from './journal';
import { ownedByMerchantSql, planLookup } from './ownership';

/**
 * The grids' window onto the store: filter, sort, count and page any kind in SQLite, so a
 * 200,000-row account is never loaded whole. Only field names of the entity's schema reach the
 * SQL text (as a checked JSON path or a known column); every value is a bound parameter.
 */
export interface GridQueryDeps {
  db: Db;
  repo: EntityRepo;
  journal: Journal;
  today: () => string;
  rules: () => UserRule[];
}

export interface GridSpec {
  kind: EntityKind;
  parentId?: string | undefined;
  merchantId?: string | undefined;
  sort?: { field: string; desc: boolean } | undefined;
  text: string;
  state: GridStateFilter;
  fields: GridFieldFilter[];
}

const fieldsOf = (kind: EntityKind): Set<string> => new Set(Object.keys((KINDS[kind].schema as z.ZodObject<z.ZodRawShape>).shape));

const noState: EntityState = { added: false, deleted: false, editedFields: [], unposted: false };
const toState = (m: EntityMarkers | undefined): EntityState => (m ? { added: m.added, deleted: m.deleted, editedFields: m.editedFields, unposted: true } : noState);

/** The SQL pieces of one kind: table, row data, parent and merchant conditions, field expressions. */
function shapeOf(kind: EntityKind) {
  if (kind === 'plan') {
    return {
      table: 'plans',
      select: 't.*',
      parentCol: 'merchant_id',
      deleted: "t.status = 'DELETED'",
      merchant: ownedByMerchantSql('plan', 't'),
      expr: (f: string) => {
        const col = planColumnOf(f);
        return col ? `t.${col}` : `json_extract(t.extra, '$.${f}')`;
      },
    };
  }
  const t = JSON_TABLES[kind];
  return {
    table: t.table,
    select: `${rowSql(t, 't')} AS data, t.deleted`,
    parentCol: t.parentCol,
    deleted: 't.deleted = 1',
    merchant: ownedByMerchantSql(kind, 't'),
    expr: (f: string) => (f === 'id' ? 't.id' : fieldSql(t, 't', f)),
  };
}

export function gridQuery(deps: GridQueryDeps) {
  const { db, repo, journal } = deps;
  const stmtCache = new Map<string, Database.Statement<unknown[], unknown>>();
  const prep = (sql: string) => {
    let s = stmtCache.get(sql);
    if (!s) {
      s = db.prepare<unknown[]>(sql);
      if (stmtCache.size > 200) stmtCache.clear();
      stmtCache.set(sql, s);
    }
    return s;
  };

  const otherMerchant = db.prepare('SELECT 1 FROM merchants WHERE id != ? UNION ALL SELECT 1 FROM plans WHERE merchant_id != ? LIMIT 1').pluck();
  const onlyMerchant = (id: string) => otherMerchant.get(id, id) === undefined;

  // Counting 200,000 rows for every block would repeat the same answer: counts are kept until
  // anything is written through this connection (total_changes() moves on every write).
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  const counts = new Map<string, number>();
  let countsAt = -1;
  const countOf = (sql: string, params: unknown[]): number => {
    const now = totalChanges.get() as number;
    if (now !== countsAt) {
      counts.clear();
      countsAt = now;
    }
    const key = `${sql}\u0000${JSON.stringify(params)}`;
    let n = counts.get(key);
    if (n === undefined) {
      n = prep(sql).pluck().get(...params) as number;
      if (counts.size > 100) counts.clear();
      counts.set(key, n);
    }
    return n;
  };

  function checkedField(kind: EntityKind, field: string, what: string): string {
    if (field !== 'id' && !fieldsOf(kind).has(field)) {
      throw new ContractError('invalid_input', `${kind} has no field "${field}" to ${what}`, [{ path: what === 'sort by' ? 'sort.field' : 'fields', message: `unknown field ${field}` }]);
    }
    return field;
  }

  /** WHERE clause and its parameters; `markerIds` is filled when the state filter needs the journal. */
  function where(spec: GridSpec): { sql: string; params: unknown[] } {
    const s = shapeOf(spec.kind);
    const conds: string[] = [];
    const params: unknown[] = [];
    // The merchant condition costs a lookup per row; a store holding only this merchant skips it.
    if (spec.merchantId && !onlyMerchant(spec.merchantId)) {
      conds.push(s.merchant);
      params.push(spec.merchantId);
    }
    if (spec.parentId) {
      conds.push(`t.${s.parentCol} = ?`);
      params.push(spec.parentId);
    }
    const text = spec.text.trim();
    if (text) {
      const like = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conds.push(`(lower(${s.expr(KINDS[spec.kind].nameField)}) LIKE ? ESCAPE '\\' OR t.id = ?)`);
      params.push(like, text);
    }
    for (const f of spec.fields) {
      const e = s.expr(checkedField(spec.kind, f.field, 'filter on'));
      if (f.op === 'contains') {
        conds.push(`lower(CAST(${e} AS TEXT)) LIKE ? ESCAPE '\\'`);
        params.push(`%${String(f.value).toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      } else if (f.value === null) {
        if (f.op !== 'eq') throw new ContractError('invalid_input', `${f.op} needs a value`, [{ path: 'fields', message: 'value is null' }]);
        conds.push(`${e} IS NULL`);
      } else {
        conds.push(`${e} ${f.op === 'eq' ? '=' : f.op === 'gte' ? '>=' : '<='} ?`);
        params.push(typeof f.value === 'boolean' ? (f.value ? 1 : 0) : f.value);
      }
    }
    // Unposted deletions stay visible (with their − marker) until synced; posted ones are gone.
    const unpostedHere = `EXISTS (SELECT 1 FROM journal j WHERE j.posted_at IS NULL AND j.entity = '${spec.kind}' AND j.entity_id = t.id)`;
    switch (spec.state) {
      case 'all':
        conds.push(`(NOT ${s.deleted} OR ${unpostedHere})`);
        break;
      case 'live':
        conds.push(`NOT ${s.deleted}`);
        break;
      case 'deleted':
        conds.push(`${s.deleted} AND ${unpostedHere}`);
        break;
      default: {
        // Net markers (an edit undone is not "edited"): the exact ids from the journal.
        const ids: string[] = [];
        for (const [key, m] of journal.markers()) {
          const [k, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
          if (k !== spec.kind) continue;
          if (spec.state === 'unposted' || (spec.state === 'added' && m.added) || (spec.state === 'edited' && !m.added && !m.deleted && m.editedFields.length > 0)) ids.push(id);
        }
        conds.push('t.id IN (SELECT value FROM json_each(?))');
        params.push(JSON.stringify(ids));
      }
    }
    return { sql: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
  }

  function orderBy(spec: GridSpec): string {
    if (!spec.sort) return 'ORDER BY t.rowid';
    const e = shapeOf(spec.kind).expr(checkedField(spec.kind, spec.sort.field, 'sort by'));
    const dir = spec.sort.desc ? 'DESC' : 'ASC';
    return `ORDER BY ${e} ${dir}, t.rowid ${dir}`;
  }

  /** Checks of the shown rows (the check panel runs the whole account; a grid needs its window). */
  function issuesFor(kind: EntityKind, rows: Row[], markers: Map<string, EntityMarkers>): CheckIssue[][] {
    const rules = deps.rules();
    const today = deps.today();
    const planOf = planLookup(repo);
    return rows.map((row) => {
      const m = markers.get(`${kind}:${row.id}`);
      let before: Row | undefined;
      if (kind === 'creative' && m && !m.added) {
        before = { ...row };
        for (const o of journal.outboxOf('creative', [row.id])) before[o.field] = o.oldValue;
      }
      // A plan's own checks take no plan context (as in the account checks).
      const plan = kind === 'plan' ? undefined : planOf(kind, row);
      return checkRow(kind, row as unknown as AnyEntity, { today, isNew: m?.added ?? false, rules, ...(plan ? { plan } : {}), ...(before ? { before } : {}) });
    });
  }

  function readRow(kind: EntityKind, r: Record<string, unknown>): Row {
    if (kind === 'plan') {
      const out: Row = { id: r.id as string };
      for (const [f, c] of Object.entries(PLAN_FIELD_COLUMNS)) out[f] = r[c];
      return { ...out, ...(JSON.parse((r.extra as string) || '{}') as object) };
    }
    return JSON.parse(r.data as string) as Row;
  }

  return {
    query(spec: GridSpec & { offset: number; limit: number }): GridOutputs['grid.query'] {
      const s = shapeOf(spec.kind);
      const w = where(spec);
      const total = countOf(`SELECT COUNT(*) FROM ${s.table} t ${w.sql}`, w.params);
      const raw = prep(`SELECT ${s.select} FROM ${s.table} t ${w.sql} ${orderBy(spec)} LIMIT ? OFFSET ?`).all(...w.params, spec.limit, spec.offset) as Record<string, unknown>[];
      const rows = raw.map((r) => KINDS[spec.kind].defaults(readRow(spec.kind, r) as never) as Row);
      const markers = journal.markers({ entity: spec.kind, ids: rows.map((r) => r.id) });
      const issues = issuesFor(spec.kind, rows, markers);
      const out: GridRow[] = rows.map((row, i) => ({ row, state: toState(markers.get(`${spec.kind}:${row.id}`)), issues: issues[i] ?? [] }));
      return { rows: out, total, offset: spec.offset };
    },

    ids(spec: GridSpec & { offset: number; limit: number }): GridOutputs['grid.ids'] {
      const s = shapeOf(spec.kind);
      const w = where(spec);
      const total = countOf(`SELECT COUNT(*) FROM ${s.table} t ${w.sql}`, w.params);
      const ids = prep(`SELECT t.id FROM ${s.table} t ${w.sql} ${orderBy(spec)} LIMIT ? OFFSET ?`).pluck().all(...w.params, spec.limit, spec.offset) as string[];
      return { ids, total };
    },

    tree(input: { merchantId?: string | undefined; planId?: string | undefined }): GridOutputs['grid.tree'] {
      const rules = deps.rules();
      const today = deps.today();
      if (!input.planId) {
        const plans = prep(`SELECT * FROM plans t ${input.merchantId ? `WHERE ${ownedByMerchantSql('plan', 't')}` : ''} ORDER BY rowid`).all(...(input.merchantId ? [input.merchantId] : [])) as Record<string, unknown>[];
        const count = (sql: string) => new Map((prep(sql).raw(true).all() as [string, number][]).map(([id, n]) => [id, n]));
        const units = count('SELECT plan_id, COUNT(*) FROM units WHERE deleted = 0 GROUP BY plan_id');
        const creatives = count('SELECT u.plan_id, COUNT(*) FROM creatives c JOIN units u ON u.id = c.unit_id WHERE c.deleted = 0 AND u.deleted = 0 GROUP BY u.plan_id');
        const words = count('SELECT u.plan_id, COUNT(*) FROM search_words w JOIN units u ON u.id = w.unit_id WHERE w.deleted = 0 AND u.deleted = 0 GROUP BY u.plan_id');
        const rows = plans.map((r) => planDefaultsRow(readRow('plan', r)));
        const markers = journal.markers({ entity: 'plan', ids: rows.map((r) => r.id) });
        const nodes: TreeNode[] = rows
          .filter((p) => p.status !== 'DELETED' || markers.has(`plan:${p.id}`))
          .map((p) => ({
            kind: 'plan',
            id: p.id,
            name: String(p.name),
            counts: { units: units.get(p.id) ?? 0, creatives: creatives.get(p.id) ?? 0, searchWords: words.get(p.id) ?? 0 },
            state: toState(markers.get(`plan:${p.id}`)),
            errors: checkRow('plan', p as unknown as AnyEntity, { today, isNew: markers.get(`plan:${p.id}`)?.added ?? false, rules }).filter((i) => i.severity === 'error').length,
          }));
        return { nodes };
      }
      const plan = repo.plan(input.planId);
      const units = (prep('SELECT data, deleted FROM units WHERE plan_id = ? ORDER BY rowid').all(input.planId) as { data: string; deleted: number }[]).map((r) => ({
        row: KINDS.unit.defaults(JSON.parse(r.data) as never) as Row,
        deleted: r.deleted === 1,
      }));
      const count = (table: string) =>
        new Map((prep(`SELECT c.unit_id, COUNT(*) FROM ${table} c JOIN units u ON u.id = c.unit_id WHERE u.plan_id = ? AND c.deleted = 0 GROUP BY c.unit_id`).raw(true).all(input.planId) as [string, number][]));
      const creatives = count('creatives');
      const words = count('search_words');
      const negatives = count('negative_words');
      const markers = journal.markers({ entity: 'unit', ids: units.map((u) => u.row.id) });
      const nodes: TreeNode[] = units
        .filter((u) => !u.deleted || markers.has(`unit:${u.row.id}`))
        .map(({ row }) => ({
          kind: 'unit',
          id: row.id,
          name: String(row.name),
          counts: { creatives: creatives.get(row.id) ?? 0, searchWords: words.get(row.id) ?? 0, negativeWords: negatives.get(row.id) ?? 0 },
          state: toState(markers.get(`unit:${row.id}`)),
          errors: checkRow('unit', row as unknown as AnyEntity, { today, isNew: false, rules, ...(plan ? { plan } : {}) }).filter((i) => i.severity === 'error').length,
        }));
      return { nodes };
    },
  };
}

const planDefaultsRow = (r: Row): Row => KINDS.plan.defaults(r as never) as Row;
