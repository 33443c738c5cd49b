import { ContractError } from '../../shared/contract/errors';
import type { LanternEvent } from '../../shared/contract';
import { accountScope } from './accountScope';
import type { CoreOptions } from './options';
import { idleCheckpointer } from './store/checkpoint';
import { openStore, type Db } from './store/db';
import { entityRepo } from './store/entityRepo';
import { gridQuery } from './store/gridQuery';
import { journal as makeJournal } from './store/journal';
import { operations } from './store/ops';
import { ownership } from './store/ownership';
import { planRepo } from './store/planRepo';
import { seedDemoIfEmpty } from './store/seed';
import { settings as makeSettings } from './store/settings';
import { userRules } from './store/userRules';
import { adoptLegacySyncKeys } from './sync/settingsKeys';
import { merchantResolver } from './sync/merchants';
import { syncState } from './sync/state';
import { dateInZone } from './time';

/**
 * What the handlers share: the open store and its repositories, the account scope, events, and
 * the sync server's configuration. Built once per core; each `handlers/<area>.ts` takes it.
 */
export function createContext(options: CoreOptions) {
  const db: Db & { releaseLock?: () => void } = openStore(options.dataDir);
  const checkpointer = idleCheckpointer(db);
  seedDemoIfEmpty(db);
  const plans = planRepo(db);
  const journal = makeJournal(db);
  const repo = entityRepo(db);
  const rules = userRules(db);
  const merchantZone = () => plans.merchant()?.timeZone ?? 'Asia/Shanghai';
  const todayInZone = () => dateInZone(new Date(), merchantZone());
  const ops = operations({ db, repo, journal, today: todayInZone, rules: rules.all });
  const grid = gridQuery({ db, repo, journal, today: todayInZone, rules: rules.all });
  const settings = makeSettings(db);
  const merchants = merchantResolver(db);
  const owners = ownership(db);
  const scope = accountScope(merchants, owners);
  const syncStore = syncState(db, plans);

  const box = options.secretBox;
  if (options.serverUrl) settings.set('sync.serverUrl', options.serverUrl);
  if (options.token) settings.set('sync.token', box ? `sealed:${box.seal(options.token)}` : options.token);
  const readToken = (): string | undefined => {
    const stored = settings.get('sync.token');
    if (!stored?.startsWith('sealed:')) return stored;
    if (!box) throw new ContractError('unauthorized', 'the saved server token is encrypted for the desktop app; give browser mode its own --token');
    return box.open(stored.slice('sealed:'.length));
  };
  // A store from before several merchants shared it: its sync settings are its one merchant's.
  adoptLegacySyncKeys(settings, merchants.local()[0]?.id);

  const listeners = new Set<(e: LanternEvent) => void>();
  const emit = (e: LanternEvent) => {
    for (const l of listeners) l(e);
  };
  const closers: (() => void | Promise<void>)[] = [];

  return {
    options,
    db,
    checkpointer,
    plans,
    journal,
    repo,
    rules,
    ops,
    grid,
    settings,
    merchants,
    owners,
    scope,
    syncStore,
    merchantZone,
    todayInZone,
    listeners,
    emit,
    /** The rows changed: every view re-reads what it shows. */
    changed: () => emit({ type: 'journal.changed', entity: '*', entityId: '*' }),
    /** The server and token to sync with; `offline` when none is configured. */
    serverConfig(): { serverUrl: string; token: string } {
      const serverUrl = settings.get('sync.serverUrl');
      const token = readToken();
      if (!serverUrl || !token) throw new ContractError('offline', 'no server is configured: start Lantern with a server and token to sync');
      return { serverUrl, token };
    },
    /** HTTP options of sync (tests inject faults and shorter retries here). */
    syncHttp() {
      return {
        ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
        ...(options.syncRetry ? { retry: options.syncRetry } : {}),
        ...(options.syncTimeoutMs ? { timeoutMs: options.syncTimeoutMs } : {}),
      };
    },
    /** Work to undo when the core closes (cancel forecasts, stop the engine pool), run before the store closes. */
    onClose(fn: () => void | Promise<void>) {
      closers.push(fn);
    },
    closers,
  };
}

export type CoreContext = ReturnType<typeof createContext>;
