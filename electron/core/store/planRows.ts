import type { PlanRow, RowState } from '../../../shared/contract';
import type { EntityState } from '../../../shared/contract/edit';
import type { Plan } from '../../../shared/domain/entities';
import { ROW_FIELD } from './entityRepo';
import type { EntityMarkers } from './journal';
import type { PlanSummary } from './planRepo';

/** A row's unposted state from the journal's pending fields (`ROW_FIELD` marks a row added here). */
export function rowState(pending: Map<string, string[]>, id: string): RowState {
  const fields = pending.get(id) ?? [];
  return { editedFields: fields.filter((f) => f !== ROW_FIELD), unposted: fields.length > 0, ...(fields.includes(ROW_FIELD) ? { added: true } : {}) };
}

/** A plan as the plan list shows it: the plan, its counts, its unposted state. */
export function planRow(p: Plan, pending: Map<string, string[]>, summaries: Map<string, PlanSummary>): PlanRow {
  return {
    plan: p,
    ...(summaries.get(p.id) ?? { unitCount: 0, creativeCount: 0, bidTypes: [] }),
    state: rowState(pending, p.id),
  };
}

/** Any entity's markers as the contract's state. */
export function entityState(m: EntityMarkers | undefined): EntityState {
  return m ? { added: m.added, deleted: m.deleted, editedFields: m.editedFields, unposted: true } : { added: false, deleted: false, editedFields: [], unposted: false };
}
