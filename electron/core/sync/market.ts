import { parseMarketSnapshot } from '../../../shared/engine/index';
import type { Db } from '../store/db';
import type { Settings } from '../store/settings';
import type { ProgressListener } from './progress';
import { MARKET_ETAG_KEY, MARKET_SNAPSHOT_KEY } from './settingsKeys';
import { NOT_MODIFIED, request, type Conditional, type HttpDeps, type SyncConfig } from './transport';

export interface MarketDeps extends HttpDeps {
  db: Db;
  settings: Settings;
  onProgress?: ProgressListener;
}

/** The market snapshot (validated), kept so forecasts run offline on it. */
export async function fetchMarket(config: SyncConfig, deps: MarketDeps): Promise<void> {
  const { db, settings } = deps;
  deps.onProgress?.('market', 0, 1);
  // Conditional: an unchanged snapshot is neither sent again nor re-validated and re-stored.
  const stored = settings.get(MARKET_SNAPSHOT_KEY) !== undefined ? settings.get(MARKET_ETAG_KEY) : undefined;
  const conditional: Conditional = stored ? { ifNoneMatch: stored } : {};
  const answer = await request(config, deps, 'GET', '/v1/market', undefined, conditional);
  if (answer !== NOT_MODIFIED) {
    const market = parseMarketSnapshot(answer);
    db.transaction(() => {
      settings.set(MARKET_SNAPSHOT_KEY, JSON.stringify(market));
      if (conditional.etag) settings.set(MARKET_ETAG_KEY, conditional.etag);
      else settings.remove(MARKET_ETAG_KEY);
    })();
  }
  deps.onProgress?.('market', 1, 1);
}
