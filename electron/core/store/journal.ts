import type { Db } from './db';

export interface JournalChange {
  entity: string;
  entityId: string;
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

export interface OutboxRow {
  id: number;
  entity: string;
  entityId: string;
  field: string;
  newValue: unknown;
}

/**
 * The journal: every change as rows of (entity, field, old, new, batch, time), written by the
 * caller inside the same transaction as the change. The outbox and the row state markers are
 * read from it, never stored a second time.
 */
export function journal(db: Db) {
  const stmts = {
    nextBatch: db.prepare('SELECT COALESCE(MAX(batch_id), 0) + 1 AS b FROM journal'),
    insert: db.prepare(
      'INSERT INTO journal (batch_id, entity, entity_id, field, old_value, new_value, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    outbox: db.prepare('SELECT id, entity, entity_id, field, new_value FROM journal WHERE posted_at IS NULL ORDER BY id'),
    pendingFields: db.prepare(
      'SELECT entity_id, field FROM journal WHERE posted_at IS NULL GROUP BY entity_id, field ORDER BY MIN(id)',
    ),
    pendingEntities: db.prepare('SELECT COUNT(DISTINCT entity || \':\' || entity_id) AS n FROM journal WHERE posted_at IS NULL'),
    markPosted: db.prepare('UPDATE journal SET posted_at = ? WHERE posted_at IS NULL AND entity = ? AND entity_id = ? AND field = ? AND id <= ?'),
  };
  return {
    /** Writes one batch; call inside the transaction that makes the change. */
    record(changes: JournalChange[], now = new Date()): number {
      const batch = (stmts.nextBatch.get() as { b: number }).b;
      const at = now.toISOString();
      for (const c of changes) {
        stmts.insert.run(batch, c.entity, c.entityId, c.field, JSON.stringify(c.oldValue ?? null), JSON.stringify(c.newValue ?? null), at);
      }
      return batch;
    },
    outbox(): OutboxRow[] {
      return (stmts.outbox.all() as { id: number; entity: string; entity_id: string; field: string; new_value: string }[]).map((r) => ({
        id: r.id,
        entity: r.entity,
        entityId: r.entity_id,
        field: r.field,
        newValue: JSON.parse(r.new_value) as unknown,
      }));
    },
    /** entityId → fields with unposted changes. */
    pendingByEntity(): Map<string, string[]> {
      const out = new Map<string, string[]>();
      for (const r of stmts.pendingFields.all() as { entity_id: string; field: string }[]) {
        const list = out.get(r.entity_id) ?? [];
        list.push(r.field);
        out.set(r.entity_id, list);
      }
      return out;
    },
    pendingCount(): number {
      return (stmts.pendingEntities.get() as { n: number }).n;
    },
    /** Marks the outbox rows of one field up to `upToId` as acknowledged by the server. */
    markPosted(entity: string, entityId: string, field: string, upToId: number, now = new Date()): void {
      stmts.markPosted.run(now.toISOString(), entity, entityId, field, upToId);
    },
  };
}

export type Journal = ReturnType<typeof journal>;
