import { z } from 'zod';

export interface SyncRowResult {
  /** plan, unit, creative or searchWord. */
  entity: string;
  entityId: string;
  status: 'applied' | 'rejected' | 'conflict';
  message?: string;
  fields: string[];
}

export interface SyncSummary {
  pushed: number;
  applied: number;
  rejected: number;
  conflicts: number;
  pulled: number;
  results: SyncRowResult[];
  finishedAt: string;
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
}

/** A field changed both here and on the server: the user keeps one (sync.resolve). */
export interface SyncConflict {
  entity: string;
  entityId: string;
  field: string;
  localValue: unknown;
  serverValue: unknown;
  serverVersion: number;
  createdAt: string;
}

/** Hourly delivery of one creative, as the backend's /stats reports it (money in fen). */
export interface SyncStatsRow {
  hour: string;
  planId: string;
  unitId: string;
  creativeId: string;
  impressions: number;
  clicks: number;
  conversions: number;
  costFen: number;
  cpmFen: number | null;
  ctr: number | null;
  cpcFen: number | null;
  cvr: number | null;
  cpaFen: number | null;
  tradeAmountFen: number;
  tradeCount: number;
}

export const syncMethods = {
  'sync.run': z.object({}).strict(),
  'sync.status': z.object({}).strict(),
  /** Stops a running sync; what was committed stays consistent, the rest runs next time. */
  'sync.cancel': z.object({}).strict(),
  'sync.conflicts': z.object({}).strict(),
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
  'sync.stats': z.object({ planId: z.string().min(1).max(64).optional() }).strict(),
};

export interface SyncOutputs {
  'sync.run': SyncSummary;
  'sync.status': SyncStatus;
  'sync.cancel': { cancelled: boolean };
  'sync.conflicts': SyncConflict[];
  'sync.resolve': { resolved: number; remaining: number };
  'sync.stats': { range: { from: string; to: string } | null; rows: SyncStatsRow[] };
}
