import { ContractError } from '../../../shared/contract/errors';
import type { MethodOutput, SyncSummary } from '../../../shared/contract';
import type { CoreContext } from '../context';
import { toContractError } from '../contractError';
import { whoAmI } from './me';
import { newTally } from './progress';
import { runSync } from './runSync';
import { checkOutbox } from './precheck';

/**
 * The sync runs of one core: several merchants one after another in one run, one run at a
 * time (a second call joins the one in progress), cancellable. Each merchant's own sync (push,
 * pull, re-apply) is `runSync`.
 */
export function syncRunner(ctx: CoreContext) {
  const { db, repo, journal, settings, syncStore: sync, merchants, owners, emit, options } = ctx;
  let syncing: Promise<MethodOutput<'sync.run'>> | undefined;
  let syncAbort: AbortController | undefined;

  /**
   * The outbox rows of one merchant that fail a check with an error: posting them is refused
   * (product rule: errors block posting, warnings don't).
   */
  const blockingErrors = (merchantId: string) => {
    const mine = owners.ownedBy(merchantId);
    const rows = journal.outbox().filter((r) => mine(r.entity, r.entityId));
    if (rows.length === 0) return [];
    return checkOutbox({ repo, rules: ctx.rules.all(), today: ctx.todayInZone() }, rows).filter((i) => i.severity === 'error');
  };

  /**
   * Syncs the merchants named (default: every local one), one after another, in one run. Each
   * merchant ends done, failed (with a typed reason) or blocked_by_errors; one merchant failing
   * never stops the others. Only a cancel, or every merchant failing, fails the call.
   */
  const syncMerchants = async (requested: string[] | undefined, signal: AbortSignal): Promise<SyncSummary> => {
    const config = ctx.serverConfig();
    const ids = requested ? [...new Set(requested)] : merchants.local().map((m) => m.id);
    if (ids.length === 0) throw new ContractError('not_found', 'no merchant account in this data folder; name one to download with merchantIds');
    const local = new Set(merchants.local().map((m) => m.id));
    const missing = ids.filter((id) => !local.has(id));
    /** Merchants that failed before their turn (cannot be added to this store). */
    const early = new Map<string, ContractError>();
    if (missing.length > 0) {
      // Not here yet: only what the token may sync can be added, with its details from /v1/me.
      try {
        const me = await whoAmI(config, { ...ctx.syncHttp(), signal });
        for (const id of missing) if (!me.merchants.includes(id)) early.set(id, new ContractError('not_found', `the saved token may not sync ${id}`));
        db.transaction(() => {
          for (const a of me.accounts ?? []) if (missing.includes(a.id) && !early.has(a.id)) merchants.upsert(a);
        })();
        for (const id of missing) if (!early.has(id) && !(me.accounts ?? []).some((a) => a.id === id)) early.set(id, new ContractError('not_found', `the server sent no details of ${id}`));
      } catch (err) {
        const e = toContractError(err);
        if (e.code === 'cancelled') throw e;
        for (const id of missing) early.set(id, e);
      }
    }
    const total: SyncSummary = { pushed: 0, applied: 0, rejected: 0, conflicts: 0, pulled: 0, results: [], merchants: [], finishedAt: '' };
    let marketFetched = false;
    const finish = (m: SyncSummary['merchants'][number], results: SyncSummary['results']) => {
      total.pushed += m.pushed;
      total.applied += m.applied;
      total.rejected += m.rejected;
      total.conflicts += m.conflicts;
      total.pulled += m.pulled;
      total.results.push(...results);
      total.merchants.push(m);
      emit({
        type: 'sync.merchant',
        merchantId: m.merchantId,
        outcome: m.outcome,
        ...(m.failure ? { failure: m.failure } : {}),
        ...(m.errors !== undefined ? { errors: m.errors } : {}),
      });
    };
    try {
      for (const merchantId of ids) {
        const tally = newTally(merchantId);
        const before = early.get(merchantId);
        if (before) {
          const { results, ...counts } = tally;
          finish({ ...counts, outcome: 'failed', failure: { code: before.code, message: before.message } }, results);
          continue;
        }
        const errors = blockingErrors(merchantId);
        try {
          await runSync(
            { ...config, merchantId },
            {
              db,
              repo,
              journal,
              settings,
              state: sync,
              owners,
              signal,
              skipPush: errors.length > 0,
              // The market snapshot is the server's, not a merchant's: once per run.
              skipMarket: marketFetched,
              onProgress: (phase, done, n) => emit({ type: 'sync.progress', phase, done, total: n, merchantId }),
              ...ctx.syncHttp(),
              ...(options.syncPageSize ? { pageSize: options.syncPageSize } : {}),
            },
            tally,
          );
          marketFetched = true;
          const { results, ...counts } = tally;
          if (errors.length === 0) finish({ ...counts, outcome: 'done' }, results);
          else {
            finish(
              {
                ...counts,
                outcome: 'blocked_by_errors',
                errors: errors.length,
                issues: errors.slice(0, 100).map((e) => ({ path: `${e.entity}.${e.entityId}${e.field ? `.${e.field}` : ''}`, message: e.message })),
              },
              results,
            );
          }
        } catch (err) {
          const e = toContractError(err);
          if (e.code === 'cancelled' || signal.aborted) throw e;
          // What was committed before the failure stays, and is reported with it.
          const { results, ...counts } = tally;
          finish({ ...counts, outcome: 'failed', failure: { code: e.code, message: e.message } }, results);
        }
      }
    } finally {
      emit({ type: 'journal.changed', entity: 'plan', entityId: '*' });
    }
    total.finishedAt = new Date().toISOString();
    const failed = total.merchants.filter((m) => m.outcome === 'failed');
    if (failed.length === total.merchants.length) {
      // Nothing synced at all: the run failed, as the first failure (offline is a state the UI shows).
      const first = failed[0]?.failure ?? { code: 'internal' as const, message: 'no merchant synced' };
      const message = failed.length === 1 ? first.message : `No account synced. ${failed.map((m) => `${m.merchantId}: ${m.failure?.message ?? ''}`).join(' ')}`;
      throw new ContractError(
        first.code,
        message,
        first.code === 'not_found' ? failed.map((m) => ({ path: 'merchantIds', message: `not reachable: ${m.merchantId}` })) : undefined,
        { merchants: failed.map((m) => m.merchantId), failed: failed.map((m) => `${m.merchantId}: ${m.failure?.code ?? 'internal'}`) },
      );
    }
    return total;
  };

  return {
    /** Syncs the merchants named (default: all here); a second call joins the run in progress. */
    run(merchantIds: string[] | undefined): Promise<SyncSummary> {
      if (syncing) return syncing;
      syncAbort = new AbortController();
      const signal = syncAbort.signal;
      syncing = syncMerchants(merchantIds, signal).finally(() => {
        syncing = undefined;
        syncAbort = undefined;
      });
      return syncing;
    },
    get running(): boolean {
      return syncing !== undefined;
    },
    /** Cancels the run in progress; says whether there was one. */
    cancel(): boolean {
      const running = syncAbort !== undefined;
      syncAbort?.abort();
      return running;
    },
  };
}

export type SyncRunner = ReturnType<typeof syncRunner>;
