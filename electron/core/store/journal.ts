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
  // Unposted rows in (entity, entity_id, field, id) order: the partial index, no sort. The net
  // change of a field is its first row's old value and its last row's new value.
  const UNPOSTED = 'SELECT entity, entity_id, field, id, old_value, new_value FROM journal WHERE posted_at IS NULL';
  const ORDER = 'ORDER BY entity, entity_id, field, id';
  const stmts = {
    nextBatch: db.prepare('SELECT MAX(COALESCE((SELECT MAX(id) FROM batches), 0), COALESCE((SELECT MAX(batch_id) FROM journal), 0)) + 1 AS b'),
    insertBatch: db.prepare('INSERT INTO batches (id, kind, target, label, created_at) VALUES (?, ?, ?, ?, ?)'),
    insert: db.prepare('INSERT INTO journal (batch_id, entity, entity_id, field, old_value, new_value, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    unposted: db.prepare(`${UNPOSTED} ${ORDER}`).raw(true),
    unpostedFor: db.prepare(`${UNPOSTED} AND entity = ? AND entity_id IN (SELECT value FROM json_each(?)) ${ORDER}`).raw(true),
    markPosted: db.prepare('UPDATE journal SET posted_at = ? WHERE posted_at IS NULL AND entity = ? AND entity_id = ? AND field = ? AND id <= ?'),
    settleField: db.prepare('UPDATE journal SET posted_at = ? WHERE posted_at IS NULL AND entity = ? AND entity_id = ? AND field = ?'),
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
  /** [entity, entityId, field, lastId, firstOld, lastNew] per field with a net change. */
  type Net = [string, string, string, number, string | null, string | null];
  function* net(rows: Iterable<unknown[]>): Generator<Net> {
    let cur: Net | undefined;
    for (const r of rows) {
      if (cur && cur[0] === r[0] && cur[1] === r[1] && cur[2] === r[2]) {
        cur[3] = r[3] as number;
        cur[5] = r[5] as string | null;
        continue;
      }
      if (cur && cur[4] !== cur[5]) yield cur;
      cur = [r[0] as string, r[1] as string, r[2] as string, r[3] as number, r[4] as string | null, r[5] as string | null];
    }
    if (cur && cur[4] !== cur[5]) yield cur;
  }
  const toOutbox = (r: Net): OutboxRow => ({ id: r[3], entity: r[0], entityId: r[1], field: r[2], oldValue: parse(r[4]), newValue: parse(r[5]) });
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
      const out: OutboxRow[] = [];
      for (const r of net(stmts.unposted.iterate() as Iterable<unknown[]>)) out.push(toOutbox(r));
      return out.sort((a, b) => a.id - b.id);
    },
    /** Net unposted changes of some entities of one kind. */
    outboxOf(entity: string, ids: readonly string[]): OutboxRow[] {
      return [...net(stmts.unpostedFor.iterate(entity, JSON.stringify(ids)) as Iterable<unknown[]>)].map(toOutbox);
    },
    /** entityId → fields with unposted net changes. */
    pendingByEntity(): Map<string, string[]> {
      const out = new Map<string, string[]>();
      const rows = [...net(stmts.unposted.iterate() as Iterable<unknown[]>)].sort((a, b) => a[3] - b[3]);
      for (const r of rows) {
        const list = out.get(r[1]);
        if (list) list.push(r[2]);
        else out.set(r[1], [r[2]]);
      }
      return out;
    },
    /** Per entity ("kind:id"): added / deleted / edited fields; all entities, or some of one kind. */
    markers(only?: { entity: string; ids: readonly string[] }): Map<string, EntityMarkers> {
      const out = new Map<string, EntityMarkers>();
      const rows = only ? stmts.unpostedFor.iterate(only.entity, JSON.stringify(only.ids)) : stmts.unposted.iterate();
      for (const r of net(rows as Iterable<unknown[]>)) {
        const key = `${r[0]}:${r[1]}`;
        let m = out.get(key);
        if (!m) out.set(key, (m = { added: false, deleted: false, editedFields: [] }));
        const field = r[2];
        if (field === ROW_FIELD) m.added = r[4] === 'null';
        else if (field === 'deleted') m.deleted = r[5] === 'true';
        else if (r[0] === 'plan' && field === 'status' && r[5] === '"DELETED"') m.deleted = true;
        else m.editedFields.push(field);
      }
      return out;
    },
    pendingCount(): number {
      const seen = new Set<string>();
      for (const r of net(stmts.unposted.iterate() as Iterable<unknown[]>)) seen.add(`${r[0]}:${r[1]}`);
      return seen.size;
    },
    /** Marks the unposted rows of one field up to `upToId` as acknowledged by the server. */
    markPosted(entity: string, entityId: string, field: string, upToId: number, now = new Date()): void {
      stmts.markPosted.run(now.toISOString(), entity, entityId, field, upToId);
    },
    /** Rows whose changes cancel out (edit then undo) have nothing to post: settle them. */
    settleNetZero(now = new Date()): number {
      const zero: [string, string, string][] = [];
      let cur: unknown[] | undefined;
      let firstOld: unknown;
      const flush = () => {
        if (cur && firstOld === cur[5]) zero.push([cur[0] as string, cur[1] as string, cur[2] as string]);
      };
      for (const r of stmts.unposted.iterate() as Iterable<unknown[]>) {
        if (!(cur && cur[0] === r[0] && cur[1] === r[1] && cur[2] === r[2])) {
          flush();
          firstOld = r[4];
        }
        cur = r;
      }
      flush();
      const at = now.toISOString();
      let n = 0;
      for (const [e, id, f] of zero) n += stmts.settleField.run(at, e, id, f).changes;
      return n;
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
