import { z } from 'zod';

export interface SyncRowResult {
  entity: 'plan';
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
}

export const syncMethods = {
  'sync.run': z.object({}).strict(),
  'sync.status': z.object({}).strict(),
};

export interface SyncOutputs {
  'sync.run': SyncSummary;
  'sync.status': SyncStatus;
}
