import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { StatsResponse } from '../shared/sync/wire';
import { call, startTestServer, tempDir } from './test-helpers';
import { parseTrafficArgs, runTraffic } from './traffic';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('traffic generator', () => {
  it('is bounded: loopback only, rate and duration limits', () => {
    expect(parseTrafficArgs(['--rate', '50', '--minutes', '1', '--server', 'http://127.0.0.1:4801'])).toEqual({
      ok: true,
      options: { rate: 50, minutes: 1, server: 'http://127.0.0.1:4801', seed: 1 },
    });
    const bad: [string[], RegExp][] = [
      [['--rate', '50', '--minutes', '1', '--server', 'http://example.com'], /loopback/],
      [['--rate', '50', '--minutes', '1', '--server', 'http://10.0.0.1:4801'], /loopback/],
      [['--rate', '5000', '--minutes', '1', '--server', 'http://127.0.0.1:1'], /--rate/],
      [['--rate', '5', '--minutes', '99999', '--server', 'http://127.0.0.1:1'], /--minutes/],
      [['--rate', '5', '--minutes', '1'], /--server/],
    ];
    for (const [argv, msg] of bad) {
      const r = parseTrafficArgs(argv);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(msg);
    }
  });

  it('drives a backend so that it shows delivery in stats', async () => {
    const server = await startTestServer(tmp.dbPath());
    try {
      const totals = await runTraffic({ rate: 400, minutes: 0.05, server: server.url, seed: 7 }, () => undefined);
      expect(totals.requests).toBeGreaterThan(50);
      expect(totals.errors).toBe(0);
      expect(totals.ads).toBeGreaterThan(0);
      const res = await call<StatsResponse>(server.url, `/v1/accounts/${DEMO_MERCHANT_ID}/stats`, { token: DEMO_MERCHANT_TOKEN });
      const shanlanImpressions = StatsResponse.parse(res.body).rows.reduce((a, r) => a + r.impressions, 0);
      const npRes = await call<StatsResponse>(server.url, '/v1/accounts/mc_northpeak/stats', { token: 'lantern-demo-northpeak-token' });
      const npImpressions = StatsResponse.parse(npRes.body).rows.reduce((a, r) => a + r.impressions, 0);
      expect(shanlanImpressions + npImpressions).toBe(totals.ads);
    } finally {
      await server.close();
    }
  });
});
