import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { MIGRATIONS, type Migration } from './migrations';
import { postgresDatabase, redactUrl, sqliteDatabase, type Dialect, type SqlDatabase } from './sql';

export type { SqlDatabase } from './sql';

/** The database cannot be used as is (not SQLite, unreachable, newer than this server, drifted migrations). */
export class DatabaseOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseOpenError';
  }
}

function sqlFor(m: Migration, dialect: Dialect): string {
  return dialect === 'postgres' ? m.postgres : m.sql;
}

/** The checksum of what was run: SQLite's checksums are unchanged from before PostgreSQL support. */
export function checksum(m: Migration, dialect: Dialect = 'sqlite'): string {
  return createHash('sha256').update(sqlFor(m, dialect)).digest('hex');
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

/**
 * Applies pending migrations, each in its own transaction with its `schema_migrations` row.
 * Refuses a database that has migrations this server does not know, or whose applied
 * migrations differ from the ones shipped (drift). On PostgreSQL an advisory lock keeps two
 * servers starting on one database from migrating at once.
 */
export async function migrate(db: SqlDatabase, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const strict = db.dialect === 'sqlite' ? ' STRICT' : '';
  return db.transaction(
    async (tx) => {
      await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        checksum   TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )${strict}`);
      const applied = await tx.all<AppliedRow>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
      const known = new Map(migrations.map((m) => [m.version, m]));
      for (const row of applied) {
        const m = known.get(row.version);
        if (!m) {
          throw new DatabaseOpenError(
            `database has migration ${row.version} (${row.name}) that this server does not know: it was written by a newer Lantern server`,
          );
        }
        if (m.name !== row.name || checksum(m, db.dialect) !== row.checksum) {
          throw new DatabaseOpenError(`migration ${row.version} (${row.name}) differs from the one applied to this database (drift)`);
        }
      }
      const done = new Set(applied.map((r) => r.version));
      const ran: number[] = [];
      for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(m.version)) continue;
        await tx.exec(sqlFor(m, db.dialect));
        await tx.run('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)', [
          m.version,
          m.name,
          checksum(m, db.dialect),
          new Date().toISOString(),
        ]);
        ran.push(m.version);
      }
      return ran;
    },
    { lockKey: 'lantern:migrate' },
  );
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(url);
}

/** Opens the SQLite file in WAL mode, without migrating. */
export function openSqliteFile(path: string): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 32 MiB page cache (default 2 MiB): a 200k-entity feed reads by primary key all over the file.
    db.pragma('cache_size = -32768');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * Opens (or creates) the server's database and brings its schema up to date: a SQLite file
 * path (WAL mode), or a `postgres://` URL.
 */
export async function openDatabase(location: string): Promise<SqlDatabase> {
  const pgUrl = isPostgresUrl(location);
  let db: SqlDatabase | undefined;
  try {
    db = pgUrl ? await postgresDatabase(location) : sqliteDatabase(openSqliteFile(location), location);
    await migrate(db);
    return db;
  } catch (err) {
    await db?.close().catch(() => undefined);
    if (err instanceof DatabaseOpenError) throw err;
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatabaseOpenError(`cannot open database ${pgUrl ? redactUrl(location) : location}: ${reason}`, { cause: err });
  }
}
