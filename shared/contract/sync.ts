import { z } from 'zod';
import { EntityId } from '../domain/common';
import type { ErrorCode, FieldIssue } from './errors';
import type { StatsRow } from '../sync/wire';

export interface SyncRowResult {
  /** The merchant (account) the row belongs to. */
  merchantId: string;
  /** plan, unit, creative, searchWord, negativeWord, audiencePack or gdBooking. */
  entity: string;
  entityId: string;
  status: 'applied' | 'rejected' | 'conflict';
  message?: string;
  fields: string[];
  /** Rejected by the server's run of the shared checks: the codes of the checks that failed. */
  codes?: string[];
}

/**
 * How one merchant's sync ended. A merchant failing never stops the others:
 * - `done`: posted and downloaded;
 * - `failed`: stopped by `failure` (what was committed before it stays; the rest runs next time);
 * - `blocked_by_errors`: nothing posted, because its outbox has check errors (`errors`, the first
 *   of them in `issues`); the server's changes were still downloaded. Warnings never block.
 */
export type SyncOutcome = 'done' | 'failed' | 'blocked_by_errors';

/** Why a merchant's sync failed: a contract error code (offline, unauthorized, not_found, update_required, server_rejected, internal) and its message. */
export interface SyncFailureReason {
  code: ErrorCode;
  message: string;
}

/** One merchant's share of a sync. */
export interface SyncMerchantSummary {
  merchantId: string;
  outcome: SyncOutcome;
  failure?: SyncFailureReason;
  /** blocked_by_errors: how many check errors block posting. */
  errors?: number;
  /** blocked_by_errors: the first of them (path "kind.id.field"). */
  issues?: FieldIssue[];
  pushed: number;
  applied: number;
  rejected: number;
  conflicts: number;
  pulled: number;
  /** Rows rejected by an earlier sync and not edited since: not resent (sync.rejections lists them). */
  held: number;
}

/** Totals over every merchant synced, plus each merchant's own (`merchants`). */
export interface SyncSummary {
  pushed: number;
  applied: number;
  rejected: number;
  conflicts: number;
  pulled: number;
  results: SyncRowResult[];
  merchants: SyncMerchantSummary[];
  finishedAt: string;
}

/**
 * A row the server rejected. It stays rejected (and is not resent) until the user edits it
 * again; a later successful post clears it.
 */
export interface SyncRejection {
  merchantId: string;
  entity: string;
  entityId: string;
  /** The fields the server named ('' = the whole row, e.g. a rejected create). */
  fields: string[];
  message: string;
  rejectedAt: string;
}

/** `sync.refresh`: the merchant was downloaded again from scratch. */
export interface SyncRefreshResult {
  merchantId: string;
  /** Unposted changes given up (0 unless confirmed). */
  discarded: number;
  /** The snapshot written before anything was discarded (null when there was nothing to discard). */
  backup: { file: string; bytes: number } | null;
  summary: SyncSummary;
}

export interface SyncStatus {
  serverUrl: string | null;
  /** Number of rows with unposted local changes. */
  pending: number;
  lastSyncAt: string | null;
  /** Open per-field conflicts (sync.conflicts lists them). */
  conflicts?: number;
  /** A sync is running (sync.cancel stops it). */
  running?: boolean;
  /** Rows the server rejected that wait for an edit (sync.rejections). */
  rejected?: number;
}

/** A field changed both here and on the server: the user keeps one (sync.resolve). */
export interface SyncConflict {
  merchantId: string;
  entity: string;
  entityId: string;
  field: string;
  localValue: unknown;
  serverValue: unknown;
  serverVersion: number;
  createdAt: string;
}

/** Hourly delivery of one creative, as the backend's /stats reports it (money in fen). */
export type SyncStatsRow = StatsRow;

const MerchantIds = z.array(EntityId).min(1).max(100);

export const syncMethods = {
  /**
   * Push, then pull, for each merchant named (default: every merchant downloaded into this
   * store), one after another. Naming a merchant the token may sync but that is not here yet
   * downloads it. Each merchant ends with its own outcome (`merchants[].outcome`): one that fails
   * (unreachable, access revoked, server error) or whose outbox has check errors (nothing of it
   * is posted; it still pulls) does not stop the others. The call fails only when every merchant
   * failed (with the first failure's code; details.failed lists "merchant: code") or when cancelled.
   */
  'sync.run': z.object({ merchantIds: MerchantIds.optional() }).strict(),
  /** Totals over the store, or one merchant's. */
  'sync.status': z.object({ merchantId: EntityId.optional() }).strict(),
  /**
   * "Get full account": forget what this store has of the merchant and download it again.
   * Unposted work is never discarded silently: without `confirm: true` this fails with
   * `unposted_changes` (details.unposted = how many rows); with it, a backup snapshot is
   * written first and its path returned.
   */
  'sync.refresh': z.object({ merchantId: EntityId, confirm: z.boolean().optional() }).strict(),
  /** Rows the server rejected, waiting for an edit (optionally one merchant's). */
  'sync.rejections': z.object({ merchantId: EntityId.optional() }).strict(),
  /** Stops a running sync; what was committed stays consistent, the rest runs next time. */
  'sync.cancel': z.object({}).strict(),
  'sync.conflicts': z.object({ merchantId: EntityId.optional() }).strict(),
  /** Keep mine / take theirs: for every conflict, or narrowed to an entity and/or field. */
  'sync.resolve': z
    .object({
      choice: z.enum(['mine', 'theirs']),
      entity: z.string().min(1).max(32).optional(),
      entityId: z.string().min(1).max(64).optional(),
      field: z.string().min(1).max(64).optional(),
    })
    .strict(),
  /** Delivery stats kept from the last sync (offline). */
  'sync.stats': z.object({ planId: z.string().min(1).max(64).optional(), merchantId: EntityId.optional() }).strict(),
};

export interface SyncOutputs {
  'sync.run': SyncSummary;
  'sync.status': SyncStatus;
  'sync.refresh': SyncRefreshResult;
  'sync.rejections': SyncRejection[];
  'sync.cancel': { cancelled: boolean };
  'sync.conflicts': SyncConflict[];
  'sync.resolve': { resolved: number; remaining: number };
  'sync.stats': { range: { from: string; to: string } | null; rows: SyncStatsRow[] };
}
