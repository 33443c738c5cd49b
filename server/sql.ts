import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * One small async SQL interface over SQLite (better-sqlite3, synchronous) and PostgreSQL (pg,
 * asynchronous). Queries are plain SQL kept portable between the two (`?` placeholders, which
 * the PostgreSQL side rewrites to `$n`; `ON CONFLICT`, `RETURNING`, `CAST(... AS INTEGER)`).
 * Only migrations differ per dialect (see migrations.ts).
 */
export type Dialect = 'sqlite' | 'postgres';

export interface Queryable {
  readonly dialect: Dialect;
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * PostgreSQL: take a transaction-scoped advisory lock on this key first, so writers to the same
   * account are serialised (and the change feed of one account commits in seq order). SQLite
   * serialises every transaction anyway (BEGIN IMMEDIATE on one connection).
   */
  lockKey?: string;
}

export interface SqlDatabase extends Queryable {
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  /** For messages: the file path, or the PostgreSQL URL without its password. */
  readonly label: string;
}

// ---------------------------------------------------------------- SQLite

/** better-sqlite3 under the async interface. One connection; transactions queue behind a lock. */
export function sqliteDatabase(raw: Database.Database, label: string): SqlDatabase {
  const cache = new Map<string, Database.Statement>();
  const stmt = (sql: string): Database.Statement => {
    let s = cache.get(sql);
    if (!s) {
      s = raw.prepare(sql);
      if (cache.size > 500) cache.clear();
      cache.set(sql, s);
    }
    return s;
  };
  const direct = {
    dialect: 'sqlite' as const,
    all: <T>(sql: string, params: readonly unknown[] = []) => Promise.resolve(stmt(sql).all(...params) as T[]),
    get: <T>(sql: string, params: readonly unknown[] = []) => Promise.resolve(stmt(sql).get(...params) as T | undefined),
    run: (sql: string, params: readonly unknown[] = []) => Promise.resolve({ changes: stmt(sql).run(...params).changes }),
    exec: (sql: string) => {
      raw.exec(sql);
      return Promise.resolve();
    },
  };
  // A transaction may await; while it is open, other callers on this connection would see its
  // uncommitted rows, so everything waits for it.
  let lock: Promise<void> = Promise.resolve();
  let inTx = false;
  const whenFree = async (): Promise<void> => {
    while (inTx) await lock;
  };
  const wrap =
    <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      if (inTx) await whenFree();
      return f(...a);
    };
  return {
    dialect: 'sqlite',
    label,
    all: wrap(direct.all) as SqlDatabase['all'],
    get: wrap(direct.get) as SqlDatabase['get'],
    run: wrap(direct.run),
    exec: wrap(direct.exec),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      await whenFree();
      inTx = true;
      let release!: () => void;
      lock = new Promise<void>((r) => (release = r));
      try {
        raw.exec('BEGIN IMMEDIATE');
        try {
          const out = await fn(direct);
          raw.exec('COMMIT');
          return out;
        } catch (err) {
          if (raw.inTransaction) raw.exec('ROLLBACK');
          throw err;
        }
      } finally {
        inTx = false;
        release();
      }
    },
    close: async () => {
      await whenFree();
      if (raw.open) raw.close();
    },
  };
}

// ---------------------------------------------------------------- PostgreSQL

/** `?` → `$1, $2, …` (our SQL never has a `?` inside a string literal). */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** int8 (counts, BIGSERIAL seqs, fen amounts) as JS numbers: every value we store is < 2^53. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function pgQueryable(q: pg.Pool | pg.PoolClient): Queryable {
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params: readonly unknown[] = []) => (await q.query(toPgPlaceholders(sql), [...params])).rows as T[],
    get: async <T>(sql: string, params: readonly unknown[] = []) => (await q.query(toPgPlaceholders(sql), [...params])).rows[0] as T | undefined,
    run: async (sql: string, params: readonly unknown[] = []) => ({ changes: (await q.query(toPgPlaceholders(sql), [...params])).rowCount ?? 0 }),
    exec: async (sql: string) => {
      await q.query(sql);
    },
  };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** A pool on a PostgreSQL URL; fails fast with a clear message when the server is unreachable. */
export async function postgresDatabase(url: string): Promise<SqlDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: pgTypes, connectionTimeoutMillis: 5000 });
  pool.on('error', () => {
    /* an idle client lost its connection; the next query reconnects */
  });
  const client = await pool.connect().catch(async (err: unknown) => {
    await pool.end().catch(() => undefined);
    throw err;
  });
  client.release();
  const base = pgQueryable(pool);
  return {
    ...base,
    label: redactUrl(url),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        if (opts.lockKey !== undefined) await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [opts.lockKey]);
        const out = await fn(pgQueryable(c));
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}
