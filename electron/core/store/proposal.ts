import { z } from 'zod';
import { ContractError } from '../../../shared/contract/errors';
import type { ProposalPreviewOut } from '../../../shared/contract/edit';
import { ENTITY_KINDS, KINDS, type EntityKind } from '../../../shared/domain/kinds';
import { DELETED_FIELD, ROW_FIELD, type EntityRepo, type Row } from './entityRepo';
import type { Journal, JournalChange } from './journal';

/**
 * "Share proposed changes": the outbox with a comment, as a JSON file another user imports
 * and reviews. Each change carries the value it was made against, so the reviewer sees what
 * went stale since.
 */
export const ProposalFile = z.object({
  format: z.literal('lantern-proposal'),
  version: z.literal(1),
  merchantId: z.string(),
  author: z.string().max(200),
  comment: z.string().max(10_000),
  createdAt: z.string(),
  changes: z
    .array(z.object({ entity: z.enum(ENTITY_KINDS), entityId: z.string().max(64), field: z.string().max(60), oldValue: z.unknown(), newValue: z.unknown() }))
    .max(1_000_000),
});
export type ProposalFile = z.infer<typeof ProposalFile>;

export function exportProposal(journal: Journal, merchantId: string, author: string, comment: string): { content: string; changes: number } {
  const changes = journal.outbox().map((r) => ({ entity: r.entity as EntityKind, entityId: r.entityId, field: r.field, oldValue: r.oldValue, newValue: r.newValue }));
  const file: ProposalFile = { format: 'lantern-proposal', version: 1, merchantId, author, comment, createdAt: new Date().toISOString(), changes };
  return { content: JSON.stringify(file, null, 1), changes: changes.length };
}

function currentValue(repo: EntityRepo, kind: EntityKind, id: string, field: string): unknown {
  const got = repo.get(kind, id);
  if (field === ROW_FIELD) return got ? got.row : null;
  if (!got) return undefined;
  if (field === DELETED_FIELD && kind !== 'plan') return got.deleted;
  return got.row[field] ?? null;
}

/** A fresh change of a previewed proposal, under the id the preview gave it. */
export interface ProposedChange {
  id: string;
  change: JournalChange;
}

export function previewProposal(repo: EntityRepo, merchantId: string, content: string): { preview: Omit<ProposalPreviewOut, 'token'>; changes: ProposedChange[] } {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new ContractError('invalid_input', 'not a proposal file (not JSON)', [{ path: 'content', message: 'not JSON' }]);
  }
  const parsed = ProposalFile.safeParse(json);
  if (!parsed.success) throw new ContractError('invalid_input', 'not a Lantern proposal file', parsed.error.issues.slice(0, 20).map((i) => ({ path: `content.${i.path.join('.')}`, message: i.message })));
  const p = parsed.data;
  if (p.merchantId !== merchantId) throw new ContractError('invalid_input', `the proposal is for account ${p.merchantId}, not ${merchantId}`, [{ path: 'content.merchantId', message: 'another account' }]);
  const rows: ProposalPreviewOut['changes'] = [];
  const apply: ProposedChange[] = [];
  for (const [i, c] of p.changes.entries()) {
    const id = `c${i + 1}`;
    const cur = currentValue(repo, c.entity, c.entityId, c.field);
    const stale = JSON.stringify(cur ?? null) !== JSON.stringify(c.oldValue ?? null);
    if (!stale) {
      // Validate what the change would produce.
      if (c.field === ROW_FIELD) {
        if (c.newValue !== null && !KINDS[c.entity].schema.safeParse(c.newValue).success) throw new ContractError('invalid_input', `proposal creates an invalid ${c.entity} ${c.entityId}`);
      } else if (c.field !== DELETED_FIELD) {
        const row = repo.get(c.entity, c.entityId)?.row as Row;
        const ok = KINDS[c.entity].schema.safeParse({ ...row, [c.field]: c.newValue });
        if (!ok.success) throw new ContractError('invalid_input', `proposal sets an invalid ${c.entity}.${c.field} on ${c.entityId}`);
      }
      apply.push({ id, change: { entity: c.entity, entityId: c.entityId, field: c.field, oldValue: cur ?? null, newValue: c.newValue } });
    }
    rows.push({ id, ...c, currentValue: cur ?? null, stale });
  }
  return { preview: { comment: p.comment, author: p.author, createdAt: p.createdAt, changes: rows }, changes: apply };
}

/**
 * The reviewer's choice: the changes named by id (all fresh ones when none are named). A stale
 * or unknown id, or a new row whose new parent is left out, is refused with the id named.
 */
export function selectProposalChanges(repo: EntityRepo, fresh: ProposedChange[], stale: Set<string>, ids: string[] | undefined): JournalChange[] {
  if (!ids) return fresh.map((c) => c.change);
  const byId = new Map(fresh.map((c) => [c.id, c]));
  const picked: JournalChange[] = [];
  const seen = new Set<string>();
  for (const [i, id] of ids.entries()) {
    const c = byId.get(id);
    if (!c) {
      const why = stale.has(id) ? 'went stale since it was proposed' : 'is not a change of this proposal';
      throw new ContractError('invalid_input', `change ${id} ${why}`, [{ path: `changeIds.${i}`, message: stale.has(id) ? 'stale change' : 'unknown change' }]);
    }
    if (seen.has(id)) continue;
    seen.add(id);
    picked.push(c.change);
  }
  // A new row needs its parent: live already, or created by another chosen change.
  const created = new Set(picked.filter((c) => c.field === ROW_FIELD && c.newValue !== null).map((c) => `${c.entity}:${c.entityId}`));
  for (const c of picked) {
    if (c.field !== ROW_FIELD || c.newValue === null) continue;
    const parent = KINDS[c.entity as EntityKind].parent;
    if (parent.kind === 'merchant') continue;
    const pid = (c.newValue as Row)[parent.field];
    if (typeof pid !== 'string') continue;
    const live = repo.get(parent.kind, pid);
    if ((live && !live.deleted) || created.has(`${parent.kind}:${pid}`)) continue;
    const from = fresh.find((f) => f.change.field === ROW_FIELD && f.change.entity === parent.kind && f.change.entityId === pid);
    throw new ContractError('invalid_input', `the new ${c.entity} ${c.entityId} needs its ${parent.kind} ${pid}${from ? `: choose change ${from.id} too` : ''}`, [
      { path: 'changeIds', message: `needs ${parent.kind} ${pid}` },
    ]);
  }
  return picked;
}
