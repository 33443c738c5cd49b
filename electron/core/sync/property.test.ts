import { afterAll, describe, expect, it } from 'vitest';
import type { Envelope, SyncSummary } from '../../../shared/contract';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../../../shared/domain/demo';
import { SCHEMA_HEADER, SCHEMA_VERSION, type EntityFeed, type FeedEntry } from '../../../shared/sync/wire';
import { startServer } from '../../../server/app';
import { startFaultProxy } from '../../../server/fault-proxy';
import { tempDir as serverTempDir, testBackends } from '../../../server/test-helpers';
import { createCore, type Core } from '../core';
import { tempDir } from '../testing';

/**
 * Three REAL cores (each its own SQLite store) edit the same account at random, including the
 * same fields, and sync through the fault proxy (5xx, lost answers, cut connections, duplicated
 * deliveries, hangs, reordering). Then the faults stop, every core syncs and resolves its
 * conflicts (core 0 keeps its own, the others take the server's), and:
 * - all cores and the server agree on every touched entity;
 * - core 0's value of every field it still had pending or in conflict when the faults stopped
 *   wins (keep mine is honoured: no acknowledged or pending edit of it is lost);
 * - every final value is one some core wrote (or the seed), nothing invented;
 * - every created search word exists once, each delete is a tombstone;
 * - no mutation is applied twice: an entity's server version never exceeds 1 + the edits made to it.
 * The server runs on SQLite and on PostgreSQL (the run's throw-away cluster, server/test-pg-setup.ts).
 * LANTERN_SYNC_PROPERTY_RUNS=N for a longer run on SQLite (default 50, ~0.6 s each: 200 would take
 * ~2 min); LANTERN_SYNC_PROPERTY_PG_RUNS=N on PostgreSQL (default 20: each run also creates a database);
 * LANTERN_SYNC_PROPERTY_FIRST=S picks the first seed, LANTERN_SYNC_PROPERTY_DEBUG=1 logs each step.
 */
const RUNS = Number(process.env.LANTERN_SYNC_PROPERTY_RUNS ?? '50');
const PG_RUNS = Number(process.env.LANTERN_SYNC_PROPERTY_PG_RUNS ?? '20');
const FIRST = Number(process.env.LANTERN_SYNC_PROPERTY_FIRST ?? '1000');
const DEBUG = process.env.LANTERN_SYNC_PROPERTY_DEBUG === '1';
const log = (...a: unknown[]) => {
  if (DEBUG) console.log(...a);
};

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function ok<T>(e: Envelope<T>): T {
  if (!e.ok) throw new Error(`${e.error.code}: ${e.error.message}`);
  return e.value;
}

const FIELDS = [
  { kind: 'plan', id: 'pl_member_feed', field: 'dailyBudgetFen', value: (n: number) => 200_000 + n * 100 },
  { kind: 'plan', id: 'pl_member_feed', field: 'name', value: (n: number) => `会员日 ${n}` },
  { kind: 'unit', id: 'un_member_feed', field: 'bidFen', value: (n: number) => 2_000 + n },
  { kind: 'searchWord', id: 'sw_latte', field: 'bidFen', value: (n: number) => 70 + n },
  { kind: 'gdBooking', id: 'gd_splash_1111', field: 'impressionsPerDay', value: (n: number) => 3_000_000 + n },
] as const;

async function serverState(url: string): Promise<Map<string, FeedEntry>> {
  const out = new Map<string, FeedEntry>();
  let cursor = 0;
  for (;;) {
    const res = await fetch(`${url}/v1/accounts/${DEMO_MERCHANT_ID}/feed?cursor=${cursor}&limit=1000`, {
      headers: { authorization: `Bearer ${DEMO_MERCHANT_TOKEN}`, [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
    });
    const page = (await res.json()) as EntityFeed;
    for (const c of page.changes) out.set(c.entityId, c);
    cursor = page.cursor;
    if (!page.hasMore) return out;
  }
}

async function oneRun(seed: number, dbPath: string): Promise<void> {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const server = await startServer({ port: 0, dbPath, autoApproveAfterMs: null });
  const proxy = await startFaultProxy(server.url, { fail: 0.1, failAfter: 0.1, cut: 0.05, duplicate: 0.1, hang: 0.03, maxDelayMs: 3 }, seed);
  const cores: Core[] = [0, 1, 2].map(() =>
    createCore({ dataDir: tempDir('lantern-prop-'), serverUrl: proxy.url, token: DEMO_MERCHANT_TOKEN, syncRetry: { attempts: 3, baseMs: 1, maxMs: 8 }, syncTimeoutMs: 300 }),
  );
  const written = new Map<string, Set<unknown>>(FIELDS.map((f) => [`${f.id}.${f.field}`, new Set<unknown>()]));
  const editsOf = new Map<string, number>();
  const lastWriter = new Map<string, number>();
  const created: { core: number; id: string }[] = [];
  const deleted = new Set<string>();
  let n = 0;
  try {
    for (let step = 0; step < 24; step++) {
      const ci = Math.floor(random() * 3);
      const core = cores[ci] as Core;
      const r = random();
      if (r < 0.5) {
        const f = pick(FIELDS);
        const v = f.value(++n);
        const e = await core.call('entities.update', { kind: f.kind, id: f.id, patch: { [f.field]: v } });
        log(ci, 'edit', f.id, f.field, v, e.ok);
        if (e.ok) {
          written.get(`${f.id}.${f.field}`)?.add(v);
          lastWriter.set(`${f.id}.${f.field}`, ci);
          editsOf.set(f.id, (editsOf.get(f.id) ?? 0) + 1);
        }
      } else if (r < 0.6) {
        const id = ok(await core.call('entities.create', { kind: 'searchWord', data: { unitId: 'un_search_generic', word: `词${seed}_${step}`, matchType: 'EXACT', bidFen: 50 } })) as { id: string };
        created.push({ core: ci, id: id.id });
      } else if (r < 0.67) {
        const mine = created.filter((c) => c.core === ci && !deleted.has(c.id));
        if (mine.length) {
          const victim = pick(mine).id;
          if ((await core.call('entities.delete', { kind: 'searchWord', ids: [victim] })).ok) deleted.add(victim);
        }
      } else {
        const sr = await core.call('sync.run', {}); // may fail under faults: nothing is lost, it runs again
        log(ci, 'sync', JSON.stringify(sr).slice(0, 600), JSON.stringify(ok(await core.call('sync.conflicts', {}))));
      }
    }

    // What core 0 (which keeps its own in every conflict) still has to post, where no other core
    // wrote the field after it: it must win. (A later write elsewhere may legitimately follow it.)
    const mustWin = new Map<string, unknown>();
    const c0 = cores[0] as Core;
    for (const c of ok(await c0.call('sync.conflicts', {})) as { entityId: string; field: string; localValue: unknown }[]) mustWin.set(`${c.entityId}.${c.field}`, c.localValue);
    for (const r of (ok(await c0.call('outbox.list', {})) as { rows: { entityId: string; field: string; newValue: unknown }[] }).rows) mustWin.set(`${r.entityId}.${r.field}`, r.newValue);

    proxy.setFaults({});
    let settled = false;
    for (let round = 0; round < 6 && !settled; round++) {
      for (const [i, c] of cores.entries()) log(i, 'settle', JSON.stringify(ok(await c.call('sync.run', {})) as SyncSummary).slice(0, 600), JSON.stringify(ok(await c.call('sync.conflicts', {}))));
      for (const [i, c] of cores.entries()) ok(await c.call('sync.resolve', { choice: i === 0 ? 'mine' : 'theirs' }));
      settled = true;
      for (const c of cores) {
        const s = ok(await c.call('sync.status', {})) as { pending: number; conflicts: number };
        if (s.pending > 0 || s.conflicts > 0) settled = false;
      }
    }
    expect(settled).toBe(true);
    for (const c of cores) ok(await c.call('sync.run', {}));

    const st = await serverState(server.url);
    for (const f of FIELDS) {
      const v = st.get(f.id)?.data[f.field];
      const seedValue = (await serverStateSeed(f.kind, f.id, f.field, cores)) ?? v;
      expect([...(written.get(`${f.id}.${f.field}`) ?? []), seedValue]).toContainEqual(v);
      if (mustWin.has(`${f.id}.${f.field}`) && lastWriter.get(`${f.id}.${f.field}`) === 0) expect({ seed, field: `${f.id}.${f.field}`, v }).toEqual({ seed, field: `${f.id}.${f.field}`, v: mustWin.get(`${f.id}.${f.field}`) });
      for (const [i, c] of cores.entries()) {
        const row = (ok(await c.call('entities.get', { kind: f.kind, id: f.id })) as { row: Record<string, unknown> }).row;
        expect({ seed, core: i, field: `${f.id}.${f.field}`, value: row[f.field] }).toEqual({ seed, core: i, field: `${f.id}.${f.field}`, value: v });
      }
      expect(st.get(f.id)?.version ?? 1).toBeLessThanOrEqual(1 + (editsOf.get(f.id) ?? 0));
    }
    for (const { id } of created) {
      const e = st.get(id);
      if (!e) {
        // Created and deleted before any push carried it: it never needed to reach the server.
        expect(deleted.has(id), `${id} on the server (seed ${seed})`).toBe(true);
        continue;
      }
      expect(e.deleted).toBe(deleted.has(id));
      for (const c of cores) {
        const got = await c.call('entities.get', { kind: 'searchWord', id });
        // A core that never saw it alive need not keep its tombstone.
        if (!got.ok && got.error.code === 'not_found' && e.deleted) continue;
        expect((ok(got) as { deleted: boolean }).deleted).toBe(deleted.has(id));
      }
    }
  } finally {
    for (const c of cores) await c.close();
    await proxy.close();
    await server.close();
  }
}

/** The seed value of a field (the demo account every core starts from), read from a fresh core. */
const seedValues = new Map<string, unknown>();
async function serverStateSeed(kind: string, id: string, field: string, _cores: Core[]): Promise<unknown> {
  const key = `${kind}:${id}:${field}`;
  if (!seedValues.has(key)) {
    const c = createCore({ dataDir: tempDir('lantern-prop-seed-') });
    try {
      seedValues.set(key, (ok(await c.call('entities.get', { kind, id })) as { row: Record<string, unknown> }).row[field]);
    } finally {
      await c.close();
    }
  }
  return seedValues.get(key);
}

const serverDbs = serverTempDir();
afterAll(() => serverDbs.remove());

for (const backend of testBackends(serverDbs)) {
  const runs = backend.name === 'sqlite' ? RUNS : PG_RUNS;
  describe(`three real cores syncing through the fault proxy to a server on ${backend.name}`, () => {
    it(`converge with nothing lost or applied twice (${runs} random runs)`, { timeout: 60_000 + runs * 6_000 }, async () => {
      for (let run = 0; run < runs; run++) await oneRun(FIRST + run, await backend.newDb());
    });
  });
}
