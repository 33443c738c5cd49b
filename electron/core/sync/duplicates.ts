import type { EntityKind } from '../../../shared/sync/wire';
import type { Db } from '../store/db';
import type { EntityRepo } from '../store/entityRepo';
import type { Journal } from '../store/journal';
import { pendingFields } from './apply';
import type { SyncTally } from './progress';
import { same } from './sameValue';
import type { SyncState } from './state';

/** A mutation answered `duplicate`: what it sent, checked after the pull. */
export interface DuplicateToVerify {
  entity: EntityKind;
  entityId: string;
  values: Record<string, unknown>;
  bases: Record<string, number>;
}

export interface VerifyDeps {
  db: Db;
  repo: EntityRepo;
  journal: Journal;
  state: SyncState;
}

/**
 * Duplicates (applied by a push whose answer was lost): rebuilt from what was pulled, never from
 * the stale local row. A sent field the pulled row contradicts, or one the server had changed
 * after the mutation's base (a shadow from an earlier pull), did not land: the row shows the
 * server's value and the conflict keeps mine.
 */
export function verifyDuplicates(deps: VerifyDeps, verify: DuplicateToVerify[], summary: SyncTally): void {
  const { db, journal, state } = deps;
  db.transaction(() => {
    const pending = pendingFields(journal);
    for (const v of verify) {
      const local = deps.repo.get(v.entity, v.entityId);
      if (!local) continue;
      for (const [field, sent] of Object.entries(v.values)) {
        if (pending.get(`${v.entity}:${v.entityId}`)?.has(field)) continue;
        const shadow = state.shadow(v.entity, v.entityId, field);
        state.dropShadow(v.entity, v.entityId, field);
        if (!same(local.row[field], sent)) {
          state.putConflict(v.entity, v.entityId, field, sent, local.row[field] ?? null, state.fieldBase(v.entity, v.entityId, field));
          summary.conflicts++;
        } else if (shadow && shadow.version > (v.bases[field] ?? 0) && !same(shadow.value, sent)) {
          deps.repo.setField(v.entity, v.entityId, field, shadow.value);
          state.setFieldBase(v.entity, v.entityId, field, shadow.version);
          state.putConflict(v.entity, v.entityId, field, sent, shadow.value, shadow.version);
          summary.conflicts++;
        }
      }
    }
  })();
}
