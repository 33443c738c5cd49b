import type { SyncConflict } from '../../../shared/contract/sync';
import type { Db } from '../store/db';
import type { PlanRepo } from '../store/planRepo';

/** A stored per-field conflict is exactly what the contract's sync.conflicts returns. */
export type StoredConflict = SyncConflict;

/**
 * Sync bookkeeping in the store: the server version each entity / field was last seen at (the
 * base versions of the next push) and the per-field conflicts waiting for the user.
 */
export function syncState(db: Db, plans: PlanRepo) {
  const stmts = {
    entityBase: db.prepare("SELECT version FROM sync_base WHERE entity = ? AND entity_id = ? AND field = ''").pluck(),
    fieldBase: db.prepare('SELECT version FROM sync_base WHERE entity = ? AND entity_id = ? AND field = ?').pluck(),
    putBase: db.prepare(
      'INSERT INTO sync_base (entity, entity_id, field, version) VALUES (?, ?, ?, ?) ON CONFLICT (entity, entity_id, field) DO UPDATE SET version = excluded.version',
    ),
    dropFieldBases: db.prepare("DELETE FROM sync_base WHERE entity = ? AND entity_id = ? AND field != ''"),
    putConflict: db.prepare(
      `INSERT INTO sync_conflicts (entity, entity_id, field, local_value, server_value, server_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (entity, entity_id, field) DO UPDATE SET local_value = excluded.local_value, server_value = excluded.server_value,
         server_version = excluded.server_version, created_at = excluded.created_at`,
    ),
    conflicts: db.prepare('SELECT * FROM sync_conflicts ORDER BY created_at, entity, entity_id, field'),
    conflict: db.prepare('SELECT * FROM sync_conflicts WHERE entity = ? AND entity_id = ? AND field = ?'),
    dropConflict: db.prepare('DELETE FROM sync_conflicts WHERE entity = ? AND entity_id = ? AND field = ?'),
    conflictCount: db.prepare('SELECT COUNT(*) FROM sync_conflicts').pluck(),
    conflictKeys: db.prepare('SELECT entity, entity_id, field FROM sync_conflicts'),
    putShadow: db.prepare(
      'INSERT INTO sync_shadow (entity, entity_id, field, value, version) VALUES (?, ?, ?, ?, ?) ON CONFLICT (entity, entity_id, field) DO UPDATE SET value = excluded.value, version = excluded.version',
    ),
    shadow: db.prepare('SELECT value, version FROM sync_shadow WHERE entity = ? AND entity_id = ? AND field = ?'),
    dropShadow: db.prepare('DELETE FROM sync_shadow WHERE entity = ? AND entity_id = ? AND field = ?'),
    dropShadows: db.prepare('DELETE FROM sync_shadow WHERE entity = ? AND entity_id = ?'),
  };
  type ConflictRow = { entity: string; entity_id: string; field: string; local_value: string | null; server_value: string | null; server_version: number; created_at: string };
  const parse = (s: string | null): unknown => (s === null ? null : (JSON.parse(s) as unknown));
  const toConflict = (r: ConflictRow): StoredConflict => ({
    entity: r.entity,
    entityId: r.entity_id,
    field: r.field,
    localValue: parse(r.local_value),
    serverValue: parse(r.server_value),
    serverVersion: r.server_version,
    createdAt: r.created_at,
  });

  const api = {
    /** The server version the whole entity was last seen at (every server entity starts at 1). */
    entityBase(kind: string, id: string): number {
      if (kind === 'plan') return plans.serverVersion(id) || 1;
      return (stmts.entityBase.get(kind, id) as number | undefined) ?? 1;
    },
    /** The base version to send with a change of `field`. */
    fieldBase(kind: string, id: string, field: string): number {
      return Math.max(api.entityBase(kind, id), (stmts.fieldBase.get(kind, id, field) as number | undefined) ?? 0);
    },
    /** The whole row now matches the server at `version`. */
    setEntityBase(kind: string, id: string, version: number): void {
      if (kind === 'plan') plans.setServerVersion(id, version);
      else stmts.putBase.run(kind, id, '', version);
      stmts.dropFieldBases.run(kind, id);
      stmts.dropShadows.run(kind, id);
    },
    /** The server's value of a pending field, as last pulled. */
    putShadow(kind: string, id: string, field: string, value: unknown, version: number): void {
      stmts.putShadow.run(kind, id, field, JSON.stringify(value ?? null), version);
    },
    shadow(kind: string, id: string, field: string): { value: unknown; version: number } | undefined {
      const r = stmts.shadow.get(kind, id, field) as { value: string | null; version: number } | undefined;
      return r && { value: parse(r.value), version: r.version };
    },
    dropShadow(kind: string, id: string, field: string): void {
      stmts.dropShadow.run(kind, id, field);
    },
    setFieldBase(kind: string, id: string, field: string, version: number): void {
      stmts.putBase.run(kind, id, field, version);
    },
    putConflict(kind: string, id: string, field: string, localValue: unknown, serverValue: unknown, serverVersion: number, now = new Date()): void {
      stmts.putConflict.run(kind, id, field, JSON.stringify(localValue ?? null), JSON.stringify(serverValue ?? null), serverVersion, now.toISOString());
    },
    conflicts(): StoredConflict[] {
      return (stmts.conflicts.all() as ConflictRow[]).map(toConflict);
    },
    conflict(kind: string, id: string, field: string): StoredConflict | undefined {
      const r = stmts.conflict.get(kind, id, field) as ConflictRow | undefined;
      return r && toConflict(r);
    },
    dropConflict(kind: string, id: string, field: string): void {
      stmts.dropConflict.run(kind, id, field);
    },
    conflictCount(): number {
      return stmts.conflictCount.get() as number;
    },
    /** "kind:id:field" of every open conflict. */
    conflictKeys(): Set<string> {
      return new Set((stmts.conflictKeys.all() as { entity: string; entity_id: string; field: string }[]).map((r) => `${r.entity}:${r.entity_id}:${r.field}`));
    },
  };
  return api;
}

export type SyncState = ReturnType<typeof syncState>;
