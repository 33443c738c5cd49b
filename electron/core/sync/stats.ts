import { StatsResponse } from '../../../shared/sync/wire';
import type { Db } from '../store/db';
import type { Settings } from '../store/settings';
import type { ProgressListener } from './progress';
import { merchantKey } from './settingsKeys';
import { request, type HttpDeps, type SyncConfig } from './transport';

export interface StatsDeps extends HttpDeps {
  db: Db;
  settings: Settings;
  onProgress?: ProgressListener;
}

/** The merchant's delivery stats of the last 48 hours (table `sync_stats`), kept for offline reports. */
export async function fetchStats(config: SyncConfig, deps: StatsDeps): Promise<void> {
  const { db, settings } = deps;
  deps.onProgress?.('stats', 0, 1);
  const stats = StatsResponse.parse(await request(config, deps, 'GET', `/v1/accounts/${config.merchantId}/stats`));
  const put = db.prepare(
    'INSERT INTO sync_stats (hour, creative_id, plan_id, unit_id, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (hour, creative_id) DO UPDATE SET data = excluded.data',
  );
  db.transaction(() => {
    for (const r of stats.rows) put.run(r.hour, r.creativeId, r.planId, r.unitId, JSON.stringify(r));
    settings.set(merchantKey(config.merchantId, 'statsRange'), JSON.stringify({ from: stats.from, to: stats.to }));
  })();
  deps.onProgress?.('stats', 1, 1);
}
