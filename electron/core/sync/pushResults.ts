import type { SyncRowResult } from '../../../shared/contract/sync';
import type { EntityPushResponse } from '../../../shared/sync/wire';
import type { Db } from '../store/db';
import { ROW_FIELD } from '../store/entityRepo';
import type { Journal } from '../store/journal';
import type { Ownership } from '../store/ownership';
import type { Cover } from './buildPush';
import type { DuplicateToVerify } from './duplicates';
import type { SyncTally } from './progress';
import { same } from './sameValue';
import type { SyncState } from './state';

/** What recording a push's answer writes: the journal's posted marks and the sync bookkeeping. */
export interface PushResultDeps {
  db: Db;
  journal: Journal;
  state: SyncState;
  owners: Ownership;
}

/** The newest unposted journal row under a plan (0 when none): what a plan rejection holds up to. */
function newestUnderPlan(deps: PushResultDeps, planId: string): number {
  let newest = 0;
  for (const row of deps.journal.outbox()) if (row.id > newest && row.entity !== 'plan' && deps.owners.planOf(row.entity, row.entityId) === planId) newest = row.id;
  return newest;
}

/**
 * Records the server's answer to one mutation (inside the caller's transaction): what landed is
 * posted, what was rejected is held, what conflicts is stored, and the row's result is tallied.
 */
export function applyResult(
  deps: PushResultDeps,
  cover: Cover,
  bases: Record<string, number>,
  r: EntityPushResponse['results'][number],
  summary: SyncTally,
  verify: DuplicateToVerify[],
): void {
  const { journal, state } = deps;
  const { entity, entityId } = cover;
  const codes = [...new Set((r.errors ?? []).flatMap((e) => (e.code ? [e.code] : [])))];
  const row = (status: SyncRowResult['status'], fields: string[], message?: string) =>
    summary.results.push({
      merchantId: summary.merchantId,
      entity,
      entityId,
      status,
      fields,
      ...(message ? { message } : {}),
      ...(status === 'rejected' && codes.length > 0 ? { codes } : {}),
    });
  const postAll = () => {
    for (const [f, upTo] of Object.entries(cover.fields)) journal.markPosted(entity, entityId, f, upTo);
    state.dropRejections(entity, entityId);
  };
  // An error on a child the change would break (a plan change) names the child in its message.
  const errorText = () => (r.errors ?? []).map((e) => (e.entityId ? e.message : `${e.field}: ${e.message}`)).join('; ') || 'rejected by the server';
  const visible = (fields: string[]) => fields.filter((f) => f !== ROW_FIELD);
  // A row rejected whole is held up to the journal rows this mutation carried; a plan, up to the
  // newest unposted row under it too (buildPush releases a plan when a row under it is edited).
  const holdUpTo = () => Math.max(...Object.values(cover.fields), entity === 'plan' ? newestUnderPlan(deps, entityId) : 0);
  // The row's fields an error names; for a child's error, the fields this mutation changed.
  const errorFields = () => [...new Set((r.errors ?? []).flatMap((e) => (e.entityId ? visible(Object.keys(cover.fields)) : [e.field])))];

  if (r.status === 'duplicate') {
    // Applied by an earlier push whose answer was lost: the pull brings the version, and the
    // sent values are checked against it afterwards.
    postAll();
    if (cover.op === 'update') verify.push({ entity, entityId, values: cover.values, bases });
    summary.applied++;
    row('applied', visible(Object.keys(cover.fields)));
    return;
  }
  if (cover.op !== 'update') {
    if (r.status === 'applied') {
      postAll();
      if (r.version !== undefined) state.setEntityBase(entity, entityId, r.version);
      summary.applied++;
      row('applied', visible(Object.keys(cover.fields)));
    } else {
      // Held (not resent) until the row is edited again.
      state.putRejection(entity, entityId, '', holdUpTo(), errorText());
      summary.rejected++;
      row('rejected', errorFields(), errorText());
    }
    return;
  }
  // A shared check failed on the server (its errors carry the check's code): the row was rejected
  // whole, whatever field the check names (often one this mutation did not change). Held like a
  // rejected create, until the row is edited again.
  if (r.status === 'rejected' && codes.length > 0 && r.version === undefined) {
    state.putRejection(entity, entityId, '', holdUpTo(), errorText());
    for (const c of r.conflicts ?? []) {
      state.dropShadow(entity, entityId, c.field);
      if (!same(c.serverValue, cover.values[c.field])) state.putConflict(entity, entityId, c.field, cover.values[c.field] ?? null, c.serverValue ?? null, c.serverVersion);
    }
    summary.rejected++;
    if (r.conflicts?.length) summary.conflicts++;
    row('rejected', errorFields(), errorText());
    return;
  }
  // Partial success: `version` is present when anything applied; the fields named in errors or
  // conflicts did not land and stay in the outbox.
  const failed = new Set<string>();
  const fieldErrors = new Map<string, string[]>();
  for (const e of r.errors ?? [])
    for (const f of e.field.split(',')) {
      failed.add(f);
      fieldErrors.set(f, [...(fieldErrors.get(f) ?? []), e.message]);
    }
  for (const c of r.conflicts ?? []) failed.add(c.field);
  if (r.version !== undefined) {
    // Something landed, so the row passed the server's checks: a whole-row rejection is over.
    state.dropRejection(entity, entityId, '');
    for (const [f, upTo] of Object.entries(cover.fields)) {
      if (failed.has(f)) continue;
      journal.markPosted(entity, entityId, f, upTo);
      state.setFieldBase(entity, entityId, f, r.version);
      state.dropShadow(entity, entityId, f);
      state.dropRejection(entity, entityId, f);
    }
  }
  let heldByField = false;
  for (const [f, messages] of fieldErrors) {
    const upTo = cover.fields[f];
    if (upTo !== undefined) {
      state.putRejection(entity, entityId, f, upTo, messages.join('; '));
      heldByField = true;
    }
  }
  // Rejected for the row itself (deleted on the server meanwhile, an unknown id): no field of it
  // can be held, so the row is, until edited again. Else the same mutation goes out every sync.
  if (r.status === 'rejected' && r.version === undefined && !heldByField) state.putRejection(entity, entityId, '', holdUpTo(), errorText());
  // A "conflict" whose server value is the one sent is no conflict (e.g. an edit posted, then a
  // backup from before it restored): the field is posted at the server's version.
  const conflicts: NonNullable<typeof r.conflicts> = [];
  for (const c of r.conflicts ?? []) {
    state.dropShadow(entity, entityId, c.field);
    const upTo = cover.fields[c.field];
    if (same(c.serverValue, cover.values[c.field]) && upTo !== undefined) {
      journal.markPosted(entity, entityId, c.field, upTo);
      state.setFieldBase(entity, entityId, c.field, c.serverVersion);
    } else conflicts.push(c);
  }
  for (const c of conflicts) state.putConflict(entity, entityId, c.field, cover.values[c.field] ?? null, c.serverValue ?? null, c.serverVersion);
  if (r.status === 'conflict' && conflicts.length === 0) r = { ...r, status: 'applied' };
  r = { ...r, conflicts };
  if (r.status === 'applied') {
    summary.applied++;
    row('applied', Object.keys(cover.fields));
  } else if (r.status === 'conflict') {
    summary.conflicts++;
    row(
      'conflict',
      (r.conflicts ?? []).map((c) => c.field),
      (r.conflicts ?? []).map((c) => `${c.field}: server has ${JSON.stringify(c.serverValue)}`).join('; '),
    );
  } else {
    summary.rejected++;
    if (r.conflicts?.length) summary.conflicts++;
    row('rejected', errorFields(), errorText());
  }
}
