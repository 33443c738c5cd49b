import { randomUUID } from 'node:crypto';
import { ContractError } from '../../../shared/contract/errors';
import type { Db } from './db';
import type { EntityRepo } from './entityRepo';
import type { JournalChange } from './journal';
import type { Operations } from './ops';
import { selectProposalChanges, type ProposedChange } from './proposal';

type PreviewKind = 'csv' | 'proposal';
interface Proposed {
  fresh: ProposedChange[];
  stale: Set<string>;
  merchantId: string;
}
interface Held {
  kind: PreviewKind;
  changes: JournalChange[];
  label: string;
  atBatch: number;
  proposed?: Proposed;
}

/**
 * Previews waiting for the user's confirmation (CSV import, proposals), by token. A preview is
 * applied only as it was shown: a change to the store since (a new batch) makes it stale.
 */
export function heldPreviews(deps: { db: Db; repo: EntityRepo; ops: Operations; assertOwnChanges: (merchantId: string, changes: JournalChange[]) => void }) {
  const { db, repo, ops } = deps;
  const pending = new Map<string, Held>();
  const lastBatchStmt = db.prepare('SELECT COALESCE(MAX(id), 0) FROM batches').pluck();
  const lastBatch = () => (lastBatchStmt.get() as number) ?? 0;
  return {
    hold(kind: PreviewKind, changes: JournalChange[], label: string, proposed?: Proposed): string {
      const token = `${kind}_${randomUUID()}`;
      // A held preview can be big (a 100k-line import holds 100k changes): keep the last few only.
      if (pending.size >= 4) pending.delete(pending.keys().next().value as string);
      pending.set(token, { kind, changes, label, atBatch: lastBatch(), ...(proposed ? { proposed } : {}) });
      return token;
    },
    /** Commits a held preview as one batch; `changeIds` picks some of a proposal's changes. */
    apply(token: string, kind: PreviewKind, changeIds?: string[], merchantId?: string): { batch: number | null; changed: number } {
      const held = pending.get(token);
      if (!held || held.kind !== kind) throw new ContractError('not_found', 'that preview has expired; preview again');
      if (held.atBatch !== lastBatch()) throw new ContractError('invalid_input', 'the account changed since the preview; preview again', [{ path: 'token', message: 'stale preview' }]);
      if (merchantId && held.proposed && held.proposed.merchantId !== merchantId) {
        throw new ContractError('invalid_input', `that preview is of a proposal for account ${held.proposed.merchantId}, not ${merchantId}`, [{ path: 'merchantId', message: 'another account' }]);
      }
      const changes = held.proposed ? selectProposalChanges(repo, held.proposed.fresh, held.proposed.stale, changeIds) : held.changes;
      // Checked again as applied (a sync may have moved rows since the preview): never another account's row.
      if (held.proposed) deps.assertOwnChanges(held.proposed.merchantId, changes);
      pending.delete(token);
      const batch = ops.commit(held.label, changes);
      return { batch, changed: changes.length };
    },
    clear() {
      pending.clear();
    },
  };
}
