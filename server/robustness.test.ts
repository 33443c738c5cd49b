import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { ApiError, EntityFeed, SCHEMA_HEADER } from '../shared/sync/wire';
import type { RunningServer } from './app';
import { NORTHPEAK_MERCHANT_ID, NORTHPEAK_MERCHANT_TOKEN } from './seed';
import { call, startTestServer, tempDir, testBackends } from './test-helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());

const SHANLAN = `/v1/accounts/${DEMO_MERCHANT_ID}`;

for (const backend of testBackends(tmp)) {
  describe(`bad input on ${backend.name}`, () => {
    let server: RunningServer;
    beforeEach(async () => {
      server = await startTestServer(await backend.newDb());
    });
    afterEach(async () => {
      await server.close();
    });

    const everything = async () => {
      const a = await call<EntityFeed>(server.url, `${SHANLAN}/feed?cursor=0&limit=5000`, { token: DEMO_MERCHANT_TOKEN });
      const b = await call<EntityFeed>(server.url, `/v1/accounts/${NORTHPEAK_MERCHANT_ID}/feed?cursor=0&limit=5000`, { token: NORTHPEAK_MERCHANT_TOKEN });
      return JSON.stringify([a.body, b.body]);
    };
    const raw = async (path: string, body: string | Buffer, contentType = 'application/json', token = DEMO_MERCHANT_TOKEN) => {
      const res = await fetch(server.url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, [SCHEMA_HEADER]: '1', 'content-type': contentType },
        body,
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    };
    const mutation = (over: Record<string, unknown> = {}, change: Record<string, unknown> = {}) => ({
      clientId: 'robust-client',
      mutations: [{ id: 1, entity: 'plan', entityId: 'pl_autumn_latte', changes: [{ field: 'dailyBudgetFen', value: 400_000, baseVersion: 1, ...change }], ...over }],
    });

    it('answers each kind of bad input with a clear 4xx and changes nothing', async () => {
      const before = await everything();
      const cases: [string, () => Promise<{ status: number; body: unknown }>, number, RegExp?][] = [
        ['malformed JSON', () => raw(`${SHANLAN}/mutations`, '{"clientId": "robust-client", "mutations": [ {'), 400],
        ['JSON that is not an object', () => raw(`${SHANLAN}/mutations`, '[1, 2, 3]'), 400],
        ['null body', () => raw(`${SHANLAN}/mutations`, 'null'), 400],
        ['not JSON at all', () => raw(`${SHANLAN}/mutations`, 'hello', 'text/plain'), 415],
        ['form encoded', () => raw(`${SHANLAN}/mutations`, 'a=1', 'application/x-www-form-urlencoded'), 415],
        ['wrong type: id as string', () => call(server.url, `${SHANLAN}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body: mutation({ id: '1' }) }), 400, /mutations\.0\.id/],
        ['wrong type: baseVersion negative', () => call(server.url, `${SHANLAN}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body: mutation({}, { baseVersion: -1 }) }), 400, /baseVersion/],
        ['wrong type: entity unknown', () => call(server.url, `${SHANLAN}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body: mutation({ entity: 'merchant' }) }), 400, /entity/],
        ['unknown top-level field', () => call(server.url, `${SHANLAN}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body: { ...mutation(), admin: true } }), 400, /admin/],
        ['unknown mutation field', () => call(server.url, `${SHANLAN}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body: mutation({ merchantId: NORTHPEAK_MERCHANT_ID }) }), 400, /merchantId/],
        ['unknown query parameter', () => call(server.url, `${SHANLAN}/feed?cursor=0&merchant=${NORTHPEAK_MERCHANT_ID}`, { token: DEMO_MERCHANT_TOKEN }), 400],
        ['too many mutations', () => call(server.url, `${SHANLAN}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body: { clientId: 'robust-client', mutations: Array.from({ length: 1001 }, (_, i) => ({ ...mutation().mutations[0], id: i + 1 })) } }), 400],
        ['huge body', () => raw(`${SHANLAN}/mutations`, JSON.stringify({ clientId: 'robust-client', mutations: [], pad: 'x'.repeat(9 * 1024 * 1024) })), 413],
        ['huge decide body', () => raw('/v1/decide', JSON.stringify({ pad: 'x'.repeat(9 * 1024 * 1024) })), 413],
        ["another merchant's account", () => call(server.url, `/v1/accounts/${NORTHPEAK_MERCHANT_ID}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body: mutation({ entityId: 'pl_np_launch' }) }), 404],
        ['a path id that is not an id', () => call(server.url, `${SHANLAN}/plans/..%2F..%2Fetc`, { token: DEMO_MERCHANT_TOKEN }), 400],
      ];
      for (const [name, send, status, message] of cases) {
        const res = await send();
        expect(res.status, name).toBe(status);
        const err = ApiError.safeParse(res.body);
        expect(err.success, `${name}: ${JSON.stringify(res.body)}`).toBe(true);
        if (err.success && message) expect(err.data.error.message, name).toMatch(message);
      }
      // Another merchant's ids through one's own account: 200 with per-row rejections, nothing applied.
      const viaOwn = await call<{ results: { status: string }[] }>(server.url, `${SHANLAN}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body: mutation({ entityId: 'pl_np_launch' }) });
      expect(viaOwn.status).toBe(200);
      expect(viaOwn.body.results[0]?.status).toBe('rejected');
      expect(await everything()).toEqual(before);
      // And the server still works.
      const ok = await call(server.url, `${SHANLAN}/mutations`, { method: 'POST', token: DEMO_MERCHANT_TOKEN, body: { ...mutation(), clientId: 'robust-client-2' } });
      expect(ok.status).toBe(200);
    });
  });
}
