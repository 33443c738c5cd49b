import { AgeRange, CityTier, Gender, Os, RegionKind } from '../../../../shared/domain/unit';
import { ActionType } from '../../../../shared/domain/creative';
import { fieldsFor, type FieldDef } from '../../../../shared/domain/fields';
import { ENTITY_KINDS, type EntityKind } from '../../../../shared/domain/kinds';
import { fenToYuanText, parseYuan } from '../../../../shared/domain/money';
import { scheduledHours } from '../../../../shared/domain/schedule';
import { charCount } from '../../../../shared/domain/text';

/**
 * What the grids and forms know about each entity's fields, read from the field registry
 * (shared/domain/fields.ts): how a value is shown, typed and checked. Parsing is pure so it is
 * tested without a browser; messages are keys into the editing message file (the renderer
 * translates them).
 */
export type FieldType = 'text' | 'money' | 'number' | 'ratio' | 'enum' | 'date' | 'bool' | 'schedule' | 'list';

export interface FieldSpec {
  field: string;
  type: FieldType;
  /** Message key of the header / label under `edit.field.`. */
  label: string;
  /** Empty input means null (unlimited, none). */
  nullable?: boolean;
  /** Shown but never typed into (review status, scene…). */
  readOnly?: boolean;
  /** enum values (shown through `value.<field>.<v>` when translated). */
  options?: readonly string[];
  /** text: most characters. */
  maxChars?: number;
  /** Default column width (px). */
  width?: number;
  /** In the grid by default (else only in "choose columns" and the form). */
  column?: boolean;
  /** Money bounds checked as you type (fen). */
  minFen?: number;
  maxFen?: number;
  /** Only in the detail pane's form, not a grid column. */
  formOnly?: boolean;
  /** The registry's entry. */
  def: FieldDef;
}

/** The registry's kinds of value as the inputs type them (integer counts, ratios, booleans). */
const INPUT_TYPE: Partial<Record<FieldDef['type'], FieldType>> = {
  text: 'text',
  money: 'money',
  integer: 'number',
  number: 'ratio',
  enum: 'enum',
  date: 'date',
  boolean: 'bool',
  schedule: 'schedule',
  list: 'list',
};

function specOf(d: FieldDef): FieldSpec {
  const e = d.edit ?? {};
  const s: FieldSpec = { field: d.field, type: INPUT_TYPE[d.type] ?? 'text', label: d.label, def: d };
  if (d.nullable) s.nullable = true;
  if (e.readOnly) s.readOnly = true;
  if (d.values) s.options = d.values;
  if (d.maxChars !== undefined) s.maxChars = d.maxChars;
  if (e.width !== undefined) s.width = e.width;
  if (e.column) s.column = true;
  if (e.formOnly) s.formOnly = true;
  if (d.type === 'money') {
    if (d.min !== undefined) s.minFen = d.min;
    if (d.max !== undefined) s.maxFen = d.max;
  }
  return s;
}

/** Every field the detail pane's form shows as an input of its own, in order: the grid's columns and the form-only fields. */
export const FORM_FIELDS = Object.fromEntries(ENTITY_KINDS.map((k) => [k, fieldsFor(k, 'edit').map(specOf)])) as Record<EntityKind, FieldSpec[]>;

/** The grid's columns per kind, in order. */
export const FIELDS = Object.fromEntries(ENTITY_KINDS.map((k) => [k, FORM_FIELDS[k].filter((s) => !s.formOnly)])) as Record<EntityKind, FieldSpec[]>;

/** Targeting option lists for the targeting editor. */
export const TARGETING_OPTIONS = {
  regionKind: RegionKind.options,
  cityTiers: CityTier.options,
  ageRanges: AgeRange.options,
  gender: Gender.options,
  os: Os.options,
} as const;
export const ACTION_TYPES = ActionType.options;

export const fieldSpec = (kind: EntityKind, field: string): FieldSpec | undefined => FIELDS[kind].find((f) => f.field === field);

/** A cell's value as the text an input starts with (money in yuan, null as empty). */
export function toInputText(spec: FieldSpec, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (spec.type === 'money') return fenToYuanText(Number(value));
  if (spec.type === 'bool') return value ? 'true' : 'false';
  if (spec.type === 'list') return Array.isArray(value) ? value.join(', ') : '';
  return String(value);
}

export type ParseResult = { ok: true; value: unknown } | { ok: false; error: string; params?: Record<string, string | number> };

/**
 * What the user typed → the stored value, or a message key saying what is wrong. Schema
 * failures come back as `invalid` with the schema's own message as `detail`. (The kind is the
 * spec's own, which knows its field's schema; callers name it for readability.)
 */
export function parseInput(_kind: EntityKind, spec: FieldSpec, text: string): ParseResult {
  if (spec.readOnly) return { ok: false, error: 'read_only' };
  const trimmed = text.trim();
  if (trimmed === '' && spec.nullable) return { ok: true, value: null };
  let value: unknown;
  switch (spec.type) {
    case 'money': {
      const p = parseYuan(text);
      if (!p.ok) return { ok: false, error: p.reason === 'empty' ? 'required' : p.reason };
      if (spec.minFen !== undefined && p.fen < spec.minFen) return { ok: false, error: 'below_min', params: { minFen: spec.minFen } };
      if (spec.maxFen !== undefined && p.fen > spec.maxFen) return { ok: false, error: 'above_max', params: { maxFen: spec.maxFen } };
      value = p.fen;
      break;
    }
    case 'number': {
      if (!/^\d+$/.test(trimmed.replace(/[,\s]/g, ''))) return { ok: false, error: trimmed === '' ? 'required' : 'whole_number' };
      value = Number(trimmed.replace(/[,\s]/g, ''));
      break;
    }
    case 'ratio': {
      if (!/^\d+(\.\d+)?$/.test(trimmed)) return { ok: false, error: trimmed === '' ? 'required' : 'not_a_number' };
      value = Number(trimmed);
      break;
    }
    case 'enum':
      if (!spec.options?.includes(trimmed)) return { ok: false, error: 'choose_one' };
      value = trimmed;
      break;
    case 'bool':
      value = trimmed === 'true';
      break;
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return { ok: false, error: 'date_format' };
      value = trimmed;
      break;
    case 'text':
      if (trimmed === '') return { ok: false, error: 'required' };
      if (spec.maxChars !== undefined && charCount(text) > spec.maxChars) return { ok: false, error: 'too_long', params: { max: spec.maxChars } };
      value = text;
      break;
    default:
      return { ok: false, error: 'read_only' };
  }
  const checked = spec.def.schema.safeParse(value);
  if (!checked.success) return { ok: false, error: 'invalid', params: { detail: checked.error.issues[0]?.message ?? '' } };
  return { ok: true, value };
}

/** Display text of a value that is not money or an enum (those are formatted by the renderer). */
export function plainText(spec: FieldSpec, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (spec.type === 'schedule') return String(scheduledHours(String(value)));
  if (spec.type === 'list') return Array.isArray(value) ? value.join(', ') : '';
  return String(value);
}
