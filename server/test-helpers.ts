import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../shared/sync/wire';
import pg from 'pg';
import { inject } from 'vitest';
import { startServer, type RunningServer, type StartServerOptions } from './app';

/** A temp directory for one test file's databases; remove() deletes it. */
export function tempDir(): { dir: string; dbPath(name?: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-server-test-'));
  let n = 0;
  return {
    dir,
    dbPath: (name) => join(dir, name ?? `db-${++n}.sqlite`),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A server on a free port; the auto-approve rule is off unless asked for. */
export function startTestServer(dbPath: string, opts: Partial<StartServerOptions> = {}): Promise<RunningServer> {
  return startServer({ port: 0, dbPath, autoApproveAfterMs: null, ...opts });
}

export interface CallOptions {
  method?: string;
  token?: string | null;
  schema?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** fetch with the Lantern headers set by default; returns the status and parsed JSON body. */
export async function call<T = unknown>(
  base: string,
  path: string,
  { method = 'GET', token = null, schema = String(SCHEMA_VERSION), body, headers = {} }: CallOptions = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const h: Record<string, string> = { ...headers };
  if (token !== null) h.authorization = `Bearer ${token}`;
  if (schema !== null) h[SCHEMA_HEADER] = schema;
  if (body !== undefined) h['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

/** A database the backend tests can run against: a fresh one per call. */
export interface TestBackend {
  name: 'sqlite' | 'postgres';
  /** A new, empty database: a SQLite file path or a postgres:// URL. */
  newDb(): Promise<string>;
}

let pgCounter = 0;

/** SQLite and PostgreSQL (the run's throw-away cluster, see test-pg-setup.ts). */
export function testBackends(tmp: { dbPath(name?: string): string }): TestBackend[] {
  return [
    { name: 'sqlite', newDb: () => Promise.resolve(tmp.dbPath()) },
    {
      name: 'postgres',
      async newDb() {
        const admin = inject('pgAdminUrl');
        if (!admin) throw new Error(`PostgreSQL unavailable for the backend tests: ${inject('pgError') || 'no cluster'}`);
        const name = `lantern_t${process.pid}_${++pgCounter}_${Date.now() % 100000}`;
        const client = new pg.Client({ connectionString: admin, connectionTimeoutMillis: 5000 });
        await client.connect().catch((err: unknown) => {
          throw new Error(`PostgreSQL unavailable for the backend tests: cannot connect to ${admin}: ${err instanceof Error ? err.message : String(err)}`);
        });
        try {
          // FILE_COPY (PostgreSQL 15+) is faster than the default for a tiny template.
          await client.query(`CREATE DATABASE ${name} STRATEGY FILE_COPY`).catch(() => client.query(`CREATE DATABASE ${name}`));
        } finally {
          await client.end();
        }
        return admin.replace(/\/[^/?]*(\?.*)?$/, `/${name}`);
      },
    },
  ];
}
