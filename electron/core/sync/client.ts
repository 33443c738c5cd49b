import { randomUUID } from 'node:crypto';
import { ContractError } from '../../../shared/contract/errors';
import type { SyncRowResult, SyncSummary } from '../../../shared/contract/sync';
import type { Plan } from '../../../shared/domain/entities';
import {
  ApiError,
  ChangeFeed,
  PushResponse,
  SCHEMA_HEADER,
  SCHEMA_VERSION,
  SyncablePlanField,
  type Mutation,
  type PushRequest,
} from '../../../shared/sync/wire';
import type { Db } from '../store/db';
import type { Journal } from '../store/journal';
import type { PlanRepo } from '../store/planRepo';
import type { Settings } from '../store/settings';

export interface SyncConfig {
  serverUrl: string;
  token: string;
  merchantId: string;
}

export interface SyncDeps {
  db: Db;
  plans: PlanRepo;
  journal: Journal;
  settings: Settings;
  onProgress?: (phase: 'push' | 'pull', done: number, total: number) => void;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

/** A push that was sent but whose answer we may not have seen: resent as-is, so the server dedups it. */
interface InFlightPush {
  request: PushRequest;
  /** mutation id → journal rows (field → max journal id) it carries. */
  covers: Record<string, { entityId: string; fields: Record<string, number> }>;
}

/**
 * One sync: push the outbox as mutations (client id + increasing mutation ids, base versions
 * per field), then pull the change feed from the last cursor. A row with pending local
 * changes is never overwritten by the server's copy.
 */
export async function runSync(config: SyncConfig, deps: SyncDeps): Promise<SyncSummary> {
  const { db, plans, journal, settings } = deps;
  const clientId = settings.get('sync.clientId') ?? (() => {
    const id = `cl_${randomUUID()}`;
    settings.set('sync.clientId', id);
    return id;
  })();

  const results: SyncRowResult[] = [];
  let applied = 0;
  let rejected = 0;
  let conflicts = 0;
  let pushed = 0;

  const inflightText = settings.get('sync.inflight');
  const push: InFlightPush = inflightText ? (JSON.parse(inflightText) as InFlightPush) : buildPush(clientId, deps);
  if (!inflightText && push.request.mutations.length > 0) {
    // Persist before sending: if the answer is lost, the retry reuses the same mutation ids.
    db.transaction(() => {
      settings.set('sync.inflight', JSON.stringify(push));
      settings.set('sync.nextMutationId', String(nextMutationId(settings) + push.request.mutations.length));
    })();
  }

  if (push.request.mutations.length > 0) {
    deps.onProgress?.('push', 0, push.request.mutations.length);
    const res = PushResponse.parse(await request(config, deps, 'POST', `/v1/accounts/${config.merchantId}/mutations`, push.request));
    pushed = push.request.mutations.length;
    db.transaction(() => {
      for (const r of res.results) {
        const cover = push.covers[String(r.id)];
        if (!cover) continue;
        const entityId = cover.entityId;
        if (r.status === 'duplicate') {
          // Applied by an earlier push whose answer was lost: the pull below brings the version.
          for (const [field, upTo] of Object.entries(cover.fields)) journal.markPosted('plan', entityId, field, upTo);
          applied++;
          results.push({ entity: 'plan', entityId, status: 'applied', fields: Object.keys(cover.fields) });
          continue;
        }
        // Partial success: the server applies valid, non-conflicting fields even when others fail,
        // and says so by returning a version. The fields it names in errors or conflicts stay unposted.
        const failed = new Set<string>([...(r.errors ?? []).map((e) => e.field), ...(r.conflicts ?? []).map((c) => c.field)]);
        if (r.version !== undefined) {
          for (const [field, upTo] of Object.entries(cover.fields)) if (!failed.has(field)) journal.markPosted('plan', entityId, field, upTo);
          // With a conflict pending, keep the old base so the conflict stays visible until resolved.
          if (!r.conflicts?.length) plans.setServerVersion(entityId, r.version);
        }
        if (r.status === 'applied') {
          applied++;
          results.push({ entity: 'plan', entityId, status: 'applied', fields: Object.keys(cover.fields) });
        } else if (r.status === 'conflict') {
          conflicts++;
          results.push({
            entity: 'plan',
            entityId,
            status: 'conflict',
            fields: (r.conflicts ?? []).map((c) => c.field),
            message: (r.conflicts ?? []).map((c) => `${c.field}: server has ${JSON.stringify(c.serverValue)}`).join('; '),
          });
        } else {
          rejected++;
          results.push({
            entity: 'plan',
            entityId,
            status: 'rejected',
            fields: (r.errors ?? []).map((e) => e.field),
            message: (r.errors ?? []).map((e) => `${e.field}: ${e.message}`).join('; '),
          });
        }
      }
      settings.remove('sync.inflight');
    })();
    deps.onProgress?.('push', pushed, pushed);
  }

  const cursor = Number(settings.get('sync.cursor') ?? '0');
  deps.onProgress?.('pull', 0, 1);
  const feed = ChangeFeed.parse(await request(config, deps, 'GET', `/v1/accounts/${config.merchantId}/changes?cursor=${cursor}`));
  let pulled = 0;
  db.transaction(() => {
    journal.settleNetZero(); // edits that were undone have nothing to post
    const pending = journal.pendingByEntity();
    for (const c of feed.changes) {
      if (pending.has(c.entityId)) continue; // never overwrite unposted work
      if (!plans.getPlan(c.entityId)) continue; // new server-side plans arrive with the full download (store issue)
      plans.replaceFromServer(c.data as Plan, c.version);
      pulled++;
    }
    settings.set('sync.cursor', String(feed.cursor));
    settings.set('sync.lastSyncAt', new Date().toISOString());
  })();
  deps.onProgress?.('pull', 1, 1);

  return { pushed, applied, rejected, conflicts, pulled, results, finishedAt: new Date().toISOString() };
}

function nextMutationId(settings: Settings): number {
  return Number(settings.get('sync.nextMutationId') ?? '1');
}

function buildPush(clientId: string, deps: SyncDeps): InFlightPush {
  const { journal, plans, settings } = deps;
  const byEntity = new Map<string, Map<string, { value: unknown; upTo: number }>>();
  for (const row of journal.outbox()) {
    if (row.entity !== 'plan' || !SyncablePlanField.safeParse(row.field).success) continue;
    const fields = byEntity.get(row.entityId) ?? new Map<string, { value: unknown; upTo: number }>();
    fields.set(row.field, { value: row.newValue, upTo: row.id }); // the newest value of a field wins
    byEntity.set(row.entityId, fields);
  }
  let id = nextMutationId(settings);
  const mutations: Mutation[] = [];
  const covers: InFlightPush['covers'] = {};
  for (const [entityId, fields] of byEntity) {
    const baseVersion = plans.serverVersion(entityId);
    mutations.push({
      id,
      entity: 'plan',
      entityId,
      changes: [...fields].map(([field, f]) => ({ field: field as SyncablePlanField, value: f.value, baseVersion })),
    });
    covers[String(id)] = { entityId, fields: Object.fromEntries([...fields].map(([field, f]) => [field, f.upTo])) };
    id++;
  }
  return { request: { clientId, mutations }, covers };
}

async function request(config: SyncConfig, deps: SyncDeps, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const doFetch = deps.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(new URL(path, config.serverUrl), {
      method,
      headers: {
        authorization: `Bearer ${config.token}`,
        [SCHEMA_HEADER]: String(SCHEMA_VERSION),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(deps.timeoutMs ?? 30_000),
    });
  } catch (err) {
    throw new ContractError('offline', `Cannot reach the server at ${config.serverUrl}: ${(err as Error).message}. Your changes are kept and will be posted at the next sync.`);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new ContractError('server_rejected', `The server answered ${res.status} with something that is not JSON.`);
  }
  if (res.ok) return json;
  const parsed = ApiError.safeParse(json);
  const message = parsed.success ? parsed.data.error.message : `HTTP ${res.status}`;
  if (res.status === 401 || res.status === 403) throw new ContractError('unauthorized', `The server refused the credentials: ${message}`);
  if (res.status === 426) throw new ContractError('update_required', `The server needs a newer Lantern: ${message}`);
  throw new ContractError('server_rejected', `The server rejected the sync: ${message}`);
}
