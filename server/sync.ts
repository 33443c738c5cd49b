import { isReviewedCreativeField } from '../shared/domain/creative';
import type { Plan } from '../shared/domain/entities';
import type { EntityMutation, EntityMutationResult, EntityPushRequest, EntityPushResponse } from '../shared/sync/wire';
import { batchChecks, CHECKED_PLAN_FIELDS, type BatchChecks } from './checks';
import { describeIssues } from './errors';
import type { Queryable } from './sql';
import { CHILDREN, ENTITIES, fieldVersion, type EntityRecord, type Store } from './store';

type FieldError = { field: string; message: string; code?: string; entity?: string; entityId?: string };
type Conflict = { field: string; serverValue: unknown; serverVersion: number };

/**
 * Applies a push in ONE transaction (serialised per account): the mutations, their change-feed
 * rows and the client's last applied mutation id commit together, so a retried push is a no-op.
 *
 * Per mutation: ids at or below the client's last applied id are `duplicate` (nothing changes),
 * except a mutation that was rejected: it answers its stored rejection again, so a client whose
 * answer was lost never takes a rejected row for posted.
 * Per field: a server field version newer than the mutation's baseVersion is a conflict (the
 * server value is returned); otherwise the value is validated with the shared schema. The
 * non-conflicting valid fields are applied as one new entity version, if the whole entity is
 * still valid. The status is `rejected` if any field was invalid, else `conflict` if any field
 * conflicted, else `applied`; `version` is present exactly when something was applied, so the
 * client can tell which fields landed: those named in neither `errors` nor `conflicts`.
 *
 * The shared built-in checks (shared/domain/checks) then run on the row as it would be stored
 * (a create's whole entity, an update's row after its patch), against the state the push's
 * earlier mutations left: a row with a check error is rejected whole (nothing of it applies;
 * each error names its check `code`, field and message), the push's other rows still apply.
 * A plan change must also leave its children passing (checked once the whole push has run, so a
 * plan and its children changed together pass in any order): else the plan change is rejected,
 * each error naming the child (`entity`, `entityId`) with its check's code, field and message,
 * and the push runs again without it. Warnings never reject.
 */
export async function applyPush(store: Store, merchantId: string, req: EntityPushRequest, at = new Date()): Promise<EntityPushResponse> {
  return store.db.transaction(
    async (tx): Promise<EntityPushResponse> => {
      const before = await store.lastMutationId(tx, merchantId, req.clientId);
      const ids = req.mutations.map((m) => m.id);
      const lowest = Math.min(...ids);
      // A retried push: its rejected mutations answer as they did the first time (see m5).
      const stored = lowest <= before ? await store.rejectedResults(tx, merchantId, req.clientId, lowest, before) : new Map<number, string>();
      // A push of new mutations only: the client has seen every earlier answer.
      if (lowest > before && before > 0) await store.forgetRejectedResults(tx, merchantId, req.clientId, before);
      // A push that may change a field its plans' children are checked against runs inside a
      // savepoint: if it leaves a child failing, it is run again with that plan change refused.
      const guarded = req.mutations.some((m) => m.id > before && m.entity === 'plan' && m.op === 'update' && m.changes.some((c) => CHECKED_PLAN_FIELDS.has(c.field)));
      const refused = new Map<number, FieldError[]>();
      if (guarded) await tx.exec('SAVEPOINT plan_children');
      // Each round refuses at least one more plan mutation, so this ends.
      for (;;) {
        let last = before;
        const results: EntityMutationResult[] = [];
        const checks = batchChecks(store, tx, merchantId, at);
        for (const m of req.mutations) {
          if (m.id <= last) {
            const again = stored.get(m.id);
            results.push(again ? ({ ...(JSON.parse(again) as EntityMutationResult), id: m.id } satisfies EntityMutationResult) : { id: m.id, status: 'duplicate' });
            continue;
          }
          const r = await applyMutation(store, tx, merchantId, m, at, checks, refused.get(m.id));
          if (r.status === 'rejected' && r.version === undefined) await store.saveRejectedResult(tx, merchantId, req.clientId, m.id, JSON.stringify(r));
          results.push(r);
          last = m.id;
        }
        if (guarded) {
          const broken = await checks.brokenChildren();
          if (broken.size > 0) {
            await tx.exec('ROLLBACK TO SAVEPOINT plan_children');
            for (const [id, errors] of broken) refused.set(id, errors);
            continue;
          }
          await tx.exec('RELEASE SAVEPOINT plan_children');
        }
        if (last !== before) await store.setLastMutationId(tx, merchantId, req.clientId, last, at);
        return { lastMutationId: last, results };
      }
    },
    { lockKey: `account:${merchantId}` },
  );
}

const reject = (id: number, field: string, message: string): EntityMutationResult => ({ id, status: 'rejected', errors: [{ field, message }] });
const LABELS: Record<string, string> = { searchWord: 'search word', negativeWord: 'negative word', audiencePack: 'audience pack', gdBooking: 'GD booking' };
const label = (kind: string) => LABELS[kind] ?? kind;

/** `refused`: a plan update an earlier run of this push found breaking its children (their errors). */
async function applyMutation(store: Store, tx: Queryable, merchantId: string, m: EntityMutation, at: Date, checks: BatchChecks, refused?: FieldError[]): Promise<EntityMutationResult> {
  switch (m.op) {
    case 'create':
      return createEntity(store, tx, merchantId, m, at, checks);
    case 'delete':
      return deleteEntity(store, tx, merchantId, m, at, checks);
    default:
      return updateEntity(store, tx, merchantId, m, at, checks, refused);
  }
}

/** A row failing a built-in check: rejected whole, each error with its check's code. */
const checkRejection = (id: number, errors: FieldError[], conflicts?: Conflict[]): EntityMutationResult => ({
  id,
  status: 'rejected',
  errors,
  ...(conflicts?.length ? { conflicts } : {}),
});

async function createEntity(store: Store, tx: Queryable, merchantId: string, m: EntityMutation, at: Date, checks: BatchChecks): Promise<EntityMutationResult> {
  const spec = ENTITIES[m.entity];
  if (!m.data) return reject(m.id, 'data', 'a create needs the whole entity in "data"');
  if (m.changes.length > 0) return reject(m.id, 'changes', 'a create carries its fields in "data", not "changes"');
  const draft: Record<string, unknown> = { ...m.data, id: m.entityId };
  // Owned by the account the request addresses, whatever the body says.
  if (m.entity === 'plan' || m.entity === 'audiencePack') draft.merchantId = merchantId;
  if (m.entity === 'creative') draft.reviewStatus = 'PENDING';
  if (spec.parentKey && spec.parentKind) {
    const parentId = draft[spec.parentKey];
    const parent = typeof parentId === 'string' ? await store.getEntity(tx, spec.parentKind, merchantId, parentId) : undefined;
    if (!parent || parent.deleted) return reject(m.id, spec.parentKey, `no ${label(spec.parentKind)} "${String(parentId)}" in this account`);
  }
  const parsed = spec.schema.strict().safeParse(draft);
  if (!parsed.success) return { id: m.id, status: 'rejected', errors: [{ field: 'data', message: describeIssues(parsed.error) }] };
  // Ids are global and never reused, a deleted entity's id included.
  if (await store.idTaken(tx, m.entity, m.entityId)) return reject(m.id, 'entityId', `the id "${m.entityId}" is already used: choose a new one`);
  const data = parsed.data as Record<string, unknown>;
  const failed = await checks.errors(m.entity, data, true);
  if (failed.length > 0) return checkRejection(m.id, failed);
  await store.insertEntity(tx, m.entity, merchantId, data, {}, at);
  checks.wrote(m.entity, m.entityId, data);
  return { id: m.id, status: 'applied', version: 1 };
}

async function deleteEntity(store: Store, tx: Queryable, merchantId: string, m: EntityMutation, at: Date, checks: BatchChecks): Promise<EntityMutationResult> {
  const rec = await store.getEntity(tx, m.entity, merchantId, m.entityId);
  if (!rec) return reject(m.id, 'entityId', `no ${label(m.entity)} "${m.entityId}" in this account`);
  if (rec.deleted) return { id: m.id, status: 'applied', version: rec.version };
  const version = await tombstone(store, tx, m.entity, merchantId, m.entityId, rec, at);
  checks.wrote(m.entity, m.entityId, null);
  return { id: m.id, status: 'applied', version };
}

/** Deletes an entity and, for a plan or unit, its live children: each gets a tombstone version. */
async function tombstone(store: Store, tx: Queryable, kind: EntityMutation['entity'], merchantId: string, id: string, rec: EntityRecord, at: Date): Promise<number> {
  const version = rec.version + 1;
  await store.saveEntityVersion(tx, kind, merchantId, id, { ...rec, version, deleted: true }, at);
  const children = CHILDREN[kind] ?? [];
  for (const [childKind, column] of children) {
    for (const childId of await store.childIds(tx, childKind, merchantId, column, id)) {
      const child = await store.getEntity(tx, childKind, merchantId, childId);
      if (child) await tombstone(store, tx, childKind, merchantId, childId, child, at);
    }
  }
  return version;
}

async function updateEntity(store: Store, tx: Queryable, merchantId: string, m: EntityMutation, at: Date, checks: BatchChecks, refused?: FieldError[]): Promise<EntityMutationResult> {
  const spec = ENTITIES[m.entity];
  // Scoped by merchant: another merchant's entity is as unknown as one that never existed.
  const rec = await store.getEntity(tx, m.entity, merchantId, m.entityId);
  if (!rec || (rec.deleted && m.entity === 'plan')) return reject(m.id, 'entityId', `no ${label(m.entity)} "${m.entityId}" in this account`);
  if (rec.deleted) return reject(m.id, 'entityId', `${label(m.entity)} "${m.entityId}" was deleted`);
  if (m.changes.length === 0) return reject(m.id, 'changes', 'an update needs at least one field change');

  const seen = new Set<string>();
  for (const c of m.changes) {
    if (seen.has(c.field)) return reject(m.id, c.field, 'the same field is changed twice in one mutation');
    seen.add(c.field);
  }

  const errors: FieldError[] = [];
  const conflicts: Conflict[] = [];
  const next: Record<string, unknown> = { ...rec.data };
  const applied: string[] = [];
  const shape = spec.schema.shape as Record<string, { safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: Parameters<typeof describeIssues>[0] } }>;

  for (const c of m.changes) {
    const fieldSchema = Object.hasOwn(shape, c.field) ? shape[c.field] : undefined;
    if (!fieldSchema || spec.serverFields.includes(c.field)) {
      errors.push({ field: c.field, message: `"${c.field}" is not a field of a ${label(m.entity)} that sync can change` });
      continue;
    }
    if (c.baseVersion > rec.version) {
      errors.push({ field: c.field, message: `base version ${c.baseVersion} is newer than the server's version ${rec.version}: download the account again` });
      continue;
    }
    const fv = fieldVersion(rec, c.field);
    if (fv > c.baseVersion) {
      conflicts.push({ field: c.field, serverValue: rec.data[c.field], serverVersion: fv });
      continue;
    }
    const r = fieldSchema.safeParse(c.value);
    if (r.success) {
      next[c.field] = r.data;
      applied.push(c.field);
    } else errors.push({ field: c.field, message: describeIssues(r.error) });
  }

  let reviewReason = rec.reviewReason;
  if (m.entity === 'creative' && applied.some(isReviewedCreativeField) && next.reviewStatus !== 'PENDING') {
    next.reviewStatus = 'PENDING';
    applied.push('reviewStatus');
    reviewReason = null;
  }

  const status = errors.length > 0 ? 'rejected' : conflicts.length > 0 ? 'conflict' : 'applied';
  const result: EntityMutationResult = { id: m.id, status };
  if (errors.length > 0) result.errors = errors;
  if (conflicts.length > 0) result.conflicts = conflicts;
  if (applied.length === 0) return result;

  // The whole entity must still be valid (cross-field rules): the server is authoritative for what it stores.
  const checked = spec.schema.safeParse(next);
  if (!checked.success) {
    return { id: m.id, status: 'rejected', errors: [...errors, { field: applied.join(','), message: describeIssues(checked.error) }], ...(conflicts.length ? { conflicts } : {}) };
  }
  // The row as it would be stored must pass the built-in checks; else none of it applies.
  const failed: FieldError[] = await checks.errors(m.entity, checked.data as Record<string, unknown>, false, rec.data);
  if (refused) failed.push(...refused);
  if (failed.length > 0) return checkRejection(m.id, [...errors, ...failed], conflicts);
  const version = rec.version + 1;
  const fieldVersions = { ...rec.fieldVersions };
  for (const f of applied) fieldVersions[f] = version;
  await store.saveEntityVersion(tx, m.entity, merchantId, m.entityId, { data: checked.data as Record<string, unknown>, version, fieldVersions, deleted: false, reviewReason }, at);
  checks.wrote(m.entity, m.entityId, checked.data as Record<string, unknown>);
  if (m.entity === 'plan') checks.planEdited(m.id, m.entityId, rec.data as Plan, checked.data as Plan);
  result.version = version;
  return result;
}
