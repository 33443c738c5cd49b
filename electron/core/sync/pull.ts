import { EntityFeed } from '../../../shared/sync/wire';
import { applyFeedPage, type ApplyDeps } from './apply';
import type { ProgressListener, SyncTally } from './progress';
import { merchantKey } from './settingsKeys';
import { request, throwIfCancelled, type HttpDeps, type SyncConfig } from './transport';

export interface PullDeps extends ApplyDeps, HttpDeps {
  onProgress?: ProgressListener;
  /** Feed page size. */
  pageSize?: number;
}

/**
 * Pulls one merchant's feed from its stored cursor, page by page; a page, its cursor and its
 * bookkeeping commit in one transaction, so a failure or a cancel loses nothing.
 */
export async function pullFeed(config: SyncConfig, deps: PullDeps, summary: SyncTally): Promise<void> {
  const { db, settings } = deps;
  const key = (name: 'feedCursor' | 'orphans') => merchantKey(config.merchantId, name);
  // The server's largest page: an initial download of 200k entities is 40 round trips, not 200.
  const limit = deps.pageSize ?? 5000;
  const fetchPage = async (cursor: number) =>
    EntityFeed.parse(await request(config, deps, 'GET', `/v1/accounts/${config.merchantId}/feed?cursor=${cursor}&limit=${limit}`));
  let pages = 0;
  throwIfCancelled(deps.signal);
  let next: Promise<EntityFeed> | undefined = fetchPage(Number(settings.get(key('feedCursor')) ?? '0'));
  while (next) {
    const feed = await next;
    next = undefined;
    throwIfCancelled(deps.signal);
    const hasMore = feed.hasMore && feed.changes.length > 0;
    if (hasMore) {
      // The next page is fetched while this one is written: the server and the store work at once.
      // Its cursor is only stored with it, so a failure or a cancel here loses nothing.
      next = fetchPage(feed.cursor);
      next.catch(() => undefined); // awaited (and thrown) on the next turn, if there is one
    }
    db.transaction(() => {
      summary.pulled += applyFeedPage(deps, feed.changes, key('orphans'));
      settings.set(key('feedCursor'), String(feed.cursor));
    })();
    pages++;
    deps.onProgress?.('pull', pages, pages + (hasMore ? 1 : 0));
    if (next) throwIfCancelled(deps.signal);
  }
}
