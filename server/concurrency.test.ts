import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { EntityFeed, EntityPushResponse } from '../shared/sync/wire';
import type { RunningServer } from './app';
import { migrate, openDatabase } from './db';
import { MIGRATIONS } from './migrations';
import { postgresDatabase, sqliteDatabase } from './sql';
import { openSqliteFile } from './db';
import { call, startTestServer, tempDir, testBackends } from './test-helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());
const SHANLAN = `/v1/accounts/${DEMO_MERCHANT_ID}`;

for (const backend of testBackends(tmp)) {
  describe(`concurrency and upgrades on ${backend.name}`, () => {
    let server: RunningServer;
    let loc: string;
    beforeEach(async () => {
      loc = await backend.newDb();
      server = await startTestServer(loc);
    });
    afterEach(async () => {
      await server.close();
    });

    it('applies a push retried 20 times at once exactly once, and concurrent clients all land', async () => {
      const body = { clientId: 'racing-client', mutations: [{ id: 1, entity: 'plan', entityId: 'pl_autumn_latte', changes: [{ field: 'dailyBudgetFen', value: 333_300, baseVersion: 1 }] }] };
      const same = await Promise.all(Array.from({ length: 20 }, () => call<EntityPushResponse>(server.url, `${SHANLAN}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body })));
      const statuses = same.map((r) => EntityPushResponse.parse(r.body).results[0]?.status);
      expect(statuses.filter((s) => s === 'applied')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(19);

      // Four clients edit four different search words at once: all apply, each once, versions dense.
      const words = ['sw_shanlan', 'sw_shanlan_delivery', 'sw_coffee_delivery', 'sw_latte'];
      const many = await Promise.all(
        words.map((w, i) =>
          call<EntityPushResponse>(server.url, `${SHANLAN}/mutations`, {
            method: 'POST',
            token: DEMO_MERCHANT_TOKEN,
            body: { clientId: `client-${i}-xxxx`, mutations: [{ id: 1, entity: 'searchWord', entityId: w, changes: [{ field: 'bidFen', value: 200 + i, baseVersion: 1 }] }] },
          }),
        ),
      );
      for (const r of many) expect(EntityPushResponse.parse(r.body).results[0]).toMatchObject({ status: 'applied', version: 2 });
      const feed = EntityFeed.parse((await call(server.url, `${SHANLAN}/feed?cursor=0&limit=5000`, { token: DEMO_MERCHANT_TOKEN })).body);
      for (const [i, w] of words.entries()) expect(feed.changes.find((c) => c.entityId === w)).toMatchObject({ version: 2, data: { bidFen: 200 + i } });
      expect(feed.changes.find((c) => c.entityId === 'pl_autumn_latte')).toMatchObject({ version: 2, data: { dailyBudgetFen: 333_300 } });
    });
  });

  it(`upgrades a ${backend.name} database written before migration 3: its units, creatives and words enter the feed`, async () => {
    const loc = await backend.newDb();
    const db = backend.name === 'sqlite' ? sqliteDatabase(openSqliteFile(loc), loc) : await postgresDatabase(loc);
    await migrate(db, MIGRATIONS.slice(0, 2));
    const now = new Date().toISOString();
    await db.run("INSERT INTO merchants VALUES ('mc_old', 'Old', 'Old', 'CNY', 'Asia/Shanghai', 100000, ?)", [now]);
    const plan = { id: 'pl_old', merchantId: 'mc_old', name: 'Old plan', scene: 'DISPLAY', objective: 'FOLLOW', sellMode: 'RTB', chargeType: 'CPM', dailyBudgetFen: null, startDate: '2026-01-01', endDate: null, timeSchema: '1'.repeat(168), status: 'ENABLED', pacing: 'STANDARD' };
    await db.run("INSERT INTO plans VALUES ('pl_old', 'mc_old', ?, 1, '{}')", [JSON.stringify(plan)]);
    await db.run("INSERT INTO units VALUES ('un_old', 'mc_old', 'pl_old', ?, 1)", [JSON.stringify({ id: 'un_old', planId: 'pl_old', name: 'u', bidType: 'DEFAULT', bidFen: 100, targetCpaFen: null, targetRoi: null })]);
    await db.close();
    const upgraded = await openDatabase(loc);
    try {
      const rows = await upgraded.all<{ entity: string; entity_id: string }>("SELECT entity, entity_id FROM changes WHERE merchant_id = 'mc_old'");
      expect(rows).toEqual([{ entity: 'unit', entity_id: 'un_old' }]);
      expect(await upgraded.get("SELECT deleted, field_versions FROM units WHERE id = 'un_old'")).toEqual({ deleted: 0, field_versions: '{}' });
    } finally {
      await upgraded.close();
    }
  });
}
