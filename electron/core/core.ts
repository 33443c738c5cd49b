import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { capHeapGrowth } from './heapPolicy';
import { idleCheckpointer } from './store/checkpoint';
import { ContractError, type ContractErrorShape, type Envelope } from '../../shared/contract/errors';
import type { LanternEvent, MethodName, MethodOutput, ParsedInput, PlanRow, RowState } from '../../shared/contract';
import type { Merchant, Plan } from '../../shared/domain/entities';
import type { ForecastEstimate, SyncStatsRow, WhatIf } from '../../shared/contract';
import { demoMarket, parseMarketSnapshot, planFromDomain, type EnginePlan, type MarketSnapshot, type ForecastRequest, type ForecastResult, type LandscapeResult } from '../../shared/engine';
import { EnginePool } from './engine/pool';
import { randomUUID } from 'node:crypto';
import type { EntityState } from '../../shared/contract/edit';
import { checkRow, UserRule, type AccountRule, type AnyEntity, type CheckIssue } from '../../shared/domain/checks';
import { KINDS, type EntityKind } from '../../shared/domain/kinds';
import { csvExport, csvPreview, decodeCsv, type CsvPlan } from './store/csv';
import { openStore, type Db } from './store/db';
import { entityRepo, ROW_FIELD, type Row } from './store/entityRepo';
import { gridQuery } from './store/gridQuery';
import { journal as makeJournal, type EntityMarkers, type JournalChange } from './store/journal';
import { operations } from './store/ops';
import { planRepo, type PlanSummary } from './store/planRepo';
import { postedPlanParts } from './store/postedPlan';
import { exportProposal, foreignChanges, parseProposal, previewProposal, selectProposalChanges, type ProposedChange } from './store/proposal';
import { rowOwnership } from './store/ownership';
import { createSnapshot, listSnapshots, restoreSnapshot } from './store/snapshot';
import { seedDemoIfEmpty } from './store/seed';
import { settings as makeSettings } from './store/settings';
import { adoptLegacySyncKeys, MARKET_SNAPSHOT_KEY, merchantKey, newTally, runSync, whoAmI, type RetryPolicy } from './sync/client';
import { merchantResolver } from './sync/merchants';
import { checkOutbox } from './sync/precheck';
import { discardMerchant, unpostedOf } from './sync/refresh';
import { resolveConflicts } from './sync/resolve';
import { syncState } from './sync/state';
import type { AccountInfo, AccountsList, SyncSummary } from '../../shared/contract';
import { parseInput } from './validate';
import { inspector } from './inspect';
import { branding as makeBranding } from './branding';

/** Settings key of the stored market snapshot (JSON); sync writes it (sync/client.ts). */
export { MARKET_SNAPSHOT_KEY } from './sync/client';

export interface CoreOptions {
  /** Folder holding all local state (SQLite file, settings). */
  dataDir: string;
  /** Reference backend to sync with; stored in settings so a restart keeps it. */
  serverUrl?: string;
  token?: string;
  /** The engine worker script (bundled). Defaults to engine-worker.js beside this bundle. */
  engineWorkerFile?: string | URL;
  /**
   * Protects secrets at rest (the sync token). Electron passes one backed by safeStorage (the OS
   * keychain); browser mode has none, so the token is stored as given (loopback demo tokens).
   */
  secretBox?: SecretBox;
  /** HTTP for sync; tests inject faults here (a lost answer, a reset connection). */
  fetchImpl?: typeof fetch;
  /** Sync retries (network errors, 5xx): tests shorten the backoff. */
  syncRetry?: RetryPolicy;
  /** Feed page size (default 5000, the server's largest); tests page with small ones. */
  syncPageSize?: number;
  /** Per-request timeout of sync (default 30 s). */
  syncTimeoutMs?: number;
  /** The day forecasts start on (merchant-local YYYY-MM-DD); defaults to tomorrow in the merchant's zone. */
  today?: () => string;
}

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export interface Core {
  /** Validates `input` against the contract and runs the method; never throws. */
  call(method: string, input: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (e: LanternEvent) => void): () => void;
  readonly dataDir: string;
  close(): Promise<void>;
}

type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M> };

/** YYYY-MM-DD of `date` in `timeZone` (explicit zone: never the machine's local one). */
export function dateInZone(date: Date, timeZone: string): string {
  // A formatter costs about a millisecond to build: one per zone, not one per call.
  let f = zoneFormats.get(timeZone);
  if (!f) zoneFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(date);
}
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

export function createCore(options: CoreOptions): Core {
  capHeapGrowth();
  const db: Db & { releaseLock?: () => void } = openStore(options.dataDir);
  const checkpointer = idleCheckpointer(db);
  seedDemoIfEmpty(db);
  const plans = planRepo(db);
  const journal = makeJournal(db);
  const repo = entityRepo(db);
  const rulesStmt = {
    all: db.prepare('SELECT merchant_id, data FROM user_rules ORDER BY rowid'),
    clear: db.prepare('DELETE FROM user_rules WHERE merchant_id = ?'),
    put: db.prepare('INSERT INTO user_rules (id, merchant_id, data) VALUES (?, ?, ?)'),
  };
  /**
   * Every account's user rules, each tagged with its merchant: the checks apply a rule only to
   * its own merchant's rows (rules are stored with the account; a store may hold several).
   */
  const loadRules = (): AccountRule[] =>
    (rulesStmt.all.all() as { merchant_id: string; data: string }[]).flatMap((row) => {
      const r = UserRule.safeParse(JSON.parse(row.data));
      return r.success ? [{ ...r.data, merchantId: row.merchant_id }] : [];
    });
  /** One merchant's rules, as the contract shows them (untagged). */
  const rulesOf = (merchantId: string): UserRule[] => loadRules().flatMap(({ merchantId: m, ...r }) => (m === merchantId ? [r] : []));
  const todayInZone = () => dateInZone(new Date(), plans.merchant()?.timeZone ?? 'Asia/Shanghai');
  const ops = operations({ db, repo, journal, today: todayInZone, rules: loadRules });
  /** Previews waiting for the user's confirmation (CSV import, proposals), by token. */
  const pendingApply = new Map<
    string,
    { kind: 'csv' | 'proposal'; changes: JournalChange[]; label: string; atBatch: number; proposed?: { fresh: ProposedChange[]; stale: Set<string>; merchantId: string } }
  >();
  const lastBatch = () => (db.prepare('SELECT COALESCE(MAX(id), 0) FROM batches').pluck().get() as number) ?? 0;
  const holdForConfirm = (kind: 'csv' | 'proposal', changes: JournalChange[], label: string, proposed?: { fresh: ProposedChange[]; stale: Set<string>; merchantId: string }): string => {
    const token = `${kind}_${randomUUID()}`;
    // A held preview can be big (a 100k-line import holds 100k changes): keep the last few only.
    if (pendingApply.size >= 4) pendingApply.delete(pendingApply.keys().next().value as string);
    pendingApply.set(token, { kind, changes, label, atBatch: lastBatch(), ...(proposed ? { proposed } : {}) });
    return token;
  };
  const applyHeld = (token: string, kind: 'csv' | 'proposal', changeIds?: string[], merchantId?: string) => {
    const held = pendingApply.get(token);
    if (!held || held.kind !== kind) throw new ContractError('not_found', 'that preview has expired; preview again');
    if (held.atBatch !== lastBatch()) throw new ContractError('invalid_input', 'the account changed since the preview; preview again', [{ path: 'token', message: 'stale preview' }]);
    if (merchantId && held.proposed && held.proposed.merchantId !== merchantId) {
      throw new ContractError('invalid_input', `that preview is of a proposal for account ${held.proposed.merchantId}, not ${merchantId}`, [{ path: 'merchantId', message: 'another account' }]);
    }
    const changes = held.proposed ? selectProposalChanges(repo, held.proposed.fresh, held.proposed.stale, changeIds) : held.changes;
    // Checked again as applied (a sync may have moved rows since the preview): never another account's row.
    if (held.proposed) assertOwnChanges(held.proposed.merchantId, changes);
    pendingApply.delete(token);
    const batch = ops.commit(held.label, changes);
    if (batch !== null) emit({ type: 'journal.changed', entity: '*', entityId: '*' });
    return { batch, changed: changes.length };
  };
  const entityState = (m: EntityMarkers | undefined): EntityState =>
    m ? { added: m.added, deleted: m.deleted, editedFields: m.editedFields, unposted: true } : { added: false, deleted: false, editedFields: [], unposted: false };
  const changed = () => emit({ type: 'journal.changed', entity: '*', entityId: '*' });
  const csvDeps = { db, repo, rules: loadRules, newId: ops.newId };
  const grid = gridQuery({ db, repo, journal, today: todayInZone, rules: loadRules });

  /** Built-in checks and user rules over the live accounts (or one merchant's, or some plans). */
  const runChecks = (planIds?: string[], merchantId?: string): CheckIssue[] => {
    const rules = loadRules();
    const today = todayInZone();
    const markers = journal.markers();
    const planFilter = planIds ? new Set(planIds) : undefined;
    const livePlans = new Map<string, Row>();
    for (const p of plans.listPlans()) {
      if (p.status !== 'DELETED' && (!planFilter || planFilter.has(p.id)) && (!merchantId || p.merchantId === merchantId)) livePlans.set(p.id, p as unknown as Row);
    }
    const unitPlan = new Map<string, string>();
    const out: CheckIssue[] = [];
    const ctx = (kind: EntityKind, row: Row, planId: string | undefined) => {
      const m = markers.get(`${kind}:${row.id}`);
      let before: Row | undefined;
      if (kind === 'creative' && m && !m.added) {
        before = { ...row };
        for (const o of journal.outboxOf('creative', [row.id])) before[o.field] = o.oldValue;
      }
      return { today, isNew: m?.added ?? false, rules, ...(planId ? { plan: livePlans.get(planId) } : {}), ...(before ? { before } : {}) } as never;
    };
    for (const [, p] of livePlans) out.push(...checkRow('plan', p as unknown as AnyEntity, ctx('plan', p, undefined)));
    for (const u of repo.all('unit')) {
      if (!livePlans.has(String(u.planId))) continue;
      unitPlan.set(u.id, String(u.planId));
      out.push(...checkRow('unit', u as unknown as AnyEntity, ctx('unit', u, String(u.planId))));
    }
    for (const kind of ['creative', 'searchWord', 'negativeWord'] as const) {
      for (const r of repo.all(kind)) {
        const pid = unitPlan.get(String(r.unitId));
        if (pid) out.push(...checkRow(kind, r as unknown as AnyEntity, ctx(kind, r, pid)));
      }
    }
    for (const g of repo.all('gdBooking')) if (livePlans.has(String(g.planId))) out.push(...checkRow('gdBooking', g as unknown as AnyEntity, ctx('gdBooking', g, String(g.planId))));
    if (!planFilter) {
      for (const a of repo.all('audiencePack')) if (!merchantId || a.merchantId === merchantId) out.push(...checkRow('audiencePack', a as unknown as AnyEntity, ctx('audiencePack', a, undefined)));
    }
    return out;
  };
  const settings = makeSettings(db);
  if (options.serverUrl) settings.set('sync.serverUrl', options.serverUrl);
  const box = options.secretBox;
  if (options.token) settings.set('sync.token', box ? `sealed:${box.seal(options.token)}` : options.token);
  const readToken = (): string | undefined => {
    const stored = settings.get('sync.token');
    if (!stored?.startsWith('sealed:')) return stored;
    if (!box) throw new ContractError('unauthorized', 'the saved server token is encrypted for the desktop app; give browser mode its own --token');
    return box.open(stored.slice('sealed:'.length));
  };

  let closed = false;
  const listeners = new Set<(e: LanternEvent) => void>();
  const emit = (e: LanternEvent) => {
    for (const l of listeners) l(e);
  };

  const workerFile = options.engineWorkerFile ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'engine-worker.js');
  let pool: EnginePool | undefined; // started on the first forecast: start-up stays fast
  const inflightForecasts = new Map<string, () => void>();
  let syncing: Promise<MethodOutput<'sync.run'>> | undefined;
  let syncAbort: AbortController | undefined;
  const sync = syncState(db, plans);
  const merchants = merchantResolver(db);
  const owners = rowOwnership(db);
  /** The merchant a read is for: the one named (it must be in this store), else the store's first. */
  const merchantFor = (merchantId?: string): Merchant => {
    const local = merchants.local();
    const m = merchantId ? local.find((x) => x.id === merchantId) : local[0];
    if (!m) throw new ContractError('not_found', merchantId ? `no merchant "${merchantId}" in this data folder` : 'no merchant account in this data folder');
    return m;
  };
  /**
   * The merchant a write or a share is for: the one named (it must be in this store), else the
   * store's only one. With several merchants here the caller must say which: guessing the first
   * would act on the wrong account.
   */
  const soleMerchant = (merchantId: string | undefined, what: string): Merchant => {
    if (merchantId) return merchantFor(merchantId);
    const local = merchants.local();
    if (local.length === 0) throw new ContractError('not_found', 'no merchant account in this data folder');
    if (local.length > 1) {
      throw new ContractError('invalid_input', `this data folder holds ${local.length} accounts: say which one to ${what} (merchantId)`, [{ path: 'merchantId', message: 'choose an account' }], {
        reason: 'choose_account',
        merchants: local.map((m) => m.id),
      });
    }
    return local[0]!;
  };
  /**
   * Who owns a row, for checking many changes against one merchant: its own rows by one id set
   * per kind (a 100k-row import must not pay a join per row), the owner of any other looked up.
   * With the merchant alone in the store, every row is its (new rows still name their parent).
   */
  const scopeOf = (merchantId: string) => {
    const mine = owners.ownedBy(merchantId);
    return { merchantId, ownerOf: (k: EntityKind, id: string) => (mine(k, id) ? merchantId : owners.ownerOf(k, id)) };
  };
  /** Refuses changes that touch a row outside the merchant (by the row, a new row's parent, a move's new parent). */
  const assertOwnChanges = (merchantId: string, changes: JournalChange[]) => {
    const foreign = foreignChanges(scopeOf(merchantId), changes);
    if (foreign.length === 0) return;
    const f = foreign[0]!;
    throw new ContractError('invalid_input', `${foreign.length} of these changes are outside account ${merchantId} (first: ${f.entity} ${f.entityId}, ${f.owner ? `of account ${f.owner}` : 'in no account here'}); nothing was changed`, undefined, {
      reason: 'foreign_rows',
      merchantId,
      count: foreign.length,
    });
  };
  /**
   * The account a proposal file is reviewed for: the one it names, which must be in this store
   * and (when the reviewer names their open account) be that one; a file naming none is for the
   * reviewer's account, or the store's only one.
   */
  const proposalMerchant = (named: string | undefined, open: string | undefined): Merchant => {
    if (!named) {
      if (!open && merchants.local().length > 1) {
        throw new ContractError('invalid_input', 'this proposal file does not say which account it is for, and this data folder holds several: open the account it is for and choose the file again', [{ path: 'merchantId', message: 'choose an account' }], {
          reason: 'choose_account',
        });
      }
      return soleMerchant(open, 'review the proposal for');
    }
    const m = merchants.local().find((x) => x.id === named);
    if (!m) {
      throw new ContractError('not_found', `the proposal is for account ${named}, which is not in this data folder: download it first (Accounts)`, [{ path: 'content.merchantId', message: 'not in this data folder' }], {
        reason: 'account_missing',
        proposalMerchantId: named,
      });
    }
    if (open && open !== named) {
      merchantFor(open);
      throw new ContractError('invalid_input', `the proposal is for account ${m.nameEn || m.name} (${named}), not the open one (${open}): switch to ${m.nameEn || m.name} to review it`, [{ path: 'content.merchantId', message: 'another account' }], {
        reason: 'other_account',
        proposalMerchantId: named,
        openMerchantId: open,
      });
    }
    return m;
  };
  const ownership = {
    plans: db.prepare('SELECT id FROM plans WHERE merchant_id = ?').pluck(),
    units: db.prepare('SELECT u.id FROM units u JOIN plans p ON p.id = u.plan_id WHERE p.merchant_id = ?').pluck(),
  };
  /** "Is this row the merchant's?", by its parent chain (plans and units read once per call, deleted ones too). */
  const ownedBy = (merchantId: string) => {
    let planIds: Set<string> | undefined;
    let unitIds: Set<string> | undefined;
    const plansOf = () => (planIds ??= new Set(ownership.plans.all(merchantId) as string[]));
    const unitsOf = () => (unitIds ??= new Set(ownership.units.all(merchantId) as string[]));
    return (kind: EntityKind, row: Row): boolean => {
      switch (kind) {
        case 'plan':
        case 'audiencePack':
          return row.merchantId === merchantId;
        case 'unit':
        case 'gdBooking':
          return plansOf().has(String(row.planId));
        default:
          return unitsOf().has(String(row.unitId));
      }
    };
  };
  // A store from before several merchants shared it: its sync settings are its one merchant's.
  adoptLegacySyncKeys(settings, merchants.local()[0]?.id);
  const syncHttp = () => ({
    ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
    ...(options.syncRetry ? { retry: options.syncRetry } : {}),
    ...(options.syncTimeoutMs ? { timeoutMs: options.syncTimeoutMs } : {}),
  });
  const serverConfig = () => {
    const serverUrl = settings.get('sync.serverUrl');
    const token = readToken();
    if (!serverUrl || !token) throw new ContractError('offline', 'no server is configured: start Lantern with a server and token to sync');
    return { serverUrl, token };
  };
  /** Per merchant: rows with unposted changes, open conflicts, held rejections. */
  const perMerchantCounts = () => {
    const pending = new Map<string, Set<string>>();
    for (const r of journal.outbox()) {
      const m = merchants.of(r.entity, r.entityId);
      if (!m) continue;
      const set = pending.get(m) ?? new Set<string>();
      set.add(`${r.entity}:${r.entityId}`);
      pending.set(m, set);
    }
    const count = <T extends { entity: string; entityId: string }>(xs: T[]) => {
      const out = new Map<string, number>();
      for (const x of xs) {
        const m = merchants.of(x.entity, x.entityId);
        if (m) out.set(m, (out.get(m) ?? 0) + 1);
      }
      return out;
    };
    const rejectedRows = [...new Map(sync.rejections().map((r) => [`${r.entity}:${r.entityId}`, r])).values()];
    return {
      pending: (m: string) => pending.get(m)?.size ?? 0,
      conflicts: ((c) => (m: string) => c.get(m) ?? 0)(count(sync.conflicts())),
      rejected: ((c) => (m: string) => c.get(m) ?? 0)(count(rejectedRows)),
    };
  };
  /**
   * The outbox rows of one merchant that fail a check with an error: posting them is refused
   * (product rule: errors block posting, warnings don't).
   */
  const blockingErrors = (merchantId: string) => {
    const mine = merchants.belongsTo(merchantId);
    const rows = journal.outbox().filter((r) => mine(r.entity, r.entityId));
    if (rows.length === 0) return [];
    return checkOutbox({ repo, rules: loadRules(), today: todayInZone() }, rows).filter((i) => i.severity === 'error');
  };
  /**
   * Syncs the merchants named (default: every local one), one after another, in one run. Each
   * merchant ends done, failed (with a typed reason) or blocked_by_errors; one merchant failing
   * never stops the others. Only a cancel, or every merchant failing, fails the call.
   */
  const syncMerchants = async (requested: string[] | undefined, signal: AbortSignal): Promise<SyncSummary> => {
    const config = serverConfig();
    const ids = requested ? [...new Set(requested)] : merchants.local().map((m) => m.id);
    if (ids.length === 0) throw new ContractError('not_found', 'no merchant account in this data folder; name one to download with merchantIds');
    const local = new Set(merchants.local().map((m) => m.id));
    const missing = ids.filter((id) => !local.has(id));
    /** Merchants that failed before their turn (cannot be added to this store). */
    const early = new Map<string, ContractError>();
    if (missing.length > 0) {
      // Not here yet: only what the token may sync can be added, with its details from /v1/me.
      try {
        const me = await whoAmI(config, { ...syncHttp(), signal });
        for (const id of missing) if (!me.merchants.includes(id)) early.set(id, new ContractError('not_found', `the saved token may not sync ${id}`));
        db.transaction(() => {
          for (const a of me.accounts ?? []) if (missing.includes(a.id) && !early.has(a.id)) merchants.upsert(a);
        })();
        for (const id of missing) if (!early.has(id) && !(me.accounts ?? []).some((a) => a.id === id)) early.set(id, new ContractError('not_found', `the server sent no details of ${id}`));
      } catch (err) {
        const e = asContractError(err);
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
              plans,
              repo,
              journal,
              settings,
              state: sync,
              merchants,
              signal,
              skipPush: errors.length > 0,
              // The market snapshot is the server's, not a merchant's: once per run.
              skipMarket: marketFetched,
              onProgress: (phase, done, n) => emit({ type: 'sync.progress', phase, done, total: n, merchantId }),
              ...syncHttp(),
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
          const e = asContractError(err);
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
  /** One sync at a time: a second call joins the one in progress. */
  const startSync = (run: (signal: AbortSignal) => Promise<SyncSummary>): Promise<SyncSummary> => {
    if (syncing) return syncing;
    syncAbort = new AbortController();
    const signal = syncAbort.signal;
    syncing = run(signal).finally(() => {
      syncing = undefined;
      syncAbort = undefined;
    });
    return syncing;
  };
  const syncStatusKeyFor = (merchantId: string | undefined, name: 'lastSyncAt') => (merchantId ? merchantKey(merchantId, name) : 'sync.lastSyncAt');

  const rowState = (pending: Map<string, string[]>, id: string): RowState => {
    const fields = pending.get(id) ?? [];
    return { editedFields: fields.filter((f) => f !== ROW_FIELD), unposted: fields.length > 0, ...(fields.includes(ROW_FIELD) ? { added: true } : {}) };
  };
  const merchantZone = () => plans.merchant()?.timeZone ?? 'Asia/Shanghai';
  const requirePlan = (id: string): Plan => {
    const p = plans.getPlan(id);
    if (!p) throw new ContractError('not_found', `no plan with id "${id}"`);
    return p;
  };
  const toRow = (p: Plan, pending: Map<string, string[]>, summaries: Map<string, PlanSummary>): PlanRow => ({
    plan: p,
    ...(summaries.get(p.id) ?? { unitCount: 0, creativeCount: 0, bidTypes: [] }),
    state: rowState(pending, p.id),
  });

  /** Domain → engine through the one adapter (shared/engine/fromDomain.ts), then the what-if applied. */
  const enginePlan = (id: string, whatIf?: WhatIf, asPosted = false): EnginePlan => {
    let ep: EnginePlan;
    if (asPosted) {
      requirePlan(id);
      const p = postedPlanParts(db, journal, id);
      if (!p) throw new ContractError('not_found', `plan "${id}" has not been posted yet`);
      ep = planFromDomain(p.plan, p.units, p.creatives, p.searchWords);
    } else {
      const plan = requirePlan(id);
      ep = planFromDomain(plan, plans.units(id), plans.creatives(id), plans.searchWords(id));
    }
    if (!whatIf) return ep;
    const m = whatIf.bidMultiplier ?? 1;
    return {
      ...ep,
      ...(whatIf.dailyBudgetFen !== undefined ? { dailyBudgetFen: whatIf.dailyBudgetFen } : {}),
      ...(whatIf.pacing ? { pacing: whatIf.pacing } : {}),
      units: ep.units.map((u) => ({
        ...u,
        bidFen: u.bidFen === null ? null : Math.round(u.bidFen * m),
        targetCpaFen: u.targetCpaFen === null ? null : Math.round(u.targetCpaFen * m),
        targetRoi: u.targetRoi === null ? null : u.targetRoi / m,
        searchWords: u.searchWords.map((w) => ({ ...w, bidFen: Math.round(w.bidFen * m) })),
      })),
    };
  };
  /**
   * The market snapshot forecasts run on: the one the backend sent last (stored as JSON under
   * MARKET_SNAPSHOT_KEY by sync, validated again on read), else the demo snapshot shipped with
   * the app. A stored snapshot that no longer validates is ignored, not fatal.
   */
  const market = (): MarketSnapshot => {
    const raw = settings.get(MARKET_SNAPSHOT_KEY);
    if (!raw) return demoMarket();
    try {
      return parseMarketSnapshot(JSON.parse(raw));
    } catch (err) {
      console.error('[lantern core] stored market snapshot ignored:', (err as Error).message);
      return demoMarket();
    }
  };
  const forecastRequest = (planId: string, withPlanIds: string[], days: number, seed: number, whatIf?: WhatIf, unitIds?: string[], asPosted = false): ForecastRequest => {
    const ids = [planId, ...withPlanIds.filter((id) => id !== planId)];
    const main = enginePlan(planId, whatIf, asPosted);
    if (unitIds) {
      const unknown = unitIds.find((u) => !main.units.some((x) => x.id === u));
      if (unknown) throw new ContractError('not_found', `plan "${planId}" has no unit "${unknown}"`);
      main.units = main.units.filter((u) => unitIds.includes(u.id));
    }
    const startDate = options.today?.() ?? dateInZone(new Date(Date.now() + 86_400_000), merchantZone());
    return { plans: ids.map((id) => (id === planId ? main : enginePlan(id, undefined, asPosted))), market: market(), startDate, days, seed };
  };
  const toEstimate = (e: ForecastResult): ForecastEstimate => ({
    days: e.days,
    impressions: e.impressions,
    spendFen: e.spendFen,
    clicks: e.clicks,
    conversions: e.conversions,
    bands: {
      impressions: { p10: e.bands.impressions.p10, p90: e.bands.impressions.p90 },
      clicks: { p10: e.bands.clicks.p10, p90: e.bands.clicks.p90 },
      conversions: { p10: e.bands.conversions.p10, p90: e.bands.conversions.p90 },
      spendFen: { p10: e.bands.spendFen.p10, p90: e.bands.spendFen.p90 },
    },
    exhaustionHour: e.exhaustionHour,
    totals: { impressions: e.totals.impressions, clicks: e.totals.clicks, conversions: e.totals.conversions, spendFen: e.totals.spendFen },
    lowConfidence: e.confidence.low,
  });

  const inspect = inspector({ db, repo, journal, state: sync, settings });
  const brand = makeBranding({ settings, hasMerchant: (id) => merchants.local().some((m) => m.id === id) });
  const handlers: Handlers = {
    ...editHandlers(),
    'branding.get': ({ merchantId }) => brand.get(merchantId),
    'branding.setLogo': ({ merchantId, dataUrl }) => brand.setLogo(merchantId, dataUrl),
    'branding.clearLogo': ({ merchantId }) => brand.clearLogo(merchantId),
    'inspect.search': (input) => {
      if (input.merchantId) merchantFor(input.merchantId);
      return inspect.search(input);
    },
    'inspect.entity': (input) => inspect.entity(input),
    'grid.query': (input) => grid.query(input),
    'grid.ids': (input) => grid.ids(input),
    'grid.tree': (input) => grid.tree(input),
    'account.get': ({ merchantId }) => merchantFor(merchantId),
    'plans.list': ({ merchantId }) => {
      if (merchantId) merchantFor(merchantId);
      const pending = journal.pendingByEntity();
      const summaries = plans.summaries();
      const listed = plans.listPlans();
      return (merchantId ? listed.filter((p) => p.merchantId === merchantId) : listed).map((p) => toRow(p, pending, summaries));
    },
    'plans.get': ({ id }) => {
      const plan = requirePlan(id);
      return {
        plan,
        units: plans.units(id),
        creatives: plans.creatives(id),
        searchWords: plans.searchWords(id),
        state: rowState(journal.pendingByEntity(), id),
      };
    },
    'plans.update': ({ id, patch }) => {
      requirePlan(id);
      const n = ops.update('plan', id, patch);
      if (n > 0) emit({ type: 'journal.changed', entity: 'plan', entityId: id });
      return toRow(requirePlan(id), journal.pendingByEntity(), plans.summaries());
    },
    'forecast.run': async ({ planId, days, seed, withPlanIds, unitIds, whatIf, pacer, asPosted, requestId }) => {
      const request = { ...forecastRequest(planId, withPlanIds, days, seed, whatIf, unitIds, asPosted), pacer };
      // A newer forecast of the same plan supersedes the one still running (the as-posted one of
      // a compare runs beside it).
      const slot = asPosted ? `${planId}:posted` : planId;
      inflightForecasts.get(slot)?.();
      pool ??= new EnginePool(workerFile);
      const tag = requestId ? { requestId } : {};
      const job = pool.run<ForecastResult>(
        { kind: 'forecast', request, firstEstimate: true },
        {
          onProgress: (done, total) => emit({ type: 'forecast.progress', planId, done, total, ...tag }),
          onEstimate: (e) => emit({ type: 'forecast.progress', planId, done: 0, total: e.hours, estimate: toEstimate(e), ...tag }),
        },
      );
      inflightForecasts.set(slot, job.cancel);
      try {
        const result = await job.result;
        return { ...result, planId, asPosted, includesUnposted: !asPosted && rowState(journal.pendingByEntity(), planId).unposted };
      } finally {
        if (inflightForecasts.get(slot) === job.cancel) inflightForecasts.delete(slot);
      }
    },
    'forecast.landscape': async ({ planId, days, seed, multipliers }) => {
      pool ??= new EnginePool(workerFile);
      const request = forecastRequest(planId, [], days, seed);
      const job = pool.run<LandscapeResult>({ kind: 'landscape', request: multipliers ? { ...request, multipliers } : request });
      return { ...(await job.result), planId };
    },
    'forecast.diagnose': async ({ planId, days, seed }) => {
      pool ??= new EnginePool(workerFile);
      const result = await pool.run<ForecastResult>({ kind: 'diagnose', request: forecastRequest(planId, [], days, seed) }).result;
      const plan = result.perPlan.find((p) => p.planId === planId);
      if (!plan) throw new ContractError('internal', 'the engine returned no result for the plan');
      return { planId, days, diagnosis: plan.diagnosis, plan, confidence: result.confidence, marketVersion: result.marketVersion };
    },
    'sync.status': ({ merchantId }) => {
      if (merchantId && !merchants.local().some((m) => m.id === merchantId)) throw new ContractError('not_found', `no merchant "${merchantId}" in this data folder`);
      const counts = merchantId ? perMerchantCounts() : undefined;
      return {
        serverUrl: settings.get('sync.serverUrl') ?? null,
        pending: counts && merchantId ? counts.pending(merchantId) : journal.pendingCount(),
        lastSyncAt: settings.get(syncStatusKeyFor(merchantId, 'lastSyncAt')) ?? null,
        conflicts: counts && merchantId ? counts.conflicts(merchantId) : sync.conflictCount(),
        rejected: counts && merchantId ? counts.rejected(merchantId) : new Set(sync.rejections().map((r) => `${r.entity}:${r.entityId}`)).size,
        running: syncing !== undefined,
      };
    },
    'sync.run': ({ merchantIds }) => startSync((signal) => syncMerchants(merchantIds, signal)),
    'sync.refresh': async ({ merchantId, confirm }) => {
      if (syncing) throw new ContractError('invalid_input', 'a sync is running: wait for it (or cancel it) before getting the full account', [{ path: 'merchantId', message: 'sync running' }]);
      const config = serverConfig();
      const work = unpostedOf({ journal, merchants, state: sync }, merchantId);
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
      const me = await whoAmI(config, syncHttp());
      if (!me.merchants.includes(merchantId)) throw new ContractError('not_found', `the saved token may not sync ${merchantId}`, [{ path: 'merchantId', message: 'not reachable' }]);
      const backup = unposted > 0 ? createSnapshot(db, options.dataDir) : null;
      db.transaction(() => {
        const a = me.accounts?.find((x) => x.id === merchantId);
        if (a) merchants.upsert(a);
      })();
      const discarded = discardMerchant({ db, journal, settings, state: sync, merchants }, merchantId);
      changed();
      const summary = await startSync((signal) => syncMerchants([merchantId], signal));
      return { merchantId, discarded, backup, summary };
    },
    'sync.rejections': ({ merchantId }) =>
      sync
        .rejections()
        .map((r) => ({ r, m: merchants.of(r.entity, r.entityId) ?? '' }))
        .filter(({ m }) => !merchantId || m === merchantId)
        .reduce<import('../../shared/contract').SyncRejection[]>((out, { r, m }) => {
          const prev = out.find((x) => x.entity === r.entity && x.entityId === r.entityId);
          if (prev) {
            prev.fields.push(r.field);
            prev.message = `${prev.message}; ${r.message}`;
          } else out.push({ merchantId: m, entity: r.entity, entityId: r.entityId, fields: [r.field], message: r.message, rejectedAt: r.rejectedAt });
          return out;
        }, []),
    'accounts.list': async (): Promise<AccountsList> => {
      const counts = perMerchantCounts();
      const info = (id: string, name: string, nameEn: string, local: boolean, reachable: boolean | null): AccountInfo => ({
        id,
        name,
        nameEn,
        local,
        reachable,
        pending: counts.pending(id),
        conflicts: counts.conflicts(id),
        rejected: counts.rejected(id),
        lastSyncAt: settings.get(merchantKey(id, 'lastSyncAt')) ?? null,
      });
      const local = merchants.local();
      let config: { serverUrl: string; token: string } | undefined;
      try {
        config = serverConfig();
      } catch {
        config = undefined;
      }
      if (!config) return { accounts: local.map((m) => info(m.id, m.name, m.nameEn, true, null)), principal: null, server: 'not_configured' };
      try {
        // A short answer: the account list must not wait out a long retry on a flaky network.
        const me = await whoAmI(config, { ...syncHttp(), retry: { attempts: 1, baseMs: 0, maxMs: 0 }, timeoutMs: Math.min(options.syncTimeoutMs ?? 5000, 5000) });
        const reach = new Set(me.merchants);
        const accounts = local.map((m) => info(m.id, m.name, m.nameEn, true, reach.has(m.id)));
        for (const a of me.accounts ?? []) if (!local.some((m) => m.id === a.id)) accounts.push(info(a.id, a.name, a.nameEn, false, true));
        return { accounts, principal: { kind: me.kind, id: me.id }, server: 'ok' };
      } catch (err) {
        const e = err instanceof ContractError ? err : new ContractError('offline', (err as Error).message);
        const server = e.code === 'unauthorized' ? 'unauthorized' : e.code === 'update_required' ? 'update_required' : 'offline';
        return { accounts: local.map((m) => info(m.id, m.name, m.nameEn, true, null)), principal: null, server, serverMessage: e.message };
      }
    },
    'sync.cancel': () => {
      const running = syncAbort !== undefined;
      syncAbort?.abort();
      return { cancelled: running };
    },
    'sync.conflicts': ({ merchantId }) =>
      sync
        .conflicts()
        .map((c) => ({ ...c, merchantId: merchants.of(c.entity, c.entityId) ?? '' }))
        .filter((c) => !merchantId || c.merchantId === merchantId),
    'sync.resolve': (input) => {
      const n = resolveConflicts({ db, repo, journal, state: sync }, input);
      if (n > 0) emit({ type: 'journal.changed', entity: 'plan', entityId: '*' });
      return { resolved: n, remaining: sync.conflictCount() };
    },
    'sync.stats': ({ planId, merchantId }) => {
      if (merchantId) merchantFor(merchantId);
      const rows = (
        planId
          ? db.prepare('SELECT data FROM sync_stats WHERE plan_id = ? ORDER BY hour, creative_id').pluck().all(planId)
          : merchantId
            ? db.prepare('SELECT data FROM sync_stats WHERE plan_id IN (SELECT id FROM plans WHERE merchant_id = ?) ORDER BY hour, creative_id').pluck().all(merchantId)
            : db.prepare('SELECT data FROM sync_stats ORDER BY hour, creative_id').pluck().all()
      ) as string[];
      const owner = planId ? merchants.of('plan', planId) : (merchantId ?? merchants.local()[0]?.id);
      // A plan of another account than the one named: none of its rows are this account's.
      if (planId && merchantId && owner !== merchantId) return { range: null, rows: [] };
      const range = owner ? settings.get(merchantKey(owner, 'statsRange')) : undefined;
      return { range: range ? (JSON.parse(range) as { from: string; to: string }) : null, rows: rows.map((r) => JSON.parse(r) as SyncStatsRow) };
    },
  };

  function editHandlers(): Pick<Handlers, Extract<MethodName, `${'entities' | 'bulk' | 'replace' | 'journal' | 'outbox' | 'checks' | 'rules' | 'csv' | 'backup' | 'proposal'}.${string}`>> {
    return {
      'entities.list': ({ kind, parentId, merchantId, offset, limit }) => {
        let rows: Row[];
        if (kind === 'plan') rows = plans.listPlans() as unknown as Row[];
        else if (parentId) rows = repo.children(kind, parentId);
        else rows = repo.all(kind);
        if (merchantId) {
          merchantFor(merchantId);
          const mine = ownedBy(merchantId);
          rows = rows.filter((r) => mine(kind, r));
        }
        const page = rows.slice(offset, offset + limit);
        const markers = journal.markers({ entity: kind, ids: page.map((r) => r.id) });
        return {
          total: rows.length,
          rows: page.map((r) => ({ row: KINDS[kind].defaults(r as never) as Row, state: entityState(markers.get(`${kind}:${r.id}`)) })),
        };
      },
      'entities.get': ({ kind, id }) => {
        const got = repo.get(kind, id);
        if (!got) throw new ContractError('not_found', `no ${kind} with id "${id}"`);
        return { row: KINDS[kind].defaults(got.row as never) as Row, deleted: got.deleted, state: entityState(journal.markers({ entity: kind, ids: [id] }).get(`${kind}:${id}`)) };
      },
      'entities.create': ({ kind, data }) => {
        const id = ops.create(kind, data);
        changed();
        return { id };
      },
      'entities.update': ({ kind, id, patch }) => {
        const n = ops.update(kind, id, patch);
        if (n) changed();
        return { changed: n };
      },
      'entities.delete': ({ kind, ids }) => {
        const n = ops.remove(kind, ids);
        changed();
        return { changed: n };
      },
      'entities.duplicate': ({ kind, id }) => {
        const nid = ops.duplicate(kind, id);
        changed();
        return { id: nid };
      },
      'entities.copy': ({ kind, ids, toParentId }) => {
        const out = ops.copy(kind, ids, toParentId);
        changed();
        return { ids: out };
      },
      'entities.move': ({ kind, ids, toParentId }) => {
        const n = ops.move(kind, ids, toParentId);
        if (n) changed();
        return { changed: n };
      },
      'bulk.preview': ({ kind, ids, op }) => ops.bulkPreview(kind, ids, op),
      'bulk.apply': ({ kind, ids, op }) => {
        const r = ops.bulkApply(kind, ids, op);
        if (r.changed) changed();
        return r;
      },
      'replace.preview': (spec) => ops.replacePreview(spec),
      'replace.apply': (spec) => {
        const r = ops.replaceApply(spec);
        if (r.changed) changed();
        return r;
      },
      'journal.undo': () => {
        const r = ops.undo();
        if (r) changed();
        return r && { batch: r.batch, label: r.label };
      },
      'journal.redo': () => {
        const r = ops.redo();
        if (r) changed();
        return r && { batch: r.batch, label: r.label };
      },
      'journal.status': ({ limit }) => {
        const u = journal.undoable();
        const r = journal.redoable();
        return { canUndo: !!u, canRedo: !!r, undoLabel: u?.label ?? null, redoLabel: r ? r.label.replace(/^undo: /, '') : null, history: journal.history(limit) };
      },
      'outbox.list': ({ limit, merchantId }) => {
        let rows = journal.outbox();
        if (merchantId) {
          merchantFor(merchantId);
          const mine = owners.ownedBy(merchantId);
          rows = rows.filter((r) => mine(r.entity, r.entityId));
        }
        return { rows: rows.slice(0, limit).map(({ id, entity, entityId, field, oldValue, newValue }) => ({ id, entity, entityId, field, oldValue, newValue })), total: rows.length, entities: new Set(rows.map((r) => `${r.entity}:${r.entityId}`)).size };
      },
      'checks.run': ({ planIds, merchantId }) => {
        if (merchantId) merchantFor(merchantId);
        const issues = runChecks(planIds, merchantId);
        return { issues: issues.slice(0, 5000), errorCount: issues.filter((i) => i.severity === 'error').length, warningCount: issues.filter((i) => i.severity === 'warning').length };
      },
      'rules.list': ({ merchantId }) => rulesOf(merchantFor(merchantId).id),
      'rules.save': ({ rules, merchantId }) => {
        const m = merchantFor(merchantId);
        const ids = new Set<string>();
        for (const [i, r] of rules.entries()) {
          if (ids.has(r.id)) throw new ContractError('invalid_input', `rule id "${r.id}" is used twice`, [{ path: `rules.${i}.id`, message: 'duplicate id' }]);
          ids.add(r.id);
        }
        db.transaction(() => {
          rulesStmt.clear.run(m.id);
          for (const r of rules) rulesStmt.put.run(r.id, m.id, JSON.stringify(r));
        })();
        changed();
        return rulesOf(m.id);
      },
      'csv.export': ({ kind, ids, merchantId }) => {
        if (!merchantId) return csvExport(csvDeps, kind, ids);
        merchantFor(merchantId);
        // One account's rows: those named that are its, or all of its rows of the kind.
        const mine = ownedBy(merchantId);
        const pool: Row[] = kind === 'plan' ? (plans.listPlans() as unknown as Row[]) : repo.all(kind);
        const wanted = ids ? new Set(ids) : undefined;
        return csvExport(csvDeps, kind, pool.filter((r) => (!wanted || wanted.has(r.id)) && mine(kind, r)).map((r) => r.id));
      },
      'csv.preview': (input) => {
        const m = soleMerchant(input.merchantId, 'import into');
        const plan: CsvPlan = csvPreview(csvDeps, input.kind, decodeCsv(input), { merchantId: m.id, today: dateInZone(new Date(), m.timeZone), owns: ownedBy(m.id) });
        // csvPreview keeps to the account (another account's row is an error on its line); this
        // is the same guard as a proposal's, should a change ever slip past it.
        assertOwnChanges(m.id, plan.changes);
        const token = holdForConfirm('csv', plan.changes, `CSV import: ${plan.preview.creates} new, ${plan.preview.updates} changed ${input.kind}`);
        return { token, ...plan.preview };
      },
      'csv.apply': ({ token }) => applyHeld(token, 'csv'),
      'backup.create': ({ file }) => createSnapshot(db, options.dataDir, file),
      'backup.list': () => listSnapshots(options.dataDir),
      'backup.restore': ({ file }) => {
        const r = restoreSnapshot(db, options.dataDir, file);
        journal.forget();
        // A snapshot from before several merchants shared a store keeps its sync settings unkeyed.
        adoptLegacySyncKeys(settings, merchants.local()[0]?.id);
        pendingApply.clear();
        changed();
        return r;
      },
      'proposal.export': ({ comment, author, merchantId }) => {
        const m = soleMerchant(merchantId, 'share');
        return exportProposal(journal, owners.ownedBy(m.id), m.id, author, comment);
      },
      'proposal.preview': ({ content, merchantId }) => {
        const file = parseProposal(content);
        const m = proposalMerchant(file.merchantId, merchantId);
        const { preview, changes } = previewProposal(repo, scopeOf(m.id), file);
        const stale = new Set(preview.changes.filter((c) => c.stale).map((c) => c.id));
        const token = holdForConfirm('proposal', [], `proposed changes${preview.author ? ` from ${preview.author}` : ''}`, { fresh: changes, stale, merchantId: m.id });
        return { token, merchant: { id: m.id, name: m.name, nameEn: m.nameEn }, ...preview };
      },
      'proposal.apply': ({ token, changeIds, merchantId }) => {
        if (merchantId) merchantFor(merchantId);
        return applyHeld(token, 'proposal', changeIds, merchantId);
      },
    };
  }

  return {
    dataDir: options.dataDir,
    async call(method, raw) {
      try {
        const { method: m, input } = parseInput(method, raw);
        // The handler map is keyed by method; TypeScript cannot correlate m with input here.
        const handler = handlers[m] as (i: unknown) => Promise<unknown> | unknown;
        return { ok: true, value: await handler(input) };
      } catch (err) {
        return { ok: false, error: toErrorShape(err) };
      } finally {
        checkpointer.touched();
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      // Idempotent: a second close must not release the data folder's lock again (it may be
      // another core's by then, in the same process).
      if (closed) return;
      closed = true;
      for (const cancel of inflightForecasts.values()) cancel();
      await pool?.close();
      checkpointer.close();
      db.close();
      db.releaseLock?.();
    },
  };
}

/** A failure as the contract types it: a non-contract error (a bug, a malformed answer) is `internal`. */
function asContractError(err: unknown): ContractError {
  if (err instanceof ContractError) return err;
  console.error('[lantern core]', err);
  return new ContractError('internal', `Something went wrong inside Lantern: ${(err as Error)?.message ?? String(err)}`);
}

function toErrorShape(err: unknown): ContractErrorShape {
  if (err instanceof ContractError) return err.toJSON();
  // Unexpected: log the detail for support, answer a typed error without internals.
  console.error('[lantern core]', err);
  return { code: 'internal', message: `Something went wrong inside Lantern: ${(err as Error)?.message ?? String(err)}` };
}
