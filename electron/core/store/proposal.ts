import { z } from 'zod';
import { ContractError } from '../../../shared/contract/errors';
import type { ProposalPreviewOut } from '../../../shared/contract/edit';
import { ENTITY_KINDS, KINDS, type EntityKind } from '../../../shared/domain/kinds';
import { DELETED_FIELD, isJournalField, ROW_FIELD, type EntityRepo, type Row } from './entityRepo';
import type { Journal, JournalChange } from './journal';

/**
 * "Share proposed changes": one merchant's outbox with a comment, as a JSON file another user
 * imports and reviews. Each change carries the value it was made against, so the reviewer sees
 * what went stale since. `merchantId` is the account the changes are for; a hand-made or foreign
 * file may leave it out (the reviewer then says which account it is for).
 */
export const ProposalFile = z.object({
  format: z.literal('lantern-proposal'),
  version: z.literal(1),
  merchantId: z.string().max(64).optional(),
  author: z.string().max(200),
  comment: z.string().max(10_000),
  createdAt: z.string(),
  changes: z
    .array(z.object({ entity: z.enum(ENTITY_KINDS), entityId: z.string().max(64), field: z.string().max(60), oldValue: z.unknown(), newValue: z.unknown() }))
    .max(1_000_000),
});
export type ProposalFile = z.infer<typeof ProposalFile>;

/** The file of one merchant's proposed changes: the outbox rows `mine` says are that merchant's. */
export function exportProposal(journal: Journal, mine: (kind: string, id: string) => boolean, merchantId: string, author: string, comment: string): { content: string; changes: number } {
  const changes = journal
    .outbox()
    .filter((r) => mine(r.entity, r.entityId))
    .map((r) => ({ entity: r.entity as EntityKind, entityId: r.entityId, field: r.field, oldValue: r.oldValue, newValue: r.newValue }));
  const file: ProposalFile = { format: 'lantern-proposal', version: 1, merchantId, author, comment, createdAt: new Date().toISOString(), changes };
  return { content: JSON.stringify(file, null, 1), changes: changes.length };
}

/** Reads a proposal file (JSON, then its shape), answering per-field issues under `content`. */
export function parseProposal(content: string): ProposalFile {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new ContractError('invalid_input', 'not a proposal file (not JSON)', [{ path: 'content', message: 'not JSON' }]);
  }
  const parsed = ProposalFile.safeParse(json);
  if (!parsed.success) throw new ContractError('invalid_input', 'not a Lantern proposal file', parsed.error.issues.slice(0, 20).map((i) => ({ path: `content.${i.path.join('.')}`, message: i.message })));
  assertProposalFields(parsed.data.changes);
  return parsed.data;
}

/**
 * Refuses a file whose changes name a field the registry does not list for the change's kind
 * (the journal's whole-row and tombstone markers aside). A field name becomes a JSON path when
 * the change is applied: `"planId"` (quoted) was the path to a unit's parent, moving it in its
 * JSON while its plan_id column stayed, and past foreignChanges, which looks for `planId`.
 */
export function assertProposalFields(changes: readonly { entity: string; field: string }[], path = 'content.changes'): void {
  const bad: { index: number; entity: string; field: string }[] = [];
  for (const [index, c] of changes.entries()) {
    const known = Object.hasOwn(KINDS, c.entity);
    if (!known || !isJournalField(c.entity as EntityKind, c.field)) bad.push({ index, entity: c.entity, field: c.field });
  }
  if (bad.length === 0) return;
  const first = bad[0]!;
  throw new ContractError(
    'invalid_input',
    `${path === 'content.changes' ? 'this proposal' : 'these changes'} name${path === 'content.changes' ? 's' : ''} ${bad.length} field${bad.length === 1 ? '' : 's'} Lantern does not have (first: change ${first.index} sets ${first.entity} field ${JSON.stringify(first.field)}); nothing was read or applied`,
    bad.slice(0, 20).map((b) => ({ path: `${path}.${b.index}.field`, message: `${b.entity} has no field ${JSON.stringify(b.field)}` })),
    { reason: 'unknown_fields', count: bad.length },
  );
}

/** The account a proposal is previewed for, and who owns a row of this store. */
export interface ProposalScope {
  merchantId: string;
  /** The merchant owning the row (tombstoned rows too); undefined when no such row is here. */
  ownerOf(kind: EntityKind, id: string): string | undefined;
}

/** A change of the file that would touch a row of another account (or of none in this store). */
interface ForeignChange {
  index: number;
  entity: EntityKind;
  entityId: string;
  /** The other merchant; null when the row (or the parent it names) is in no account here. */
  owner: string | null;
}

/**
 * The changes of a proposal that reach beyond its merchant: an edit of another merchant's row,
 * a new row under another merchant's parent, or a move (parent field) into another merchant's
 * plan or unit. New rows count by their parent chain, through rows the file itself creates.
 */
export function foreignChanges(scope: ProposalScope, changes: readonly { entity: string; entityId: string; field: string; newValue: unknown }[]): ForeignChange[] {
  const created = new Map<string, Row>();
  const known = (kind: string): kind is EntityKind => Object.hasOwn(KINDS, kind);
  for (const c of changes) {
    if (!known(c.entity)) continue;
    if (c.field === ROW_FIELD && c.newValue !== null && typeof c.newValue === 'object' && scope.ownerOf(c.entity, c.entityId) === undefined) created.set(`${c.entity}:${c.entityId}`, c.newValue as Row);
  }
  const ownerOfRef = (kind: EntityKind, id: unknown, depth: number): string | undefined => {
    if (typeof id !== 'string') return undefined;
    const here = scope.ownerOf(kind, id);
    if (here !== undefined) return here;
    const row = created.get(`${kind}:${id}`);
    return row && depth < 4 ? ownerOfNew(kind, row, depth + 1) : undefined;
  };
  const ownerOfNew = (kind: EntityKind, row: Row, depth: number): string | undefined => {
    const parent = KINDS[kind].parent;
    const pid = row[parent.field];
    if (parent.kind === 'merchant') return typeof pid === 'string' ? pid : undefined;
    return ownerOfRef(parent.kind, pid, depth);
  };
  const out: ForeignChange[] = [];
  for (const [index, c] of changes.entries()) {
    if (!known(c.entity)) {
      out.push({ index, entity: c.entity as EntityKind, entityId: c.entityId, owner: null });
      continue;
    }
    const owners: (string | undefined)[] = [];
    const here = scope.ownerOf(c.entity, c.entityId);
    if (here !== undefined) owners.push(here);
    // A new row: the account of its parent chain (a row not here and not created is only stale).
    if (c.field === ROW_FIELD && c.newValue !== null && typeof c.newValue === 'object') owners.push(ownerOfNew(c.entity, c.newValue as Row, 0));
    // A move: the new parent must be this account's too.
    const parent = KINDS[c.entity].parent;
    if (c.field === parent.field && c.newValue !== null) owners.push(parent.kind === 'merchant' ? (typeof c.newValue === 'string' ? c.newValue : undefined) : ownerOfRef(parent.kind, c.newValue, 0));
    const outside = owners.filter((o) => o !== scope.merchantId);
    if (outside.length > 0) out.push({ index, entity: c.entity, entityId: c.entityId, owner: outside.find((o) => o !== undefined) ?? null });
  }
  return out;
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

/**
 * The reviewer's view of a proposal for `scope.merchantId`: every change with the value here now
 * and whether it went stale, plus the fresh changes to apply. A file touching any row of another
 * account is refused whole: reviewing one merchant's proposal never shows or edits another's rows.
 */
export function previewProposal(repo: EntityRepo, scope: ProposalScope, p: ProposalFile): { preview: Omit<ProposalPreviewOut, 'token' | 'merchant'>; changes: ProposedChange[] } {
  // Before the ownership guard: it recognises a move by the parent field's exact name.
  assertProposalFields(p.changes);
  const foreign = foreignChanges(scope, p.changes);
  if (foreign.length > 0) {
    const first = foreign[0]!;
    throw new ContractError(
      'invalid_input',
      `this proposal for account ${scope.merchantId} changes ${foreign.length} row${foreign.length === 1 ? '' : 's'} outside it (first: ${first.entity} ${first.entityId}, ${first.owner ? `of account ${first.owner}` : 'in no account here'}); nothing was read or applied. Export it again from the account it is for.`,
      foreign.slice(0, 20).map((f) => ({ path: `content.changes.${f.index}`, message: `${f.entity} ${f.entityId}: ${f.owner ? `account ${f.owner}` : 'in no account here'}` })),
      { reason: 'foreign_rows', merchantId: scope.merchantId, count: foreign.length, owners: [...new Set(foreign.map((f) => f.owner ?? ''))].filter(Boolean) },
    );
  }
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
