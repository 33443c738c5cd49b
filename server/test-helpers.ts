import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../shared/sync/wire';
import { startServer, type RunningServer } from './app';

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

export function startTestServer(dbPath: string): Promise<RunningServer> {
  return startServer({ port: 0, dbPath });
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
