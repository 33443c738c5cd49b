import { afterAll, describe, expect, it } from 'vitest';
import type { DemoAccount } from '../shared/domain/demo';
import { ALL_HOURS } from '../shared/domain/schedule';
import type { EntityKind, EntityMutation, EntityMutationResult, FeedEntry } from '../shared/sync/wire';
import { openDatabase } from './db';
import { seedAccount } from './seed';
import type { SqlDatabase } from './sql';
import { createStore, type Store } from './store';
import { applyPush } from './sync';
import { tempDir, testBackends } from './test-helpers';
import { Rng } from '../shared/engine/prng';

/**
 * Server-side sync property: three model clients (push outbox → pull feed → re-apply pending on
 * top, the architecture's order) make random edits, often to the same fields, while pushes are
 * lost after the server applied them, delivered twice, or not delivered, and conflicts are
 * resolved at random (keep mine / take theirs). After the faults stop and everyone syncs:
 * every client equals the server, no mutation was applied twice, and no acknowledged edit was
 * lost (each field holds the last value the server acknowledged for it).
 *
 * Runs against the store (applyPush + feed) on SQLite and PostgreSQL, each run in a fresh
 * merchant account. LANTERN_PROPERTY_RUNS=N for a longer run (default 200).
 */

const RUNS = Number(process.env.LANTERN_PROPERTY_RUNS ?? 200);
/** Across all runs: the faults and conflicts the property is about did happen. */
const seen = { conflicts: 0, keptMine: 0, duplicates: 0, lost: 0 };
const tmp = tempDir();
afterAll(() => tmp.remove());

/** Seeded uniform [0, 1) from the engine's PRNG: one generator for the whole project. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.float();
}

function account(run: number, tag: string): DemoAccount {
  const m = `mc_p${tag}${run}`;
  const base = { merchantId: m, startDate: '2026-11-01', endDate: null, timeSchema: ALL_HOURS, status: 'ENABLED' as const, sellMode: 'RTB' as const, pacing: 'STANDARD' as const };
  return {
    merchant: { id: m, name: 'P', nameEn: 'P', currency: 'CNY', timeZone: 'Asia/Shanghai', balanceFen: 1_000_000 },
    plans: [
      { ...base, id: `pl_a_${tag}${run}`, name: 'A', scene: 'INTELLIGENT', objective: 'PURCHASE', chargeType: 'CPC', dailyBudgetFen: 100_000 },
      { ...base, id: `pl_b_${tag}${run}`, name: 'B', scene: 'SEARCH', objective: 'PURCHASE', chargeType: 'CPC', dailyBudgetFen: 200_000 },
    ],
    units: [{ id: `un_a_${tag}${run}`, planId: `pl_b_${tag}${run}`, name: 'U', bidType: 'DEFAULT', bidFen: 100, targetCpaFen: null, targetRoi: null }],
    creatives: [],
    searchWords: [{ id: `sw_a_${tag}${run}`, unitId: `un_a_${tag}${run}`, word: 'w', matchType: 'EXACT', bidFen: 50 }],
  };
}

type Key = `${EntityKind}:${string}`;
const FIELDS: Record<string, { field: string; value: (r: () => number) => unknown }[]> = {
  plan: [
    { field: 'name', value: (r) => `name-${Math.floor(r() * 5)}` },
    { field: 'dailyBudgetFen', value: (r) => 5_000 + Math.floor(r() * 50) * 1_000 },
  ],
  unit: [
    { field: 'name', value: (r) => `unit-${Math.floor(r() * 5)}` },
    { field: 'bidFen', value: (r) => 10 + Math.floor(r() * 500) },
  ],
  searchWord: [{ field: 'bidFen', value: (r) => 10 + Math.floor(r() * 500) }],
};

interface Local {
  version: number;
  data: Record<string, unknown>;
}
interface Client {
  id: string;
  next: number;
  cursor: number;
  /** The server's rows as last pulled. */
  server: Map<Key, Local>;
  /** What the user sees: the server's rows with the pending outbox re-applied on top. */
  local: Map<Key, Local>;
  outbox: EntityMutation[];
}

async function runOnce(store: Store, run: number, tag: string): Promise<void> {
  const r = rng(run * 7919 + 17);
  const acc = account(run, tag);
  const merchantId = acc.merchant.id;
  await store.db.transaction((tx) => seedAccount(tx, acc, `prop-token-${tag}-${run}`));

  // Server truth from every push result, including the ones "lost" on the way back.
  const appliedOnce = new Set<string>();
  const lastAcked = new Map<string, { version: number; value: unknown }>();
  const entities: [EntityKind, string][] = [
    ...acc.plans.map((p): [EntityKind, string] => ['plan', p.id]),
    ...acc.units.map((u): [EntityKind, string] => ['unit', u.id]),
    ...acc.searchWords.map((w): [EntityKind, string] => ['searchWord', w.id]),
  ];

  const clients: Client[] = [0, 1, 2].map((i) => ({ id: `prop-client-${i}-${run}`, next: 1, cursor: 0, server: new Map(), local: new Map(), outbox: [] }));

  /** Never overwrite pending local changes: rebuild what the user sees from the server rows plus the outbox. */
  const rebase = (c: Client): void => {
    c.local = new Map([...c.server].map(([k, v]) => [k, { version: v.version, data: { ...v.data } }]));
    for (const m of c.outbox) {
      const l = c.local.get(`${m.entity}:${m.entityId}`);
      if (l) for (const ch of m.changes) l.data[ch.field] = ch.value;
    }
  };

  const pull = async (c: Client): Promise<void> => {
    for (;;) {
      const page = await store.db.transaction((tx) => store.feedPage(tx, merchantId, c.cursor, 3));
      for (const e of page.changes as FeedEntry[]) c.server.set(`${e.entity}:${e.entityId}`, { version: e.version, data: e.data });
      c.cursor = page.cursor;
      if (!page.hasMore) {
        rebase(c);
        return;
      }
    }
  };

  const record = (m: EntityMutation, res: EntityMutationResult): void => {
    if (res.status === 'duplicate') seen.duplicates++;
    if (res.conflicts) seen.conflicts++;
    if (res.version === undefined || res.status === 'duplicate') return;
    const k = `${m.entity}:${m.entityId}@${res.version}`;
    expect(appliedOnce.has(k), `version ${k} produced twice`).toBe(false);
    appliedOnce.add(k);
    const conflicted = new Set((res.conflicts ?? []).map((x) => x.field));
    for (const ch of m.changes) {
      if (conflicted.has(ch.field)) continue;
      const fk = `${m.entity}:${m.entityId}.${ch.field}`;
      const prev = lastAcked.get(fk);
      if (!prev || prev.version < res.version) lastAcked.set(fk, { version: res.version, value: ch.value });
    }
  };

  const sync = async (c: Client, faults: boolean, keepMineP: number): Promise<void> => {
    if (c.outbox.length > 0) {
      const req = { clientId: c.id, mutations: c.outbox.map((m) => ({ ...m })) };
      const fate = faults ? r() : 1;
      if (fate < 0.1) {
        // not delivered
      } else {
        const res = await applyPush(store, merchantId, req);
        req.mutations.forEach((m, i) => record(m, res.results[i]!));
        if (fate < 0.2) {
          // delivered twice: the second is all duplicates
          const again = await applyPush(store, merchantId, req);
          expect(again.results.every((x) => x.status === 'duplicate')).toBe(true);
        }
        if (fate >= 0.2 && fate < 0.3) seen.lost++;
        if (fate >= 0.3) {
          // the answer arrives (between 0.2 and 0.3 it is lost: the client retries later)
          const resend: EntityMutation[] = [];
          req.mutations.forEach((m, i) => {
            const x = res.results[i]!;
            expect(x.status === 'rejected', JSON.stringify(x)).toBe(false);
            for (const conflict of x.conflicts ?? []) {
              if (r() < keepMineP) {
                seen.keptMine++;
                const mine = m.changes.find((ch) => ch.field === conflict.field)!;
                resend.push({ id: c.next++, entity: m.entity, entityId: m.entityId, op: 'update', changes: [{ ...mine, baseVersion: x.version ?? conflict.serverVersion }] });
              }
            }
          });
          c.outbox = resend;
          rebase(c);
        }
      }
    }
    await pull(c);
  };

  for (const c of clients) await pull(c);
  const steps = 8 + Math.floor(r() * 8);
  for (let s = 0; s < steps; s++) {
    const c = clients[Math.floor(r() * clients.length)]!;
    if (r() < 0.6) {
      const [entity, entityId] = entities[Math.floor(r() * entities.length)]!;
      const key: Key = `${entity}:${entityId}`;
      const local = c.local.get(key)!;
      const specs = FIELDS[entity]!;
      const changes = specs.filter(() => r() < 0.6).map((f) => ({ field: f.field, value: f.value(r), baseVersion: local.version }));
      if (changes.length === 0) changes.push({ field: specs[0]!.field, value: specs[0]!.value(r), baseVersion: local.version });
      c.outbox.push({ id: c.next++, entity, entityId, op: 'update', changes });
      for (const ch of changes) local.data[ch.field] = ch.value;
    } else await sync(c, true, 0.5);
  }
  // Faults stop; everyone syncs (taking theirs on any remaining conflict) until quiet.
  for (let round = 0; round < 6; round++) for (const c of clients) await sync(c, false, 0);
  for (const c of clients) {
    expect(c.outbox, `${c.id} still has pending work`).toEqual([]);
    await pull(c);
  }

  const server = new Map<Key, Local>();
  for (const [entity, id] of entities) {
    const rec = await store.getEntity(store.db, entity, merchantId, id);
    server.set(`${entity}:${id}`, { version: rec!.version, data: rec!.data });
    // Versions are dense: every version above 1 came from exactly one applied mutation.
    for (let v = 2; v <= rec!.version; v++) expect(appliedOnce.has(`${entity}:${id}@${v}`), `${entity}:${id}@${v}`).toBe(true);
  }
  for (const c of clients) expect(Object.fromEntries(c.local), `${c.id} differs from the server (run ${run})`).toEqual(Object.fromEntries(server));
  for (const [fk, { value }] of lastAcked) {
    const [ek, field] = fk.split('.') as [Key, string];
    expect(server.get(ek)!.data[field], `acknowledged ${fk} lost (run ${run})`).toEqual(value);
  }
}

for (const backend of testBackends(tmp)) {
  describe(`sync property on ${backend.name}`, () => {
    it(`${RUNS} random runs: clients converge, nothing applied twice, no acknowledged edit lost`, { timeout: 300_000 }, async () => {
      const db: SqlDatabase = await openDatabase(await backend.newDb());
      try {
        const store = createStore(db);
        for (const k of Object.keys(seen) as (keyof typeof seen)[]) seen[k] = 0;
        for (let run = 1; run <= RUNS; run++) await runOnce(store, run, backend.name === 'sqlite' ? 's' : 'g');
        if (RUNS >= 50) for (const [k, n] of Object.entries(seen)) expect(n, `no ${k} in ${RUNS} runs: the property is not exercised`).toBeGreaterThan(0);
      } finally {
        await db.close();
      }
    });
  });
}
