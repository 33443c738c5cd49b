import type { TestProject } from 'vitest/node';
import { startTempPostgres } from './pg-harness';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the run's throw-away PostgreSQL cluster, or '' when it could not start. */
    pgAdminUrl: string;
    /** Why the cluster could not start ('' when it did). */
    pgError: string;
  }
}

/**
 * vitest globalSetup: one throw-away PostgreSQL cluster on loopback for the whole run, so every
 * backend test also runs on PostgreSQL. LANTERN_TEST_PG_URL uses an existing server instead
 * (its user must be allowed to CREATE DATABASE). If neither works, the PostgreSQL variants fail,
 * each with one line saying why: they are never skipped silently.
 */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.LANTERN_TEST_PG_URL;
  if (given) {
    project.provide('pgAdminUrl', given);
    project.provide('pgError', '');
    return undefined;
  }
  try {
    const pg = await startTempPostgres();
    project.provide('pgAdminUrl', pg.url);
    project.provide('pgError', '');
    return () => pg.stop();
  } catch (err) {
    project.provide('pgAdminUrl', '');
    project.provide('pgError', err instanceof Error ? err.message : String(err));
    return undefined;
  }
}
