import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { FIELD_REGISTRY, fieldDef, fieldsFor, isMoneyField, unwrapSchema, type FieldType } from './fields';
import { ENTITY_KINDS, KINDS } from './kinds';
import { LIMITS } from './checks/limits';
import { DAILY_BUDGET_MAX_FEN, DAILY_BUDGET_MIN_FEN } from './money';

const shapeOf = (kind: (typeof ENTITY_KINDS)[number]) => (KINDS[kind].schema as z.ZodObject<z.ZodRawShape>).shape as Record<string, z.ZodType>;

/** The zod base types a field of each registry type may have. */
const BASES: Record<FieldType, string[]> = {
  id: ['string'],
  ref: ['string'],
  text: ['string'],
  enum: ['enum'],
  money: ['number'],
  integer: ['number'],
  number: ['number'],
  date: ['string'],
  schedule: ['string'],
  boolean: ['boolean'],
  list: ['array'],
  object: ['object'],
};

describe('the field registry', () => {
  it('describes every field of every kind’s schema, and no other', () => {
    for (const kind of ENTITY_KINDS) {
      const schemaFields = Object.keys(shapeOf(kind)).sort();
      const registered = FIELD_REGISTRY[kind].map((d) => d.field).sort();
      expect([kind, registered]).toEqual([kind, schemaFields]);
    }
  });

  it('agrees with the schemas on each field’s type, null, enum values and bounds', () => {
    for (const kind of ENTITY_KINDS) {
      for (const d of FIELD_REGISTRY[kind]) {
        const schema = shapeOf(kind)[d.field] as z.ZodType;
        const { base } = unwrapSchema(schema);
        expect([kind, d.field, BASES[d.type].includes(base._zod.def.type)]).toEqual([kind, d.field, true]);
        expect(d.nullable).toBe(schema.safeParse(null).success);
        // Money and counts are whole: the schema refuses a fraction.
        if (d.type === 'money' || d.type === 'integer') expect([kind, d.field, schema.safeParse(1.5).success]).toEqual([kind, d.field, false]);
        if (d.min !== undefined) {
          expect(schema.safeParse(d.min).success).toBe(!d.minExclusive);
          if (d.type !== 'number') expect(schema.safeParse(d.min - 1).success).toBe(false);
        }
        if (d.max !== undefined) {
          expect(schema.safeParse(d.max).success).toBe(true);
          expect(schema.safeParse(d.max + 1).success).toBe(false);
        }
        if (d.maxChars !== undefined) expect(schema.safeParse('x'.repeat(d.maxChars + 1)).success).toBe(false);
        for (const v of d.values ?? []) expect([kind, d.field, v, schema.safeParse(v).success]).toEqual([kind, d.field, v, true]);
        expect(d.schema).toBe(schema);
      }
    }
  });

  it('names money fields’ yuan CSV columns, and only money has one', () => {
    for (const kind of ENTITY_KINDS)
      for (const d of FIELD_REGISTRY[kind]) {
        if (d.type === 'money') expect(d.csvYuanColumn).toMatch(/^[a-z][A-Za-z]*Yuan$/);
        else expect(d.csvYuanColumn).toBeUndefined();
      }
    expect(fieldDef('plan', 'dailyBudgetFen')?.csvYuanColumn).toBe('dailyBudgetYuan');
    expect(isMoneyField('bidFen')).toBe(true);
    expect(isMoneyField('targetRoi', 'unit')).toBe(false);
    expect(isMoneyField('balanceFen')).toBe(false); // a merchant's, not an entity field
  });

  it('lets each consumer touch only what it may', () => {
    for (const kind of ENTITY_KINDS) {
      const parent = KINDS[kind].parent.field;
      expect(fieldsFor(kind, 'csv').map((d) => d.field)).toEqual(Object.keys(shapeOf(kind)).filter((f) => f !== parent));
      for (const d of fieldsFor(kind, 'replace')) expect(d.type).toBe('text');
      for (const d of [...fieldsFor(kind, 'bulk'), ...fieldsFor(kind, 'rules')]) expect(['id', 'ref', 'list', 'object', 'schedule']).not.toContain(d.type);
      for (const d of FIELD_REGISTRY[kind]) if (d.type === 'id' || d.type === 'ref') expect(d.edit).toBeUndefined();
    }
    expect(fieldsFor('plan', 'bulk').map((d) => d.field)).toEqual(['dailyBudgetFen', 'totalBudgetFen', 'status', 'pacing', 'name']);
    expect(fieldsFor('unit', 'rules').map((d) => d.field)).toEqual(['bidFen', 'targetCpaFen', 'unitBudgetFen', 'targetRoi', 'name']);
    expect(fieldsFor('creative', 'replace').map((d) => d.field)).toEqual(['title', 'description']);
    expect(fieldsFor('gdBooking', 'replace')).toEqual([]);
    // A plan is deleted by "delete", never by choosing a status.
    expect(fieldDef('plan', 'status')?.values).toEqual(['ENABLED', 'PAUSED']);
  });

  it('carries the platform limits of the checks', () => {
    expect(fieldDef('plan', 'dailyBudgetFen')).toMatchObject({ min: DAILY_BUDGET_MIN_FEN, max: DAILY_BUDGET_MAX_FEN, platform: [DAILY_BUDGET_MIN_FEN, DAILY_BUDGET_MAX_FEN] });
    expect(fieldDef('unit', 'bidFen')?.platform).toBe(LIMITS.bidFen);
    expect(fieldDef('searchWord', 'word')?.platformMaxChars).toBe(LIMITS.searchWordMaxChars);
    expect(fieldDef('unit', 'targetCpaFen')?.min).toBe(1); // positive whole fen
    expect(fieldDef('unit', 'targetRoi')).toMatchObject({ min: 0, minExclusive: true });
  });
});
