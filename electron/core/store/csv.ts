import iconv from 'iconv-lite';
import Papa from 'papaparse';
import type { z } from 'zod';
import type { CsvPreviewOut, CsvRowResult } from '../../../shared/contract/edit';
import { checkRow, type AnyEntity, type UserRule } from '../../../shared/domain/checks';
import type { Plan } from '../../../shared/domain/entities';
import { fieldsFor, type FieldDef, type FieldType } from '../../../shared/domain/fields';
import { KINDS, type EntityKind } from '../../../shared/domain/kinds';
import { fenToYuanText, parseYuan } from '../../../shared/domain/money';
import { cached, type Db } from './db';
import { JSON_TABLES, ROW_FIELD, rowSql, type EntityRepo, type Row } from './entityRepo';
import type { JournalChange } from './journal';

/**
 * CSV import/export in Google Ads Editor's conventions: headers matched ignoring case and
 * spaces, a blank cell = no change, `[]` = clear the value, rows matched by id or by name path
 * (Plan › Unit › name), money in yuan. Parsing is papaparse's; GBK (Excel on Chinese Windows)
 * via iconv-lite.
 */

const norm = (h: string) => h.replace(/^\ufeff/, '').toLowerCase().replace(/[\s_\-·]/g, '');

/** How a cell is read: the registry's field kinds, grouped by what a CSV cell holds. */
type CellType = 'string' | 'number' | 'boolean' | 'enum' | 'json';
const CELL: Record<FieldType, CellType> = {
  id: 'string',
  ref: 'string',
  text: 'string',
  date: 'string',
  schedule: 'string',
  enum: 'enum',
  money: 'number',
  integer: 'number',
  number: 'number',
  boolean: 'boolean',
  list: 'json',
  object: 'json',
};

/** The CSV's fields of a kind (the registry's, in the schema's order), with how each cell is read. */
function fieldTypes(kind: EntityKind): Map<string, { type: CellType; def: FieldDef; schema: z.ZodType }> {
  return new Map(fieldsFor(kind, 'csv').map((d) => [d.field, { type: CELL[d.type], def: d, schema: d.schema }]));
}

/**
 * Money fields (integer fen) are yuan in CSV files, as users read and type them: "3000.50",
 * parsed and written by shared/domain/money (exact to the fen, at most 2 decimals). The column
 * is the registry's yuan column (bidFen → bidYuan). A legacy column named after the fen field
 * still imports, in fen.
 */
const yuanColumnOf = (d: FieldDef | undefined): string | undefined => (d?.type === 'money' ? d.csvYuanColumn : undefined);

/**
 * "3,000.5", "¥3000.50", "-1.20" → integer fen; undefined when the cell is not an amount in
 * yuan with at most 2 decimals. Signed: a negative amount is then refused by the field's schema,
 * with the field's own message.
 */
export function yuanToFen(cell: string): number | undefined {
  const r = parseYuan(cell, { signed: true });
  return r.ok ? r.fen : undefined;
}

/** Name-path columns per kind: the ancestors' names (Plan, Unit). */
const PATH: Record<EntityKind, ('plan' | 'unit')[]> = {
  plan: [],
  unit: ['plan'],
  creative: ['plan', 'unit'],
  searchWord: ['plan', 'unit'],
  negativeWord: ['plan', 'unit'],
  audiencePack: [],
  gdBooking: ['plan'],
};

/** The export's columns: id, the name path, then every field (money fields as yuan columns). */
export function csvColumns(kind: EntityKind): string[] {
  return csvLayout(kind).map((c) => c.header);
}

/** `text`: the column holds user text, escaped against formula injection (escapeFormula). */
function csvLayout(kind: EntityKind): { header: string; field: string; yuan: boolean; text: boolean }[] {
  const fields = fieldsFor(kind, 'csv').filter((d) => d.type !== 'id');
  return [
    { header: 'id', field: 'id', yuan: false, text: false },
    ...PATH[kind].map((p) => ({ header: p === 'plan' ? 'Plan' : 'Unit', field: p === 'plan' ? 'Plan' : 'Unit', yuan: false, text: true })),
    ...fields.map((d) => {
      const y = yuanColumnOf(d);
      return y ? { header: y, field: d.field, yuan: true, text: false } : { header: d.field, field: d.field, yuan: false, text: d.type === 'text' };
    }),
  ];
}

/**
 * Formula injection ("CSV injection", OWASP): a spreadsheet runs a cell starting with `=`, `+`,
 * `-`, `@`, a tab or a carriage return as a formula. A user-text cell (a `text` field of the
 * registry, the Plan/Unit name path) of that shape — after any number of leading `'` — is
 * written with one more leading `'` (shown as text); import removes exactly one `'` from a
 * text cell of the same shape. The shapes escaped are exactly the shapes unescaped, so every
 * string round-trips: `=x` ⇄ `'=x`, `'=x` ⇄ `''=x`; `'plain` is left alone, and so are money and
 * number cells (`-5.00`) and JSON cells (`[`/`{`).
 */
const FORMULA_START = /^'*[=+@\t\r-]/;
export const escapeFormula = (s: string): string => (FORMULA_START.test(s) ? `'${s}` : s);
export const unescapeFormula = (s: string): string => (s.startsWith("'") && FORMULA_START.test(s) ? s.slice(1) : s);

function cellOf(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function decodeCsv(input: { text?: string | undefined; base64?: string | undefined; encoding?: 'utf8' | 'gbk' | undefined }): string {
  if (input.text !== undefined) return input.text.replace(/^\ufeff/, '');
  const buf = Buffer.from(input.base64 ?? '', 'base64');
  if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return buf.subarray(3).toString('utf8');
  if (input.encoding === 'gbk') return iconv.decode(buf, 'gbk');
  if (input.encoding === 'utf8') return buf.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return iconv.decode(buf, 'gbk'); // not valid UTF-8: Excel on Chinese Windows writes GBK
  }
}

export interface CsvDeps {
  db: Db;
  repo: EntityRepo;
  rules: () => UserRule[];
  newId: (kind: EntityKind) => string;
}

/**
 * The account an import is for (a store can hold several): plan names are matched among its
 * plans, new plans and audience packs are created under it, a row named by id that is another
 * account's is an error on its line, and dates are checked in its time zone.
 */
export interface CsvScope {
  merchantId: string;
  /** Today in the merchant's time zone (YYYY-MM-DD). */
  today: string;
  /** Whether a stored row (as read, with its parent field) is this merchant's. */
  owns: (kind: EntityKind, row: Row) => boolean;
}

export interface CsvPlan {
  kind: EntityKind;
  changes: JournalChange[];
  preview: Omit<CsvPreviewOut, 'token'>;
}

export function csvExport(deps: CsvDeps, kind: EntityKind, ids?: string[]): { text: string; rows: number } {
  const { repo, db } = deps;
  const layout = csvLayout(kind);
  const cols = layout.map((c) => c.header);
  const idSet = ids ? new Set(ids) : undefined;
  const rows: Row[] =
    kind === 'plan'
      ? (db.prepare("SELECT id FROM plans WHERE status != 'DELETED' ORDER BY rowid").pluck().all() as string[]).map((id) => repo.get('plan', id)?.row as Row)
      : repo.all(kind);
  const planNames = new Map<string, string>();
  const unitInfo = new Map<string, { name: string; planId: string }>();
  const planName = (id: string) => {
    if (!planNames.has(id)) planNames.set(id, String(repo.get('plan', id)?.row.name ?? ''));
    return planNames.get(id) ?? '';
  };
  const unit = (id: string) => {
    if (!unitInfo.has(id)) {
      const u = repo.get('unit', id)?.row;
      unitInfo.set(id, { name: String(u?.name ?? ''), planId: String(u?.planId ?? '') });
    }
    return unitInfo.get(id) ?? { name: '', planId: '' };
  };
  const data: string[][] = [];
  for (const r0 of rows) {
    if (idSet && !idSet.has(r0.id)) continue;
    const r = KINDS[kind].defaults(r0 as never) as Row;
    const line: string[] = [];
    for (const c of layout) {
      if (c.field === 'Plan') line.push(escapeFormula(planName(kind === 'unit' || kind === 'gdBooking' ? String(r.planId) : unit(String(r.unitId)).planId)));
      else if (c.field === 'Unit') line.push(escapeFormula(unit(String(r.unitId)).name));
      else if (c.yuan && typeof r[c.field] === 'number') line.push(fenToYuanText(r[c.field] as number));
      else line.push(c.text ? escapeFormula(cellOf(r[c.field])) : cellOf(r[c.field]));
    }
    data.push(line);
  }
  // BOM first: Excel then reads the file as UTF-8.
  return { text: `\ufeff${Papa.unparse({ fields: cols, data }, { newline: '\r\n' })}`, rows: data.length };
}

export function csvPreview(deps: CsvDeps, kind: EntityKind, text: string, scope: CsvScope): CsvPlan {
  const { repo, db } = deps;
  // The header alone first; the lines are then parsed and checked chunk by chunk (below), so a
  // 100k-line import never holds the whole file as rows, nor every row it matched, at once.
  const header = Papa.parse<string[]>(text, { header: false, skipEmptyLines: 'greedy', preview: 1 }).data[0] ?? [];
  const types = fieldTypes(kind);
  const info = KINDS[kind];
  const parentField = info.parent.field;
  const byNorm = new Map<string, string>();
  for (const f of types.keys()) byNorm.set(norm(f), f);
  // Money columns are yuan (bidYuan); a column named after the fen field (bidFen) is fen.
  const yuanField = new Map<string, string>();
  for (const [f, t] of types) {
    const y = yuanColumnOf(t.def);
    if (y) yuanField.set(norm(y), f);
  }
  byNorm.set('plan', PATH[kind].includes('plan') ? 'Plan' : (byNorm.get('plan') ?? 'Plan'));
  if (PATH[kind].includes('unit')) byNorm.set('unit', 'Unit');
  const colField: (string | null)[] = [];
  const colYuan: boolean[] = [];
  const ignoredHeaders: string[] = [];
  for (const h of header) {
    const y = yuanField.get(norm(h));
    colYuan.push(y !== undefined);
    const f = y ?? byNorm.get(norm(h)) ?? null;
    if (f === null || (f === 'Plan' && !PATH[kind].includes('plan')) || f === parentField) ignoredHeaders.push(h);
    colField.push(f === parentField ? null : f === 'Plan' && !PATH[kind].includes('plan') ? null : f);
  }

  // Name-path indexes.
  const plansByName = new Map<string, string[]>();
  for (const r of db.prepare("SELECT id, name FROM plans WHERE status != 'DELETED' AND merchant_id = ?").all(scope.merchantId) as { id: string; name: string }[]) {
    plansByName.set(r.name, [...(plansByName.get(r.name) ?? []), r.id]);
  }
  const childIndex = new Map<string, Map<string, string[]>>(); // parentId → name → ids
  const indexChildren = (k: EntityKind) => {
    if (k === 'plan') return;
    const nf = KINDS[k].nameField;
    const pf = KINDS[k].parent.field;
    for (const r of repo.all(k)) {
      const p = String(r[pf]);
      let m = childIndex.get(`${k}:${p}`);
      if (!m) childIndex.set(`${k}:${p}`, (m = new Map()));
      const n = String(r[nf]);
      m.set(n, [...(m.get(n) ?? []), r.id]);
    }
  };
  // Built on the first row matched by name path: a file of ids never pays for it.
  const indexed = new Set<EntityKind>();
  const childrenNamed = (k: EntityKind, parentId: string, name: string): string[] | undefined => {
    if (!indexed.has(k)) {
      indexed.add(k);
      indexChildren(k);
    }
    return childIndex.get(`${k}:${parentId}`)?.get(name);
  };
  const one = (ids: string[] | undefined, what: string, errors: string[]): string | undefined => {
    if (!ids || ids.length === 0) return undefined;
    if (ids.length > 1) {
      errors.push(`${what} matches ${ids.length} rows; use the id column`);
      return undefined;
    }
    return ids[0];
  };

  const ruleList = deps.rules();
  const today = scope.today;
  const plans = new Map<string, Plan | undefined>();
  const planOf = (id: string | undefined) => {
    if (!id) return undefined;
    if (!plans.has(id)) plans.set(id, repo.plan(id));
    return plans.get(id);
  };
  const unitPlan = new Map<string, string | undefined>();
  const planIdOfUnit = (u: string) => {
    if (!unitPlan.has(u)) unitPlan.set(u, repo.get('unit', u)?.row.planId as string | undefined);
    return unitPlan.get(u);
  };

  // Rows named by id, fetched in one query in line order (no id map to build), kept as text
  // and parsed when their line is read.
  const idCol = colField.indexOf('id');
  // The rows named by id on the lines of one chunk: line index → [row JSON, deleted].
  const lineRow = new Map<number, [string, number]>();
  const byIdQuery =
    idCol >= 0 && kind !== 'plan'
      ? cached(db, `SELECT s.key, ${rowSql(JSON_TABLES[kind], 't')} AS data, t.deleted FROM json_each(?) s JOIN ${JSON_TABLES[kind].table} t ON t.id = s.value WHERE s.value != ''`)
      : undefined;
  /** Fetches the rows of a chunk's lines in one query (json_each keys are the chunk's offsets). */
  const fetchChunk = (rows: string[][], first: number, lineOfFirst: number) => {
    lineRow.clear();
    if (!byIdQuery) return;
    const ids = rows.map((cells, k) => (k < first ? '' : (cells[idCol] ?? '').trim()));
    for (const r of byIdQuery.raw(true).iterate(JSON.stringify(ids)) as Iterable<[number, string, number]>) lineRow.set(lineOfFirst + r[0], [r[1], r[2]]);
  };
  const lookup = (id: string, li: number): { row: Row; deleted: boolean } | undefined => {
    if (kind === 'plan') return repo.get(kind, id);
    const r = lineRow.get(li);
    return r && { row: JSON.parse(r[0]) as Row, deleted: r[1] === 1 };
  };

  const changes: JournalChange[] = [];
  const results: CsvRowResult[] = [];
  let creates = 0;
  let updates = 0;
  let unchanged = 0;
  let errorRows = 0;
  let warningRows = 0;
  const seen = new Set<string>();

  // The first column of each field (a per-line closure and indexOf per cell add up over 100k lines).
  const colOfField = new Map<string, number>();
  colField.forEach((f, i) => {
    if (f !== null && !colOfField.has(f)) colOfField.set(f, i);
  });
  // User-text columns (the name path, text fields): their cells lose the export's formula escape.
  const colText = colField.map((f) => f === 'Plan' || f === 'Unit' || (f !== null && types.get(f)?.def.type === 'text'));
  let cells: string[] = [];
  const get = (f: string) => {
    const i = colOfField.get(f);
    if (i === undefined) return '';
    const v = (cells[i] ?? '').trim();
    return colText[i] ? unescapeFormula(v) : v;
  };

  // Per-line scratch, reused: a 100k-line import allocated ~3 KB per line, and what survived a
  // young-generation collection mid-chunk was promoted, growing the old generation (peak RSS).
  const errors: string[] = [];
  const warnings: string[] = [];
  const patchFields: string[] = [];
  const patchValues: unknown[] = [];
  const rowCtx: { today: string; isNew: boolean; rules: UserRule[]; plan?: Plan | undefined; before?: unknown } = { today, isNew: false, rules: ruleList };

  const processLine = (line: string[], li: number): void => {
    cells = line;
    errors.length = 0;
    warnings.length = 0;
    patchFields.length = 0;
    patchValues.length = 0;
    // Match by id, else by name path.
    let existing: Row | undefined;
    let parentId: string | undefined;
    const idCell = get('id');
    if (idCell) {
      const got = lookup(idCell, li);
      if (!got || got.deleted) errors.push(`no ${kind} with id "${idCell.slice(0, 64)}"`);
      else if (!scope.owns(kind, got.row)) errors.push(`${kind} "${idCell.slice(0, 64)}" is another account's, not this one's`);
      else existing = got.row;
    } else {
      const planName = get('Plan');
      const planId = PATH[kind].includes('plan') ? (planName ? one(plansByName.get(planName), `plan "${planName}"`, errors) : undefined) : undefined;
      if (PATH[kind].includes('plan') && planName && !planId && errors.length === 0) errors.push(`no plan named "${planName}"`);
      if (PATH[kind].includes('plan') && !planName) errors.push('give an id or the Plan column');
      if (PATH[kind].includes('unit')) {
        const unitName = get('Unit');
        if (!unitName) errors.push('give an id or the Unit column');
        else if (planId) {
          parentId = one(childrenNamed('unit', planId, unitName), `unit "${unitName}"`, errors);
          if (!parentId && errors.length === 0) errors.push(`plan "${get('Plan')}" has no unit named "${unitName}"`);
        }
      } else parentId = kind === 'plan' || kind === 'audiencePack' ? scope.merchantId : planId;
      const own = get(info.nameField);
      if (errors.length === 0 && own) {
        const ids = kind === 'plan' ? plansByName.get(own) : childrenNamed(kind, parentId ?? '', own);
        const id = one(ids, `${kind} "${own}"`, errors);
        if (id) existing = repo.get(kind, id)?.row;
      } else if (errors.length === 0) errors.push(`give an id or the ${info.nameField} column`);
    }
    if (existing) {
      if (seen.has(existing.id)) errors.push(`row ${existing.id} appears twice in the file`);
      seen.add(existing.id);
    }

    // Cells → values: blank = no change, [] = clear.
    const setPatch = (f: string, v: unknown) => {
      const k = patchFields.indexOf(f);
      if (k >= 0) patchValues[k] = v;
      else {
        patchFields.push(f);
        patchValues.push(v);
      }
    };
    for (let ci = 0; ci < colField.length; ci++) {
      const f = colField[ci];
      if (!f || f === 'id' || f === 'Plan' || f === 'Unit') continue;
      const raw = cells[ci] ?? '';
      const cell = raw.trim();
      if (cell === '') continue;
      const t = types.get(f);
      if (!t) continue;
      if (cell === '[]') {
        // Cleared: an empty list where the field is a list, else no value.
        const cleared = [t.type === 'json' ? [] : undefined, null].find((v) => v !== undefined && t.schema.safeParse(v).success);
        if (cleared === undefined) errors.push(`${f} cannot be cleared`);
        else setPatch(f, cleared);
        continue;
      }
      if (colYuan[ci]) {
        const fen = yuanToFen(cell);
        if (fen === undefined) errors.push(`${yuanColumnOf(t.def) ?? f}: "${raw.slice(0, 40)}" is not an amount in yuan (at most 2 decimals, e.g. 3000.50)`);
        else setPatch(f, fen);
      } else if (t.type === 'number') {
        const n = Number(cell.replace(/,/g, ''));
        if (!Number.isFinite(n)) errors.push(`${f}: "${raw.slice(0, 40)}" is not a number`);
        else setPatch(f, n);
      } else if (t.type === 'boolean') {
        const b = cell.toLowerCase();
        if (['true', '1', 'yes', '是'].includes(b)) setPatch(f, true);
        else if (['false', '0', 'no', '否'].includes(b)) setPatch(f, false);
        else errors.push(`${f}: "${raw.slice(0, 40)}" is not true/false`);
      } else if (t.type === 'json') {
        try {
          setPatch(f, JSON.parse(raw) as unknown);
        } catch {
          errors.push(`${f}: not valid JSON`);
        }
      } else if (t.type === 'enum') setPatch(f, cell);
      else setPatch(f, colText[ci] ? unescapeFormula(raw) : raw); // user text: verbatim, less the export's formula escape
    }

    let action: CsvRowResult['action'] = 'error';
    // The per-row changes shown in the preview: only the first rows and the rows with errors are.
    const shown = results.length < 500;
    const rowChanges: CsvRowResult['changes'] = [];
    if (errors.length === 0) {
      const base: Row = existing ? (KINDS[kind].defaults(existing as never) as Row) : ({ id: deps.newId(kind), [parentField]: parentId } as Row);
      let full: Row | undefined;
      if (existing) {
        // The stored row is valid: checking the changed fields with their own schemas suffices.
        const merged: Row = patchFields.length ? { ...base } : base;
        for (let k = 0; k < patchFields.length; k++) {
          const f = patchFields[k] as string;
          const r = (types.get(f) as { schema: z.ZodType }).schema.safeParse(patchValues[k]);
          if (!r.success) for (const i of r.error.issues) errors.push(`${[f, ...i.path].join('.')}: ${i.message}`);
          else merged[f] = r.data;
        }
        if (errors.length === 0) full = merged;
      } else {
        const candidate: Row = { ...base };
        for (let k = 0; k < patchFields.length; k++) candidate[patchFields[k] as string] = patchValues[k];
        const r = info.schema.safeParse(candidate);
        if (!r.success) for (const i of r.error.issues) errors.push(`${i.path.join('.') || 'row'}: ${i.message}`);
        else full = KINDS[kind].defaults(r.data as never) as Row;
      }
      if (full) {
        const planId = kind === 'plan' ? undefined : kind === 'unit' || kind === 'gdBooking' ? String(full.planId) : kind === 'audiencePack' ? undefined : planIdOfUnit(String(full.unitId));
        rowCtx.isNew = !existing;
        rowCtx.plan = kind === 'plan' ? undefined : planOf(planId);
        rowCtx.before = existing;
        for (const i of checkRow(kind, full as unknown as AnyEntity, rowCtx)) warnings.push(`${i.severity === 'error' ? '[blocks posting] ' : ''}${i.field ? `${i.field}: ` : ''}${i.message}`);
        if (!existing) {
          action = 'create';
          creates++;
          changes.push({ entity: kind, entityId: full.id, field: ROW_FIELD, oldValue: null, newValue: full });
          rowChanges.push({ field: ROW_FIELD, oldValue: null, newValue: full });
        } else {
          let changedFields = 0;
          for (const f of patchFields) {
            const o = (base as Record<string, unknown>)[f] ?? null;
            const n = (full as Record<string, unknown>)[f] ?? null;
            if (o === n || (typeof o === 'object' && typeof n === 'object' && JSON.stringify(o) === JSON.stringify(n))) continue;
            changes.push({ entity: kind, entityId: existing.id, field: f, oldValue: o, newValue: n });
            changedFields++;
            if (shown) rowChanges.push({ field: f, oldValue: o, newValue: n });
          }
          if (changedFields) {
            action = 'update';
            updates++;
          } else {
            action = 'unchanged';
            unchanged++;
          }
        }
      }
    }
    if (errors.length) errorRows++;
    if (warnings.length) warningRows++;
    if (errors.length || shown) results.push({ line: li + 1, action: errors.length ? 'error' : action, id: existing?.id ?? null, errors: [...errors], warnings: [...warnings], changes: rowChanges });
  };

  // Line index li counts parsed rows (0 = the header), as the line numbers shown are li + 1.
  let lines = 0;
  const csvErrors: Papa.ParseError[] = [];
  let done = false;
  Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: 'greedy',
    chunkSize: 32 * 1024,
    complete: () => {
      done = true;
    },
    chunk: (res: Papa.ParseResult<string[]>) => {
      const rows = res.data;
      const first = lines === 0 ? 1 : 0;
      fetchChunk(rows, first, lines);
      for (let k = first; k < rows.length; k++) processLine(rows[k] ?? [], lines + k);
      for (const e of res.errors) if (csvErrors.length < 50) csvErrors.push({ ...e, row: lines + (e.row ?? 0) });
      lines += rows.length;
    },
  });
  // A string is parsed synchronously, chunk after chunk, before Papa.parse returns.
  if (!done) throw new Error('CSV parsing did not finish');
  for (const e of csvErrors) {
    errorRows++;
    results.push({ line: (e.row ?? 0) + 1, action: 'error', id: null, errors: [`CSV: ${e.message}`], warnings: [], changes: [] });
  }
  results.sort((a, b) => Number(b.errors.length > 0) - Number(a.errors.length > 0) || a.line - b.line);
  return {
    kind,
    changes,
    preview: { rows: Math.max(0, lines - 1), creates, updates, unchanged, errorRows, warningRows, ignoredHeaders, sample: results.slice(0, 500) },
  };
}
