import type { EntityKind, EntityMutation, EntityPushRequest } from '../../../shared/sync/wire';
import type { Db } from '../store/db';
import { DELETED_FIELD, ROW_FIELD, type EntityRepo } from '../store/entityRepo';
import type { Journal } from '../store/journal';
import type { Ownership } from '../store/ownership';
import type { Settings } from '../store/settings';
import { isServerKind, KIND_ORDER } from './serverKinds';
import { NEXT_MUTATION_ID_KEY } from './settingsKeys';
import type { SyncState } from './state';

/** What building a push reads: the outbox, the rows it carries and the sync bookkeeping. */
export interface BuildPushDeps {
  db: Db;
  owners: Ownership;
  repo: EntityRepo;
  journal: Journal;
  settings: Settings;
  state: SyncState;
}

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
export interface Cover {
  entity: EntityKind;
  entityId: string;
  op: Op;
  fields: Record<string, number>;
  values: Record<string, unknown>;
}
/** A push that was sent but whose answer we may not have seen: resent as-is, so the server dedups it. */
export interface InFlightPush {
  request: EntityPushRequest;
  covers: Record<string, Cover>;
}

const isDeletion = (kind: string, field: string, value: unknown) => (kind === 'plan' ? field === 'status' && value === 'DELETED' : field === DELETED_FIELD && value === true);

export function nextMutationId(settings: Settings): number {
  return Number(settings.get(NEXT_MUTATION_ID_KEY) ?? '1');
}

/**
 * The next push of one merchant: its outbox rows, less those the server rejected and nobody
 * edited since (`held`: the newest journal row of the field is the one that was rejected).
 */
export function buildPush(clientId: string, merchantId: string, deps: BuildPushDeps): InFlightPush & { held: number } {
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
    for (const row of outbox) {
      if (row.id <= since || row.entity === 'plan') continue;
      const planId = deps.owners.planOf(row.entity, row.entityId);
      const upTo = planId === undefined ? undefined : heldPlans.get(planId);
      if (upTo !== undefined && row.id > upTo) newest.set(`plan:${planId}`, Math.max(newest.get(`plan:${planId}`) ?? 0, row.id));
    }
  }
  const mine = deps.owners.ownedBy(merchantId);
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
