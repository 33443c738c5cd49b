import { z } from 'zod';
import type { CheckIssue } from '../domain/checks';
import { UserRule } from '../domain/checks/rules';
import { EntityIdList } from '../domain/common';
import { EntityId } from '../domain/entities';
import { ENTITY_KINDS, type EntityKind } from '../domain/kinds';

/**
 * Editing operations. Each mutating method is one SQLite transaction and one journal batch
 * (one undo step). Entity data is validated by the core with the entity's own schema and
 * answered with per-field issues ("data.name", "patch.bidFen").
 */
export const Kind = z.enum(ENTITY_KINDS);
const Ids = EntityIdList(1, 500_000, 'select at least one row', 'too many rows');
/**
 * A row's fields by name. A `__proto__` key is refused here: parsing the record would drop it
 * silently (assigning it sets the prototype), so the core could not name it as unknown.
 */
const Data = z
  .custom<Record<string, unknown>>()
  .superRefine((v, ctx) => {
    if (typeof v === 'object' && v !== null && Object.hasOwn(v, '__proto__')) ctx.addIssue({ code: 'custom', message: 'unknown field', path: ['__proto__'] });
  })
  .pipe(z.record(z.string().max(60), z.unknown()))
  .refine((o) => Object.keys(o).length <= 60, 'too many fields');

export const BulkOpInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('set'), field: z.string().max(60), value: z.unknown() }).strict(),
  z.object({ type: z.literal('add'), field: z.string().max(60), amount: z.number().finite('amount must be a number') }).strict(),
  z.object({ type: z.literal('percent'), field: z.string().max(60), percent: z.number().finite('percent must be a number').min(-100).max(1000) }).strict(),
]);

export const ReplaceInput = z
  .object({
    kinds: z.array(Kind).min(1).default(['plan', 'unit', 'creative']),
    ids: EntityIdList(0, 500_000).optional(),
    find: z.string().min(1, 'find must not be empty').max(1000),
    replace: z.string().max(1000),
    regex: z.boolean().default(false),
    caseSensitive: z.boolean().default(true),
  })
  .strict();

export const CsvEncoding = z.enum(['utf8', 'gbk']);

export const editMethods = {
  'entities.list': z
    .object({
      kind: Kind,
      parentId: EntityId.optional(),
      /** Only this merchant's rows (several accounts may share a store). */
      merchantId: EntityId.optional(),
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().min(1).max(5000).default(500),
    })
    .strict(),
  'entities.get': z.object({ kind: Kind, id: EntityId }).strict(),
  'entities.create': z.object({ kind: Kind, data: Data }).strict(),
  'entities.update': z.object({ kind: Kind, id: EntityId, patch: Data.refine((p) => Object.keys(p).length > 0, 'nothing to change') }).strict(),
  'entities.delete': z.object({ kind: Kind, ids: Ids }).strict(),
  'entities.duplicate': z.object({ kind: Kind, id: EntityId }).strict(),
  'entities.copy': z.object({ kind: z.enum(['unit', 'creative']), ids: Ids, toParentId: EntityId }).strict(),
  'entities.move': z.object({ kind: z.enum(['unit', 'creative']), ids: Ids, toParentId: EntityId }).strict(),
  'bulk.preview': z.object({ kind: Kind, ids: Ids, op: BulkOpInput }).strict(),
  'bulk.apply': z.object({ kind: Kind, ids: Ids, op: BulkOpInput }).strict(),
  'replace.preview': ReplaceInput,
  'replace.apply': ReplaceInput,
  'journal.undo': z.object({}).strict(),
  'journal.redo': z.object({}).strict(),
  'journal.status': z.object({ limit: z.number().int().min(0).max(200).default(20) }).strict(),
  /** Every account's net unposted changes, or one merchant's (`merchantId`: rows, total and entity count are its own). */
  'outbox.list': z.object({ limit: z.number().int().min(1).max(10_000).default(1000), merchantId: EntityId.optional() }).strict(),
  /** Every account's rows, or one merchant's (`merchantId`), or some plans'. */
  'checks.run': z.object({ planIds: z.array(EntityId).max(10_000).optional(), merchantId: EntityId.optional() }).strict(),
  /** User rules are stored per merchant account: the one named, else the store's first. */
  'rules.list': z.object({ merchantId: EntityId.optional() }).strict(),
  /** Replaces that merchant's rules (and no other account's). */
  'rules.save': z.object({ rules: z.array(UserRule).max(200), merchantId: EntityId.optional() }).strict(),
  'csv.export': z.object({ kind: Kind, ids: EntityIdList(0, 500_000).optional(), merchantId: EntityId.optional() }).strict(),
  'csv.preview': z
    .object({
      kind: Kind,
      /**
       * The account the file is imported into (the open one). Every row it would create or change
       * must be that merchant's; optional only while the store holds one merchant.
       */
      merchantId: EntityId.optional(),
      /** The file: text (utf8) or base64 bytes (any encoding). */
      text: z.string().max(200_000_000).optional(),
      base64: z.string().max(300_000_000).optional(),
      encoding: CsvEncoding.optional(),
    })
    .strict()
    .refine((x) => (x.text === undefined) !== (x.base64 === undefined), 'give text or base64'),
  'csv.apply': z.object({ token: z.string().min(1).max(100) }).strict(),
  'backup.create': z.object({ file: z.string().min(1).max(4096).optional() }).strict(),
  'backup.list': z.object({}).strict(),
  'backup.restore': z.object({ file: z.string().min(1).max(4096) }).strict(),
  /**
   * One merchant's unposted changes (`merchantId`, the open account; optional only while the
   * store holds one merchant), written with that merchant's id in the file.
   */
  'proposal.export': z.object({ comment: z.string().max(10_000).default(''), author: z.string().max(200).default(''), merchantId: EntityId.optional() }).strict(),
  /**
   * Reads a proposal file for the merchant it names (which must be in this store). `merchantId`,
   * the reviewer's open account, must be that merchant; it also says which account a file that
   * names none is for (such a file needs it unless the store holds one merchant). A file with a
   * change to another merchant's row is refused whole.
   */
  'proposal.preview': z.object({ content: z.string().min(1).max(200_000_000), merchantId: EntityId.optional() }).strict(),
  'proposal.apply': z
    .object({
      token: z.string().min(1).max(100),
      /** The reviewer's open account: must be the one the preview was for. */
      merchantId: EntityId.optional(),
      /** The changes to apply, by the ids the preview gave them; all the fresh ones when left out. */
      changeIds: z.array(z.string().min(1).max(20)).min(1, 'select at least one change').max(1_000_000).optional(),
    })
    .strict(),
};

export interface EntityState {
  added: boolean;
  deleted: boolean;
  editedFields: string[];
  unposted: boolean;
}

export interface EntityRowOut {
  row: Record<string, unknown>;
  state: EntityState;
}

export interface PreviewOut {
  changed: number;
  unchanged: number;
  rows: { entity: EntityKind; id: string; name: string; field: string; oldValue: unknown; newValue: unknown }[];
  issues: CheckIssue[];
  errorCount: number;
  warningCount: number;
}

export interface BatchOut {
  batch: number | null;
  changed: number;
}

export interface JournalStatus {
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
  history: { id: number; kind: 'edit' | 'undo' | 'redo'; target: number | null; label: string; createdAt: string; rows: number }[];
}

export interface CsvRowResult {
  line: number;
  action: 'create' | 'update' | 'unchanged' | 'error';
  id: string | null;
  errors: string[];
  warnings: string[];
  changes: { field: string; oldValue: unknown; newValue: unknown }[];
}

export interface CsvPreviewOut {
  token: string;
  rows: number;
  creates: number;
  updates: number;
  unchanged: number;
  errorRows: number;
  warningRows: number;
  /** Unknown headers (ignored) and how each known header was matched. */
  ignoredHeaders: string[];
  /** The first rows (at most 500), errors first. */
  sample: CsvRowResult[];
}

export interface ProposalPreviewOut {
  token: string;
  /** The account the proposal edits (its changes are all this merchant's rows). */
  merchant: { id: string; name: string; nameEn: string };
  comment: string;
  author: string;
  createdAt: string;
  /** `id` names the change for proposal.apply's changeIds; a stale change cannot be applied. */
  changes: { id: string; entity: string; entityId: string; field: string; oldValue: unknown; newValue: unknown; currentValue: unknown; stale: boolean }[];
}

export interface EditOutputs {
  'entities.list': { rows: EntityRowOut[]; total: number };
  'entities.get': EntityRowOut & { deleted: boolean };
  'entities.create': { id: string };
  'entities.update': { changed: number };
  'entities.delete': { changed: number };
  'entities.duplicate': { id: string };
  'entities.copy': { ids: string[] };
  'entities.move': { changed: number };
  'bulk.preview': PreviewOut;
  'bulk.apply': BatchOut;
  'replace.preview': PreviewOut;
  'replace.apply': BatchOut;
  'journal.undo': { batch: number; label: string } | null;
  'journal.redo': { batch: number; label: string } | null;
  'journal.status': JournalStatus;
  'outbox.list': { rows: { id: number; entity: string; entityId: string; field: string; oldValue: unknown; newValue: unknown }[]; total: number; entities: number };
  'checks.run': { issues: CheckIssue[]; errorCount: number; warningCount: number };
  'rules.list': UserRule[];
  'rules.save': UserRule[];
  'csv.export': { text: string; rows: number };
  'csv.preview': CsvPreviewOut;
  'csv.apply': BatchOut;
  'backup.create': { file: string; bytes: number };
  'backup.list': { file: string; bytes: number; createdAt: string }[];
  'backup.restore': { restoredFrom: string; safetyCopy: string };
  'proposal.export': { content: string; changes: number };
  'proposal.preview': ProposalPreviewOut;
  'proposal.apply': BatchOut;
}
