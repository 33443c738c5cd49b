import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REVIEWED_CREATIVE_FIELDS, type ReviewedCreativeField } from '../shared/domain/creative';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { DecideResponse, EntityFeed, EntityPushResponse, type ShownAd } from '../shared/sync/wire';
import type { RunningServer } from './app';
import { flaggedLink } from './review';
import { DEMO_ADMIN_TOKEN } from './seed';
import { call, startTestServer, tempDir, testBackends } from './test-helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());

const SHANLAN = `/v1/accounts/${DEMO_MERCHANT_ID}`;
// Today at 12:00 in Shanghai: the demo's autumn latte plan runs then, whatever the weekday.
const NOON = `${new Date().toISOString().slice(0, 10)}T04:00:00.000Z`;

/**
 * A changed value for every reviewed field of `cr_latte_card` (a COUPON_CARD): what an attacker
 * who holds the merchant's token would push to swap what an approved ad shows or links to.
 */
const CHANGES: Record<ReviewedCreativeField, unknown> = {
  template: 'FEED_IMAGE',
  title: '秋冬拿铁 立减6元',
  description: 'Autumn latte: ¥6 off',
  asset: 'https://cdn.attacker.example/fake-coupon.png',
  action: { type: 'H5_LINK', target: 'https://login-shanlan.attacker.example/pay' },
  impressionTrackingUrl: 'https://track.attacker.example/i',
  clickTrackingUrl: 'https://track.attacker.example/c',
};

for (const backend of testBackends(tmp)) {
  describe(`reviewed creative fields on ${backend.name}`, () => {
    let server: RunningServer;
    beforeEach(async () => {
      server = await startTestServer(await backend.newDb(), { servingRefreshMs: 0 });
    });
    afterEach(async () => {
      await server.close();
    });

    const push = async (field: string, value: unknown) => {
      const res = await call<EntityPushResponse>(server.url, `${SHANLAN}/mutations`, {
        method: 'POST',
        token: DEMO_MERCHANT_TOKEN,
        body: { clientId: 'reviewed-fields', mutations: [{ id: 1, entity: 'creative', entityId: 'cr_latte_card', changes: [{ field, value, baseVersion: 1 }] }] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return EntityPushResponse.parse(res.body).results[0];
    };
    const latteCard = async () => {
      const res = await call<EntityFeed>(server.url, `${SHANLAN}/feed?cursor=0&limit=5000`, { token: DEMO_MERCHANT_TOKEN });
      expect(res.status).toBe(200);
      return EntityFeed.parse(res.body).changes.find((c) => c.entityId === 'cr_latte_card');
    };
    /** The creatives the home feed shows to 150 users at noon. */
    const served = async (prefix: string) => {
      const ads: ShownAd[] = [];
      for (let i = 0; i < 150; i++) {
        const res = await call<DecideResponse>(server.url, '/v1/decide', {
          method: 'POST',
          body: { placement: 'home_feed', user: { id: `${prefix}${i}` }, time: new Date(Date.parse(NOON) + i * 1000).toISOString() },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        ads.push(...DecideResponse.parse(res.body).ads);
      }
      return new Set(ads.map((a) => a.creativeId));
    };

    it('serves the approved cr_latte_card before any change (the baseline the cases below rely on)', async () => {
      expect((await latteCard())?.data.reviewStatus).toBe('APPROVED');
      expect((await served('base')).has('cr_latte_card')).toBe(true);
    });

    // The proof named the action, the asset and the click tracking URL; every other reviewed field is held to the same rule.
    // (The test's own list, so a field dropped from REVIEWED_CREATIVE_FIELDS still fails here; its type keeps it complete.)
    it('covers every reviewed field', () => expect(Object.keys(CHANGES).sort()).toEqual([...REVIEWED_CREATIVE_FIELDS].sort()));
    for (const field of Object.keys(CHANGES) as ReviewedCreativeField[]) {
      it(`a pushed change to ${field} sends cr_latte_card back to review, and /v1/decide stops serving it`, async () => {
        const r = await push(field, CHANGES[field]);
        expect(r, JSON.stringify(r)).toMatchObject({ status: 'applied', version: 2 });
        const card = await latteCard();
        expect(card?.data[field]).toEqual(CHANGES[field]);
        expect(card?.data.reviewStatus).toBe('PENDING');
        expect(card?.reviewReason ?? null).toBeNull();
        expect((await served(field)).has('cr_latte_card')).toBe(false);

        // It is in the review queue with what it now shows and links to, and serves again once approved.
        const queue = await call<{ pending: Record<string, unknown>[] }>(server.url, '/v1/admin/reviews', { token: DEMO_ADMIN_TOKEN });
        expect(queue.body.pending).toContainEqual(expect.objectContaining({ creativeId: 'cr_latte_card', [field]: CHANGES[field] }));
        const ok = await call(server.url, '/v1/admin/reviews/cr_latte_card', { method: 'POST', token: DEMO_ADMIN_TOKEN, body: { decision: 'approve' } });
        expect(ok.status, JSON.stringify(ok.body)).toBe(200);
        expect((await served(`${field}-approved`)).has('cr_latte_card')).toBe(true);
      });
    }

    it('the auto-approve rule reviews a link change like text: https links pass after the wait, others wait for a human', async () => {
      await server.close();
      server = await startTestServer(await backend.newDb(), { servingRefreshMs: 0, autoApproveAfterMs: 0 });
      expect(await push('action', { type: 'H5_LINK', target: 'http://login-shanlan.attacker.example/pay' })).toMatchObject({ status: 'applied', version: 2 });
      // Not APPROVED at once: it waits for a review pass, and a plain-http link never passes it unattended.
      expect((await latteCard())?.data.reviewStatus).toBe('PENDING');
      await new Promise((r) => setTimeout(r, 1500));
      expect((await latteCard())?.data.reviewStatus).toBe('PENDING');
      const queue = await call<{ pending: { creativeId: string; flagged: string | null }[] }>(server.url, '/v1/admin/reviews', { token: DEMO_ADMIN_TOKEN });
      expect(queue.body.pending).toContainEqual(expect.objectContaining({ creativeId: 'cr_latte_card', flagged: 'action: http://login-shanlan.attacker.example/pay' }));

      const r = await call<EntityPushResponse>(server.url, `${SHANLAN}/mutations`, {
        method: 'POST',
        token: DEMO_MERCHANT_TOKEN,
        body: { clientId: 'reviewed-fields', mutations: [{ id: 2, entity: 'creative', entityId: 'cr_latte_card', changes: [{ field: 'action', value: CHANGES.action, baseVersion: 2 }] }] },
      });
      expect(EntityPushResponse.parse(r.body).results[0]).toMatchObject({ status: 'applied', version: 3 });
      let status: unknown;
      for (let i = 0; i < 50 && status !== 'APPROVED'; i++) {
        await new Promise((res) => setTimeout(res, 100));
        status = (await latteCard())?.data.reviewStatus;
      }
      expect(status).toBe('APPROVED');
    });
  });
}

describe('flaggedLink', () => {
  it('passes https links and platform asset ids; flags any other scheme', () => {
    expect(flaggedLink({ asset: 'as_12345', action: { type: 'MINI_PROGRAM_PAGE', target: 'pages/coupon/index' } })).toBeUndefined();
    expect(flaggedLink({ asset: 'https://cdn.example/a.png', action: { type: 'H5_LINK', target: 'https://shop.example/x' }, clickTrackingUrl: 'https://t.example/c', impressionTrackingUrl: null })).toBeUndefined();
    expect(flaggedLink({ asset: 'http://cdn.example/a.png' })).toBe('asset: http://cdn.example/a.png');
    expect(flaggedLink({ action: { type: 'H5_LINK', target: 'javascript:alert(1)' } })).toBe('action: javascript:alert(1)');
    expect(flaggedLink({ action: { type: 'H5_LINK', target: 'shop.example/x' } })).toBe('action: shop.example/x');
    expect(flaggedLink({ impressionTrackingUrl: 'https://user:pw@t.example/i' })).toBe('impressionTrackingUrl: https://user:pw@t.example/i');
    expect(flaggedLink({ clickTrackingUrl: 'data:text/html,x' })).toBe('clickTrackingUrl: data:text/html,x');
  });
});
