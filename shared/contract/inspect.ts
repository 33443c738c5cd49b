import { z } from 'zod';
import { EntityId } from '../domain/entities';
import { ENTITY_KINDS, type EntityKind } from '../domain/kinds';
import type { SyncConflict, SyncStatsRow } from './sync';

/**
 * Support staff's inspect workspace: find any entity of any merchant in this store by id or
 * name, then read everything known about it in one answer (local row, server state at the last
 * sync, pending changes, journal history, review status, delivery stats).
 */
export const inspectMethods = {
  'inspect.search': z
    .object({
      /** An id (exact or prefix) or part of a name / title / word; case-insensitive for Latin letters. */
      query: z.string().trim().min(1, 'type an id or part of a name').max(200),
      kinds: z.array(z.enum(ENTITY_KINDS)).min(1).optional(),
      /** Only this merchant's rows (the open account); every merchant in the store when left out. */
      merchantId: EntityId.optional(),
      limit: z.number().int().min(1).max(200).default(50),
    })
    .strict(),
  'inspect.entity': z
    .object({
      kind: z.enum(ENTITY_KINDS),
      id: EntityId,
      /** Newest journal rows of the entity to return. */
      historyLimit: z.number().int().min(1).max(1000).default(200),
    })
    .strict(),
};

export interface InspectHit {
  kind: EntityKind;
  id: string;
  /** The row's name field (plan/unit name, creative title, word). */
  name: string;
  merchantId: string | null;
  /** The merchant's names (Chinese, English) when it is in this store. */
  merchantName: { name: string; nameEn: string } | null;
  planId: string | null;
  /** Plan › unit names above the row, for telling same-named rows apart. */
  path: string[];
  deleted: boolean;
  unposted: boolean;
}

export interface InspectSearchResult {
  hits: InspectHit[];
  /** More rows matched than `limit`. */
  truncated: boolean;
}

export interface InspectMerchant {
  id: string;
  name: string;
  nameEn: string;
  timeZone: string;
}

export interface InspectPendingField {
  field: string;
  /** The value the server had when this field was last synced (what the edit started from). */
  serverValue: unknown;
  localValue: unknown;
}

export interface InspectHistoryRow {
  journalId: number;
  batch: number;
  batchKind: 'edit' | 'undo' | 'redo';
  label: string;
  at: string;
  field: string;
  oldValue: unknown;
  newValue: unknown;
  /** Acknowledged by the server (null: still in the outbox). */
  postedAt: string | null;
}

export interface InspectReview {
  creativeId: string;
  title: string;
  status: string;
  reason: string | null;
  /** A review-relevant field has unposted edits: it goes back to review when posted. */
  backToReview: boolean;
}

export interface InspectEntity {
  kind: EntityKind;
  id: string;
  name: string;
  merchant: InspectMerchant | null;
  /** The plan the row belongs to (itself for a plan); null for merchant-level rows. */
  planId: string | null;
  /** Units the row covers (itself for a unit; its unit for a creative or word; every unit of a plan). */
  unitIds: string[];
  path: { kind: EntityKind; id: string; name: string }[];
  /** The row as stored here, with any unposted edits; deleted rows are still shown. */
  local: Record<string, unknown> | null;
  deleted: boolean;
  server: {
    /** Never synced: created here and not posted yet (or a kind that stays local). */
    neverSynced: boolean;
    /** A kind the backend does not sync (negative words, audience packs, GD bookings). */
    localOnly: boolean;
    /** The server version the row was last seen at (null: unknown, never synced). */
    version: number | null;
    /** The row as the server had it at the last sync: the local row with pending fields set back. */
    row: Record<string, unknown> | null;
  };
  pending: InspectPendingField[];
  conflicts: SyncConflict[];
  history: InspectHistoryRow[];
  /** More journal rows exist than were returned. */
  historyTruncated: boolean;
  /** The row's own review (creative) or its creatives' (unit, plan). */
  reviews: InspectReview[];
  /** Hourly delivery summed over the row's creatives, from the last sync (UTC hours). */
  stats: { range: { from: string; to: string } | null; hours: SyncStatsRow[] };
  lastSyncAt: string | null;
}

export interface InspectOutputs {
  'inspect.search': InspectSearchResult;
  'inspect.entity': InspectEntity;
}
