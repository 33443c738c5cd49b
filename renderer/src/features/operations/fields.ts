import type { EntityKind } from '../../../../shared/domain/kinds';

/**
 * Fields bulk edit offers, per kind, and how their value is typed in: money in yuan (stored in
 * fen), ratios and counts as numbers, enums from their list. "Change by" (amount / percent)
 * is offered for the numeric kinds the store changes by amount.
 */
export type FieldType = { type: 'money'; nullable: boolean } | { type: 'ratio'; nullable: boolean } | { type: 'text' } | { type: 'enum'; options: readonly string[] } | { type: 'bool' };

export interface FieldInfo {
  field: string;
  spec: FieldType;
}

export const BULK_FIELDS: Partial<Record<EntityKind, FieldInfo[]>> = {
  plan: [
    { field: 'dailyBudgetFen', spec: { type: 'money', nullable: true } },
    { field: 'totalBudgetFen', spec: { type: 'money', nullable: true } },
    { field: 'status', spec: { type: 'enum', options: ['ENABLED', 'PAUSED'] } },
    { field: 'pacing', spec: { type: 'enum', options: ['STANDARD', 'ACCELERATED'] } },
    { field: 'name', spec: { type: 'text' } },
  ],
  unit: [
    { field: 'bidFen', spec: { type: 'money', nullable: true } },
    { field: 'targetCpaFen', spec: { type: 'money', nullable: true } },
    { field: 'targetRoi', spec: { type: 'ratio', nullable: true } },
    { field: 'unitBudgetFen', spec: { type: 'money', nullable: true } },
    { field: 'status', spec: { type: 'enum', options: ['ENABLED', 'PAUSED'] } },
    { field: 'name', spec: { type: 'text' } },
  ],
  creative: [
    { field: 'title', spec: { type: 'text' } },
    { field: 'description', spec: { type: 'text' } },
  ],
  searchWord: [
    { field: 'bidFen', spec: { type: 'money', nullable: false } },
    { field: 'matchType', spec: { type: 'enum', options: ['EXACT', 'PHRASE', 'BROAD'] } },
  ],
};

export const isNumeric = (spec: FieldType) => spec.type === 'money' || spec.type === 'ratio';
