import type { Plan, Unit } from '../domain/entities';
import { HOURS_PER_WEEK, timeSchemaToBits } from '../domain/schedule';
import { compileCompetition } from './auction';
import { compileBids } from './bidding';
import type { MarketSnapshot } from './market';
import { DualPacer } from './pacing';
import { QuantileTable, Rng, lognormalQuantile } from './prng';
import {
  ACC_CLICKS,
  ACC_CONVERSIONS,
  ACC_DAY_SPEND_MILLI,
  ACC_IMPRESSIONS,
  ACC_LOST_BID,
  ACC_LOST_BUDGET,
  ACC_LOST_RESERVE,
  ACC_SIZE,
  newUniformBuffer,
  simulateAuctions,
  type AuctionContext,
} from './simulate';

export interface ForecastRequest {
  plan: Plan;
  units: Unit[];
  market: MarketSnapshot;
  /** 'YYYY-MM-DD', first day, merchant local time (Asia/Shanghai); day of week derived with Date.UTC arithmetic. */
  startDate: string;
  /** 1..31 */
  days: number;
  /** uint32 */
  seed: number;
  /**
   * Number of simulated auctions per hour is scaled down by this sample rate for speed; results
   * are scaled back up. Default: `defaultSampleRate(scene)` = min(1, 250,000 / daily requests),
   * i.e. at most about 250,000 simulated auctions per day whatever the scene's volume.
   */
  sampleRate?: number;
}

export interface ForecastResult {
  startDate: string;
  days: number;
  hours: number;
  impressions: number[];
  clicks: number[];
  conversions: number[];
  spendFen: number[];
  totals: { impressions: number; clicks: number; conversions: number; spendFen: number; auctions: number };
  /** Requests the plan was eligible for but lost, and why (counts, scaled). */
  lost: { schedule: number; budget: number; bid: number; reserve: number; paused: number };
  marketVersion: string;
  seed: number;
}

export type ProgressFn = (doneHours: number, totalHours: number) => void;

export class ForecastCancelled extends Error {
  constructor() {
    super('forecast cancelled');
    this.name = 'ForecastCancelled';
  }
}

/** At most this many simulated auctions per average day by default (7 days ≈ 1.75 M auctions). */
export const DEFAULT_SAMPLED_AUCTIONS_PER_DAY = 250_000;
/** Pacing (and the NO_BID bid) are updated this many times per simulated hour. */
export const SLICES_PER_HOUR = 4;
/**
 * NO_BID bids NO_BID_ALPHA × (budget left / requests expected for the rest of the day), as eCPM.
 * Spending the budget evenly over every remaining request is budget/requests per request; a
 * plan only wins a fraction of its auctions (and pays the second price, below its bid), so it
 * bids a multiple of that. The ratio is re-evaluated every slice: underspending raises the
 * bid, overspending lowers it, so ALPHA only sets where that feedback starts.
 */
export const NO_BID_ALPHA = 4;
/** NO_BID without a budget (unlimited): bid this multiple of the scene's median competitor eCPM. */
export const NO_BID_UNLIMITED_FACTOR = 2;

const DAY_MS = 86_400_000;

export function defaultSampleRate(dailyRequests: number): number {
  return dailyRequests > DEFAULT_SAMPLED_AUCTIONS_PER_DAY ? DEFAULT_SAMPLED_AUCTIONS_PER_DAY / dailyRequests : 1;
}

function parseIsoDateUtc(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new RangeError(`startDate must be YYYY-MM-DD, got "${s}"`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== s) throw new RangeError(`startDate is not a real date: "${s}"`);
  return ms;
}

function normalised(shares: readonly number[], n: number, what: string): Float64Array {
  if (shares.length !== n) throw new RangeError(`market ${what} must have ${n} values`);
  let sum = 0;
  for (const v of shares) {
    if (!(v >= 0)) throw new RangeError(`market ${what} must be non-negative numbers`);
    sum += v;
  }
  if (!(sum > 0)) throw new RangeError(`market ${what} must not be all zero`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (shares[i] ?? 0) / sum;
  return out;
}

/** Per-hour sampled values → scaled integers; rounding the running total keeps the sum exact. */
function scaleCumulative(perHour: Float64Array, scale: number): number[] {
  const out = new Array<number>(perHour.length);
  let cum = 0;
  let prev = 0;
  for (let i = 0; i < perHour.length; i++) {
    cum += perHour[i] ?? 0;
    const r = Math.round(cum * scale);
    out[i] = r - prev;
    prev = r;
  }
  return out;
}

/**
 * Simulates the plan's delivery hour by hour, request by request (sampled), against the
 * market snapshot. Pure and deterministic: the same request (seed included) gives the same
 * result on the same JS engine.
 *
 * Traffic: requests in hour h of day d = dailyRequests × 7·dayShare[dow] × hourShare[h].
 * A paused/deleted plan, an hour off in the plan's schedule, or a day outside its dates wins
 * nothing: those requests are counted in `lost.paused` / `lost.schedule` without simulating.
 *
 * Every other request is one auction (see auction.ts) and lands in exactly one of:
 * impression, `lost.budget` (the day's budget is spent, or the pacing shade made a bid that
 * would have won lose), `lost.reserve` (the value is below the floor), `lost.bid` (outbid).
 * `totals.auctions` counts them all.
 *
 * Money: charges are whole fen per click (CPC) or whole milli-fen per impression (CPM), so
 * spend accumulates as an integer number of milli-fen; hourly spend is reported in whole fen.
 * With sampling, each simulated request stands for 1/sampleRate real ones: the budget is
 * scaled down to the sample and the results are scaled back up, so the day's reported spend
 * can exceed the budget by at most one charge × 1/sampleRate (one charge at sampleRate 1).
 *
 * Common random numbers: every simulated request draws the same five uniforms whatever
 * happens to it, so two forecasts that differ only in a bid or budget see the same users and
 * the same competition — what-if comparisons are not drowned in noise.
 */
export function runForecast(
  req: ForecastRequest,
  opts?: { onProgress?: ProgressFn; isCancelled?: () => boolean },
): ForecastResult {
  const { plan, market } = req;
  const days = req.days;
  if (!Number.isInteger(days) || days < 1 || days > 31) throw new RangeError('days must be an integer from 1 to 31');
  const startMs = parseIsoDateUtc(req.startDate);
  const seed = req.seed >>> 0;
  const sceneMarket = market.scenes[plan.scene];
  if (!sceneMarket) throw new RangeError(`market has no scene ${plan.scene}`);
  const sampleRate = req.sampleRate ?? defaultSampleRate(sceneMarket.dailyRequests);
  if (!(sampleRate > 0 && sampleRate <= 1)) throw new RangeError('sampleRate must be in (0, 1]');
  const scaleUp = 1 / sampleRate;

  const hourShare = normalised(market.hourShare, 24, 'hourShare');
  const dayShare = normalised(market.dayShare, 7, 'dayShare');
  if (plan.timeSchema.length !== HOURS_PER_WEEK) throw new RangeError('timeSchema must have 168 hours');
  const bits = timeSchemaToBits(plan.timeSchema);

  const enabled = plan.status === 'ENABLED';
  const limited = plan.dailyBudgetFen !== null;
  /** The day's budget in the sample's milli-fen (Infinity when unlimited). */
  const budgetMilli = limited ? (plan.dailyBudgetFen ?? 0) * 1000 * sampleRate : Infinity;
  const pacer = new DualPacer(plan.pacing === 'STANDARD' && limited);
  const program = compileBids(plan, req.units, sceneMarket);
  const noBidUnlimitedEcpm = NO_BID_UNLIMITED_FACTOR * Math.exp(sceneMarket.competitorEcpmMu);

  // pCTR / pCVR per request: mean-preserving lognormal around the scene's base rates, capped at 1.
  const ctrMu = Math.log(sceneMarket.baseCtr) - (sceneMarket.ctrSigma * sceneMarket.ctrSigma) / 2;
  const cvrMu = Math.log(sceneMarket.baseCvr) - (sceneMarket.cvrSigma * sceneMarket.cvrSigma) / 2;
  const rng = new Rng(seed);
  const ctx: AuctionContext = {
    rng,
    ctr: new QuantileTable((p) => Math.min(1, lognormalQuantile(p, ctrMu, sceneMarket.ctrSigma))),
    cvr: new QuantileTable((p) => Math.min(1, lognormalQuantile(p, cvrMu, sceneMarket.cvrSigma))),
    competition: compileCompetition(sceneMarket),
    program,
    chargedPerClick: plan.chargeType === 'CPC',
    uniforms: newUniformBuffer(),
  };

  const hours = days * 24;
  const impH = new Float64Array(hours);
  const clkH = new Float64Array(hours);
  const cvH = new Float64Array(hours);
  const spendMilliH = new Float64Array(hours);
  const hourReq = new Float64Array(24);
  const hourOn = new Uint8Array(24);
  const acc = new Float64Array(ACC_SIZE);

  let sampledAuctions = 0;
  let lostScheduleReal = 0;
  let lostPausedReal = 0;
  const onProgress = opts?.onProgress;
  const isCancelled = opts?.isCancelled;
  const endDate = plan.endDate;

  for (let d = 0; d < days; d++) {
    const dayMs = startMs + d * DAY_MS;
    const dow = (new Date(dayMs).getUTCDay() + 6) % 7; // Monday = 0
    const date = new Date(dayMs).toISOString().slice(0, 10);
    const inDates = date >= plan.startDate && (endDate === null || date <= endDate);
    const dayRequests = sceneMarket.dailyRequests * 7 * (dayShare[dow] ?? 0);
    let dayScheduled = 0;
    for (let h = 0; h < 24; h++) {
      const r = dayRequests * (hourShare[h] ?? 0);
      hourReq[h] = r;
      const on = enabled && inDates && bits[dow * 24 + h] === 1 ? 1 : 0;
      hourOn[h] = on;
      if (on) dayScheduled += r;
    }
    let remainingScheduled = dayScheduled;
    acc[ACC_DAY_SPEND_MILLI] = 0;

    for (let h = 0; h < 24; h++) {
      if (isCancelled?.()) throw new ForecastCancelled();
      const idx = d * 24 + h;
      const realReq = hourReq[h] ?? 0;
      if (!enabled) {
        lostPausedReal += realReq;
      } else if (!hourOn[h]) {
        lostScheduleReal += realReq;
      } else {
        // stochastic rounding keeps the sampled volume unbiased
        const expected = realReq * sampleRate;
        let n = Math.floor(expected);
        if (rng.float() < expected - n) n++;
        sampledAuctions += n;
        const impBefore = acc[ACC_IMPRESSIONS] ?? 0;
        const clkBefore = acc[ACC_CLICKS] ?? 0;
        const cvBefore = acc[ACC_CONVERSIONS] ?? 0;
        const spendBefore = acc[ACC_DAY_SPEND_MILLI] ?? 0;
        const sliceReal = realReq / SLICES_PER_HOUR;

        for (let s = 0; s < SLICES_PER_HOUR; s++) {
          const count = Math.floor(((s + 1) * n) / SLICES_PER_HOUR) - Math.floor((s * n) / SLICES_PER_HOUR);
          const spentBefore = acc[ACC_DAY_SPEND_MILLI] ?? 0;
          let noBidEcpm = noBidUnlimitedEcpm;
          if (limited) {
            const left = budgetMilli - spentBefore;
            // milli-fen per request is fen per 1000 requests: an eCPM directly
            noBidEcpm = left > 0 ? (NO_BID_ALPHA * left) / (remainingScheduled * sampleRate) : 0;
          }
          remainingScheduled -= sliceReal;
          simulateAuctions(ctx, count, pacer.shade(), noBidEcpm, budgetMilli, acc);
          pacer.update((acc[ACC_DAY_SPEND_MILLI] ?? 0) - spentBefore, (budgetMilli * sliceReal) / dayScheduled);
        }
        impH[idx] = (acc[ACC_IMPRESSIONS] ?? 0) - impBefore;
        clkH[idx] = (acc[ACC_CLICKS] ?? 0) - clkBefore;
        cvH[idx] = (acc[ACC_CONVERSIONS] ?? 0) - cvBefore;
        spendMilliH[idx] = (acc[ACC_DAY_SPEND_MILLI] ?? 0) - spendBefore;
      }
      onProgress?.(idx + 1, hours);
    }
  }

  const impressions = scaleCumulative(impH, scaleUp);
  const clicks = scaleCumulative(clkH, scaleUp);
  const conversions = scaleCumulative(cvH, scaleUp);
  const spendFen = scaleCumulative(spendMilliH, scaleUp / 1000);
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

  return {
    startDate: req.startDate,
    days,
    hours,
    impressions,
    clicks,
    conversions,
    spendFen,
    totals: {
      impressions: sum(impressions),
      clicks: sum(clicks),
      conversions: sum(conversions),
      spendFen: sum(spendFen),
      auctions: Math.round(sampledAuctions * scaleUp),
    },
    lost: {
      schedule: Math.round(lostScheduleReal),
      budget: Math.round((acc[ACC_LOST_BUDGET] ?? 0) * scaleUp),
      bid: Math.round((acc[ACC_LOST_BID] ?? 0) * scaleUp),
      reserve: Math.round((acc[ACC_LOST_RESERVE] ?? 0) * scaleUp),
      paused: Math.round(lostPausedReal),
    },
    marketVersion: market.version,
    seed,
  };
}
