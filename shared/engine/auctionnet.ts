import { gspAuction } from './gsp';
import { DEMO_HOUR_SHARE } from './market';
import { DualGradientPacer, type Pacer } from './pacing';
import { Rng, lognormalQuantile } from './prng';

/**
 * An AuctionNet-sized episode (market-facts.md) run by the engine's own GSP and pacer: 48
 * bidders in 6 categories with budgets and CPA targets, ~500,000 impressions over 48 ticks, 3
 * slots with exposure 1.0 / 0.8 / 0.6 (nested), a conversion probability per impression and
 * bidder, dual-gradient pacing per bidder (bid = pValue × CPA / (1 + μ)), pay the next score
 * only when shown, at least the reserve. Used by the `engine` benchmark and its tests; the
 * same traffic generator feeds the benchmark's bare loop so the two are compared fairly.
 */

export const AN_BIDDERS = 48;
export const AN_TICKS = 48;
export const AN_IMPRESSIONS = 500_000;
export const AN_EXPOSURE: readonly number[] = [1, 0.8, 0.6];
export const AN_RESERVE = 0.0001;
/** Conversion probability: mean ~5e-4 with ~15 % noise per impression and bidder. */
export const AN_PVALUE_MEAN = 5e-4;
export const AN_PVALUE_SIGMA = 0.15;

export interface AuctionNetEpisode {
  ticks: Int32Array; // impressions per tick
  budget: Float64Array;
  cpa: Float64Array;
  /** Bidder's mean pValue (category × bidder affinity). */
  base: Float64Array;
  /** pValue = base × noise, noise drawn from this 4096-cell table of a mean-1 lognormal (see drawNoise). */
  noiseTab: Float64Array;
  seed: number;
}

/** Episode setup (everything but the per-impression draws). */
export function makeAuctionNetEpisode(seed: number, impressions = AN_IMPRESSIONS): AuctionNetEpisode {
  const rng = new Rng(seed);
  // Half-hourly curve from the hour shares, × a random 0.6–1.4 per 4-tick window.
  const w = new Float64Array(AN_TICKS);
  let sum = 0;
  for (let t = 0; t < AN_TICKS; t++) {
    if (t % 4 === 0) w[t] = 0.6 + 0.8 * rng.float();
    else w[t] = w[t - 1] as number;
    w[t] = (w[t] as number) * (DEMO_HOUR_SHARE[t >> 1] as number);
    sum += w[t] as number;
  }
  const ticks = new Int32Array(AN_TICKS);
  for (let t = 0; t < AN_TICKS; t++) ticks[t] = Math.round(((w[t] as number) / sum) * impressions);
  const budget = new Float64Array(AN_BIDDERS);
  const cpa = new Float64Array(AN_BIDDERS);
  const base = new Float64Array(AN_BIDDERS);
  for (let b = 0; b < AN_BIDDERS; b++) {
    budget[b] = 2000 + 2850 * rng.float();
    cpa[b] = 60 + 70 * rng.float();
    const category = Math.floor(b / 8);
    base[b] = AN_PVALUE_MEAN * (0.7 + 0.1 * category) * (0.8 + 0.4 * rng.float());
  }
  const s = AN_PVALUE_SIGMA;
  const noiseTab = new Float64Array(NOISE_CELLS);
  for (let i = 0; i < NOISE_CELLS; i++) noiseTab[i] = lognormalQuantile((i + 0.5) / NOISE_CELLS, -(s * s) / 2, s);
  return { ticks, budget, cpa, base, noiseTab, seed };
}

const NOISE_CELLS = 4096;

/**
 * One impression's pValue noise for n bidders: two 12-bit table indices per 32-bit draw. This
 * is the traffic generator both the engine's episode and the benchmark's bare loop use; at 24
 * million values an episode, a cheap generator keeps the comparison about the auction.
 */
export function drawNoise(rng: Rng, tab: Float64Array, out: Float64Array, n: number): void {
  for (let b = 0; b < n; b += 2) {
    const x = rng.nextU32();
    out[b] = tab[x >>> 20] as number;
    out[b + 1] = tab[(x >>> 4) & 0xfff] as number;
  }
}

export interface AuctionNetResult {
  impressions: number;
  /** Exposed impressions, conversions, spend and score summed over bidders. */
  shown: number;
  conversions: number;
  spend: number;
  score: number;
  maxOverspend: number;
}

/** Runs the episode with the engine's GSP (gsp.ts) and one `Pacer` per bidder (pacing.ts). */
export function runAuctionNetEpisode(ep: AuctionNetEpisode, makePacer: () => Pacer = () => new DualGradientPacer()): AuctionNetResult {
  const n = AN_BIDDERS;
  const slots = AN_EXPOSURE.length;
  const exposure = Float64Array.from(AN_EXPOSURE);
  const rng = new Rng(ep.seed ^ 0x5bd1e995);
  const u = new Float64Array(n + 2); // n noises (n even), exposure and conversion uniforms
  const score = new Float64Array(n);
  const quality = new Float64Array(n).fill(1);
  const rankIdx = new Int32Array(slots + 1);
  const winIdx = new Int32Array(slots);
  const winPrice = new Float64Array(slots);
  const spent = new Float64Array(n);
  const conv = new Float64Array(n);
  const factor = new Float64Array(n);
  const pacers: Pacer[] = [];
  for (let b = 0; b < n; b++) pacers.push(makePacer());
  const total = ep.ticks.reduce((a, b) => a + b, 0);
  let shown = 0;
  for (let t = 0; t < AN_TICKS; t++) {
    const count = ep.ticks[t] as number;
    const tickStart = Float64Array.from(spent);
    // Per tick: each bidder's bid per unit of pValue (CPA × pacing shade; 0 once out of budget).
    for (let b = 0; b < n; b++) factor[b] = (spent[b] as number) < (ep.budget[b] as number) ? (ep.base[b] as number) * (ep.cpa[b] as number) * (pacers[b] as Pacer).shade() : 0;
    for (let i = 0; i < count; i++) {
      drawNoise(rng, ep.noiseTab, u, n);
      u[n] = rng.float();
      u[n + 1] = rng.float();
      for (let b = 0; b < n; b++) score[b] = (factor[b] as number) * (u[b] as number);
      const won = gspAuction(n, score, quality, AN_RESERVE, slots, rankIdx, winIdx, winPrice);
      const uExp = u[n] as number;
      const uConv = u[n + 1] as number;
      for (let k = 0; k < won; k++) {
        if (!(uExp < (exposure[k] as number))) break; // nested exposure
        const b = winIdx[k] as number;
        const sp = (spent[b] as number) + (winPrice[k] as number);
        spent[b] = sp;
        if (sp >= (ep.budget[b] as number)) factor[b] = 0; // budget gone: no more bids
        if (uConv < (ep.base[b] as number) * (u[b] as number)) conv[b] = (conv[b] as number) + 1;
        shown++;
      }
    }
    for (let b = 0; b < n; b++) (pacers[b] as Pacer).update((spent[b] as number) - (tickStart[b] as number), ((ep.budget[b] as number) * count) / total);
  }
  let conversions = 0;
  let spend = 0;
  let score_ = 0;
  let maxOverspend = 0;
  for (let b = 0; b < n; b++) {
    const c = conv[b] as number;
    const sp = spent[b] as number;
    conversions += c;
    spend += sp;
    const realised = c > 0 ? sp / c : Infinity;
    score_ += c * Math.min(1, ((ep.cpa[b] as number) / realised) ** 2);
    maxOverspend = Math.max(maxOverspend, sp - (ep.budget[b] as number));
  }
  return { impressions: total, shown, conversions, spend, score: score_, maxOverspend };
}
