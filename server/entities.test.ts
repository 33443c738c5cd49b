import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN, demoAccount, entityCount } from '../shared/domain/demo';
import { ApiError, EntityFeed, EntityPushResponse, type EntityMutation, type FeedEntry } from '../shared/sync/wire';
import type { RunningServer } from './app';
import { DEMO_ADMIN_TOKEN } from './seed';
import { call, startTestServer, tempDir, testBackends } from './test-helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());

const SHANLAN = `/v1/accounts/${DEMO_MERCHANT_ID}`;

for (const backend of testBackends(tmp)) {
  describe(`entities, feed and review on ${backend.name}`, () => {
    let server: RunningServer;
    let loc: string;
    beforeEach(async () => {
      loc = await backend.newDb();
      server = await startTestServer(loc);
    });
    afterEach(async () => {
      await server.close();
    });

    let mutationId = 0;
    const push = async (mutations: Omit<EntityMutation, 'id' | 'op' | 'changes'>[] & Partial<EntityMutation>[], clientId = 'client-entities') => {
      const res = await call<EntityPushResponse>(server.url, `${SHANLAN}/mutations`, {
        method: 'POST',
        token: DEMO_MERCHANT_TOKEN,
        body: { clientId, mutations: mutations.map((m) => ({ id: ++mutationId, ...m })) },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return EntityPushResponse.parse(res.body).results;
    };
    const feed = async (cursor = 0, limit?: number): Promise<EntityFeed> => {
      const res = await call<EntityFeed>(server.url, `${SHANLAN}/feed?cursor=${cursor}${limit ? `&limit=${limit}` : ''}`, { token: DEMO_MERCHANT_TOKEN });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return EntityFeed.parse(res.body);
    };
    const entry = (f: EntityFeed, id: string): FeedEntry | undefined => f.changes.find((c) => c.entityId === id);

    it('serves every entity of the account on the feed, paged with hasMore, each at version 1', async () => {
      const total = entityCount(demoAccount());
      const all: FeedEntry[] = [];
      let cursor = 0;
      let pages = 0;
      for (;;) {
        const page = await feed(cursor, 5);
        all.push(...page.changes);
        pages++;
        expect(page.cursor).toBeGreaterThanOrEqual(cursor);
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      expect(pages).toBe(Math.ceil(total / 5));
      expect(all).toHaveLength(total);
      expect(new Set(all.map((c) => c.entity))).toEqual(new Set(['plan', 'unit', 'creative', 'searchWord', 'negativeWord', 'audiencePack', 'gdBooking']));
      expect(all.every((c) => c.version === 1 && !c.deleted)).toBe(true);
      expect(await feed(cursor)).toEqual({ cursor, hasMore: false, changes: [] });
    });

    it('versions units, creatives and search words per field, with conflicts per field', async () => {
      const { cursor } = await feed(0, 5000);
      const r = await push([
        { entity: 'unit', entityId: 'un_search_brand', changes: [{ field: 'bidFen', value: 140, baseVersion: 1 }] },
        { entity: 'searchWord', entityId: 'sw_latte', changes: [{ field: 'bidFen', value: 95, baseVersion: 1 }, { field: 'matchType', value: 'PHRASE', baseVersion: 1 }] },
        { entity: 'unit', entityId: 'un_search_brand', changes: [{ field: 'bidFen', value: 999, baseVersion: 1 }, { field: 'name', value: '品牌词 2', baseVersion: 1 }] },
      ]);
      expect(r[0]).toMatchObject({ status: 'applied', version: 2 });
      expect(r[1]).toMatchObject({ status: 'applied', version: 2 });
      expect(r[2]).toMatchObject({ status: 'conflict', version: 3, conflicts: [{ field: 'bidFen', serverValue: 140, serverVersion: 2 }] });
      const f = await feed(cursor);
      expect(entry(f, 'un_search_brand')).toMatchObject({ version: 3, data: { bidFen: 140, name: '品牌词 2' } });
      expect(entry(f, 'sw_latte')).toMatchObject({ version: 2, data: { bidFen: 95, matchType: 'PHRASE' } });
    });

    it('validates fields with the shared rules and refuses server-owned or unknown fields', async () => {
      const r = await push([
        { entity: 'searchWord', entityId: 'sw_latte', changes: [{ field: 'bidFen', value: -1, baseVersion: 1 }] },
        { entity: 'creative', entityId: 'cr_latte_card', changes: [{ field: 'reviewStatus', value: 'APPROVED', baseVersion: 1 }] },
        { entity: 'unit', entityId: 'un_latte_ocpx', changes: [{ field: 'planId', value: 'pl_member_feed', baseVersion: 1 }] },
        { entity: 'plan', entityId: 'pl_autumn_latte', changes: [{ field: 'merchantId', value: 'mc_northpeak', baseVersion: 1 }] },
        { entity: 'unit', entityId: 'un_latte_ocpx', changes: [{ field: 'bogus', value: 1, baseVersion: 1 }] },
        { entity: 'unit', entityId: 'un_latte_ocpx', changes: [{ field: '__proto__', value: 1, baseVersion: 1 }] },
      ]);
      for (const x of r) expect(x).toMatchObject({ status: 'rejected' });
      expect(r.every((x) => x.version === undefined)).toBe(true);
      const f = await feed(0, 5000);
      expect(f.changes.every((c) => c.version === 1)).toBe(true);
    });

    it('creates entities under live parents; deletes leave tombstones (cascading); ids are never reused', async () => {
      const { cursor } = await feed(0, 5000);
      const r = await push([
        { entity: 'unit', entityId: 'un_new_test', op: 'create', data: { planId: 'pl_search_delivery', name: '新单元 New unit', bidType: 'DEFAULT', bidFen: 300, targetCpaFen: null, targetRoi: null } },
        { entity: 'creative', entityId: 'cr_new_test', op: 'create', data: { unitId: 'un_new_test', template: 'FEED_IMAGE', title: '新品', description: 'New', reviewStatus: 'APPROVED' } },
        { entity: 'searchWord', entityId: 'sw_new_test', op: 'create', data: { unitId: 'un_new_test', word: '新词', matchType: 'EXACT', bidFen: 100 } },
        { entity: 'unit', entityId: 'un_orphan', op: 'create', data: { planId: 'pl_np_launch', name: 'x', bidType: 'DEFAULT', bidFen: 1, targetCpaFen: null, targetRoi: null } },
        { entity: 'unit', entityId: 'un_bad_test', op: 'create', data: { planId: 'pl_member_feed', name: 'x', bidType: 'DEFAULT', bidFen: 1, targetCpaFen: null, targetRoi: null, extra: true } },
      ]);
      expect(r.slice(0, 3).map((x) => x.status)).toEqual(['applied', 'applied', 'applied']);
      expect(r[3]).toMatchObject({ status: 'rejected', errors: [{ field: 'planId' }] }); // another merchant's plan
      expect(r[4]).toMatchObject({ status: 'rejected', errors: [{ field: 'data' }] }); // unknown field
      let f = await feed(cursor);
      // A new creative enters review whatever the client said.
      expect(entry(f, 'cr_new_test')).toMatchObject({ version: 1, data: { reviewStatus: 'PENDING' } });

      const del = await push([{ entity: 'unit', entityId: 'un_new_test', op: 'delete' }]);
      expect(del[0]).toMatchObject({ status: 'applied', version: 2 });
      f = await feed(f.cursor);
      expect(f.changes.map((c) => [c.entityId, c.deleted]).sort()).toEqual([
        ['cr_new_test', true],
        ['sw_new_test', true],
        ['un_new_test', true],
      ]);
      // Tombstones cannot be edited, and their ids cannot be used again; nor can another merchant's.
      const again = await push([
        { entity: 'unit', entityId: 'un_new_test', changes: [{ field: 'name', value: 'zombie', baseVersion: 2 }] },
        { entity: 'unit', entityId: 'un_new_test', op: 'create', data: { planId: 'pl_search_delivery', name: 'again', bidType: 'DEFAULT', bidFen: 1, targetCpaFen: null, targetRoi: null } },
        { entity: 'unit', entityId: 'un_np_launch_ocpx', op: 'create', data: { planId: 'pl_member_feed', name: 'steal', bidType: 'DEFAULT', bidFen: 1, targetCpaFen: null, targetRoi: null } },
      ]);
      expect(again.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(again[1]?.errors?.[0]?.message).toMatch(/already used/);
    });

    it('sends an edited creative to review; an admin rejects it with a reason; the client sees it on the feed', async () => {
      const { cursor } = await feed(0, 5000);
      const r = await push([{ entity: 'creative', entityId: 'cr_latte_card', changes: [{ field: 'title', value: '全城最好喝的拿铁', baseVersion: 1 }] }]);
      expect(r[0]).toMatchObject({ status: 'applied', version: 2 });
      let f = await feed(cursor);
      expect(entry(f, 'cr_latte_card')).toMatchObject({ version: 2, data: { reviewStatus: 'PENDING' }, reviewReason: null });

      const admin = (path: string, body?: unknown, token = DEMO_ADMIN_TOKEN) =>
        call(server.url, `/v1/admin${path}`, { token, method: body === undefined ? 'GET' : 'POST', body });
      const queue = await admin('/reviews');
      expect(queue.status).toBe(200);
      expect((queue.body as { pending: { creativeId: string; flagged: string | null }[] }).pending).toContainEqual(
        expect.objectContaining({ creativeId: 'cr_latte_card', flagged: '最' }),
      );
      // Merchants cannot use the review desk.
      expect((await admin('/reviews', undefined, DEMO_MERCHANT_TOKEN)).status).toBe(403);
      expect((await admin('/reviews/cr_latte_card', { decision: 'approve' }, DEMO_MERCHANT_TOKEN)).status).toBe(403);
      // A rejection needs a reason.
      const noReason = await admin('/reviews/cr_latte_card', { decision: 'reject' });
      expect(noReason.status).toBe(400);
      ApiError.parse(noReason.body);

      const rej = await admin('/reviews/cr_latte_card', { decision: 'reject', reason: '“最好喝”是绝对化用语 Absolute claim' });
      expect(rej.status).toBe(200);
      expect(rej.body).toMatchObject({ reviewStatus: 'REJECTED', version: 3 });
      expect((await admin('/reviews/cr_latte_card', { decision: 'approve' })).status).toBe(409);
      expect((await admin('/reviews/cr_nope', { decision: 'approve' })).status).toBe(404);

      f = await feed(f.cursor);
      expect(f.changes).toEqual([
        expect.objectContaining({ entityId: 'cr_latte_card', version: 3, data: expect.objectContaining({ reviewStatus: 'REJECTED' }), reviewReason: '“最好喝”是绝对化用语 Absolute claim' }),
      ]);
      // Fixing the text sends it back to review, and clears the reason.
      const fix = await push([{ entity: 'creative', entityId: 'cr_latte_card', changes: [{ field: 'title', value: '秋冬拿铁', baseVersion: 3 }] }]);
      expect(fix[0]).toMatchObject({ status: 'applied', version: 4 });
      f = await feed(f.cursor);
      expect(entry(f, 'cr_latte_card')).toMatchObject({ data: { reviewStatus: 'PENDING' }, reviewReason: null });
    });

    it('auto-approves clean creatives for the demo, and leaves flagged ones for a human', async () => {
      await server.close();
      server = await startTestServer(loc, { autoApproveAfterMs: 0 });
      const { cursor } = await feed(0, 5000);
      await push([
        { entity: 'creative', entityId: 'cr_member_feed', changes: [{ field: 'description', value: 'Member day: two for one', baseVersion: 1 }] },
        { entity: 'creative', entityId: 'cr_splash', changes: [{ field: 'title', value: '双11 全网第一 五折', baseVersion: 1 }] },
      ]);
      let f: EntityFeed | undefined;
      for (let i = 0; i < 50; i++) {
        f = await feed(cursor);
        if (entry(f, 'cr_member_feed')?.data.reviewStatus === 'APPROVED') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(entry(f!, 'cr_member_feed')).toMatchObject({ version: 3, data: { reviewStatus: 'APPROVED' } });
      expect(entry(f!, 'cr_splash')).toMatchObject({ version: 2, data: { reviewStatus: 'PENDING' } });
    });
  });
}
