import type { SyncConflict } from '../../../shared/contract/sync';
import type { Db } from '../store/db';
import type { PlanRepo } from '../store/planRepo';

/** A stored per-field conflict: the contract's SyncConflict but for its merchant (derived, not stored). */
export type StoredConflict = Omit<SyncConflict, 'merchantId'>;

/** A rejected field ('' = the whole row), up to the journal row that was sent. */
export interface StoredRejection {
  entity: string;
  entityId: string;
  field: string;
  journalId: number;
  message: string;
  rejectedAt: string;
}

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
    putRejection: db.prepare(
      `INSERT INTO sync_rejections (entity, entity_id, field, journal_id, message, rejected_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (entity, entity_id, field) DO UPDATE SET journal_id = excluded.journal_id, message = excluded.message, rejected_at = excluded.rejected_at`,
    ),
    rejections: db.prepare('SELECT entity, entity_id AS entityId, field, journal_id AS journalId, message, rejected_at AS rejectedAt FROM sync_rejections ORDER BY rejected_at, entity, entity_id, field'),
    dropRejection: db.prepare('DELETE FROM sync_rejections WHERE entity = ? AND entity_id = ? AND field = ?'),
    dropRejections: db.prepare('DELETE FROM sync_rejections WHERE entity = ? AND entity_id = ?'),
    forgetEntity: [
      db.prepare('DELETE FROM sync_base WHERE entity = ? AND entity_id = ?'),
      db.prepare('DELETE FROM sync_conflicts WHERE entity = ? AND entity_id = ?'),
      db.prepare('DELETE FROM sync_shadow WHERE entity = ? AND entity_id = ?'),
      db.prepare('DELETE FROM sync_rejections WHERE entity = ? AND entity_id = ?'),
    ],
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
    /** A row just downloaded (it had no bookkeeping to clear). */
    insertBase(kind: string, id: string, version: number): void {
      if (kind === 'plan') plans.setServerVersion(id, version);
      else stmts.putBase.run(kind, id, '', version);
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
    putRejection(kind: string, id: string, field: string, journalId: number, message: string, now = new Date()): void {
      stmts.putRejection.run(kind, id, field, journalId, message, now.toISOString());
    },
    rejections(): StoredRejection[] {
      return stmts.rejections.all() as StoredRejection[];
    },
    /** "kind:id:field" → the rejection ('' field = the whole row). */
    rejectionMap(): Map<string, StoredRejection> {
      return new Map(api.rejections().map((r) => [`${r.entity}:${r.entityId}:${r.field}`, r]));
    },
    dropRejection(kind: string, id: string, field: string): void {
      stmts.dropRejection.run(kind, id, field);
    },
    dropRejections(kind: string, id: string): void {
      stmts.dropRejections.run(kind, id);
    },
    /** Every bookkeeping row of an entity (a "get full account" starts it over). */
    forget(kind: string, id: string): void {
      for (const s of stmts.forgetEntity) s.run(kind, id);
    },
    /** "kind:id:field" of every open conflict. */
    conflictKeys(): Set<string> {
      return new Set((stmts.conflictKeys.all() as { entity: string; entity_id: string; field: string }[]).map((r) => `${r.entity}:${r.entity_id}:${r.field}`));
    },
  };
  return api;
}

export type SyncState = ReturnType<typeof syncState>;
