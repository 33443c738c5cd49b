import type { z } from 'zod';
import { AgeRange, CityTier, Gender, Os, RegionKind } from '../../../../shared/domain/unit';
import { ActionType, CreativeTemplate, ReviewStatus } from '../../../../shared/domain/creative';
import { ChargeType, Objective, Pacing, SCENES, SellMode } from '../../../../shared/domain/plan';
import { PLACEMENTS } from '../../../../shared/domain/placements';
import { KINDS, type EntityKind } from '../../../../shared/domain/kinds';
import { DAILY_BUDGET_MAX_FEN, DAILY_BUDGET_MIN_FEN, fenToYuanText, parseYuan } from '../../../../shared/domain/money';
import { scheduledHours } from '../../../../shared/domain/schedule';
import { charCount } from '../../../../shared/domain/text';

/**
 * What the grids and forms know about each entity's fields: how a value is shown, typed and
 * checked. Parsing is pure so it is tested without a browser; messages are keys into the
 * editing message file (the renderer translates them).
 */
export type FieldType = 'text' | 'money' | 'number' | 'ratio' | 'enum' | 'date' | 'bool' | 'schedule' | 'list';

export interface FieldSpec {
  field: string;
  type: FieldType;
  /** Message key of the header / label under `field.` (defaults to the field name). */
  label?: string;
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
}

const PLAN_STATUSES = ['ENABLED', 'PAUSED'] as const;

export const FIELDS: Record<EntityKind, FieldSpec[]> = {
  plan: [
    { field: 'name', type: 'text', maxChars: 100, width: 260, column: true },
    { field: 'scene', type: 'enum', options: SCENES, readOnly: true, width: 120, column: true },
    { field: 'status', type: 'enum', options: PLAN_STATUSES, width: 100, column: true },
    { field: 'dailyBudgetFen', type: 'money', nullable: true, width: 130, column: true, minFen: DAILY_BUDGET_MIN_FEN, maxFen: DAILY_BUDGET_MAX_FEN },
    { field: 'totalBudgetFen', type: 'money', nullable: true, width: 130 },
    { field: 'chargeType', type: 'enum', options: ChargeType.options, width: 90, column: true },
    { field: 'sellMode', type: 'enum', options: SellMode.options, width: 90 },
    { field: 'objective', type: 'enum', options: Objective.options, width: 150 },
    { field: 'pacing', type: 'enum', options: Pacing.options, width: 110 },
    { field: 'startDate', type: 'date', width: 110, column: true },
    { field: 'endDate', type: 'date', nullable: true, width: 110, column: true },
    { field: 'timeSchema', type: 'schedule', readOnly: true, width: 110, column: true },
  ],
  unit: [
    { field: 'name', type: 'text', maxChars: 100, width: 260, column: true },
    { field: 'status', type: 'enum', options: ['ENABLED', 'PAUSED'], width: 100, column: true },
    { field: 'bidType', type: 'enum', options: ['DEFAULT', 'OCPX', 'NO_BID', 'ROI'], width: 100, column: true },
    { field: 'bidFen', type: 'money', nullable: true, width: 110, column: true },
    { field: 'targetCpaFen', type: 'money', nullable: true, width: 120, column: true },
    { field: 'targetRoi', type: 'ratio', nullable: true, width: 100, column: true },
    { field: 'unitBudgetFen', type: 'money', nullable: true, width: 120, column: true },
    { field: 'recommendedTraffic', type: 'bool', width: 110 },
    { field: 'placements', type: 'list', readOnly: true, width: 200 },
  ],
  creative: [
    { field: 'title', type: 'text', maxChars: 500, width: 240, column: true },
    { field: 'description', type: 'text', maxChars: 2000, width: 260, column: true },
    { field: 'template', type: 'enum', options: CreativeTemplate.options, width: 150, column: true },
    { field: 'reviewStatus', type: 'enum', options: ReviewStatus.options, readOnly: true, width: 110, column: true },
    { field: 'asset', type: 'text', maxChars: 2000, width: 200 },
    { field: 'reviewReason', type: 'text', readOnly: true, width: 200 },
  ],
  searchWord: [
    { field: 'word', type: 'text', maxChars: 200, width: 240, column: true },
    { field: 'matchType', type: 'enum', options: ['EXACT', 'PHRASE', 'BROAD'], width: 110, column: true },
    { field: 'bidFen', type: 'money', width: 110, column: true },
  ],
  negativeWord: [
    { field: 'word', type: 'text', maxChars: 200, width: 240, column: true },
    { field: 'matchType', type: 'enum', options: ['EXACT', 'PHRASE'], width: 110, column: true },
  ],
  audiencePack: [
    { field: 'name', type: 'text', maxChars: 100, width: 260, column: true },
    { field: 'sizeUsers', type: 'number', readOnly: true, width: 120, column: true },
    { field: 'validUntil', type: 'date', width: 120, column: true },
  ],
  gdBooking: [
    { field: 'date', type: 'date', width: 120, column: true },
    { field: 'placement', type: 'enum', options: PLACEMENTS, width: 150, column: true },
    { field: 'priceMode', type: 'enum', options: ['CPM', 'CPD'], width: 100, column: true },
    { field: 'impressionsPerDay', type: 'number', width: 140, column: true },
    { field: 'priceFen', type: 'money', width: 120, column: true },
  ],
};

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
 * failures come back as `invalid` with the schema's own message as `detail`.
 */
export function parseInput(kind: EntityKind, spec: FieldSpec, text: string): ParseResult {
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
  const schema = (KINDS[kind].schema as z.ZodObject<z.ZodRawShape>).shape[spec.field] as z.ZodType | undefined;
  const checked = schema?.safeParse(value);
  if (checked && !checked.success) return { ok: false, error: 'invalid', params: { detail: checked.error.issues[0]?.message ?? '' } };
  return { ok: true, value };
}

/** Display text of a value that is not money or an enum (those are formatted by the renderer). */
export function plainText(spec: FieldSpec, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (spec.type === 'schedule') return String(scheduledHours(String(value)));
  if (spec.type === 'list') return Array.isArray(value) ? value.join(', ') : '';
  return String(value);
}
