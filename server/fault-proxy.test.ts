import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { EntityPushResponse, SCHEMA_HEADER, VersionedPlan } from '../shared/sync/wire';
import type { RunningServer } from './app';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { call, startTestServer, tempDir, testBackends } from './test-helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());
const SHANLAN = `/v1/accounts/${DEMO_MERCHANT_ID}`;

for (const backend of testBackends(tmp)) {
  describe(`through the fault proxy on ${backend.name}`, () => {
    let server: RunningServer;
    let proxy: FaultProxy;
    beforeEach(async () => {
      server = await startTestServer(await backend.newDb());
      proxy = await startFaultProxy(server.url, {}, 42);
    });
    afterEach(async () => {
      await proxy.close();
      await server.close();
    });

    /** A client's push with retries: a fetch error, a timeout or a 5xx is retried; returns the answer it finally got. */
    const pushWithRetry = async (body: unknown): Promise<{ answer: EntityPushResponse; attempts: number }> => {
      for (let attempt = 1; attempt <= 30; attempt++) {
        try {
          const res = await fetch(`${proxy.url}${SHANLAN}/mutations`, {
            method: 'POST',
            headers: { authorization: `Bearer ${DEMO_MERCHANT_TOKEN}`, [SCHEMA_HEADER]: '1', 'content-type': 'application/json' },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(1000),
          });
          if (res.status >= 500) continue;
          return { answer: EntityPushResponse.parse(JSON.parse(await res.text())), attempts: attempt };
        } catch {
          // cut, hung or reset: retry
        }
      }
      throw new Error('no answer after 30 attempts');
    };

    it('applies each mutation exactly once whatever the proxy does to the pushes', async () => {
      proxy.setFaults({ fail: 0.15, failAfter: 0.15, cut: 0.15, duplicate: 0.15, hang: 0.05, maxDelayMs: 20 });
      let budget = 300_000;
      for (let id = 1; id <= 12; id++) {
        budget += 1_000;
        const { answer } = await pushWithRetry({
          clientId: 'faulty-client',
          mutations: [{ id, entity: 'plan', entityId: 'pl_autumn_latte', changes: [{ field: 'dailyBudgetFen', value: budget, baseVersion: id }] }],
        });
        // The first delivery applied it; any later answer is for a duplicate.
        expect(['applied', 'duplicate']).toContain(answer.results[0]?.status);
        expect(answer.lastMutationId).toBe(id);
      }
      proxy.setFaults({});
      const plan = VersionedPlan.parse((await call(server.url, `${SHANLAN}/plans/pl_autumn_latte`, { token: DEMO_MERCHANT_TOKEN })).body);
      expect(plan.version).toBe(13); // 12 mutations, each applied once
      expect(plan.plan.dailyBudgetFen).toBe(budget);
      const faulted = proxy.counts.fail + proxy.counts.failAfter + proxy.counts.cut + proxy.counts.duplicate + proxy.counts.hang;
      expect(faulted).toBeGreaterThan(0);
    });

    it('refuses a target that is not on loopback', async () => {
      await expect(startFaultProxy('http://10.1.2.3:80')).rejects.toThrow(/loopback/);
    });
  });
}
