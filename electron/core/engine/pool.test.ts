import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract/errors';
import { demoMarket, type ForecastResult, type LandscapeResult } from '../../../shared/engine';
import { syntheticAccount } from '../../../shared/engine/synthetic';
import { buildEngineWorker } from '../testing';
import { EnginePool } from './pool';

let pool: EnginePool;
beforeAll(async () => {
  pool = new EnginePool(await buildEngineWorker(), 1);
});
afterAll(async () => {
  await pool.close();
});

const request = (days: number, plans = 2) => ({ plans: syntheticAccount(plans, 3), market: demoMarket(), startDate: '2026-11-02', days, seed: 1 });

describe('engine pool', () => {
  it('cancels a running forecast at its next simulated hour, then serves the next job', async () => {
    let progress = 0;
    const job = pool.run<ForecastResult>({ kind: 'forecast', request: request(30, 20), firstEstimate: false }, { onProgress: () => progress++ });
    const queued = pool.run<LandscapeResult>({ kind: 'landscape', request: { ...request(1), multipliers: [1, 2] } });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (progress > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    job.cancel();
    await expect(job.result).rejects.toMatchObject({ code: 'cancelled' } satisfies Partial<ContractError>);
    const l = await queued.result;
    expect(l.points.map((p) => p.bidMultiplier)).toEqual([1, 2]);
  });

  it('drops a queued job on cancel, and posts the first estimate before the refined result', async () => {
    const estimates: ForecastResult[] = [];
    const first = pool.run<ForecastResult>({ kind: 'forecast', request: request(1), firstEstimate: true }, { onEstimate: (e) => estimates.push(e) });
    const second = pool.run<ForecastResult>({ kind: 'forecast', request: request(1), firstEstimate: false });
    second.cancel();
    await expect(second.result).rejects.toMatchObject({ code: 'cancelled' });
    const refined = await first.result;
    expect(estimates.map((e) => e.stage)).toEqual(['first']);
    expect(refined.stage).toBe('refined');
  });
});
