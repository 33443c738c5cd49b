import type { Db } from './db';

export interface JournalChange {
  entity: string;
  entityId: string;
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

/** One net unposted change of one field: the first old value and the newest new value. */
export interface OutboxRow {
  /** The newest journal row id of this field (what markPosted takes). */
  id: number;
  entity: string;
  entityId: string;
  field: string;
  /** The value the server last had (the first unposted row's old value). */
  oldValue: unknown;
  newValue: unknown;
}

export type BatchKind = 'edit' | 'undo' | 'redo';

export interface BatchInfo {
  id: number;
  kind: BatchKind;
  target: number | null;
  label: string;
  createdAt: string;
  rows: number;
}

/** Per-row state markers, derived from the net outbox. */
export interface EntityMarkers {
  added: boolean;
  deleted: boolean;
  editedFields: string[];
}

export const ROW_FIELD = '_row';

/**
 * The journal: every change as rows of (entity, field, old, new, batch, time), written by the
 * caller inside the same transaction as the change, plus one `batches` row per batch (edit,
 * undo of batch N, redo of undo N). The outbox, the row state markers and the undo/redo stacks
 * are read from it, never stored a second time.
 */
export function journal(db: Db) {
  const NET = `SELECT u.entity, u.entity_id, u.field, u.last AS id, f.old_value, l.new_value
    FROM (SELECT entity, entity_id, field, MIN(id) AS first, MAX(id) AS last FROM journal WHERE posted_at IS NULL GROUP BY entity, entity_id, field) u
    JOIN journal f ON f.id = u.first JOIN journal l ON l.id = u.last
    WHERE f.old_value IS NOT l.new_value`;
  const stmts = {
    nextBatch: db.prepare('SELECT MAX(COALESCE((SELECT MAX(id) FROM batches), 0), COALESCE((SELECT MAX(batch_id) FROM journal), 0)) + 1 AS b'),
    insertBatch: db.prepare('INSERT INTO batches (id, kind, target, label, created_at) VALUES (?, ?, ?, ?, ?)'),
    insert: db.prepare('INSERT INTO journal (batch_id, entity, entity_id, field, old_value, new_value, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    net: db.prepare(`${NET} ORDER BY u.last`),
    netRaw: db.prepare(`${NET} ORDER BY u.last`).raw(true),
    netOf: db.prepare(`${NET.replace('WHERE posted_at IS NULL', 'WHERE posted_at IS NULL AND entity_id = ?')}`),
    netFor: db
      .prepare(
        `SELECT u.entity, u.entity_id, u.field, u.last AS id, f.old_value, l.new_value
         FROM (SELECT entity, entity_id, field, MIN(id) AS first, MAX(id) AS last FROM journal
               WHERE posted_at IS NULL AND entity = ? AND entity_id IN (SELECT value FROM json_each(?)) GROUP BY entity, entity_id, field) u
         JOIN journal f ON f.id = u.first JOIN journal l ON l.id = u.last WHERE f.old_value IS NOT l.new_value`,
      )
      .raw(true),
    netEntities: db.prepare(`SELECT COUNT(DISTINCT entity || ':' || entity_id) AS n FROM (${NET})`),
    markPosted: db.prepare('UPDATE journal SET posted_at = ? WHERE posted_at IS NULL AND entity = ? AND entity_id = ? AND field = ? AND id <= ?'),
    settle: db.prepare(`UPDATE journal SET posted_at = ? WHERE posted_at IS NULL AND id IN (
      SELECT j.id FROM journal j JOIN (
        SELECT u.entity, u.entity_id, u.field FROM (SELECT entity, entity_id, field, MIN(id) AS first, MAX(id) AS last FROM journal WHERE posted_at IS NULL GROUP BY entity, entity_id, field) u
        JOIN journal f ON f.id = u.first JOIN journal l ON l.id = u.last WHERE f.old_value IS l.new_value
      ) z ON j.entity = z.entity AND j.entity_id = z.entity_id AND j.field = z.field WHERE j.posted_at IS NULL)`),
    batchRows: db.prepare('SELECT id, entity, entity_id, field, old_value, new_value FROM journal WHERE batch_id = ? ORDER BY id'),
    batchGroups: db.prepare('SELECT entity, field, COUNT(*) AS n FROM journal WHERE batch_id = ? GROUP BY entity, field'),
    invert: db.prepare(
      'INSERT INTO journal (batch_id, entity, entity_id, field, old_value, new_value, created_at) SELECT ?, entity, entity_id, field, new_value, old_value, ? FROM journal WHERE batch_id = ? ORDER BY id DESC',
    ),
    // Undo: the newest edit/redo batch nobody has undone yet.
    undoable: db.prepare(`SELECT b.* FROM batches b WHERE b.kind IN ('edit', 'redo')
      AND NOT EXISTS (SELECT 1 FROM batches u WHERE u.kind = 'undo' AND u.target = b.id) ORDER BY b.id DESC LIMIT 1`),
    // Redo: the newest undo batch after the last edit that has not been redone.
    redoable: db.prepare(`SELECT b.* FROM batches b WHERE b.kind = 'undo'
      AND b.id > COALESCE((SELECT MAX(id) FROM batches WHERE kind = 'edit'), 0)
      AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.kind = 'redo' AND r.target = b.id) ORDER BY b.id DESC LIMIT 1`),
    history: db.prepare(`SELECT b.id, b.kind, b.target, b.label, b.created_at, (SELECT COUNT(*) FROM journal j WHERE j.batch_id = b.id) AS rows
      FROM batches b ORDER BY b.id DESC LIMIT ?`),
    batch: db.prepare('SELECT b.*, (SELECT COUNT(*) FROM journal j WHERE j.batch_id = b.id) AS rows FROM batches b WHERE b.id = ?'),
  };
  const parse = (s: string | null): unknown => (s === null ? null : (JSON.parse(s) as unknown));
  type NetDb = { entity: string; entity_id: string; field: string; id: number; old_value: string | null; new_value: string | null };
  const toOutbox = (r: NetDb): OutboxRow => ({ id: r.id, entity: r.entity, entityId: r.entity_id, field: r.field, oldValue: parse(r.old_value), newValue: parse(r.new_value) });
  const toBatch = (r: { id: number; kind: BatchKind; target: number | null; label: string; created_at: string; rows?: number }): BatchInfo => ({
    id: r.id,
    kind: r.kind,
    target: r.target,
    label: r.label,
    createdAt: r.created_at,
    rows: r.rows ?? 0,
  });

  const api = {
    /** Starts a batch; call inside the transaction that makes the change. */
    beginBatch(kind: BatchKind, label: string, target: number | null = null, now = new Date()): number {
      const batch = (stmts.nextBatch.get() as { b: number }).b;
      stmts.insertBatch.run(batch, kind, target, label.slice(0, 200), now.toISOString());
      return batch;
    },
    /** Adds rows to a batch begun with beginBatch. */
    append(batch: number, changes: JournalChange[], now = new Date()): void {
      const at = now.toISOString();
      for (const c of changes) {
        stmts.insert.run(batch, c.entity, c.entityId, c.field, JSON.stringify(c.oldValue ?? null), JSON.stringify(c.newValue ?? null), at);
      }
    },
    /** Writes one edit batch; call inside the transaction that makes the change. */
    record(changes: JournalChange[], now = new Date(), label = 'edit'): number {
      const batch = api.beginBatch('edit', label, null, now);
      api.append(batch, changes, now);
      return batch;
    },
    /** Net unposted changes, oldest first. */
    outbox(): OutboxRow[] {
      return (stmts.net.all() as NetDb[]).map(toOutbox);
    },
    /** Net unposted changes of one entity. */
    outboxOf(entityId: string): OutboxRow[] {
      return (stmts.netOf.all(entityId) as NetDb[]).map(toOutbox);
    },
    /** entityId → fields with unposted net changes. */
    pendingByEntity(): Map<string, string[]> {
      const out = new Map<string, string[]>();
      for (const r of stmts.netRaw.iterate() as Iterable<unknown[]>) {
        const id = r[1] as string;
        const list = out.get(id);
        if (list) list.push(r[2] as string);
        else out.set(id, [r[2] as string]);
      }
      return out;
    },
    /** Per entity ("kind:id"): added / deleted / edited fields; all entities, or some of one kind. */
    markers(only?: { entity: string; ids: readonly string[] }): Map<string, EntityMarkers> {
      const out = new Map<string, EntityMarkers>();
      const rows = only ? stmts.netFor.iterate(only.entity, JSON.stringify(only.ids)) : stmts.netRaw.iterate();
      for (const r of rows as Iterable<unknown[]>) {
        const key = `${r[0] as string}:${r[1] as string}`;
        let m = out.get(key);
        if (!m) out.set(key, (m = { added: false, deleted: false, editedFields: [] }));
        const field = r[2] as string;
        if (field === ROW_FIELD) m.added = r[4] === 'null';
        else if (field === 'deleted') m.deleted = r[5] === 'true';
        else if (r[0] === 'plan' && field === 'status' && r[5] === '"DELETED"') m.deleted = true;
        else m.editedFields.push(field);
      }
      return out;
    },
    pendingCount(): number {
      return (stmts.netEntities.get() as { n: number }).n;
    },
    /** Marks the unposted rows of one field up to `upToId` as acknowledged by the server. */
    markPosted(entity: string, entityId: string, field: string, upToId: number, now = new Date()): void {
      stmts.markPosted.run(now.toISOString(), entity, entityId, field, upToId);
    },
    /** Rows whose changes cancel out (edit then undo) have nothing to post: settle them. */
    settleNetZero(now = new Date()): number {
      return stmts.settle.run(now.toISOString()).changes;
    },
    batchRows(batch: number): JournalChange[] {
      return (stmts.batchRows.all(batch) as { entity: string; entity_id: string; field: string; old_value: string; new_value: string }[]).map((r) => ({
        entity: r.entity,
        entityId: r.entity_id,
        field: r.field,
        oldValue: parse(r.old_value),
        newValue: parse(r.new_value),
      }));
    },
    batchGroups(batch: number): { entity: string; field: string; n: number }[] {
      return stmts.batchGroups.all(batch) as { entity: string; field: string; n: number }[];
    },
    /** Journals the inverse of `batch` (old and new swapped, newest first) into `into`. */
    appendInverse(into: number, batch: number, now = new Date()): number {
      return stmts.invert.run(into, now.toISOString(), batch).changes;
    },
    undoable(): BatchInfo | undefined {
      const r = stmts.undoable.get() as Parameters<typeof toBatch>[0] | undefined;
      return r && toBatch(r);
    },
    redoable(): BatchInfo | undefined {
      const r = stmts.redoable.get() as Parameters<typeof toBatch>[0] | undefined;
      return r && toBatch(r);
    },
    batch(id: number): BatchInfo | undefined {
      const r = stmts.batch.get(id) as Parameters<typeof toBatch>[0] | undefined;
      return r && toBatch(r);
    },
    history(limit = 50): BatchInfo[] {
      return (stmts.history.all(limit) as Parameters<typeof toBatch>[0][]).map(toBatch);
    },
  };
  return api;
}

export type Journal = ReturnType<typeof journal>;
