import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export const DB_FILE_NAME = 'lantern.sqlite';

/**
 * Opens (creating if needed) the local store in `dataDir`, in WAL mode, and brings its schema
 * up to date. A file that is not a SQLite database, or one written by a newer Lantern, is
 * refused with a clear error instead of being "repaired" into data loss.
 */
export function openStore(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DB_FILE_NAME);
  let db: Db;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
  } catch (err) {
    throw new Error(`Cannot open the local store ${file}: ${(err as Error).message}. It may be damaged; move it aside to start fresh.`);
  }
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Map<number, string>(
    (db.prepare('SELECT version, name FROM schema_migrations').all() as { version: number; name: string }[]).map((r) => [r.version, r.name]),
  );
  const newest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  for (const [version, name] of applied) {
    if (version > newest) {
      throw new Error(`The local store was written by a newer Lantern (schema ${version}); update Lantern to open it.`);
    }
    const known = MIGRATIONS.find((m) => m.version === version);
    if (known && known.name !== name) {
      throw new Error(`The local store's migration ${version} is "${name}" but this Lantern expects "${known.name}".`);
    }
  }
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
  }
}
