import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

/** The database cannot be used as is (not SQLite, newer than this server, drifted migrations). */
export class DatabaseOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

function checksum(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies pending migrations, each in its own transaction with its `schema_migrations` row.
 * Refuses a database that has migrations this server does not know, or whose applied
 * migrations differ from the ones shipped (drift).
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    checksum   TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as AppliedRow[];
  const known = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const m = known.get(row.version);
    if (!m) {
      throw new DatabaseOpenError(
        `database has migration ${row.version} (${row.name}) that this server does not know: it was written by a newer Lantern server`,
      );
    }
    if (m.name !== row.name || checksum(m) !== row.checksum) {
      throw new DatabaseOpenError(`migration ${row.version} (${row.name}) differs from the one applied to this database (drift)`);
    }
  }
  const done = new Set(applied.map((r) => r.version));
  const insert = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  const ran: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      insert.run(m.version, m.name, checksum(m), new Date().toISOString());
    }).immediate();
    ran.push(m.version);
  }
  return ran;
}

/** Opens (or creates) the server's SQLite file in WAL mode and brings its schema up to date. */
export function openDatabase(path: string): Db {
  let db: Db | undefined;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof DatabaseOpenError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatabaseOpenError(`cannot open database ${path}: ${reason}`, { cause: err });
  }
}
