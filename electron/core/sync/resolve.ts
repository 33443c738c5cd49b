import type { Db } from '../store/db';
import { DELETED_FIELD, type EntityRepo } from '../store/entityRepo';
import type { Journal } from '../store/journal';
import type { EntityKind } from '../../../shared/domain/kinds';
import type { SyncState } from './state';

export interface ResolveInput {
  choice: 'mine' | 'theirs';
  /** Narrow to one entity / one field; none given = every open conflict. */
  entity?: string;
  entityId?: string;
  field?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Resolves stored conflicts, in one transaction:
 * - keep mine: the local value stays (the newest local edit when the field is still pending, else
 *   the conflict's local value, journaled again because the row shows the server's), and its
 *   base becomes the server version the conflict was seen at, so the next push applies it;
 * - take theirs: the row takes the server's value and the field leaves the outbox.
 * Keep mine releases a row held by a whole-row rejection (the next push carries the field, so the
 * server checks another row than the one it refused); take theirs does not.
 * A deletion on the server cannot be kept-mine (the backend never revives a tombstone): those stay open
 * for "take theirs" (or duplicate the row to keep it under a new id).
 * Returns how many were resolved.
 */
export function resolveConflicts(deps: { db: Db; repo: EntityRepo; journal: Journal; state: SyncState }, input: ResolveInput): number {
  const { db, repo, journal, state } = deps;
  return db.transaction(() => {
    let n = 0;
    for (const c of state.conflicts()) {
      if ((input.entity && c.entity !== input.entity) || (input.entityId && c.entityId !== input.entityId) || (input.field && c.field !== input.field)) continue;
      const kind = c.entity as EntityKind;
      const local = repo.get(kind, c.entityId);
      if (!local) {
        state.dropConflict(c.entity, c.entityId, c.field);
        n++;
        continue;
      }
      if (c.field === DELETED_FIELD) {
        if (input.choice === 'mine') continue;
        if (kind === 'plan') repo.setField('plan', c.entityId, 'status', 'DELETED');
        else repo.setDeleted(kind, c.entityId, true);
        for (const r of journal.outboxOf(kind, [c.entityId])) journal.markPosted(kind, c.entityId, r.field, r.id);
        state.setEntityBase(kind, c.entityId, c.serverVersion);
        // Nothing of it is left to post: a rejection of the edit the server refused is over.
        state.dropRejections(kind, c.entityId);
      } else if (input.choice === 'mine') {
        const current = local.row[c.field];
        // Still pending: the row holds mine (edited again since, perhaps): keep what it holds.
        const pending = journal.outboxOf(kind, [c.entityId]).some((r) => r.field === c.field);
        if (!pending && !same(current, c.localValue)) {
          journal.record([{ entity: kind, entityId: c.entityId, field: c.field, oldValue: current ?? null, newValue: c.localValue }], new Date(), 'keep mine');
          repo.setField(kind, c.entityId, c.field, c.localValue);
        }
        state.setFieldBase(kind, c.entityId, c.field, c.serverVersion);
        // The field joins the next push, so the row the server checks is not the one it rejected:
        // a held whole-row rejection is tried again (and held again if the server still refuses).
        state.dropRejection(kind, c.entityId, '');
      } else {
        repo.setField(kind, c.entityId, c.field, c.serverValue);
        journal.markPosted(kind, c.entityId, c.field, Number.MAX_SAFE_INTEGER);
        state.setFieldBase(kind, c.entityId, c.field, c.serverVersion);
        // The field left the outbox; the row the server would check is the one it rejected, so a
        // whole-row rejection stays held (until an edit).
        state.dropRejection(kind, c.entityId, c.field);
      }
      state.dropConflict(c.entity, c.entityId, c.field);
      n++;
    }
    return n;
  })();
}
