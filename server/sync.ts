import { DailyBudgetFen, Plan, PlanName } from '../shared/domain/entities';
import type { FieldConflict, Mutation, MutationResult, PushRequest, PushResponse } from '../shared/sync/wire';
import { describeIssues } from './errors';
import type { PlanRecord, Store } from './store';

type FieldError = { field: string; message: string };

/**
 * Applies a push in ONE immediate transaction: the mutations, their change-feed rows and the
 * client's last applied mutation id commit together, so a retried push is a no-op.
 *
 * Per mutation: ids at or below the client's last applied id are `duplicate` (nothing changes).
 * Per field: a server field version newer than the mutation's baseVersion is a conflict (the
 * server value is returned); otherwise the value is validated with the shared schema. The
 * non-conflicting valid fields are applied as one new entity version. The status is
 * `rejected` if any field was invalid, else `conflict` if any field conflicted, else `applied`;
 * `version` is present exactly when something was applied, so the client can tell which fields
 * landed: those named in neither `errors` nor `conflicts`.
 */
export function applyPush(store: Store, merchantId: string, req: PushRequest, at = new Date()): PushResponse {
  return store.db
    .transaction((): PushResponse => {
      const before = store.lastMutationId(merchantId, req.clientId);
      let last = before;
      const results: MutationResult[] = [];
      for (const m of req.mutations) {
        if (m.id <= last) {
          results.push({ id: m.id, status: 'duplicate' });
          continue;
        }
        results.push(applyMutation(store, merchantId, m, at));
        last = m.id;
      }
      if (last !== before) store.setLastMutationId(merchantId, req.clientId, last, at);
      return { lastMutationId: last, results };
    })
    .immediate();
}

function applyMutation(store: Store, merchantId: string, m: Mutation, at: Date): MutationResult {
  // Scoped by merchant: another merchant's plan is as unknown as one that never existed.
  const rec = store.getPlan(merchantId, m.entityId);
  if (!rec) return { id: m.id, status: 'rejected', errors: [{ field: 'entityId', message: `no plan "${m.entityId}" in this account` }] };

  const seen = new Set<string>();
  for (const c of m.changes) {
    if (seen.has(c.field)) {
      return { id: m.id, status: 'rejected', errors: [{ field: c.field, message: 'the same field is changed twice in one mutation' }] };
    }
    seen.add(c.field);
  }

  const errors: FieldError[] = [];
  const conflicts: FieldConflict[] = [];
  const next: Plan = { ...rec.plan };
  const applied: (typeof m.changes)[number]['field'][] = [];

  for (const c of m.changes) {
    if (c.baseVersion > rec.version) {
      errors.push({
        field: c.field,
        message: `base version ${c.baseVersion} is newer than the server's version ${rec.version}: download the account again`,
      });
      continue;
    }
    const fieldVersion = rec.fieldVersions[c.field];
    if (fieldVersion > c.baseVersion) {
      conflicts.push({ field: c.field, serverValue: rec.plan[c.field], serverVersion: fieldVersion });
      continue;
    }
    switch (c.field) {
      case 'name': {
        const r = PlanName.safeParse(c.value);
        if (r.success) {
          next.name = r.data;
          applied.push(c.field);
        } else errors.push({ field: c.field, message: describeIssues(r.error) });
        break;
      }
      case 'dailyBudgetFen': {
        const r = DailyBudgetFen.nullable().safeParse(c.value);
        if (r.success) {
          next.dailyBudgetFen = r.data;
          applied.push(c.field);
        } else errors.push({ field: c.field, message: describeIssues(r.error) });
        break;
      }
      default: {
        const unknownField: never = c.field;
        errors.push({ field: String(unknownField), message: 'this field cannot be changed by sync' });
      }
    }
  }

  const status = errors.length > 0 ? 'rejected' : conflicts.length > 0 ? 'conflict' : 'applied';
  const result: MutationResult = { id: m.id, status };
  if (errors.length > 0) result.errors = errors;
  if (conflicts.length > 0) result.conflicts = conflicts;
  if (applied.length === 0) return result;

  // The whole plan must still be valid: the server is authoritative for what it stores.
  const checked = Plan.safeParse(next);
  if (!checked.success) throw new Error(`plan ${rec.plan.id} would become invalid: ${describeIssues(checked.error)}`);
  const version = rec.version + 1;
  const fieldVersions = { ...rec.fieldVersions };
  for (const f of applied) fieldVersions[f] = version;
  const saved: PlanRecord = { plan: checked.data, version, fieldVersions };
  store.savePlanVersion(merchantId, saved, at);
  result.version = version;
  return result;
}
