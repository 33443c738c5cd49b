import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ContractError, type ContractErrorShape, type Envelope } from '../../shared/contract/errors';
import type { LanternEvent, MethodName, MethodOutput, ParsedInput, PlanRow, RowState } from '../../shared/contract';
import type { Plan } from '../../shared/domain/entities';
import type { ForecastEstimate, WhatIf } from '../../shared/contract';
import { demoMarket, parseMarketSnapshot, planFromDomain, type EnginePlan, type MarketSnapshot, type ForecastRequest, type ForecastResult, type LandscapeResult } from '../../shared/engine';
import { EnginePool } from './engine/pool';
import { openStore, type Db } from './store/db';
import { journal as makeJournal, type JournalChange } from './store/journal';
import { PLAN_COLUMNS, planRepo, type EditablePlanField, type PlanSummary } from './store/planRepo';
import { seedDemoIfEmpty } from './store/seed';
import { settings as makeSettings } from './store/settings';
import { runSync } from './sync/client';
import { parseInput } from './validate';

/** Settings key of the stored market snapshot (JSON); the sync issue writes it. */
export const MARKET_SNAPSHOT_KEY = 'engine.marketSnapshot';

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
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

export function createCore(options: CoreOptions): Core {
  const db: Db = openStore(options.dataDir);
  seedDemoIfEmpty(db);
  const plans = planRepo(db);
  const journal = makeJournal(db);
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

  const listeners = new Set<(e: LanternEvent) => void>();
  const emit = (e: LanternEvent) => {
    for (const l of listeners) l(e);
  };

  const workerFile = options.engineWorkerFile ?? path.join(path.dirname(fileURLToPath(import.meta.url)), 'engine-worker.js');
  let pool: EnginePool | undefined; // started on the first forecast: start-up stays fast
  const inflightForecasts = new Map<string, () => void>();
  let syncing: Promise<MethodOutput<'sync.run'>> | undefined;

  const rowState = (pending: Map<string, string[]>, id: string): RowState => {
    const fields = pending.get(id) ?? [];
    return { editedFields: fields, unposted: fields.length > 0 };
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

  const updatePlan = db.transaction((id: string, patch: Partial<Record<EditablePlanField, unknown>>) => {
    const before = requirePlan(id);
    const changes: JournalChange[] = [];
    for (const field of Object.keys(PLAN_COLUMNS) as EditablePlanField[]) {
      if (!(field in patch)) continue;
      const next = patch[field];
      if (next === undefined || Object.is(before[field], next)) continue;
      plans.setField(id, field, next);
      changes.push({ entity: 'plan', entityId: id, field, oldValue: before[field], newValue: next });
    }
    if (changes.length > 0) journal.record(changes);
    return changes.length;
  });

  /** Domain → engine through the one adapter (shared/engine/fromDomain.ts), then the what-if applied. */
  const enginePlan = (id: string, whatIf?: WhatIf): EnginePlan => {
    const plan = requirePlan(id);
    const ep = planFromDomain(plan, plans.units(id), plans.creatives(id), plans.searchWords(id));
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
  const forecastRequest = (planId: string, withPlanIds: string[], days: number, seed: number, whatIf?: WhatIf, unitIds?: string[]): ForecastRequest => {
    const ids = [planId, ...withPlanIds.filter((id) => id !== planId)];
    const main = enginePlan(planId, whatIf);
    if (unitIds) {
      const unknown = unitIds.find((u) => !main.units.some((x) => x.id === u));
      if (unknown) throw new ContractError('not_found', `plan "${planId}" has no unit "${unknown}"`);
      main.units = main.units.filter((u) => unitIds.includes(u.id));
    }
    const startDate = options.today?.() ?? dateInZone(new Date(Date.now() + 86_400_000), merchantZone());
    return { plans: ids.map((id) => (id === planId ? main : enginePlan(id))), market: market(), startDate, days, seed };
  };
  const toEstimate = (e: ForecastResult): ForecastEstimate => ({
    days: e.days,
    impressions: e.impressions,
    spendFen: e.spendFen,
    totals: { impressions: e.totals.impressions, clicks: e.totals.clicks, conversions: e.totals.conversions, spendFen: e.totals.spendFen },
    lowConfidence: e.confidence.low,
  });

  const handlers: Handlers = {
    'account.get': () => {
      const m = plans.merchant();
      if (!m) throw new ContractError('not_found', 'no merchant account in this data folder');
      return m;
    },
    'plans.list': () => {
      const pending = journal.pendingByEntity();
      const summaries = plans.summaries();
      return plans.listPlans().map((p) => toRow(p, pending, summaries));
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
      const changed = updatePlan(id, patch);
      if (changed > 0) emit({ type: 'journal.changed', entity: 'plan', entityId: id });
      return toRow(requirePlan(id), journal.pendingByEntity(), plans.summaries());
    },
    'forecast.run': async ({ planId, days, seed, withPlanIds, unitIds, whatIf, pacer }) => {
      const request = { ...forecastRequest(planId, withPlanIds, days, seed, whatIf, unitIds), pacer };
      // A newer forecast of the same plan supersedes the one still running.
      inflightForecasts.get(planId)?.();
      pool ??= new EnginePool(workerFile);
      const job = pool.run<ForecastResult>(
        { kind: 'forecast', request, firstEstimate: true },
        {
          onProgress: (done, total) => emit({ type: 'forecast.progress', planId, done, total }),
          onEstimate: (e) => emit({ type: 'forecast.progress', planId, done: 0, total: e.hours, estimate: toEstimate(e) }),
        },
      );
      inflightForecasts.set(planId, job.cancel);
      try {
        const result = await job.result;
        return { ...result, planId, includesUnposted: rowState(journal.pendingByEntity(), planId).unposted };
      } finally {
        if (inflightForecasts.get(planId) === job.cancel) inflightForecasts.delete(planId);
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
    'sync.status': () => ({
      serverUrl: settings.get('sync.serverUrl') ?? null,
      pending: journal.pendingCount(),
      lastSyncAt: settings.get('sync.lastSyncAt') ?? null,
    }),
    'sync.run': () => {
      // One sync at a time: a second click joins the one in progress.
      syncing ??= (async () => {
        const serverUrl = settings.get('sync.serverUrl');
        const token = readToken();
        const merchant = plans.merchant();
        if (!serverUrl || !token || !merchant) throw new ContractError('offline', 'no server is configured for this account');
        const summary = await runSync(
          { serverUrl, token, merchantId: merchant.id },
          {
            db,
            plans,
            journal,
            settings,
            onProgress: (phase, done, total) => emit({ type: 'sync.progress', phase, done, total }),
            ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
          },
        );
        emit({ type: 'journal.changed', entity: 'plan', entityId: '*' });
        return summary;
      })().finally(() => {
        syncing = undefined;
      });
      return syncing;
    },
  };

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
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      for (const cancel of inflightForecasts.values()) cancel();
      await pool?.close();
      db.close();
    },
  };
}

function toErrorShape(err: unknown): ContractErrorShape {
  if (err instanceof ContractError) return err.toJSON();
  // Unexpected: log the detail for support, answer a typed error without internals.
  console.error('[lantern core]', err);
  return { code: 'internal', message: `Something went wrong inside Lantern: ${(err as Error)?.message ?? String(err)}` };
}
