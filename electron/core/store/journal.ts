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

/** A set entry's changes: [entity id, old value, new value]. */
export type SetItem = [string, unknown, unknown];

/**
 * One journal row as stored: a one-entity change (entityId set) or a set entry (isSet; its
 * items stay in SQLite, read with setItems or walked by SQL).
 */
export interface JournalEntry {
  id: number;
  entity: string;
  entityId: string | null;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  isSet: boolean;
  /** How many changes the row stands for (1, or a set entry's item count). */
  n: number;
}

export const ROW_FIELD = '_row';

/** Net change of one field while reading the journal; handed out as the OutboxRow itself. */
interface Net extends OutboxRow {
  entity: string;
  entityId: string;
  field: string;
  firstId: number;
  /** The newest journal id (OutboxRow.id). */
  id: number;
  oldValue: unknown;
  newValue: unknown;
}

/** Receives one net change: (entity, entity id, field, first journal id, newest journal id, old, new). */
type Visit = (entity: string, entityId: string, field: string, firstId: number, id: number, oldValue: unknown, newValue: unknown) => void;

const eq = (a: unknown, b: unknown) => a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));
const parse = (s: string | null): unknown => (s === null ? null : (JSON.parse(s) as unknown));

/**
 * The journal: every change as rows of (entity, field, old, new, batch, time), written by the
 * caller inside the same transaction as the change, plus one `batches` row per batch (edit,
 * undo of batch N, redo of undo N). A change of one field of many entities (a bulk edit, a CSV
 * import, their undo) is one set entry holding [id, old, new] per entity instead of a row per
 * entity. The outbox, the row state markers and the undo/redo stacks are read from it, never
 * stored a second time.
 */
export function journal(db: Db) {
  // Unposted one-entity rows in (entity, entity_id, field, id) order: the partial index, no sort.
  const UNPOSTED = 'SELECT entity, entity_id, field, id, old_value, new_value FROM journal WHERE posted_at IS NULL AND items IS NULL';
  const ORDER = 'ORDER BY entity, entity_id, field, id';
  const stmts = {
    nextBatch: db.prepare('SELECT MAX(COALESCE((SELECT MAX(id) FROM batches), 0), COALESCE((SELECT MAX(batch_id) FROM journal), 0)) + 1 AS b'),
    insertBatch: db.prepare('INSERT INTO batches (id, kind, target, label, created_at) VALUES (?, ?, ?, ?, ?)'),
    insert: db.prepare('INSERT INTO journal (batch_id, entity, entity_id, field, old_value, new_value, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    insertSet: db.prepare("INSERT INTO journal (batch_id, entity, entity_id, field, items, n, created_at) VALUES (?, ?, '', ?, ?, ?, ?)"),
    unposted: db.prepare(`${UNPOSTED} ${ORDER}`).raw(true),
    unpostedFor: db.prepare(`${UNPOSTED} AND entity = ? AND entity_id IN (SELECT value FROM json_each(?)) ${ORDER}`).raw(true),
    unpostedSets: db.prepare('SELECT id, entity, field FROM journal WHERE posted_at IS NULL AND items IS NOT NULL ORDER BY id').raw(true),
    setItems: db.prepare('SELECT items, swapped FROM journal WHERE id = ?').raw(true),
    insertInverseSet: db.prepare("INSERT INTO journal (batch_id, entity, entity_id, field, items, n, created_at, swapped) SELECT ?, entity, '', field, items, n, ?, 1 - swapped FROM journal WHERE id = ?"),
    setCovering: db.prepare('SELECT 1 FROM journal WHERE posted_at IS NULL AND items IS NOT NULL AND entity = ? AND field = ? AND id <= ? LIMIT 1').pluck(),
    marks: db.prepare('SELECT entity, entity_id, field, upto FROM journal_posted').raw(true),
    hasMarks: db.prepare('SELECT 1 FROM journal_posted LIMIT 1').pluck(),
    putMark: db.prepare('INSERT INTO journal_posted (entity, entity_id, field, upto) VALUES (?, ?, ?, ?) ON CONFLICT (entity, entity_id, field) DO UPDATE SET upto = MAX(upto, excluded.upto)'),
    dropMarksBelow: db.prepare('DELETE FROM journal_posted WHERE upto < ?'),
    dropAllMarks: db.prepare('DELETE FROM journal_posted'),
    postEntry: db.prepare('UPDATE journal SET posted_at = ? WHERE id = ? AND posted_at IS NULL'),
    maxId: db.prepare('SELECT COALESCE(MAX(id), 0) FROM journal').pluck(),
    markPosted: db.prepare('UPDATE journal SET posted_at = ? WHERE posted_at IS NULL AND entity = ? AND entity_id = ? AND field = ? AND id <= ?'),
    settleField: db.prepare('UPDATE journal SET posted_at = ? WHERE posted_at IS NULL AND entity = ? AND entity_id = ? AND field = ?'),
    entries: db.prepare('SELECT id, entity, entity_id, field, old_value, new_value, items IS NOT NULL, n FROM journal WHERE batch_id = ? ORDER BY id').raw(true),
    // Undo: the newest edit/redo batch nobody has undone yet.
    undoable: db.prepare(`SELECT b.* FROM batches b WHERE b.kind IN ('edit', 'redo')
      AND NOT EXISTS (SELECT 1 FROM batches u WHERE u.kind = 'undo' AND u.target = b.id) ORDER BY b.id DESC LIMIT 1`),
    // Redo: the newest undo batch after the last edit that has not been redone.
    redoable: db.prepare(`SELECT b.* FROM batches b WHERE b.kind = 'undo'
      AND b.id > COALESCE((SELECT MAX(id) FROM batches WHERE kind = 'edit'), 0)
      AND NOT EXISTS (SELECT 1 FROM batches r WHERE r.kind = 'redo' AND r.target = b.id) ORDER BY b.id DESC LIMIT 1`),
    history: db.prepare(`SELECT b.id, b.kind, b.target, b.label, b.created_at, (SELECT COALESCE(SUM(n), 0) FROM journal j WHERE j.batch_id = b.id) AS rows
      FROM batches b ORDER BY b.id DESC LIMIT ?`),
    batch: db.prepare('SELECT b.*, (SELECT COALESCE(SUM(n), 0) FROM journal j WHERE j.batch_id = b.id) AS rows FROM batches b WHERE b.id = ?'),
  };

  /**
   * Parsed items of set entries, by journal id. A set entry's items never change once written
   * (only its posted_at does), so a parse can be reused; restore() replaces the journal and
   * must call forget(). Bounded by the number of items held.
   */
  const parsed = new Map<number, SetItem[]>();
  let parsedItems = 0;
  const MAX_PARSED_ITEMS = 400_000;
  const itemsOf = (id: number): SetItem[] => {
    const hit = parsed.get(id);
    if (hit) return hit;
    const [text, swapped] = (stmts.setItems.get(id) as [string | null, number] | undefined) ?? ['[]', 0];
    const items = JSON.parse(text ?? '[]') as SetItem[];
    // A swapped entry (the undo of a set entry) holds its items as [id, new, old].
    if (swapped) for (const it of items) [it[1], it[2]] = [it[2], it[1]];
    remember(id, items);
    return items;
  };
  function remember(id: number, items: SetItem[]): void {
    if (items.length > MAX_PARSED_ITEMS) return;
    while (parsedItems + items.length > MAX_PARSED_ITEMS && parsed.size) {
      const [k, v] = parsed.entries().next().value as [number, SetItem[]];
      parsed.delete(k);
      indexes.delete(k);
      parsedItems -= v.length;
    }
    parsed.set(id, items);
    parsedItems += items.length;
  }
  /**
   * A set entry's items for a full read. Parsing 100k+ items is most of an outbox read, and the
   * sync client reads the outbox once per pushed round and per pulled page, so the parse is
   * kept (bounded by MAX_PARSED_ITEMS); an entry too big to keep is parsed afresh each time.
   */
  const readItems = (id: number): SetItem[] => itemsOf(id);
  /** Entity id → index in a set entry's items (for lookups of a few entities). */
  const indexes = new Map<number, Map<string, number>>();
  const indexOf = (id: number): Map<string, number> => {
    let m = indexes.get(id);
    if (!m) {
      m = new Map();
      const items = itemsOf(id);
      for (let i = 0; i < items.length; i++) m.set((items[i] as SetItem)[0], i);
      // Kept as long as the parse it indexes (remember() drops both).
      if (parsed.has(id)) indexes.set(id, m);
    }
    return m;
  };

  /** Posted marks of set-entry changes: "entity\tfield" → entity id → upto. */
  function loadMarks(): Map<string, Map<string, number>> | undefined {
    if (!stmts.hasMarks.get()) return undefined;
    const out = new Map<string, Map<string, number>>();
    for (const [e, id, f, upto] of stmts.marks.iterate() as Iterable<[string, string, string, number]>) {
      const k = `${e}\t${f}`;
      let m = out.get(k);
      if (!m) out.set(k, (m = new Map()));
      m.set(id, upto);
    }
    return out;
  }

  /**
   * Walks the net unposted change of every field (or of some entities of one kind): one-entity
   * rows grouped by the outbox index, set entries merged by id order. Both kinds of rows share
   * one id sequence, so the earliest old value and the newest new value are found by id. A
   * field with one unposted set entry (the usual case) is walked straight from its parsed items:
   * nothing is allocated per change unless the visitor keeps it.
   */
  function walkNet(visit: Visit, only?: { entity: string; ids: readonly string[] }, keepZero = false): void {
    const onlyIds = only ? new Set(only.ids) : undefined;
    const sets = (stmts.unpostedSets.all() as [number, string, string][]).filter((s) => !only || s[1] === only.entity);
    // Merged fields (several set entries, posted marks, one-entity rows): id → net.
    const cols = new Map<string, Map<string, Net>>();
    // Fields with one unposted set entry and nothing else: walked from its items at the end.
    const direct = new Map<string, { sid: number; entity: string; field: string; items: SetItem[] }>();
    if (sets.length) {
      const marks = loadMarks();
      const byCol = new Map<string, [number, string, string][]>();
      for (const e of sets) {
        const k = `${e[1]}\t${e[2]}`;
        const list = byCol.get(k);
        if (list) list.push(e);
        else byCol.set(k, [e]);
      }
      for (const [colKey, entries] of byCol) {
        const mark = marks?.get(colKey);
        if (!onlyIds && entries.length === 1 && !mark) {
          const [sid, entity, field] = entries[0] as [number, string, string];
          direct.set(colKey, { sid, entity, field, items: readItems(sid) });
          continue;
        }
        const col = new Map<string, Net>();
        cols.set(colKey, col);
        for (const [sid, entity, field] of entries) {
          const add = (it: SetItem) => {
            const id = it[0];
            if (mark && (mark.get(id) ?? 0) >= sid) return;
            const cur = col.get(id);
            if (cur) {
              cur.id = sid;
              cur.newValue = it[2];
            } else col.set(id, { entity, entityId: id, field, firstId: sid, id: sid, oldValue: it[1], newValue: it[2] });
          };
          if (onlyIds) {
            const items = itemsOf(sid);
            const index = indexOf(sid);
            for (const id of onlyIds) {
              const i = index.get(id);
              if (i !== undefined) add(items[i] as SetItem);
            }
          } else {
            const items = readItems(sid);
            for (let i = 0; i < items.length; i++) add(items[i] as SetItem);
          }
        }
      }
    }
    /** The merge map of a field, built from its directly walked set entry on first need. */
    const colOf = (colKey: string): Map<string, Net> | undefined => {
      const col = cols.get(colKey);
      if (col) return col;
      const d = direct.get(colKey);
      if (!d) return undefined;
      const m = new Map<string, Net>();
      for (const it of d.items) m.set(it[0], { entity: d.entity, entityId: it[0], field: d.field, firstId: d.sid, id: d.sid, oldValue: it[1], newValue: it[2] });
      direct.delete(colKey);
      cols.set(colKey, m);
      return m;
    };
    // One-entity rows, grouped per field.
    const rows = (only ? stmts.unpostedFor.iterate(only.entity, JSON.stringify(only.ids)) : stmts.unposted.iterate()) as Iterable<[string, string, string, number, string | null, string | null]>;
    let cur: [string, string, string, number, number, string | null, string | null] | undefined; // entity, id, field, firstId, lastId, firstOld, lastNew
    const flush = () => {
      if (!cur) return;
      const col = cols.size || direct.size ? colOf(`${cur[0]}\t${cur[2]}`) : undefined;
      const s = col?.get(cur[1]);
      if (s) {
        // Merge with the set entries' changes of the same field.
        if (cur[3] < s.firstId) {
          s.firstId = cur[3];
          s.oldValue = parse(cur[5]);
        }
        if (cur[4] > s.id) {
          s.id = cur[4];
          s.newValue = parse(cur[6]);
        }
        return;
      }
      if (cur[5] === cur[6] && !keepZero) return;
      const o = parse(cur[5]);
      const n = parse(cur[6]);
      if (keepZero || !eq(o, n)) visit(cur[0], cur[1], cur[2], cur[3], cur[4], o, n);
    };
    for (const r of rows) {
      if (cur && cur[0] === r[0] && cur[1] === r[1] && cur[2] === r[2]) {
        cur[4] = r[3];
        cur[6] = r[5];
        continue;
      }
      flush();
      cur = [r[0], r[1], r[2], r[3], r[3], r[4], r[5]];
    }
    flush();
    for (const d of direct.values()) {
      const { sid, entity, field, items } = d;
      for (let i = 0; i < items.length; i++) {
        const it = items[i] as SetItem;
        if (keepZero || !eq(it[1], it[2])) visit(entity, it[0], field, sid, sid, it[1], it[2]);
      }
    }
    for (const col of cols.values()) for (const n of col.values()) if (keepZero || !eq(n.oldValue, n.newValue)) visit(n.entity, n.entityId, n.field, n.firstId, n.id, n.oldValue, n.newValue);
  }

  /** The net unposted changes as rows (see walkNet). */
  function computeNet(only?: { entity: string; ids: readonly string[] }, keepZero = false): Net[] {
    const out: Net[] = [];
    walkNet((entity, entityId, field, firstId, id, oldValue, newValue) => out.push({ entity, entityId, field, firstId, id, oldValue, newValue }), only, keepZero);
    return out;
  }

  /**
   * A set entry whose every change has been posted (marks at or above its id) becomes posted
   * itself; marks below the oldest unposted set entry are no longer needed.
   */
  function settleSets(now: string): void {
    if (!stmts.hasMarks.get()) return;
    const marks = loadMarks();
    for (const [sid, entity, field] of stmts.unpostedSets.all() as [number, string, string][]) {
      const mark = marks?.get(`${entity}\t${field}`);
      if (!mark) continue;
      const items = itemsOf(sid);
      if (items.every((it) => (mark.get(it[0]) ?? 0) >= sid)) stmts.postEntry.run(now, sid);
    }
    const oldest = (stmts.unpostedSets.get() as [number] | undefined)?.[0];
    if (oldest === undefined) stmts.dropAllMarks.run();
    else stmts.dropMarksBelow.run(oldest);
  }
  let marksDirty = false;
  const settleIfNeeded = () => {
    if (!marksDirty) return;
    marksDirty = false;
    settleSets(new Date().toISOString());
  };

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
    /**
     * Adds one set entry: one field of many entities of one kind, `items` the JSON text of
     * [id, old, new] triples (each id at most once). Returns the entry's journal id.
     */
    appendSet(batch: number, entity: string, field: string, items: string, count: number, now = new Date()): number {
      return Number(stmts.insertSet.run(batch, entity, field, items, count, now.toISOString()).lastInsertRowid);
    },
    /** Writes one edit batch; call inside the transaction that makes the change. */
    record(changes: JournalChange[], now = new Date(), label = 'edit'): number {
      const batch = api.beginBatch('edit', label, null, now);
      api.append(batch, changes, now);
      return batch;
    },
    /** Net unposted changes, oldest first. */
    outbox(): OutboxRow[] {
      settleIfNeeded();
      return computeNet()
        .sort((a, b) => a.id - b.id);
    },
    /** Net unposted changes of some entities of one kind. */
    outboxOf(entity: string, ids: readonly string[]): OutboxRow[] {
      settleIfNeeded();
      return computeNet({ entity, ids })
        .sort((a, b) => a.id - b.id);
    },
    /** entityId → fields with unposted net changes. */
    pendingByEntity(): Map<string, string[]> {
      settleIfNeeded();
      const out = new Map<string, string[]>();
      for (const r of computeNet().sort((a, b) => a.id - b.id)) {
        const list = out.get(r.entityId);
        if (list) list.push(r.field);
        else out.set(r.entityId, [r.field]);
      }
      return out;
    },
    /** Per entity ("kind:id"): added / deleted / edited fields; all entities, or some of one kind. */
    markers(only?: { entity: string; ids: readonly string[] }): Map<string, EntityMarkers> {
      settleIfNeeded();
      const out = new Map<string, EntityMarkers>();
      // Most entities of a big account carry the same marker ("edited: bidFen"): those share one
      // frozen object per field until a second change of the entity needs a copy of its own.
      const shared = new Map<string, EntityMarkers>();
      const owned = new Set<EntityMarkers>();
      walkNet((entity, entityId, field, _firstId, _id, oldValue, newValue) => {
        const key = `${entity}:${entityId}`;
        const isEdit = field !== ROW_FIELD && field !== 'deleted' && !(entity === 'plan' && field === 'status' && newValue === 'DELETED');
        let m = out.get(key);
        if (!m && isEdit) {
          let s = shared.get(field);
          if (!s) shared.set(field, (s = Object.freeze({ added: false, deleted: false, editedFields: Object.freeze([field]) as string[] })));
          out.set(key, s);
          return;
        }
        if (!m || !owned.has(m)) {
          m = m ? { added: m.added, deleted: m.deleted, editedFields: [...m.editedFields] } : { added: false, deleted: false, editedFields: [] };
          owned.add(m);
          out.set(key, m);
        }
        if (field === ROW_FIELD) m.added = oldValue === null;
        else if (field === 'deleted') m.deleted = newValue === true;
        else if (!isEdit) m.deleted = true;
        else m.editedFields.push(field);
      }, only);
      return out;
    },
    pendingCount(): number {
      settleIfNeeded();
      const seen = new Set<string>();
      for (const r of computeNet()) seen.add(`${r.entity}:${r.entityId}`);
      return seen.size;
    },
    /** Marks the unposted rows of one field up to `upToId` as acknowledged by the server. */
    markPosted(entity: string, entityId: string, field: string, upToId: number, now = new Date()): void {
      stmts.markPosted.run(now.toISOString(), entity, entityId, field, upToId);
      if (stmts.setCovering.get(entity, field, upToId)) {
        stmts.putMark.run(entity, entityId, field, Math.min(upToId, stmts.maxId.get() as number));
        marksDirty = true;
      }
    },
    /** Rows whose changes cancel out (edit then undo) have nothing to post: settle them. */
    settleNetZero(now = new Date()): number {
      const at = now.toISOString();
      settleSets(at);
      // Net per field over everything unposted, keeping the fields that cancel out.
      const zero = new Map<string, Set<string>>(); // "entity\tfield" → entity ids
      let n = 0;
      const sets = stmts.unpostedSets.all() as [number, string, string][];
      const setCols = new Set(sets.map((s) => `${s[1]}\t${s[2]}`));
      const all = computeNet(undefined, true);
      for (const r of all) {
        if (!eq(r.oldValue, r.newValue)) continue;
        const k = `${r.entity}\t${r.field}`;
        n += stmts.settleField.run(at, r.entity, r.entityId, r.field).changes;
        if (setCols.has(k)) {
          let s = zero.get(k);
          if (!s) zero.set(k, (s = new Set()));
          s.add(r.entityId);
        }
      }
      if (zero.size === 0) return n;
      // Set entries: wholly cancelled ones are posted; elsewhere the cancelled changes get marks.
      const marks = loadMarks();
      const top = stmts.maxId.get() as number;
      for (const [sid, entity, field] of sets) {
        const k = `${entity}\t${field}`;
        const z = zero.get(k);
        if (!z) continue;
        const mark = marks?.get(k);
        const items = itemsOf(sid);
        const open = items.filter((it) => !z.has(it[0]) && !(mark && (mark.get(it[0]) ?? 0) >= sid));
        if (open.length === 0) {
          stmts.postEntry.run(at, sid);
          n += items.length;
          continue;
        }
        for (const it of items) {
          if (z.has(it[0])) {
            stmts.putMark.run(entity, it[0], field, top);
            n++;
          }
        }
      }
      settleSets(at);
      return n;
    },
    /** A batch's journal rows as stored (set entries not expanded), oldest first. */
    entries(batch: number): JournalEntry[] {
      return (stmts.entries.all(batch) as [number, string, string | null, string, string | null, string | null, number, number][]).map((r) => ({
        id: r[0],
        entity: r[1],
        entityId: r[6] ? null : r[2],
        field: r[3],
        oldValue: r[4],
        newValue: r[5],
        isSet: r[6] === 1,
        n: r[7],
      }));
    },
    /** Journals the inverse of a batch's entries (old and new swapped, newest first) into `into`. */
    appendInverse(into: number, entries: JournalEntry[], now = new Date()): number {
      const at = now.toISOString();
      let n = 0;
      for (let i = entries.length - 1; i >= 0; i--) {
        const e = entries[i] as JournalEntry;
        if (e.entityId !== null) {
          stmts.insert.run(into, e.entity, e.entityId, e.field, e.newValue, e.oldValue, at);
          n++;
        } else {
          // The same items, copied inside SQLite and read the other way round (swapped).
          stmts.insertInverseSet.run(into, at, e.id);
          n += e.n;
        }
      }
      return n;
    },
    /** Parsed items of a set entry. */
    setItems: (id: number): SetItem[] => itemsOf(id),
    /** Drops what is remembered about journal rows (after the journal was replaced). */
    forget(): void {
      parsed.clear();
      indexes.clear();
      parsedItems = 0;
      marksDirty = true;
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
