import { KINDS, type EntityKind as LocalKind } from '../../../shared/domain/kinds';
import { fieldDef } from '../../../shared/domain/fields';
import type { EntityKind, FeedEntry } from '../../../shared/sync/wire';
import type { Db } from '../store/db';
import { DELETED_FIELD, type EntityRepo, type Row } from '../store/entityRepo';
import type { Journal } from '../store/journal';
import type { Settings } from '../store/settings';
import { bulkWriter, type BulkWriter } from './bulk';
import { same } from './sameValue';
import { KIND_ORDER } from './serverKinds';
import type { SyncState } from './state';

/** What applying the feed writes: the rows, the sync bookkeeping, the waiting orphans. */
export interface ApplyDeps {
  db: Db;
  repo: EntityRepo;
  journal: Journal;
  settings: Settings;
  state: SyncState;
}

/** "kind:id" → fields with unposted net changes. */
export function pendingFields(journal: Journal): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of journal.outbox()) {
    const key = `${r.entity}:${r.entityId}`;
    const s = out.get(key) ?? new Set<string>();
    s.add(r.field);
    out.set(key, s);
  }
  return out;
}

/** One per store: its statements are prepared once, not per page. */
const bulkWriters = new WeakMap<Db, BulkWriter>();

/**
 * Applies one feed page (inside the caller's transaction). A row without pending local changes
 * becomes the server's; a row with pending changes takes only the server's other fields (their
 * bases advance, the pending fields keep theirs, so a concurrent change stays a conflict). A
 * child whose parent has not arrived yet waits (stored with the cursor, under `orphansKey`) for a later page.
 */
export function applyFeedPage(deps: ApplyDeps, changes: FeedEntry[], orphansKey: string): number {
  const { journal, settings } = deps;
  const pending = pendingFields(journal);
  const open = deps.state.conflictKeys();
  const waiting = JSON.parse(settings.get(orphansKey) ?? '[]') as FeedEntry[];
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
      if (orphans.length) settings.set(orphansKey, JSON.stringify(orphans));
      else settings.remove(orphansKey);
      return applied;
    }
    queue = orphans;
  }
}

function applyEntry(deps: ApplyDeps, e: FeedEntry, pendingFieldsOf: Set<string> | undefined, open: Set<string>, present: Set<string>): 'applied' | 'skipped' | 'orphan' {
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
      if (f === 'id' || !fieldDef(kind as LocalKind, f)) continue; // a field this version does not know is no JSON path
      if (pendingFieldsOf.has(f)) {
        state.putShadow(kind, e.entityId, f, v, e.version);
        continue;
      }
      if (!same(local.row[f], v)) repo.setField(kind, e.entityId, f, v);
      state.setFieldBase(kind, e.entityId, f, e.version);
    }
    return 'applied';
  }
  for (const [f, v] of Object.entries(data)) if (f !== 'id' && fieldDef(kind as LocalKind, f) && !same(local.row[f], v)) repo.setField(kind, e.entityId, f, v);
  if (kind === 'plan') {
    if (e.deleted && local.row.status !== 'DELETED') repo.setField('plan', e.entityId, 'status', 'DELETED');
  } else if (e.deleted !== local.deleted) repo.setDeleted(kind, e.entityId, e.deleted);
  state.setEntityBase(kind, e.entityId, e.version);
  return 'applied';
}
