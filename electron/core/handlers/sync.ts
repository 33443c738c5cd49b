import { ContractError } from '../../../shared/contract/errors';
import type { SyncRejection, SyncStatsRow } from '../../../shared/contract';
import type { syncMethods } from '../../../shared/contract/sync';
import type { CoreContext } from '../context';
import { idsUnderSql } from '../store/ownership';
import { createSnapshot } from '../store/snapshot';
import { whoAmI } from '../sync/me';
import { merchantKey } from '../sync/settingsKeys';
import { perMerchantCounts } from '../sync/merchantCounts';
import type { SyncRunner } from '../sync/orchestrate';
import { discardMerchant, unpostedOf } from '../sync/refresh';
import { resolveConflicts } from '../sync/resolve';
import type { AreaHandlers } from './types';

export function syncHandlers(ctx: CoreContext, runner: SyncRunner): AreaHandlers<typeof syncMethods> {
  const { db, repo, journal, settings, syncStore: sync, merchants, owners, scope, emit, options } = ctx;
  const statsStmt = {
    ofPlan: db.prepare('SELECT data FROM sync_stats WHERE plan_id = ? ORDER BY hour, creative_id').pluck(),
    ofMerchant: db.prepare(`SELECT data FROM sync_stats WHERE plan_id IN (${idsUnderSql('plan', '?')}) ORDER BY hour, creative_id`).pluck(),
    all: db.prepare('SELECT data FROM sync_stats ORDER BY hour, creative_id').pluck(),
  };
  return {
    'sync.status': ({ merchantId }) => {
      if (merchantId && !merchants.local().some((m) => m.id === merchantId)) throw new ContractError('not_found', `no merchant "${merchantId}" in this data folder`);
      const counts = merchantId ? perMerchantCounts({ journal, owners, state: sync }) : undefined;
      return {
        serverUrl: settings.get('sync.serverUrl') ?? null,
        pending: counts && merchantId ? counts.pending(merchantId) : journal.pendingCount(),
        lastSyncAt: settings.get(merchantId ? merchantKey(merchantId, 'lastSyncAt') : 'sync.lastSyncAt') ?? null,
        conflicts: counts && merchantId ? counts.conflicts(merchantId) : sync.conflictCount(),
        rejected: counts && merchantId ? counts.rejected(merchantId) : new Set(sync.rejections().map((r) => `${r.entity}:${r.entityId}`)).size,
        running: runner.running,
      };
    },
    'sync.run': ({ merchantIds }) => runner.run(merchantIds),
    'sync.refresh': async ({ merchantId, confirm }) => {
      if (runner.running) throw new ContractError('invalid_input', 'a sync is running: wait for it (or cancel it) before getting the full account', [{ path: 'merchantId', message: 'sync running' }]);
      const config = ctx.serverConfig();
      const work = unpostedOf({ journal, owners, state: sync }, merchantId);
      const unposted = work.rows + work.conflicts;
      if (unposted > 0 && !confirm) {
        throw new ContractError(
          'unposted_changes',
          `${merchantId} has ${work.rows} row${work.rows === 1 ? '' : 's'} with unposted changes${work.conflicts ? ` and ${work.conflicts} open conflict${work.conflicts === 1 ? '' : 's'}` : ''}: getting the full account would discard them. Post them first, or confirm (a backup is written first).`,
          [{ path: 'confirm', message: 'confirm to discard unposted changes' }],
          { unposted: work.rows, fields: work.fields, conflicts: work.conflicts, merchantId },
        );
      }
      // Ask the server first: never discard anything for an account that cannot be downloaded now.
      const me = await whoAmI(config, ctx.syncHttp());
      if (!me.merchants.includes(merchantId)) throw new ContractError('not_found', `the saved token may not sync ${merchantId}`, [{ path: 'merchantId', message: 'not reachable' }]);
      const backup = unposted > 0 ? createSnapshot(db, options.dataDir) : null;
      db.transaction(() => {
        const a = me.accounts?.find((x) => x.id === merchantId);
        if (a) merchants.upsert(a);
      })();
      const discarded = discardMerchant({ db, journal, settings, state: sync, owners }, merchantId);
      ctx.changed();
      const summary = await runner.run([merchantId]);
      return { merchantId, discarded, backup, summary };
    },
    'sync.rejections': ({ merchantId }) =>
      sync
        .rejections()
        .map((r) => ({ r, m: owners.accountOf(r.entity, r.entityId) ?? '' }))
        .filter(({ m }) => !merchantId || m === merchantId)
        .reduce<SyncRejection[]>((out, { r, m }) => {
          const prev = out.find((x) => x.entity === r.entity && x.entityId === r.entityId);
          if (prev) {
            prev.fields.push(r.field);
            prev.message = `${prev.message}; ${r.message}`;
          } else out.push({ merchantId: m, entity: r.entity, entityId: r.entityId, fields: [r.field], message: r.message, rejectedAt: r.rejectedAt });
          return out;
        }, []),
    'sync.cancel': () => ({ cancelled: runner.cancel() }),
    'sync.conflicts': ({ merchantId }) =>
      sync
        .conflicts()
        .map((c) => ({ ...c, merchantId: owners.accountOf(c.entity, c.entityId) ?? '' }))
        .filter((c) => !merchantId || c.merchantId === merchantId),
    'sync.resolve': (input) => {
      const n = resolveConflicts({ db, repo, journal, state: sync }, input);
      if (n > 0) emit({ type: 'journal.changed', entity: 'plan', entityId: '*' });
      return { resolved: n, remaining: sync.conflictCount() };
    },
    'sync.stats': ({ planId, merchantId }) => {
      if (merchantId) scope.merchantFor(merchantId);
      const rows = (planId ? statsStmt.ofPlan.all(planId) : merchantId ? statsStmt.ofMerchant.all(merchantId) : statsStmt.all.all()) as string[];
      const owner = planId ? owners.accountOf('plan', planId) : (merchantId ?? merchants.local()[0]?.id);
      // A plan of another account than the one named: none of its rows are this account's.
      if (planId && merchantId && owner !== merchantId) return { range: null, rows: [] };
      const range = owner ? settings.get(merchantKey(owner, 'statsRange')) : undefined;
      return { range: range ? (JSON.parse(range) as { from: string; to: string }) : null, rows: rows.map((r) => JSON.parse(r) as SyncStatsRow) };
    },
  };
}
