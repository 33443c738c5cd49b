import type { Journal } from '../store/journal';
import type { Ownership } from '../store/ownership';
import type { SyncState } from './state';

/** Per merchant: rows with unposted changes, open conflicts, held rejections. */
export function perMerchantCounts({ journal, owners, state }: { journal: Journal; owners: Ownership; state: SyncState }) {
  const accountOf = owners.accounts();
  const pending = new Map<string, Set<string>>();
  for (const r of journal.outbox()) {
    const m = accountOf(r.entity, r.entityId);
    if (!m) continue;
    const set = pending.get(m) ?? new Set<string>();
    set.add(`${r.entity}:${r.entityId}`);
    pending.set(m, set);
  }
  const count = <T extends { entity: string; entityId: string }>(xs: T[]) => {
    const out = new Map<string, number>();
    for (const x of xs) {
      const m = accountOf(x.entity, x.entityId);
      if (m) out.set(m, (out.get(m) ?? 0) + 1);
    }
    return out;
  };
  const rejectedRows = [...new Map(state.rejections().map((r) => [`${r.entity}:${r.entityId}`, r])).values()];
  const conflicts = count(state.conflicts());
  const rejected = count(rejectedRows);
  return {
    pending: (m: string) => pending.get(m)?.size ?? 0,
    conflicts: (m: string) => conflicts.get(m) ?? 0,
    rejected: (m: string) => rejected.get(m) ?? 0,
  };
}
