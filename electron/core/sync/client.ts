import { randomUUID } from 'node:crypto';
import { ContractError } from '../../../shared/contract/errors';
import type { SyncMerchantSummary, SyncRowResult } from '../../../shared/contract/sync';
import { KINDS, type EntityKind as LocalKind } from '../../../shared/domain/kinds';
import { parseMarketSnapshot } from '../../../shared/engine/index';
import {
  ApiError,
  EntityFeed,
  EntityPushResponse,
  SCHEMA_HEADER,
  SCHEMA_VERSION,
  StatsResponse,
  type EntityKind,
  type EntityMutation,
  type EntityPushRequest,
  type FeedEntry,
  WhoAmI,
} from '../../../shared/sync/wire';
import type { Db } from '../store/db';
import { DELETED_FIELD, ROW_FIELD, type EntityRepo, type Row } from '../store/entityRepo';
import type { Journal } from '../store/journal';
import type { PlanRepo } from '../store/planRepo';
import type { Settings } from '../store/settings';
import { bulkWriter, type BulkWriter } from './bulk';
import type { MerchantResolver } from './merchants';
import type { SyncState } from './state';

/** Settings key of the stored market snapshot (JSON); core.ts re-exports it. */
export const MARKET_SNAPSHOT_KEY = 'engine.marketSnapshot';
/** The server's ETag of that snapshot (a conditional GET skips an unchanged one). */
const MARKET_ETAG_KEY = 'engine.marketSnapshotEtag';

export interface SyncConfig {
  serverUrl: string;
  token: string;
  merchantId: string;
}

export type SyncPhase = 'push' | 'pull' | 'market' | 'stats';

export interface RetryPolicy {
  /** Tries per request (1 = no retry). */
  attempts: number;
  /** First backoff; doubles per retry, with ±50 % jitter, capped at maxMs. */
  baseMs: number;
  maxMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 250, maxMs: 4000 };

export interface SyncDeps {
  db: Db;
  merchants: MerchantResolver;
  /** Posting is blocked (check errors): pull only. */
  skipPush?: boolean;
  /** Skip the market snapshot (a multi-merchant sync fetches it once). */
  skipMarket?: boolean;
  plans: PlanRepo;
  repo: EntityRepo;
  journal: Journal;
  settings: Settings;
  state: SyncState;
  onProgress?: (phase: SyncPhase, done: number, total: number) => void;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Cancels the sync: what is committed stays consistent (see runSync). */
  signal?: AbortSignal;
  /** Feed page size. */
  pageSize?: number;
  /** Skip fetching the market snapshot and stats. */
  skipExtras?: boolean;
}

/** One merchant's counts, without how it ended (the caller decides that). */
export type SyncCounts = Omit<SyncMerchantSummary, 'outcome' | 'failure' | 'errors' | 'issues'>;
/**
 * What one merchant's sync has done so far, filled in as it goes: the caller passes it in and
 * keeps it, so a sync that fails part-way still reports what it posted (and each row's result).
 */
export type SyncTally = SyncCounts & { results: SyncRowResult[] };
export const newTally = (merchantId: string): SyncTally => ({ merchantId, pushed: 0, applied: 0, rejected: 0, conflicts: 0, pulled: 0, held: 0, results: [] });

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

/** The kinds the backend syncs: every kind the desktop edits. */
const SERVER_KINDS: readonly EntityKind[] = ['plan', 'unit', 'creative', 'searchWord', 'negativeWord', 'audiencePack', 'gdBooking'];
const isServerKind = (k: string): k is EntityKind => (SERVER_KINDS as readonly string[]).includes(k);
/** Parents before children (creates, then updates, level by level); deletes go the other way. */
const KIND_ORDER: Record<EntityKind, number> = { plan: 0, audiencePack: 0, unit: 1, gdBooking: 1, creative: 2, searchWord: 2, negativeWord: 2 };
/** Fields the server owns: never sent as updates. */
const SERVER_OWNED: Record<EntityKind, readonly string[]> = {
  plan: ['id', 'merchantId'],
  unit: ['id', 'planId'],
  creative: ['id', 'unitId', 'reviewStatus', 'reviewReason'],
  searchWord: ['id', 'unitId'],
  negativeWord: ['id', 'unitId'],
  audiencePack: ['id', 'merchantId'],
  gdBooking: ['id', 'planId'],
};

type Op = EntityMutation['op'];
/** What one mutation carries: the journal rows (field → newest journal id) and the values sent. */
interface Cover {
  entity: EntityKind;
  entityId: string;
  op: Op;
  fields: Record<string, number>;
  values: Record<string, unknown>;
}
/** A mutation answered `duplicate`: what it sent, checked after the pull. */
interface Verify {
  entity: EntityKind;
  entityId: string;
  values: Record<string, unknown>;
  bases: Record<string, number>;
}
/** A push that was sent but whose answer we may not have seen: resent as-is, so the server dedups it. */
interface InFlightPush {
  request: EntityPushRequest;
  covers: Record<string, Cover>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const isDeletion = (kind: string, field: string, value: unknown) => (kind === 'plan' ? field === 'status' && value === 'DELETED' : field === DELETED_FIELD && value === true);

function cancelled(): ContractError {
  return new ContractError('cancelled', 'Sync was cancelled. What was already posted or downloaded is kept; the rest continues at the next sync.');
}

/**
 * One sync:
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
  const { db, journal, settings, state } = deps;
  const key = (name: MerchantSetting) => merchantKey(config.merchantId, name);
  const clientId =
    settings.get('sync.clientId') ??
    (() => {
      const id = `cl_${randomUUID()}`;
      settings.set('sync.clientId', id);
      return id;
    })();

  const verify: Verify[] = [];
  const check = () => {
    if (deps.signal?.aborted) throw cancelled();
  };

  // Push: first a stored in-flight push (same ids), then whatever the outbox still holds.
  for (let round = 0; round < 20 && !deps.skipPush; round++) {
    check();
    const inflightText = settings.get(key('inflight'));
    let push: InFlightPush;
    const resent = inflightText !== undefined;
    if (inflightText) push = JSON.parse(inflightText) as InFlightPush;
    else {
      const built = db.transaction(() => {
        journal.settleNetZero();
        const b = buildPush(clientId, config.merchantId, deps);
        if (round === 0) summary.held = b.held;
        if (b.request.mutations.length > 0) {
          // Persist before sending: if the answer is lost, the retry reuses the same mutation ids.
          settings.set(key('inflight'), JSON.stringify({ request: b.request, covers: b.covers }));
          settings.set('sync.nextMutationId', String(nextMutationId(settings) + b.request.mutations.length));
        }
        return b;
      })();
      if (built.request.mutations.length === 0) break;
      push = built;
    }
    const total = push.request.mutations.length;
    deps.onProgress?.('push', 0, total);
    const res = EntityPushResponse.parse(await request(config, deps, 'POST', `/v1/accounts/${config.merchantId}/mutations`, push.request));
    const byId = new Map(push.request.mutations.map((x) => [x.id, x]));
    db.transaction(() => {
      for (const r of res.results) {
        const cover = push.covers[String(r.id)];
        const m = byId.get(r.id);
        const bases = Object.fromEntries((m?.changes ?? []).map((c) => [c.field, c.baseVersion]));
        if (cover) applyResult(deps, cover, bases, r, summary, verify);
      }
      settings.remove(key('inflight'));
    })();
    summary.pushed += total;
    deps.onProgress?.('push', total, total);
    // After a resent push, post what the outbox gained since; else only a full batch (1000) has more.
    if (!resent && total < 1000) break;
  }

  // Pull the feed, page by page.
  // The server's largest page: an initial download of 200k entities is 40 round trips, not 200.
  const limit = deps.pageSize ?? 5000;
  const fetchPage = async (cursor: number) =>
    EntityFeed.parse(await request(config, deps, 'GET', `/v1/accounts/${config.merchantId}/feed?cursor=${cursor}&limit=${limit}`));
  let pages = 0;
  check();
  let next: Promise<EntityFeed> | undefined = fetchPage(Number(settings.get(key('feedCursor')) ?? '0'));
  while (next) {
    const feed = await next;
    next = undefined;
    check();
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
    if (next) check();
  }

  // Duplicates: rebuild from what was pulled, never from the stale local row. A sent field the
  // pulled row contradicts, or one the server had changed after the mutation's base (a shadow
  // from an earlier pull), did not land: the row shows the server's value and the conflict keeps mine.
  if (verify.length > 0) {
    db.transaction(() => {
      const pending = pendingFields(journal);
      for (const v of verify) {
        const local = deps.repo.get(v.entity, v.entityId);
        if (!local) continue;
        for (const [field, sent] of Object.entries(v.values)) {
          if (pending.get(`${v.entity}:${v.entityId}`)?.has(field)) continue;
          const shadow = state.shadow(v.entity, v.entityId, field);
          state.dropShadow(v.entity, v.entityId, field);
          if (!same(local.row[field], sent)) {
            state.putConflict(v.entity, v.entityId, field, sent, local.row[field] ?? null, state.fieldBase(v.entity, v.entityId, field));
            summary.conflicts++;
          } else if (shadow && shadow.version > (v.bases[field] ?? 0) && !same(shadow.value, sent)) {
            deps.repo.setField(v.entity, v.entityId, field, shadow.value);
            state.setFieldBase(v.entity, v.entityId, field, shadow.version);
            state.putConflict(v.entity, v.entityId, field, sent, shadow.value, shadow.version);
            summary.conflicts++;
          }
        }
      }
    })();
  }

  if (!deps.skipExtras) await fetchExtras(config, deps);

  const now = new Date().toISOString();
  settings.set(key('lastSyncAt'), now);
  settings.set('sync.lastSyncAt', now);
  const { results, ...totals } = summary;
  return { summary: totals, results };
}

/** The market snapshot (validated) and the last 48 hours of stats, kept for offline use. */
async function fetchExtras(config: SyncConfig, deps: SyncDeps): Promise<void> {
  const { db, settings } = deps;
  if (deps.signal?.aborted) throw cancelled();
  if (!deps.skipMarket) {
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
    if (deps.signal?.aborted) throw cancelled();
  }
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

function nextMutationId(settings: Settings): number {
  return Number(settings.get('sync.nextMutationId') ?? '1');
}

/** "kind:id" → fields with unposted net changes. */
function pendingFields(journal: Journal): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of journal.outbox()) {
    const key = `${r.entity}:${r.entityId}`;
    const s = out.get(key) ?? new Set<string>();
    s.add(r.field);
    out.set(key, s);
  }
  return out;
}

/**
 * The next push of one merchant: its outbox rows, less those the server rejected and nobody
 * edited since (`held`: the newest journal row of the field is the one that was rejected).
 */
function buildPush(clientId: string, merchantId: string, deps: SyncDeps): InFlightPush & { held: number } {
  const { journal, repo, state, settings } = deps;
  const groups = new Map<string, { entity: EntityKind; entityId: string; rows: Map<string, { id: number; oldValue: unknown; newValue: unknown }> }>();
  const rejected = state.rejectionMap();
  const heldEntities = new Set<string>();
  const outbox = journal.outbox();
  const open = state.conflictKeys();
  // A whole-row rejection holds the row until a field the push would carry is edited again. A
  // field in an open conflict is never carried (the rejected mutation did not carry it either):
  // its edits do not count, else a conflicted field edited after the rejected ones would have the
  // same mutation sent, and rejected, on every sync.
  const newest = new Map<string, number>();
  for (const row of outbox) {
    const ek = `${row.entity}:${row.entityId}`;
    if (!open.has(`${ek}:${row.field}`)) newest.set(ek, Math.max(newest.get(ek) ?? 0, row.id));
  }
  // A plan is held whole also until a row under it is edited: the server may have refused the
  // plan change for the children it would break, and fixing them is an edit under the plan.
  const heldPlans = new Map<string, number>();
  for (const r of rejected.values()) if (r.entity === 'plan' && r.field === '') heldPlans.set(r.entityId, r.journalId);
  if (heldPlans.size > 0) {
    const since = Math.min(...heldPlans.values());
    const planOf = planResolver(deps.db);
    for (const row of outbox) {
      if (row.id <= since || row.entity === 'plan') continue;
      const planId = planOf(row.entity, row.entityId);
      const upTo = planId === undefined ? undefined : heldPlans.get(planId);
      if (upTo !== undefined && row.id > upTo) newest.set(`plan:${planId}`, Math.max(newest.get(`plan:${planId}`) ?? 0, row.id));
    }
  }
  const mine = deps.merchants.belongsTo(merchantId);
  for (const row of outbox) {
    if (!isServerKind(row.entity)) continue;
    if (!mine(row.entity, row.entityId)) continue;
    const ek = `${row.entity}:${row.entityId}`;
    const whole = rejected.get(`${ek}:`);
    const own = rejected.get(`${ek}:${row.field}`);
    if ((whole && (newest.get(ek) ?? 0) <= whole.journalId) || (own && row.id <= own.journalId)) {
      heldEntities.add(ek);
      continue;
    }
    const key = `${row.entity}:${row.entityId}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { entity: row.entity, entityId: row.entityId, rows: new Map() }));
    g.rows.set(row.field, { id: row.id, oldValue: row.oldValue, newValue: row.newValue });
  }
  const planned: { cover: Cover; changes?: EntityMutation['changes']; data?: Record<string, unknown>; order: number }[] = [];
  for (const g of groups.values()) {
    const upTo = Object.fromEntries([...g.rows].map(([f, r]) => [f, r.id]));
    const created = g.rows.get(ROW_FIELD)?.oldValue === null && g.rows.get(ROW_FIELD)?.newValue !== null;
    const deleted = [...g.rows].some(([f, r]) => isDeletion(g.entity, f, r.newValue));
    const current = repo.get(g.entity, g.entityId);
    if (created && (deleted || !current)) {
      // Created and deleted before it was ever posted: nothing for the server.
      for (const [f, id] of Object.entries(upTo)) journal.markPosted(g.entity, g.entityId, f, id);
      continue;
    }
    if (created && current) {
      const data: Record<string, unknown> = { ...current.row };
      if (g.entity === 'creative') {
        delete data.reviewStatus;
        delete data.reviewReason;
      }
      planned.push({ cover: { entity: g.entity, entityId: g.entityId, op: 'create', fields: upTo, values: {} }, data, order: 2 * KIND_ORDER[g.entity] });
      continue;
    }
    if (deleted) {
      planned.push({ cover: { entity: g.entity, entityId: g.entityId, op: 'delete', fields: upTo, values: {} }, order: 100 + (3 - KIND_ORDER[g.entity]) });
      continue;
    }
    // Updates: per field, its own base version; at most 50 changes per mutation.
    const fields = [...g.rows].filter(
      ([f]) => f !== ROW_FIELD && f !== DELETED_FIELD && !SERVER_OWNED[g.entity].includes(f) && !open.has(`${g.entity}:${g.entityId}:${f}`),
    );
    for (let i = 0; i < fields.length; i += 50) {
      const chunk = fields.slice(i, i + 50);
      planned.push({
        cover: {
          entity: g.entity,
          entityId: g.entityId,
          op: 'update',
          fields: Object.fromEntries(chunk.map(([f, r]) => [f, r.id])),
          values: Object.fromEntries(chunk.map(([f, r]) => [f, r.newValue])),
        },
        changes: chunk.map(([f, r]) => ({ field: f, value: r.newValue, baseVersion: state.fieldBase(g.entity, g.entityId, f) })),
        // After the creates of its level, before those of the level below: the server checks a
        // child against its plan as the push left it so far (a plan turned SEARCH before its new words).
        order: 2 * KIND_ORDER[g.entity] + 1,
      });
    }
  }
  planned.sort((a, b) => a.order - b.order);
  let id = nextMutationId(settings);
  const mutations: EntityMutation[] = [];
  const covers: InFlightPush['covers'] = {};
  for (const p of planned.slice(0, 1000)) {
    const m: EntityMutation = { id, entity: p.cover.entity, entityId: p.cover.entityId, op: p.cover.op, changes: p.changes ?? [] };
    if (p.data) m.data = p.data;
    mutations.push(m);
    covers[String(id)] = p.cover;
    id++;
  }
  return { request: { clientId, mutations }, covers, held: heldEntities.size };
}

/** The plan a row belongs to, by its table's parent chain (as merchants.ts resolves the merchant). */
function planResolver(db: Db): (kind: string, id: string) => string | undefined {
  const q = (sql: string) => db.prepare(sql).pluck();
  const byKind: Partial<Record<string, ReturnType<typeof q>>> = {
    unit: q('SELECT plan_id FROM units WHERE id = ?'),
    gdBooking: q('SELECT plan_id FROM gd_bookings WHERE id = ?'),
    creative: q('SELECT u.plan_id FROM creatives x JOIN units u ON u.id = x.unit_id WHERE x.id = ?'),
    searchWord: q('SELECT u.plan_id FROM search_words x JOIN units u ON u.id = x.unit_id WHERE x.id = ?'),
    negativeWord: q('SELECT u.plan_id FROM negative_words x JOIN units u ON u.id = x.unit_id WHERE x.id = ?'),
  };
  return (kind, id) => byKind[kind]?.get(id) as string | undefined;
}

/** The newest unposted journal row under a plan (0 when none): what a plan rejection holds up to. */
function newestUnderPlan(deps: SyncDeps, planId: string): number {
  const planOf = planResolver(deps.db);
  let newest = 0;
  for (const row of deps.journal.outbox()) if (row.id > newest && row.entity !== 'plan' && planOf(row.entity, row.entityId) === planId) newest = row.id;
  return newest;
}

function applyResult(
  deps: SyncDeps,
  cover: Cover,
  bases: Record<string, number>,
  r: EntityPushResponse['results'][number],
  summary: SyncTally,
  verify: Verify[],
): void {
  const { journal, state } = deps;
  const { entity, entityId } = cover;
  const codes = [...new Set((r.errors ?? []).flatMap((e) => (e.code ? [e.code] : [])))];
  const row = (status: SyncRowResult['status'], fields: string[], message?: string) =>
    summary.results.push({
      merchantId: summary.merchantId,
      entity,
      entityId,
      status,
      fields,
      ...(message ? { message } : {}),
      ...(status === 'rejected' && codes.length > 0 ? { codes } : {}),
    });
  const postAll = () => {
    for (const [f, upTo] of Object.entries(cover.fields)) journal.markPosted(entity, entityId, f, upTo);
    state.dropRejections(entity, entityId);
  };
  // An error on a child the change would break (a plan change) names the child in its message.
  const errorText = () => (r.errors ?? []).map((e) => (e.entityId ? e.message : `${e.field}: ${e.message}`)).join('; ') || 'rejected by the server';
  const visible = (fields: string[]) => fields.filter((f) => f !== ROW_FIELD);
  // A row rejected whole is held up to the journal rows this mutation carried; a plan, up to the
  // newest unposted row under it too (buildPush releases a plan when a row under it is edited).
  const holdUpTo = () => Math.max(...Object.values(cover.fields), entity === 'plan' ? newestUnderPlan(deps, entityId) : 0);
  // The row's fields an error names; for a child's error, the fields this mutation changed.
  const errorFields = () => [...new Set((r.errors ?? []).flatMap((e) => (e.entityId ? visible(Object.keys(cover.fields)) : [e.field])))];

  if (r.status === 'duplicate') {
    // Applied by an earlier push whose answer was lost: the pull brings the version, and the
    // sent values are checked against it afterwards.
    postAll();
    if (cover.op === 'update') verify.push({ entity, entityId, values: cover.values, bases });
    summary.applied++;
    row('applied', visible(Object.keys(cover.fields)));
    return;
  }
  if (cover.op !== 'update') {
    if (r.status === 'applied') {
      postAll();
      if (r.version !== undefined) state.setEntityBase(entity, entityId, r.version);
      summary.applied++;
      row('applied', visible(Object.keys(cover.fields)));
    } else {
      // Held (not resent) until the row is edited again.
      state.putRejection(entity, entityId, '', holdUpTo(), errorText());
      summary.rejected++;
      row('rejected', errorFields(), errorText());
    }
    return;
  }
  // A shared check failed on the server (its errors carry the check's code): the row was rejected
  // whole, whatever field the check names (often one this mutation did not change). Held like a
  // rejected create, until the row is edited again.
  if (r.status === 'rejected' && codes.length > 0 && r.version === undefined) {
    state.putRejection(entity, entityId, '', holdUpTo(), errorText());
    for (const c of r.conflicts ?? []) {
      state.dropShadow(entity, entityId, c.field);
      if (!same(c.serverValue, cover.values[c.field])) state.putConflict(entity, entityId, c.field, cover.values[c.field] ?? null, c.serverValue ?? null, c.serverVersion);
    }
    summary.rejected++;
    if (r.conflicts?.length) summary.conflicts++;
    row('rejected', errorFields(), errorText());
    return;
  }
  // Partial success: `version` is present when anything applied; the fields named in errors or
  // conflicts did not land and stay in the outbox.
  const failed = new Set<string>();
  const fieldErrors = new Map<string, string[]>();
  for (const e of r.errors ?? [])
    for (const f of e.field.split(',')) {
      failed.add(f);
      fieldErrors.set(f, [...(fieldErrors.get(f) ?? []), e.message]);
    }
  for (const c of r.conflicts ?? []) failed.add(c.field);
  if (r.version !== undefined) {
    // Something landed, so the row passed the server's checks: a whole-row rejection is over.
    state.dropRejection(entity, entityId, '');
    for (const [f, upTo] of Object.entries(cover.fields)) {
      if (failed.has(f)) continue;
      journal.markPosted(entity, entityId, f, upTo);
      state.setFieldBase(entity, entityId, f, r.version);
      state.dropShadow(entity, entityId, f);
      state.dropRejection(entity, entityId, f);
    }
  }
  let heldByField = false;
  for (const [f, messages] of fieldErrors) {
    const upTo = cover.fields[f];
    if (upTo !== undefined) {
      state.putRejection(entity, entityId, f, upTo, messages.join('; '));
      heldByField = true;
    }
  }
  // Rejected for the row itself (deleted on the server meanwhile, an unknown id): no field of it
  // can be held, so the row is, until edited again. Else the same mutation goes out every sync.
  if (r.status === 'rejected' && r.version === undefined && !heldByField) state.putRejection(entity, entityId, '', holdUpTo(), errorText());
  // A "conflict" whose server value is the one sent is no conflict (e.g. an edit posted, then a
  // backup from before it restored): the field is posted at the server's version.
  const conflicts: NonNullable<typeof r.conflicts> = [];
  for (const c of r.conflicts ?? []) {
    state.dropShadow(entity, entityId, c.field);
    const upTo = cover.fields[c.field];
    if (same(c.serverValue, cover.values[c.field]) && upTo !== undefined) {
      journal.markPosted(entity, entityId, c.field, upTo);
      state.setFieldBase(entity, entityId, c.field, c.serverVersion);
    } else conflicts.push(c);
  }
  for (const c of conflicts) state.putConflict(entity, entityId, c.field, cover.values[c.field] ?? null, c.serverValue ?? null, c.serverVersion);
  if (r.status === 'conflict' && conflicts.length === 0) r = { ...r, status: 'applied' };
  r = { ...r, conflicts };
  if (r.status === 'applied') {
    summary.applied++;
    row('applied', Object.keys(cover.fields));
  } else if (r.status === 'conflict') {
    summary.conflicts++;
    row(
      'conflict',
      (r.conflicts ?? []).map((c) => c.field),
      (r.conflicts ?? []).map((c) => `${c.field}: server has ${JSON.stringify(c.serverValue)}`).join('; '),
    );
  } else {
    summary.rejected++;
    if (r.conflicts?.length) summary.conflicts++;
    row('rejected', errorFields(), errorText());
  }
}

/**
 * Applies one feed page (inside the caller's transaction). A row without pending local changes
 * becomes the server's; a row with pending changes takes only the server's other fields (their
 * bases advance, the pending fields keep theirs, so a concurrent change stays a conflict). A
 * child whose parent has not arrived yet waits (stored with the cursor) for a later page.
 */
const bulkWriters = new WeakMap<Db, BulkWriter>();

function applyFeedPage(deps: SyncDeps, changes: FeedEntry[], ORPHANS_KEY: string): number {
  const { journal, settings } = deps;
  const pending = pendingFields(journal);
  const open = deps.state.conflictKeys();
  const waiting = JSON.parse(settings.get(ORPHANS_KEY) ?? '[]') as FeedEntry[];
  // One entry per entity (a waiting orphan may come again, newer, in this page), parents first.
  // (The server sends each entity once per page: only waiting orphans can repeat one.)
  let queue = changes;
  if (waiting.length > 0) {
    const newest = new Map<string, FeedEntry>();
    for (const e of [...waiting, ...changes]) {
      const k = `${e.entity}:${e.entityId}`;
      const had = newest.get(k);
      if (!had || had.version <= e.version) newest.set(k, e);
    }
    queue = [...newest.values()];
  }
  queue = [...queue].sort((a, b) => KIND_ORDER[a.entity] - KIND_ORDER[b.entity]);
  let applied = 0;
  let bulk = bulkWriters.get(deps.db);
  if (!bulk) bulkWriters.set(deps.db, (bulk = bulkWriter(deps.db)));
  // Rows the store already has, by kind: the others are new and, without conflicts to follow,
  // are written set-at-a-time.
  const known = new Map<string, Set<string>>();
  const byKind = new Map<string, string[]>();
  for (const e of queue) {
    if (!bulk.isBulkKind(e.entity)) continue;
    const ids = byKind.get(e.entity);
    if (ids) ids.push(e.entityId);
    else byKind.set(e.entity, [e.entityId]);
  }
  for (const [kind, ids] of byKind) if (bulk.isBulkKind(kind)) known.set(kind, bulk.existing(kind, ids));
  // Parents seen in this page: 200k children of 1k units must not read their unit 200k times.
  const present = new Set<string>();
  // Repeat while progress is made: a parent later in the page lets its children in.
  for (;;) {
    const orphans: FeedEntry[] = [];
    let buffered: { kind: EntityKind; rows: { data: Record<string, unknown>; version: number }[] } | undefined;
    const flush = () => {
      if (buffered && bulk.isBulkKind(buffered.kind)) bulk.insert(buffered.kind, buffered.rows);
      buffered = undefined;
    };
    for (const e of queue) {
      if (buffered && buffered.kind !== e.entity) flush();
      const isNew = bulk.isBulkKind(e.entity) && !known.get(e.entity)?.has(e.entityId) && !present.has(`${e.entity}:${e.entityId}`);
      if (isNew && open.size === 0) {
        if (e.deleted) continue; // never seen alive here: nothing to keep
        const parent = KINDS[e.entity as LocalKind].parent;
        const parentId = String(e.data[parent.field]);
        if (parent.kind !== 'merchant' && !present.has(`${parent.kind}:${parentId}`)) {
          if (buffered) flush();
          if (!deps.repo.get(parent.kind as EntityKind, parentId)) {
            orphans.push(e);
            continue;
          }
          present.add(`${parent.kind}:${parentId}`);
        }
        let data = e.data;
        if (data.id !== e.entityId || e.entity === 'creative') {
          data = { ...e.data, id: e.entityId };
          if (e.entity === 'creative') data.reviewReason = e.reviewReason ?? null;
        }
        buffered ??= { kind: e.entity, rows: [] };
        buffered.rows.push({ data, version: e.version });
        present.add(`${e.entity}:${e.entityId}`);
        applied++;
        continue;
      }
      flush();
      const r = applyEntry(deps, e, pending.get(`${e.entity}:${e.entityId}`), open, present);
      if (r === 'orphan') orphans.push(e);
      else if (r === 'applied') applied++;
    }
    flush();
    if (orphans.length === 0 || orphans.length === queue.length) {
      if (orphans.length) settings.set(ORPHANS_KEY, JSON.stringify(orphans));
      else settings.remove(ORPHANS_KEY);
      return applied;
    }
    queue = orphans;
  }
}

function applyEntry(deps: SyncDeps, e: FeedEntry, pendingFieldsOf: Set<string> | undefined, open: Set<string>, present: Set<string>): 'applied' | 'skipped' | 'orphan' {
  const { repo, state } = deps;
  const kind = e.entity;
  const data: Record<string, unknown> = { ...e.data, id: e.entityId };
  if (kind === 'creative') data.reviewReason = e.reviewReason ?? null;
  // An open conflict follows the server: "take theirs" takes the newest server value.
  if (open.size > 0)
    for (const [f, v] of Object.entries(data)) {
      if (!open.has(`${kind}:${e.entityId}:${f}`)) continue;
      const c = state.conflict(kind, e.entityId, f);
      if (c && e.version > c.serverVersion) state.putConflict(kind, e.entityId, f, c.localValue, v, e.version);
    }
  const local = repo.get(kind, e.entityId);
  if (!local) {
    if (e.deleted) return 'skipped';
    const parent = KINDS[kind as LocalKind].parent;
    if (parent.kind !== 'merchant') {
      const parentKey = `${parent.kind}:${String(data[parent.field])}`;
      if (!present.has(parentKey)) {
        if (!repo.get(parent.kind as EntityKind, String(data[parent.field]))) return 'orphan';
        present.add(parentKey);
      }
    }
    repo.insert(kind, data as Row);
    present.add(`${kind}:${e.entityId}`);
    state.insertBase(kind, e.entityId, e.version);
    return 'applied';
  }
  if (pendingFieldsOf && pendingFieldsOf.size > 0) {
    if (e.deleted && !local.deleted) {
      // Deleted on the server while edited here: the user decides (take theirs = delete).
      state.putConflict(kind, e.entityId, DELETED_FIELD, false, true, e.version);
      return 'skipped';
    }
    for (const [f, v] of Object.entries(data)) {
      if (f === 'id') continue;
      if (pendingFieldsOf.has(f)) {
        state.putShadow(kind, e.entityId, f, v, e.version);
        continue;
      }
      if (!same(local.row[f], v)) repo.setField(kind, e.entityId, f, v);
      state.setFieldBase(kind, e.entityId, f, e.version);
    }
    return 'applied';
  }
  for (const [f, v] of Object.entries(data)) if (f !== 'id' && !same(local.row[f], v)) repo.setField(kind, e.entityId, f, v);
  if (kind === 'plan') {
    if (e.deleted && local.row.status !== 'DELETED') repo.setField('plan', e.entityId, 'status', 'DELETED');
  } else if (e.deleted !== local.deleted) repo.setDeleted(kind, e.entityId, e.deleted);
  state.setEntityBase(kind, e.entityId, e.version);
  return 'applied';
}

/** `GET /v1/me`: the token's principal and the accounts it may sync (with their details). */
export async function whoAmI(config: Omit<SyncConfig, 'merchantId'>, deps: Pick<SyncDeps, 'fetchImpl' | 'timeoutMs' | 'retry' | 'signal'>): Promise<WhoAmI> {
  return WhoAmI.parse(await request({ ...config, merchantId: '' }, deps, 'GET', '/v1/me'));
}

/** One HTTP request, retried with exponential backoff and jitter on network errors and 5xx. */
/** A conditional GET answered 304: what the client has is current. */
const NOT_MODIFIED = Symbol('not modified');
/** The ETag of the last answer to a conditional GET (see fetchExtras). */
/** What one HTTP call to the backend needs of the sync's dependencies. */
type HttpDeps = Pick<SyncDeps, 'fetchImpl' | 'timeoutMs' | 'retry' | 'signal'>;

interface Conditional {
  ifNoneMatch?: string;
  etag?: string;
}

async function request(
  config: SyncConfig,
  deps: HttpDeps,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  conditional?: Conditional,
): Promise<unknown> {
  const policy = deps.retry ?? DEFAULT_RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await requestOnce(config, deps, method, path, body, conditional);
    } catch (err) {
      const retriable = err instanceof RetriableError;
      if (!retriable || attempt >= policy.attempts) throw retriable ? err.final : err;
      const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)) * (0.5 + Math.random());
      await sleep(backoff, deps.signal);
    }
  }
}

class RetriableError extends Error {
  constructor(readonly final: ContractError) {
    super(final.message);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function requestOnce(
  config: SyncConfig,
  deps: HttpDeps,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  conditional?: Conditional,
): Promise<unknown> {
  const doFetch = deps.fetchImpl ?? fetch;
  if (deps.signal?.aborted) throw cancelled();
  const timeout = AbortSignal.timeout(deps.timeoutMs ?? 30_000);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await doFetch(new URL(path, config.serverUrl), {
      method,
      headers: {
        authorization: `Bearer ${config.token}`,
        [SCHEMA_HEADER]: String(SCHEMA_VERSION),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(conditional?.ifNoneMatch ? { 'if-none-match': conditional.ifNoneMatch } : {}),
      },
      body: body === undefined ? null : JSON.stringify(body),
      signal,
    });
    text = await res.text();
  } catch (err) {
    if (deps.signal?.aborted) throw cancelled();
    throw new RetriableError(
      new ContractError(
        'offline',
        `Cannot reach the server at ${config.serverUrl}: ${(err as Error).message}. Your changes are kept and will be posted at the next sync.`,
      ),
    );
  }
  if (res.status === 304 && conditional?.ifNoneMatch) return NOT_MODIFIED;
  if (conditional) {
    const etag = res.headers.get('etag');
    if (etag) conditional.etag = etag;
    else delete conditional.etag;
  }
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    const e = new ContractError('server_rejected', `The server answered ${res.status} with something that is not JSON.`);
    if (res.status >= 500) throw new RetriableError(e);
    throw e;
  }
  if (res.ok) return json;
  const parsed = ApiError.safeParse(json);
  const message = parsed.success ? parsed.data.error.message : `HTTP ${res.status}`;
  if (res.status === 401 || res.status === 403) throw new ContractError('unauthorized', `The server refused the credentials: ${message}`);
  if (res.status === 426) throw new ContractError('update_required', `The server needs a newer Lantern: ${message}`);
  if (res.status >= 500) throw new RetriableError(new ContractError('offline', `The server had an error (${res.status}): ${message}. Your changes are kept.`));
  // An account route answers 404 for an account this sign-in may not act for (any more).
  if (res.status === 404 && config.merchantId && path.startsWith(`/v1/accounts/${config.merchantId}/`)) {
    throw new ContractError('not_found', `The server has no account ${config.merchantId} for this sign-in (it may no longer manage it): ${message}`);
  }
  throw new ContractError('server_rejected', `The server rejected the sync: ${message}`);
}
