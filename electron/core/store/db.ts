import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export const DB_FILE_NAME = 'lantern.sqlite';
export const LOCK_FILE_NAME = 'lantern.lock';
export const BACKUP_DIR_NAME = 'backups';

export type StoreOpenErrorCode = 'store_locked' | 'store_damaged' | 'store_newer' | 'store_drift';

/**
 * Why the local store could not be opened. Hosts show `message` and stop; they never create a
 * new empty database in its place.
 */
export class StoreOpenError extends Error {
  readonly code: StoreOpenErrorCode;
  constructor(code: StoreOpenErrorCode, message: string) {
    super(message);
    this.name = 'StoreOpenError';
    this.code = code;
  }
}

export function isStoreOpenError(err: unknown): err is StoreOpenError {
  return err instanceof Error && err.name === 'StoreOpenError';
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One Lantern process per data folder: a lock file holding the owner's pid. A lock left by a
 * process that died (crash, SIGKILL) is taken over.
 */
export function acquireLock(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new StoreOpenError(
          'store_locked',
          `Another Lantern (process ${pid}) has this data folder open (${dataDir}). Close it first; if none is running, restore the last backup or remove ${file}.`,
        );
      }
      fs.rmSync(file, { force: true }); // stale: its owner is gone (or it is ours)
    }
  }
  throw new StoreOpenError('store_locked', `Cannot lock the data folder ${dataDir}.`);
}

export function backupDir(dataDir: string): string {
  return path.join(dataDir, BACKUP_DIR_NAME);
}

const damaged = (file: string, dataDir: string, why: string) =>
  new StoreOpenError(
    'store_damaged',
    `The local store ${file} is damaged (${why}). Nothing was changed. Restore the last backup from ${backupDir(dataDir)} (or move the file aside to start from the server).`,
  );

/**
 * Opens (creating if needed) the local store in `dataDir`, in WAL mode, checks it
 * (quick_check), backs it up before any migration, and brings its schema up to date. A damaged
 * file, one written by a newer Lantern, or one another Lantern holds is refused with a typed
 * StoreOpenError instead of being "repaired" into data loss.
 */
export function openStore(dataDir: string, opts: { skipLock?: boolean } = {}): Db & { releaseLock?: () => void } {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, DB_FILE_NAME);
  const release = opts.skipLock ? () => {} : acquireLock(dataDir);
  let db: Db | undefined;
  try {
    const existed = fs.existsSync(file) && fs.statSync(file).size > 0;
    try {
      db = new Database(file, { fileMustExist: existed });
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 2000');
    } catch (err) {
      throw damaged(file, dataDir, (err as Error).message);
    }
    if (existed) {
      let result: string;
      try {
        result = String(db.pragma('quick_check', { simple: true }));
      } catch (err) {
        throw damaged(file, dataDir, (err as Error).message);
      }
      if (result !== 'ok') throw damaged(file, dataDir, `quick_check: ${result.slice(0, 200)}`);
    }
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // A bulk edit of 100k rows dirties ~3k pages: with SQLite's default 2 MB page cache they
    // spill to the WAL mid-transaction and are read back; 32 MB holds them.
    db.pragma('cache_size = -32768');
    migrate(db, existed ? (version) => backupBeforeMigration(db as Db, dataDir, version) : undefined);
    const out = db as Db & { releaseLock?: () => void };
    out.releaseLock = release;
    return out;
  } catch (err) {
    db?.close();
    release();
    throw err;
  }
}

/** A consistent copy of the whole store (VACUUM INTO), taken before a migration changes it. */
export function backupBeforeMigration(db: Db, dataDir: string, toVersion: number): string {
  fs.mkdirSync(backupDir(dataDir), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const out = path.join(backupDir(dataDir), `lantern-before-v${toVersion}-${stamp}.sqlite`);
  cached(db, 'VACUUM INTO ?').run(out);
  return out;
}

export function migrate(db: Db, beforeFirst?: (version: number) => void): void {
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
      throw new StoreOpenError('store_newer', `The local store was written by a newer Lantern (schema ${version}); update Lantern to open it.`);
    }
    const known = MIGRATIONS.find((m) => m.version === version);
    if (known && known.name !== name) {
      throw new StoreOpenError('store_drift', `The local store's migration ${version} is "${name}" but this Lantern expects "${known.name}". Restore the last backup.`);
    }
  }
  const pending = MIGRATIONS.filter((m) => !applied.has(m.version));
  if (pending.length > 0 && applied.size > 0) beforeFirst?.(pending[0]?.version ?? 0);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
  }
}

const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();
/**
 * A prepared statement reused by SQL text. Preparing per call leaves native statements (and
 * their bound parameters, e.g. 100k ids) alive until a GC that a small JS heap may not run soon.
 */
export function cached(db: Db, sql: string): Database.Statement {
  let m = statementCache.get(db);
  if (!m) statementCache.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare(sql)));
  return st;
}
