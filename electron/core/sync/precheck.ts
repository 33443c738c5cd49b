import { checkRow, type AnyEntity, type CheckIssue, type UserRule } from '../../../shared/domain/checks';
import type { EntityKind } from '../../../shared/domain/kinds';
import { DELETED_FIELD, ROW_FIELD, type EntityRepo, type Row } from '../store/entityRepo';
import type { OutboxRow } from '../store/journal';
import { planLookup } from '../store/ownership';

/**
 * The shared checks over what a push would post: every live row with unposted changes, with
 * its plan as context and, for a creative, the row as last posted (for "back to review").
 * Only these rows: an error on a row nobody changed here is not this push's to block.
 */
export function checkOutbox(deps: { repo: EntityRepo; rules: readonly UserRule[]; today: string }, outbox: readonly OutboxRow[]): CheckIssue[] {
  const { repo } = deps;
  const byEntity = new Map<string, { kind: EntityKind; id: string; rows: OutboxRow[] }>();
  for (const r of outbox) {
    const key = `${r.entity}:${r.entityId}`;
    let g = byEntity.get(key);
    if (!g) byEntity.set(key, (g = { kind: r.entity as EntityKind, id: r.entityId, rows: [] }));
    g.rows.push(r);
  }
  const planOf = planLookup(repo);
  const out: CheckIssue[] = [];
  for (const g of byEntity.values()) {
    const got = repo.get(g.kind, g.id);
    if (!got || got.deleted) continue; // a deletion posts nothing to check
    const row = got.row;
    if (g.kind === 'plan' && row.status === 'DELETED') continue;
    const isNew = g.rows.some((r) => r.field === ROW_FIELD && r.oldValue === null);
    const p = planOf(g.kind, row);
    let before: Row | undefined;
    if (g.kind === 'creative' && !isNew) {
      before = { ...row };
      for (const r of g.rows) if (r.field !== ROW_FIELD && r.field !== DELETED_FIELD) before[r.field] = r.oldValue;
    }
    out.push(
      ...checkRow(g.kind, row as unknown as AnyEntity, {
        today: deps.today,
        isNew,
        rules: deps.rules,
        ...(p ? { plan: p } : {}),
        ...(before ? { before } : {}),
      }),
    );
  }
  return out;
}
