import type { Settings } from '../store/settings';

/** Settings key of the stored market snapshot (JSON); core.ts re-exports it. */
export const MARKET_SNAPSHOT_KEY = 'engine.marketSnapshot';
/** The server's ETag of that snapshot (a conditional GET skips an unchanged one). */
export const MARKET_ETAG_KEY = 'engine.marketSnapshotEtag';

/** This store's client id: the server dedups a retried push by it and the mutation ids. */
export const CLIENT_ID_KEY = 'sync.clientId';
/** The id of the next mutation this store pushes (any merchant: ids increase per client). */
export const NEXT_MUTATION_ID_KEY = 'sync.nextMutationId';
/** When any merchant of this store last synced (each also has its own, see merchantKey). */
export const LAST_SYNC_AT_KEY = 'sync.lastSyncAt';

/** Per-merchant sync settings: `sync.<name>@<merchantId>`. */
export const merchantKey = (merchantId: string, name: MerchantSetting) => `sync.${name}@${merchantId}`;
export type MerchantSetting = 'feedCursor' | 'orphans' | 'inflight' | 'lastSyncAt' | 'statsRange';
const MERCHANT_SETTINGS: readonly MerchantSetting[] = ['feedCursor', 'orphans', 'inflight', 'lastSyncAt', 'statsRange'];

/**
 * A store written before several merchants could share it kept one merchant's sync settings
 * under `sync.<name>`: they are that (only) merchant's. Moved once, idempotent.
 */
export function adoptLegacySyncKeys(settings: Settings, merchantId: string | undefined): void {
  for (const name of MERCHANT_SETTINGS) {
    const legacy = settings.get(`sync.${name}`);
    if (legacy === undefined) continue;
    if (merchantId && settings.get(merchantKey(merchantId, name)) === undefined) settings.set(merchantKey(merchantId, name), legacy);
    settings.remove(`sync.${name}`);
  }
}

/** Every per-merchant sync setting of one merchant (a "get full account" starts over). */
export function forgetMerchantSync(settings: Settings, merchantId: string): void {
  for (const name of MERCHANT_SETTINGS) settings.remove(merchantKey(merchantId, name));
}
