import type { z } from 'zod';
import { LIMITS } from './checks/limits';
import { isReviewedCreativeField } from './creative';
import { KINDS, type EntityKind } from './kinds';
import { DAILY_BUDGET_MAX_FEN, DAILY_BUDGET_MIN_FEN } from './money';

/**
 * The field registry: every field of every entity kind, described once. The grid and detail
 * pane, bulk edit, CSV, find & replace, the rules editor, the checks' field lists and the sync
 * labels all read it, so a field added to an entity's schema is added here (a test fails
 * until it is) and every feature then knows how to show, type, bound and label it.
 *
 * What is declared by hand is what a schema cannot say (money vs a plain integer, labels, who
 * may touch the field, how the grid shows it); what a schema does say — nullability, enum
 * values, numeric bounds, text length, the field's own zod schema — is read from the entity's
 * zod schema when this module loads, so the two cannot drift.
 */

/**
 * A field's kind of value. `money` is integer fen (typed and shown in yuan); `integer` a whole
 * count; `number` any finite number (a ratio); `schedule` the 168-hour 0/1 week; `list` and
 * `object` structured JSON values; `id` the row's own id and `ref` its parent's.
 */
export type FieldType = 'id' | 'ref' | 'text' | 'enum' | 'money' | 'integer' | 'number' | 'date' | 'schedule' | 'boolean' | 'list' | 'object';

/** How the edit workspace shows a field: a grid column (and its detail-pane input), or a form-only input. */
export interface EditView {
  /** Default column width (px). */
  width?: number;
  /** In the grid by default (else only in "choose columns" and the form). */
  column?: true;
  /** Shown but never typed into (review status, scene…). */
  readOnly?: true;
  /** Only in the detail pane's form, not a grid column. */
  formOnly?: true;
}

export interface FieldDef {
  kind: EntityKind;
  field: string;
  type: FieldType;
  /**
   * The label's message key under each feature's `field.` namespace (`edit.field.<label>` in
   * the grid and form, `ops.field.<label>` in bulk edit and the rules editor,
   * `sync.field.<label>` in sync and inspect results).
   */
  label: string;
  /** null is a valid value (unlimited, none): an empty input means null. Read from the schema. */
  nullable: boolean;
  /** May be missing on the wire (added after the skeleton; the kind's defaults fill it). Read from the schema. */
  optional: boolean;
  /** enum: the values a user may choose (the schema's, or a subset of them). */
  values?: readonly string[];
  /** money (fen), integer and number: the schema's inclusive bounds. */
  min?: number;
  max?: number;
  /** number: `min` itself is not allowed (a positive ratio). */
  minExclusive?: true;
  /** text: most characters (the schema's). */
  maxChars?: number;
  /**
   * The platform limits the built-in checks apply (checks/limits.ts): a range in the field's
   * unit, or per charge type for a unit's bid. A row outside them is a check issue, not a
   * schema error.
   */
  platform?: readonly [number, number] | Readonly<Record<string, readonly [number, number]>>;
  /** text: most characters the platform's check allows (fewer than the schema's bound). */
  platformMaxChars?: number;
  /** Offered by the bulk edit dialog, at this position (numbers also "change by"). */
  bulk?: number;
  /** A column of CSV export and import (the parent's id is named by the Plan/Unit path instead). */
  csv: boolean;
  /** The CSV column of a money field: yuan, named apart from the fen field (bidFen → bidYuan). */
  csvYuanColumn?: string;
  /** Find & replace works on it (free text). */
  replace?: true;
  /** Offered by the rules editor, at this position. */
  rules?: number;
  /** Shown in the edit workspace (grid column and detail pane input). */
  edit?: EditView;
  /**
   * A creative's field whose change sends the creative back to review (creative.ts's
   * REVIEWED_CREATIVE_FIELDS, the one list server and client read; this flag is derived from it).
   */
  reviewed?: true;
  /** The field's own schema, as the entity's schema has it (with null/optional). */
  schema: z.ZodType;
}

type Declared = Pick<FieldDef, 'type'> &
  Partial<Pick<FieldDef, 'values' | 'platform' | 'platformMaxChars' | 'bulk' | 'csvYuanColumn' | 'replace' | 'rules' | 'edit'>>;

const PLAN_CHOICES = ['ENABLED', 'PAUSED'] as const; // DELETED is what "delete" does, never chosen

/**
 * Per kind, in the order the grid offers its columns and the detail pane its inputs; fields
 * not in the edit workspace follow. (CSV columns keep the schema's order.)
 */
const DECLARED: Record<EntityKind, Record<string, Declared>> = {
  plan: {
    name: { type: 'text', bulk: 5, rules: 3, replace: true, edit: { width: 260, column: true } },
    scene: { type: 'enum', edit: { width: 120, column: true, readOnly: true } },
    status: { type: 'enum', values: PLAN_CHOICES, bulk: 3, edit: { width: 100, column: true } },
    dailyBudgetFen: {
      type: 'money',
      csvYuanColumn: 'dailyBudgetYuan',
      platform: [DAILY_BUDGET_MIN_FEN, DAILY_BUDGET_MAX_FEN],
      bulk: 1,
      rules: 1,
      edit: { width: 130, column: true },
    },
    totalBudgetFen: { type: 'money', csvYuanColumn: 'totalBudgetYuan', platform: LIMITS.totalBudgetFen, bulk: 2, rules: 2, edit: { width: 130 } },
    chargeType: { type: 'enum', edit: { width: 90, column: true } },
    sellMode: { type: 'enum', edit: { width: 90 } },
    objective: { type: 'enum', edit: { width: 150 } },
    pacing: { type: 'enum', bulk: 4, edit: { width: 110 } },
    startDate: { type: 'date', edit: { width: 110, column: true } },
    endDate: { type: 'date', edit: { width: 110, column: true } },
    timeSchema: { type: 'schedule', edit: { width: 110, column: true, readOnly: true } },
    id: { type: 'id' },
    merchantId: { type: 'ref' },
  },
  unit: {
    name: { type: 'text', bulk: 6, rules: 5, replace: true, edit: { width: 260, column: true } },
    status: { type: 'enum', bulk: 5, edit: { width: 100, column: true } },
    bidType: { type: 'enum', edit: { width: 100, column: true } },
    bidFen: { type: 'money', csvYuanColumn: 'bidYuan', platform: LIMITS.bidFen, bulk: 1, rules: 1, edit: { width: 110, column: true } },
    targetCpaFen: { type: 'money', csvYuanColumn: 'targetCpaYuan', platform: LIMITS.targetCpaFen, bulk: 2, rules: 2, edit: { width: 120, column: true } },
    targetRoi: { type: 'number', platform: LIMITS.targetRoi, bulk: 3, rules: 4, edit: { width: 100, column: true } },
    unitBudgetFen: { type: 'money', csvYuanColumn: 'unitBudgetYuan', platform: LIMITS.unitBudgetFen, bulk: 4, rules: 3, edit: { width: 120, column: true } },
    recommendedTraffic: { type: 'boolean', edit: { width: 110 } },
    placements: { type: 'list', edit: { width: 200, readOnly: true } },
    id: { type: 'id' },
    planId: { type: 'ref' },
    boost: { type: 'object' },
    targeting: { type: 'object' },
    frequencyCap: { type: 'object' },
  },
  creative: {
    title: { type: 'text', bulk: 1, rules: 1, replace: true, edit: { width: 240, column: true } },
    description: { type: 'text', bulk: 2, rules: 2, replace: true, edit: { width: 260, column: true } },
    template: { type: 'enum', edit: { width: 150, column: true } },
    reviewStatus: { type: 'enum', edit: { width: 110, column: true, readOnly: true } },
    asset: { type: 'text', edit: { width: 200 } },
    reviewReason: { type: 'text', edit: { width: 200, readOnly: true } },
    impressionTrackingUrl: { type: 'text', edit: { formOnly: true } },
    clickTrackingUrl: { type: 'text', edit: { formOnly: true } },
    id: { type: 'id' },
    unitId: { type: 'ref' },
    action: { type: 'object' },
  },
  searchWord: {
    word: { type: 'text', platformMaxChars: LIMITS.searchWordMaxChars, rules: 1, replace: true, edit: { width: 240, column: true } },
    matchType: { type: 'enum', bulk: 2, edit: { width: 110, column: true } },
    bidFen: { type: 'money', csvYuanColumn: 'bidYuan', platform: LIMITS.searchWordBidFen, bulk: 1, rules: 2, edit: { width: 110, column: true } },
    id: { type: 'id' },
    unitId: { type: 'ref' },
  },
  negativeWord: {
    word: { type: 'text', platformMaxChars: LIMITS.negativeWordMaxChars, replace: true, edit: { width: 240, column: true } },
    matchType: { type: 'enum', edit: { width: 110, column: true } },
    id: { type: 'id' },
    unitId: { type: 'ref' },
  },
  audiencePack: {
    name: { type: 'text', replace: true, edit: { width: 260, column: true } },
    sizeUsers: { type: 'integer', edit: { width: 120, column: true, readOnly: true } },
    validUntil: { type: 'date', edit: { width: 120, column: true } },
    id: { type: 'id' },
    merchantId: { type: 'ref' },
  },
  gdBooking: {
    date: { type: 'date', edit: { width: 120, column: true } },
    placement: { type: 'enum', edit: { width: 150, column: true } },
    priceMode: { type: 'enum', edit: { width: 100, column: true } },
    impressionsPerDay: { type: 'integer', edit: { width: 140, column: true } },
    priceFen: { type: 'money', csvYuanColumn: 'priceYuan', edit: { width: 120, column: true } },
    id: { type: 'id' },
    planId: { type: 'ref' },
  },
};

// ---- what the schemas say ------------------------------------------------------------------

interface ZodNode {
  _zod: { def: { type: string; innerType?: unknown; checks?: { _zod: { def: Record<string, unknown> } }[]; entries?: Record<string, string> } };
}

/** The schema under optional/nullable/default wrappers, and which of them were there. */
export function unwrapSchema(s: z.ZodType): { base: ZodNode; nullable: boolean; optional: boolean } {
  let cur = s as unknown as ZodNode;
  let nullable = false;
  let optional = false;
  for (;;) {
    const t = cur._zod.def.type;
    if (t === 'nullable') nullable = true;
    else if (t === 'optional' || t === 'default') optional = true;
    else break;
    cur = cur._zod.def.innerType as ZodNode;
  }
  return { base: cur, nullable, optional };
}

/** The bounds a number or string schema checks (inclusive; an exclusive lower bound is flagged). */
function boundsOf(base: ZodNode): { min?: number; max?: number; minExclusive?: boolean; maxChars?: number; int: boolean } {
  const out: { min?: number; max?: number; minExclusive?: boolean; maxChars?: number; int: boolean } = { int: false };
  for (const c of base._zod.def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'number_format' && (d.format === 'safeint' || d.format === 'int32')) out.int = true;
    else if (d.check === 'greater_than') {
      out.min = d.value as number;
      if (d.inclusive === false) out.minExclusive = true;
    } else if (d.check === 'less_than') out.max = d.value as number;
    else if (d.check === 'max_length') out.maxChars = d.maximum as number;
  }
  // A whole number above n is at least n + 1: fen and counts get an inclusive bound.
  if (out.int && out.minExclusive && out.min !== undefined) {
    out.min += 1;
    delete out.minExclusive;
  }
  return out;
}

function build(kind: EntityKind): readonly FieldDef[] {
  const shape = (KINDS[kind].schema as z.ZodObject<z.ZodRawShape>).shape as Record<string, z.ZodType>;
  const parentField = KINDS[kind].parent.field;
  return Object.entries(DECLARED[kind]).map(([field, d]) => {
    const schema = shape[field];
    if (!schema) throw new Error(`field registry: ${kind}.${field} is not in the ${kind} schema`);
    const { base, nullable, optional } = unwrapSchema(schema);
    const def: FieldDef = { kind, field, label: field, nullable, optional, csv: field !== parentField, schema, ...d };
    if (kind === 'creative' && isReviewedCreativeField(field)) def.reviewed = true;
    if (d.type === 'enum' && !d.values) def.values = Object.values(base._zod.def.entries ?? {});
    if (d.type === 'money' || d.type === 'integer' || d.type === 'number') {
      const b = boundsOf(base);
      if (b.min !== undefined) def.min = b.min;
      if (b.max !== undefined) def.max = b.max;
      if (b.minExclusive) def.minExclusive = true;
    }
    if (d.type === 'text') {
      const b = boundsOf(base);
      if (b.maxChars !== undefined) def.maxChars = b.maxChars;
    }
    return def;
  });
}

/** Every field of every kind (see FieldDef). */
export const FIELD_REGISTRY: Readonly<Record<EntityKind, readonly FieldDef[]>> = {
  plan: build('plan'),
  unit: build('unit'),
  creative: build('creative'),
  searchWord: build('searchWord'),
  negativeWord: build('negativeWord'),
  audiencePack: build('audiencePack'),
  gdBooking: build('gdBooking'),
};

const byName = new Map<string, FieldDef>();
for (const defs of Object.values(FIELD_REGISTRY)) for (const d of defs) byName.set(`${d.kind}.${d.field}`, d);

/** One field's description, or undefined when the kind has no such field. */
export const fieldDef = (kind: EntityKind, field: string): FieldDef | undefined => byName.get(`${kind}.${field}`);

/** A kind's fields a consumer may touch, in that consumer's order. */
export function fieldsFor(kind: EntityKind, use: 'edit' | 'bulk' | 'rules' | 'replace' | 'csv'): FieldDef[] {
  const defs = FIELD_REGISTRY[kind];
  switch (use) {
    case 'edit':
      return defs.filter((d) => d.edit);
    case 'bulk':
      return defs.filter((d) => d.bulk !== undefined).sort((a, b) => (a.bulk as number) - (b.bulk as number));
    case 'rules':
      return defs.filter((d) => d.rules !== undefined).sort((a, b) => (a.rules as number) - (b.rules as number));
    case 'replace':
      return defs.filter((d) => d.replace);
    case 'csv':
      // The schema's order: the columns files were written with.
      return Object.keys((KINDS[kind].schema as z.ZodObject<z.ZodRawShape>).shape).flatMap((f) => {
        const d = fieldDef(kind, f);
        return d?.csv ? [d] : [];
      });
  }
}

/**
 * Whether a field is money (integer fen) — of the kind named, or, where only a field name is
 * known (sync results, previews across kinds), of any kind that has it.
 */
export function isMoneyField(field: string, kind?: EntityKind): boolean {
  if (kind) return fieldDef(kind, field)?.type === 'money';
  return moneyNames.has(field);
}
const moneyNames = new Set([...byName.values()].filter((d) => d.type === 'money').map((d) => d.field));

/** A field's label key (see FieldDef.label): the same for a field name in every kind that has it; else the name. */
export function fieldLabelKey(field: string, kind?: EntityKind): string {
  if (kind) return fieldDef(kind, field)?.label ?? field;
  return labels.get(field) ?? field;
}
const labels = new Map([...byName.values()].map((d) => [d.field, d.label]));
