import type { EntityKind } from '../kinds';

export type Severity = 'error' | 'warning';

/** One broken check. Errors block posting; warnings are shown but do not. */
export interface CheckIssue {
  severity: Severity;
  /** Stable code ("bid.ocpx_needs_target_cpa", "rule:<id>" for user rules). */
  code: string;
  entity: EntityKind;
  entityId: string;
  field?: string;
  message: string;
}
