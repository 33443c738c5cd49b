import type { SyncMerchantSummary, SyncRowResult } from '../../../shared/contract/sync';

export type SyncPhase = 'push' | 'pull' | 'market' | 'stats';
export type ProgressListener = (phase: SyncPhase, done: number, total: number) => void;

/** One merchant's counts, without how it ended (the caller decides that). */
export type SyncCounts = Omit<SyncMerchantSummary, 'outcome' | 'failure' | 'errors' | 'issues'>;
/**
 * What one merchant's sync has done so far, filled in as it goes: the caller passes it in and
 * keeps it, so a sync that fails part-way still reports what it posted (and each row's result).
 */
export type SyncTally = SyncCounts & { results: SyncRowResult[] };
export const newTally = (merchantId: string): SyncTally => ({ merchantId, pushed: 0, applied: 0, rejected: 0, conflicts: 0, pulled: 0, held: 0, results: [] });
