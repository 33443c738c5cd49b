import type { SyncRowResult } from '../../../shared/contract/sync';
import { verifyDuplicates } from './duplicates';
import { fetchMarket, type MarketDeps } from './market';
import { newTally, type SyncCounts, type SyncTally } from './progress';
import { pullFeed, type PullDeps } from './pull';
import { clientIdOf, pushOutbox, type PushDeps } from './push';
import { LAST_SYNC_AT_KEY, merchantKey } from './settingsKeys';
import { fetchStats, type StatsDeps } from './stats';
import { throwIfCancelled, type SyncConfig } from './transport';

export interface SyncDeps extends PushDeps, PullDeps, MarketDeps, StatsDeps {
  /** Posting is blocked (check errors): pull only. */
  skipPush?: boolean;
  /** Skip the market snapshot (a multi-merchant sync fetches it once). */
  skipMarket?: boolean;
  /** Skip fetching the market snapshot and stats. */
  skipExtras?: boolean;
}

/**
 * One merchant's sync:
 * 1. push the outbox as entity mutations (creates with data, deletes as tombstones, updates per
 *    field with base versions), with a client id and increasing mutation ids. The request is
 *    stored before it is sent, so a push whose answer is lost is resent with the same ids;
 * 2. pull the paged feed from the stored cursor; a page, its cursor and its bookkeeping commit in
 *    one transaction. Rows with pending local changes only take the server's other fields;
 * 3. a mutation answered `duplicate` (applied by a push whose answer was lost) is checked against
 *    the pulled row: a field that did not land is a stored conflict, never silently dropped;
 * 4. fetch the market snapshot and the delivery stats for offline forecasts and reports.
 * Cancelling stops between requests (and aborts the one in flight); nothing is half-applied.
 */
export async function runSync(config: SyncConfig, deps: SyncDeps, summary: SyncTally = newTally(config.merchantId)): Promise<{ summary: SyncCounts; results: SyncRowResult[] }> {
  const { settings } = deps;
  const clientId = clientIdOf(settings);
  const duplicates = deps.skipPush ? [] : await pushOutbox(config, deps, clientId, summary);
  await pullFeed(config, deps, summary);
  if (duplicates.length > 0) verifyDuplicates(deps, duplicates, summary);
  if (!deps.skipExtras) await fetchExtras(config, deps);

  const now = new Date().toISOString();
  settings.set(merchantKey(config.merchantId, 'lastSyncAt'), now);
  settings.set(LAST_SYNC_AT_KEY, now);
  const { results, ...totals } = summary;
  return { summary: totals, results };
}

/** The market snapshot and the last 48 hours of stats, kept for offline use. */
async function fetchExtras(config: SyncConfig, deps: SyncDeps): Promise<void> {
  throwIfCancelled(deps.signal);
  if (!deps.skipMarket) {
    await fetchMarket(config, deps);
    throwIfCancelled(deps.signal);
  }
  await fetchStats(config, deps);
}
