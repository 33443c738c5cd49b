import { performance } from 'node:perf_hooks';
import { demoAccount } from '../../shared/domain/demo';
import { bidLandscape, demoMarket, firstEstimate, planFromDomain, runForecast, type ForecastRequest } from '../../shared/engine';
import { AN_BIDDERS, AN_EXPOSURE, AN_RESERVE, AN_TICKS, drawNoise, makeAuctionNetEpisode, runAuctionNetEpisode, type AuctionNetEpisode } from '../../shared/engine/auctionnet';
import { Rng } from '../../shared/engine/prng';
import { syntheticAccount } from '../../shared/engine/synthetic';
import { measured, type MeasuredMetric } from '../report';
import type { Suite, SuiteOptions } from '../suite';

/**
 * The engine suite. Metric names are fixed by issue 4:
 * - auctionnet_episode_ms: one AuctionNet-sized episode (48 bidders, 500k impressions, 48 ticks,
 *   3-slot GSP with exposure 1.0/0.8/0.6, per-impression pValue per bidder, dual-gradient
 *   pacing) run by the engine's GSP and pacer code (shared/engine/auctionnet.ts).
 * - auctionnet_vs_plain_loop: that episode's time / a bare typed-array GSP loop below on the
 *   same traffic, measured pair by pair in the same run.
 * - forecast_30d_50plans_ms: a 30-day hourly forecast of a 50-plan account with p10/p50/p90.
 * - first_estimate_7d_ms: the first estimate for one plan (demo Autumn Latte) over 7 days.
 * - bid_landscape_7d_ms: its 7-point bid landscape over 7 days.
 * - peak_rss_mb: peak resident memory of the process during the suite.
 */

const START = '2026-11-02';

function demoRequest(days: number, seed: number): ForecastRequest {
  const a = demoAccount();
  const plan = a.plans.find((p) => p.scene === 'INTELLIGENT');
  if (!plan) throw new Error('the demo account has no INTELLIGENT plan');
  return { plans: [planFromDomain(plan, a.units, a.creatives)], market: demoMarket(), startDate: START, days, seed };
}

/**
 * The floor for JavaScript: the same episode as a bare loop — no objects, no calls, bids and
 * pacing inline. Same traffic (same RNG stream and noise table) as the engine's run.
 */
function plainEpisode(ep: AuctionNetEpisode): number {
  const n = AN_BIDDERS;
  const rng = new Rng(ep.seed ^ 0x5bd1e995);
  const u = new Float64Array(n + 2);
  const pv = new Float64Array(n);
  const spent = new Float64Array(n);
  const start = new Float64Array(n);
  const mu = new Float64Array(n);
  const conv = new Float64Array(n);
  const e1 = AN_EXPOSURE[1] as number;
  const e2 = AN_EXPOSURE[2] as number;
  let total = 0;
  for (let t = 0; t < AN_TICKS; t++) total += ep.ticks[t] as number;
  let shown = 0;
  for (let t = 0; t < AN_TICKS; t++) {
    const count = ep.ticks[t] as number;
    start.set(spent);
    for (let i = 0; i < count; i++) {
      drawNoise(rng, ep.noiseTab, u, n);
      u[n] = rng.float();
      u[n + 1] = rng.float();
      let b1 = -1;
      let b2 = -1;
      let b3 = -1;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      for (let b = 0; b < n; b++) {
        const p = (ep.base[b] as number) * (u[b] as number);
        pv[b] = p;
        if ((spent[b] as number) >= (ep.budget[b] as number)) continue;
        const s = (p * (ep.cpa[b] as number)) / (1 + (mu[b] as number));
        if (s < AN_RESERVE || s <= s4) continue;
        if (s > s1) {
          s4 = s3; s3 = s2; b3 = b2; s2 = s1; b2 = b1; s1 = s; b1 = b; // prettier-ignore
        } else if (s > s2) {
          s4 = s3; s3 = s2; b3 = b2; s2 = s; b2 = b; // prettier-ignore
        } else if (s > s3) {
          s4 = s3; s3 = s; b3 = b; // prettier-ignore
        } else s4 = s;
      }
      const ue = u[n] as number;
      const uc = u[n + 1] as number;
      if (b1 >= 0) {
        spent[b1] = (spent[b1] as number) + Math.max(s2, AN_RESERVE);
        if (uc < (pv[b1] as number)) conv[b1] = (conv[b1] as number) + 1;
        shown++;
        if (b2 >= 0 && ue < e1) {
          spent[b2] = (spent[b2] as number) + Math.max(s3, AN_RESERVE);
          if (uc < (pv[b2] as number)) conv[b2] = (conv[b2] as number) + 1;
          shown++;
          if (b3 >= 0 && ue < e2) {
            spent[b3] = (spent[b3] as number) + Math.max(s4, AN_RESERVE);
            if (uc < (pv[b3] as number)) conv[b3] = (conv[b3] as number) + 1;
            shown++;
          }
        }
      }
    }
    for (let b = 0; b < n; b++) {
      const target = ((ep.budget[b] as number) * count) / total;
      let err = ((spent[b] as number) - (start[b] as number) - target) / target;
      if (err > 3) err = 3;
      const m = (mu[b] as number) + 0.3 * err;
      mu[b] = m < 0 ? 0 : m > 20 ? 20 : m;
    }
  }
  return shown;
}

function peakRssMb(): number {
  return Math.max(process.resourceUsage().maxRSS / 1024, process.memoryUsage().rss / (1024 * 1024));
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

async function run({ quick, log }: SuiteOptions): Promise<MeasuredMetric[]> {
  const reps = (full: number, q: number) => (quick ? q : full);

  // AuctionNet episode, engine vs bare loop, pair by pair (alternating order).
  const episodeMs: number[] = [];
  const ratios: number[] = [];
  const pairs = reps(7, 1);
  for (let i = 0; i < pairs + 1; i++) {
    const ep = makeAuctionNetEpisode(100 + i);
    let eng = 0;
    let plain = 0;
    if (i % 2 === 0) {
      eng = time(() => runAuctionNetEpisode(ep));
      plain = time(() => plainEpisode(ep));
    } else {
      plain = time(() => plainEpisode(ep));
      eng = time(() => runAuctionNetEpisode(ep));
    }
    if (i === 0) continue; // warm-up
    episodeMs.push(eng);
    ratios.push(eng / plain);
  }
  const r = runAuctionNetEpisode(makeAuctionNetEpisode(100));
  log(`auctionnet episode: ${episodeMs.map((x) => x.toFixed(0)).join(' ')} ms; vs plain ${ratios.map((x) => x.toFixed(2)).join(' ')}; shown ${r.shown}, conversions ${r.conversions}, score ${r.score.toFixed(1)}`);

  // 30-day forecast of a 50-plan account, with bands (default runs).
  const account = syntheticAccount(50, 7);
  const market = demoMarket();
  const fc: number[] = [];
  for (let i = 0; i < reps(5, 1) + 1; i++) {
    const ms = time(() => runForecast({ plans: account, market, startDate: START, days: 30, seed: 10 + i }));
    if (i > 0) fc.push(ms);
  }
  log(`forecast 30d × 50 plans: ${fc.map((x) => x.toFixed(0)).join(' ')} ms`);

  const fe: number[] = [];
  for (let i = 0; i < reps(21, 3) + 2; i++) {
    const ms = time(() => firstEstimate(demoRequest(7, 20 + i)));
    if (i > 1) fe.push(ms);
  }
  log(`first estimate 7d: ${fe.map((x) => x.toFixed(0)).join(' ')} ms`);

  const bl: number[] = [];
  for (let i = 0; i < reps(7, 1) + 1; i++) {
    const ms = time(() => bidLandscape(demoRequest(7, 30 + i)));
    if (i > 0) bl.push(ms);
  }
  log(`bid landscape 7d: ${bl.map((x) => x.toFixed(0)).join(' ')} ms`);

  return [
    measured('auctionnet_episode_ms', episodeMs, { unit: 'ms', target: 600, better: 'lower' }),
    measured('auctionnet_vs_plain_loop', ratios, { unit: 'ratio', target: 2.5, better: 'lower' }),
    measured('forecast_30d_50plans_ms', fc, { unit: 'ms', target: 1500, better: 'lower' }),
    measured('first_estimate_7d_ms', fe, { unit: 'ms', target: 100, better: 'lower' }),
    measured('bid_landscape_7d_ms', bl, { unit: 'ms', target: 600, better: 'lower' }),
    measured('peak_rss_mb', [peakRssMb()], { unit: 'MB', target: 300, better: 'lower' }),
  ];
}

export const engineSuite: Suite = {
  name: 'engine',
  description: 'auction + pacing engine: AuctionNet episode, 30-day account forecast, first estimate, bid landscape, peak memory',
  run,
};
