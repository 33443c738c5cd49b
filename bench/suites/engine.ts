import { performance } from 'node:perf_hooks';
import { demoAccount } from '../../shared/domain/demo';
import { demoMarket, runForecast, type ForecastRequest } from '../../shared/engine';
import { measured, type MeasuredMetric } from '../report';
import type { Suite, SuiteOptions } from '../suite';

/**
 * The engine suite. Metrics (stable names):
 * - forecast_7d_ms: one runForecast of the demo INTELLIGENT plan (Autumn Latte: OCPX + NO_BID,
 *   standard pacing, ¥3,000/day) over 7 days at the default sample rate, median ms.
 * - auctions_per_sec: simulated auctions per second of the same plan over one day at sample
 *   rate 1 (every request simulated, about 2 million auctions).
 * - rss_mb: peak resident memory of the process during the suite (process.resourceUsage().maxRSS).
 */

function demoRequest(days: number, seed: number, sampleRate?: number): ForecastRequest {
  const account = demoAccount();
  const plan = account.plans.find((p) => p.scene === 'INTELLIGENT');
  if (!plan) throw new Error('the demo account has no INTELLIGENT plan');
  return {
    plan,
    units: account.units.filter((u) => u.planId === plan.id),
    market: demoMarket(),
    startDate: '2026-11-02',
    days,
    seed,
    ...(sampleRate === undefined ? {} : { sampleRate }),
  };
}

function peakRssMb(): number {
  const maxRssKb = process.resourceUsage().maxRSS;
  return Math.max(maxRssKb / 1024, process.memoryUsage().rss / (1024 * 1024));
}

async function run({ quick, log }: SuiteOptions): Promise<MeasuredMetric[]> {
  const warmup = quick ? 1 : 5;
  const forecastRuns = quick ? 3 : 21;
  const auctionRuns = quick ? 2 : 9;

  const forecastMs: number[] = [];
  for (let i = 0; i < warmup + forecastRuns; i++) {
    const req = demoRequest(7, 1000 + i);
    const t0 = performance.now();
    runForecast(req);
    const ms = performance.now() - t0;
    if (i >= warmup) forecastMs.push(ms);
  }
  log(`forecast 7d: ${forecastMs.map((x) => x.toFixed(1)).join(' ')} ms`);

  const perSec: number[] = [];
  for (let i = 0; i < 1 + auctionRuns; i++) {
    const req = demoRequest(1, 2000 + i, 1);
    const t0 = performance.now();
    const result = runForecast(req);
    const s = (performance.now() - t0) / 1000;
    if (i >= 1) perSec.push(result.totals.auctions / s);
  }
  log(`auctions/s: ${perSec.map((x) => Math.round(x).toLocaleString('en-US')).join(' ')}`);

  const rss = peakRssMb();
  return [
    measured('forecast_7d_ms', forecastMs, { unit: 'ms', target: 200, better: 'lower' }),
    measured('auctions_per_sec', perSec, { unit: 'auctions/s', target: 1_000_000, better: 'higher' }),
    measured('rss_mb', [rss], { unit: 'MB', target: 256, better: 'lower' }),
  ];
}

export const engineSuite: Suite = {
  name: 'engine',
  description: 'auction + pacing engine: 7-day forecast time, auction throughput, peak memory',
  run,
};
