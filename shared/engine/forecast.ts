import { compile, NP, type Compiled } from './compile';
import type { MarketSnapshot } from './market';
import { PLACEMENTS, type EnginePlan, type Placement } from './model';
import type { PacerKind } from './pacing';
import { NR, REASONS, simulate, type LossReason, type RunResult } from './sim';

/**
 * The forecast: several independent seeded runs of `simulate` turned into hourly p10/p50/p90
 * bands, totals, per-placement figures, budget exhaustion, reach & frequency, a confidence
 * verdict and the diagnosis. Also the bid landscape (what-if on the bid). Pure and
 * deterministic: the same request gives the same result, bit for bit.
 *
 * Bands are prediction intervals over runs: mean ± t(0.9, R−1) · sd · √(1 + 1/R). With few runs
 * (8 by default) this is calibrated where empirical quantiles of 8 points would not be: the
 * p10–p90 band is built to contain an independent run about 80 % of the time (tested).
 */

export interface ForecastRequest {
  plans: EnginePlan[];
  market: MarketSnapshot;
  /** 'YYYY-MM-DD', merchant-local first day. */
  startDate: string;
  /** 1..31 */
  days: number;
  seed: number;
  /** Independent runs behind the bands (default REFINED_RUNS). */
  runs?: number;
  /** Share of requests simulated; default from a work budget (`defaultSampleRate`). */
  sampleRate?: number;
  pacer?: PacerKind;
  /** What-if: every bid × this. */
  bidMultiplier?: number;
  /** Bid landscape only: the multipliers to evaluate (default LANDSCAPE_MULTIPLIERS). */
  multipliers?: readonly number[];
}

export interface Band {
  p10: number[];
  p50: number[];
  p90: number[];
}
export interface Range3 {
  p10: number;
  p50: number;
  p90: number;
}

export interface Metrics {
  impressions: number;
  clicks: number;
  conversions: number;
  spendFen: number;
  /** fen per 1000 impressions, per click, per conversion; null when the divisor is 0. */
  cpmFen: number | null;
  cpcFen: number | null;
  cpaFen: number | null;
  /** Auctions won / auctions entered. */
  winRate: number | null;
  /** Impressions / requests the plan was eligible for (all filters passed). */
  shareOfEligibleWon: number | null;
}

export interface Diagnosis {
  /** Requests that looked eligible: every request on a placement of the plans' scenes. */
  requests: number;
  won: number;
  lost: Record<LossReason, number>;
  /** lost / requests, per reason. */
  shares: Record<LossReason, number>;
  /** The reason that loses the most, or null when nothing is lost. */
  top: LossReason | null;
}

export interface Confidence {
  low: boolean;
  /** Machine-readable reason (the UI translates it) and the numbers behind it. */
  reason: 'NO_DELIVERY' | 'THIN_SAMPLE' | 'WIDE_BAND' | null;
  sampledImpressions: number;
  relativeBandWidth: number | null;
}

export interface ReachPoint {
  hour: number;
  impressions: number;
  uniqueUsers: number;
  spendFen: number;
  /** Average impressions per unique user. */
  frequency: number | null;
}

export interface PlanForecast extends Metrics {
  planId: string;
  uniqueUsers: number;
  /** Horizon hour (0-based) at whose end the budget was spent, in at least half of the runs; null = it lasts. */
  exhaustionHour: number | null;
  diagnosis: Diagnosis;
  /** This plan's own sample is thin (a big account's small plan): read its figures as rough. */
  lowConfidence: boolean;
}

export interface ForecastResult {
  stage: 'first' | 'refined';
  startDate: string;
  days: number;
  hours: number;
  /** p50 per hour, summed over the plans (the chart's lines). */
  impressions: number[];
  clicks: number[];
  conversions: number[];
  spendFen: number[];
  bands: { impressions: Band; clicks: Band; conversions: Band; spendFen: Band };
  totals: Metrics & { auctions: number; uniqueUsers: number; frequency: number | null };
  totalBands: { impressions: Range3; clicks: Range3; conversions: Range3; spendFen: Range3 };
  perPlacement: Array<Metrics & { placement: Placement }>;
  perPlan: PlanForecast[];
  /** Earliest exhaustion hour among the plans, null when every budget lasts. */
  exhaustionHour: number | null;
  confidence: Confidence;
  reachCurve: ReachPoint[];
  diagnosis: Diagnosis;
  marketVersion: string;
  seed: number;
  runs: number;
  sampleRate: number;
}

export type ProgressFn = (done: number, total: number) => void;

export { ForecastCancelled } from './sim';

export const REFINED_RUNS = 8;
export const FIRST_RUNS = 2;
/**
 * Work budgets in simulated request × (1 + plans/3) per forecast (all runs together): about what
 * one core does in ~1 s (refined) and ~40 ms (first estimate).
 */
export const REFINED_WORK = 6_000_000;
export const FIRST_WORK = 400_000;
/** Below this many simulated impressions (p50 run, whole set) the forecast says "low confidence". */
export const THIN_SAMPLE_IMPRESSIONS = 200;
/** Above this (p90 − p10) / p50 of total impressions, "low confidence". */
export const WIDE_BAND = 0.6;

/** Student t 0.9 quantiles for df = 1..30 (df > 30: 1.2816, the normal's). */
const T90 = [
  3.078, 1.886, 1.638, 1.533, 1.476, 1.44, 1.415, 1.397, 1.383, 1.372, 1.363, 1.356, 1.35, 1.345, 1.341, 1.337, 1.333, 1.33, 1.328,
  1.325, 1.323, 1.321, 1.319, 1.318, 1.316, 1.315, 1.314, 1.313, 1.311, 1.31,
];
function t90(df: number): number {
  return df < 1 ? 0 : df <= 30 ? (T90[df - 1] as number) : 1.2816;
}

/** Requests over the horizon, all placements the plans can reach (for the default sample rate). */
function horizonRequests(c: Compiled, days: number): number {
  let mask = 0;
  for (let i = 0; i < c.nPlans; i++) mask |= c.planReachMask[i] as number;
  let sum = 0;
  for (let p = 0; p < NP; p++) if (mask & (1 << p)) for (let w = 0; w < 168; w++) sum += c.placeHourReq[p * 168 + w] as number;
  // every placement is still simulated (the hour's mix), so count them all for the cost
  let all = 0;
  for (let w = 0; w < NP * 168; w++) all += c.placeHourReq[w] as number;
  return Math.max(sum, all) * (days / 7);
}

export function defaultSampleRate(c: Compiled, days: number, runs: number, work: number): number {
  const cost = horizonRequests(c, days) * runs * (1 + c.nPlans / 3);
  return cost > work ? work / cost : 1;
}

function validate(req: ForecastRequest): void {
  if (!Number.isInteger(req.days) || req.days < 1 || req.days > 31) throw new RangeError('days must be an integer from 1 to 31');
  if (req.plans.length === 0) throw new RangeError('a forecast needs at least one plan');
  for (const p of req.plans) if (p.timeSchema.length !== 168) throw new RangeError(`plan ${p.id}: timeSchema must have 168 hours`);
}

/** Mean / prediction band of `runs` values. */
function band3(xs: Float64Array, n: number): Range3 {
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i] as number;
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += ((xs[i] as number) - m) ** 2;
  const sd = n > 1 ? Math.sqrt(v / (n - 1)) : 0;
  const half = t90(n - 1) * sd * Math.sqrt(1 + 1 / n);
  return { p10: Math.max(0, m - half), p50: m, p90: m + half };
}

/** Rounds a series so its running total is rounded: the integers sum to the rounded total. */
function roundSeries(xs: Float64Array | number[]): number[] {
  const out = new Array<number>(xs.length);
  let cum = 0;
  let prev = 0;
  for (let i = 0; i < xs.length; i++) {
    cum += xs[i] as number;
    const r = Math.round(cum);
    out[i] = r - prev;
    prev = r;
  }
  return out;
}

function metrics(imp: number, clk: number, conv: number, spendFen: number, entered: number, won: number, eligible: number): Metrics {
  return {
    impressions: Math.round(imp),
    clicks: Math.round(clk),
    conversions: Math.round(conv),
    spendFen: Math.round(spendFen),
    cpmFen: imp > 0 ? Math.round((spendFen * 1000) / imp) : null,
    cpcFen: clk > 0 ? Math.round(spendFen / clk) : null,
    cpaFen: conv > 0 ? Math.round(spendFen / conv) : null,
    winRate: entered > 0 ? won / entered : null,
    shareOfEligibleWon: eligible > 0 ? Math.min(1, imp / eligible) : null,
  };
}

function diagnosisOf(lost: Float64Array, won: number, planIdx: number[]): Diagnosis {
  const l = {} as Record<LossReason, number>;
  const sh = {} as Record<LossReason, number>;
  let total = won;
  for (let r = 0; r < NR; r++) {
    let x = 0;
    for (const i of planIdx) x += lost[i * NR + r] as number;
    l[REASONS[r] as LossReason] = Math.round(x);
    total += x;
  }
  let top: LossReason | null = null;
  let topV = 0;
  for (const r of REASONS) {
    sh[r] = total > 0 ? l[r] / total : 0;
    if (l[r] > topV) {
      topV = l[r];
      top = r;
    }
  }
  return { requests: Math.round(total), won: Math.round(won), lost: l, shares: sh, top };
}

export interface RunOptions {
  onProgress?: ProgressFn;
  isCancelled?: () => boolean;
  stage?: 'first' | 'refined';
}

/** Runs the forecast: `runs` independent seeded simulations, aggregated. */
export function runForecast(req: ForecastRequest, opts: RunOptions = {}): ForecastResult {
  validate(req);
  const compiled = compile(req.plans, req.market);
  const runs = Math.max(1, Math.floor(req.runs ?? REFINED_RUNS));
  const sampleRate = req.sampleRate ?? defaultSampleRate(compiled, req.days, runs, REFINED_WORK);
  if (!(sampleRate > 0 && sampleRate <= 1)) throw new RangeError('sampleRate must be in (0, 1]');
  const hours = req.days * 24;
  const results: RunResult[] = [];
  for (let r = 0; r < runs; r++) results.push(runOnce(req, compiled, r, sampleRate, req.bidMultiplier, opts, r * hours, runs * hours));
  return aggregate(req, compiled, results, sampleRate, opts.stage ?? 'refined');
}

/**
 * Run `r` of a forecast (or of a landscape point): its own seed, the request's pacer, the caller's
 * cancel flag; progress reported as hour `doneBefore + h` of `totalHours`.
 */
function runOnce(
  req: ForecastRequest,
  compiled: Compiled,
  r: number,
  sampleRate: number,
  bidMultiplier: number | undefined,
  opts: RunOptions,
  doneBefore: number,
  totalHours: number,
): RunResult {
  return simulate({
    compiled,
    market: req.market,
    startDate: req.startDate,
    days: req.days,
    // Independent runs: seeds spread by a large odd constant, mixed again inside Rng.
    seed: ((req.seed >>> 0) + Math.imul(r, 0x9e3779b1)) >>> 0,
    sampleRate,
    ...(bidMultiplier !== undefined ? { bidMultiplier } : {}),
    ...(req.pacer ? { pacer: req.pacer } : {}),
    ...(opts.isCancelled ? { isCancelled: opts.isCancelled } : {}),
    ...(opts.onProgress ? { onHour: (h: number) => opts.onProgress?.(doneBefore + h, totalHours) } : {}),
  });
}

/** The fast first estimate a slider drag waits for: two runs on a small sample. */
export function firstEstimate(req: ForecastRequest, opts: RunOptions = {}): ForecastResult {
  validate(req);
  const compiled = compile(req.plans, req.market);
  const sampleRate = req.sampleRate ?? defaultSampleRate(compiled, req.days, FIRST_RUNS, FIRST_WORK);
  return runForecast({ ...req, runs: FIRST_RUNS, sampleRate }, { ...opts, stage: 'first' });
}

function aggregate(req: ForecastRequest, c: Compiled, rs: RunResult[], sampleRate: number, stage: 'first' | 'refined'): ForecastResult {
  const runs = rs.length;
  const hours = req.days * 24;
  const scale = 1 / sampleRate;
  const nPlans = c.nPlans;
  const col = new Float64Array(runs);
  const series = (pick: (r: RunResult) => Float64Array, k: number): { band: Band; mean: Float64Array; tot: Range3 } => {
    const p10 = new Array<number>(hours);
    const p90 = new Array<number>(hours);
    const mean = new Float64Array(hours);
    const totals = new Float64Array(runs);
    for (let h = 0; h < hours; h++) {
      for (let r = 0; r < runs; r++) {
        const a = pick(rs[r] as RunResult);
        let x = 0;
        for (let i = 0; i < nPlans; i++) x += a[i * hours + h] as number;
        x *= scale * k;
        col[r] = x;
        totals[r] = (totals[r] as number) + x;
      }
      const b = band3(col, runs);
      p10[h] = Math.round(b.p10);
      p90[h] = Math.round(b.p90);
      mean[h] = b.p50;
    }
    const p50 = roundSeries(mean);
    const tb = band3(totals, runs);
    return { band: { p10, p50, p90 }, mean, tot: { p10: Math.round(tb.p10), p50: Math.round(tb.p50), p90: Math.round(tb.p90) } };
  };
  const sImp = series((r) => r.imp, 1);
  const sClk = series((r) => r.clk, 1);
  const sConv = series((r) => r.conv, 1);
  const sSpend = series((r) => r.spendMilli, 1 / 1000);

  const avg = (pick: (r: RunResult) => Float64Array, idx: number): number => {
    let x = 0;
    for (const r of rs) x += pick(r)[idx] as number;
    return (x / runs) * scale;
  };
  const sumOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const totImp = sumOf(sImp.band.p50);
  const totClk = sumOf(sClk.band.p50);
  const totConv = sumOf(sConv.band.p50);
  const totSpend = sumOf(sSpend.band.p50);

  // Per placement and per plan.
  const perPlacement: Array<Metrics & { placement: Placement }> = [];
  for (let p = 0; p < NP; p++) {
    let imp = 0;
    let clk = 0;
    let cv = 0;
    let sp = 0;
    let en = 0;
    let wo = 0;
    let el = 0;
    for (let i = 0; i < nPlans; i++) {
      const k = i * NP + p;
      imp += avg((r) => r.placeImp, k);
      clk += avg((r) => r.placeClk, k);
      cv += avg((r) => r.placeConv, k);
      sp += avg((r) => r.placeSpendMilli, k) / 1000;
      en += avg((r) => r.placeEntered, k);
      wo += avg((r) => r.placeWon, k);
      el += avg((r) => r.placeEligible, k);
    }
    if (el > 0 || imp > 0) perPlacement.push({ placement: PLACEMENTS[p] as Placement, ...metrics(imp, clk, cv, sp, en, wo, el) });
  }
  const meanLost = new Float64Array(nPlans * NR);
  for (let k = 0; k < nPlans * NR; k++) meanLost[k] = avg((r) => r.lost, k);
  const perPlan: PlanForecast[] = [];
  let entered = 0;
  let wonAll = 0;
  let eligibleAll = 0;
  let exhaustion: number | null = null;
  for (let i = 0; i < nPlans; i++) {
    let imp = 0;
    let clk = 0;
    let cv = 0;
    let sp = 0;
    for (const r of rs) {
      for (let h = i * hours; h < (i + 1) * hours; h++) {
        imp += r.imp[h] as number;
        clk += r.clk[h] as number;
        cv += r.conv[h] as number;
        sp += r.spendMilli[h] as number;
      }
    }
    const f = scale / runs;
    imp *= f;
    clk *= f;
    cv *= f;
    sp *= f / 1000;
    const en = avg((r) => r.entered, i);
    const wo = avg((r) => r.won, i);
    const el = avg((r) => r.eligible, i);
    entered += en;
    wonAll += wo;
    eligibleAll += el;
    const ex = rs.map((r) => r.exhaustedHour[i] as number).map((h) => (h < 0 ? Infinity : h)).sort((a, b) => a - b);
    const mid = ex[Math.floor((runs - 1) / 2)] as number;
    const exhaustionHour = Number.isFinite(mid) ? mid : null;
    if (exhaustionHour !== null && (exhaustion === null || exhaustionHour < exhaustion)) exhaustion = exhaustionHour;
    perPlan.push({
      planId: (c.plans[i] as EnginePlan).id,
      ...metrics(imp, clk, cv, sp, en, wo, el),
      uniqueUsers: Math.round(avg((r) => r.uniques, i)),
      exhaustionHour,
      diagnosis: diagnosisOf(meanLost, wo, [i]),
      lowConfidence: imp / scale < THIN_SAMPLE_IMPRESSIONS,
    });
  }
  const allIdx = Array.from({ length: nPlans }, (_, i) => i);

  // Reach & frequency: cumulative over the horizon, one point per hour for short horizons, per 6 h for long ones.
  const step = req.days <= 3 ? 1 : 6;
  const reachCurve: ReachPoint[] = [];
  let cImp = 0;
  let cSpend = 0;
  for (let h = 0; h < hours; h++) {
    cImp += sImp.mean[h] as number;
    cSpend += sSpend.mean[h] as number;
    if ((h + 1) % step !== 0 && h !== hours - 1) continue;
    let u = 0;
    for (const r of rs) u += r.reachCum[h] as number;
    const uniq = (u / runs) * scale;
    reachCurve.push({ hour: h, impressions: Math.round(cImp), uniqueUsers: Math.round(uniq), spendFen: Math.round(cSpend), frequency: uniq > 0 ? cImp / uniq : null });
  }
  const lastReach = reachCurve[reachCurve.length - 1];
  const uniqueUsers = lastReach?.uniqueUsers ?? 0;

  // Confidence: judged on the sample the numbers rest on, not on the scaled-up totals.
  const sampledImp = totImp / scale;
  const relWidth = sImp.tot.p50 > 0 ? (sImp.tot.p90 - sImp.tot.p10) / sImp.tot.p50 : null;
  let reason: Confidence['reason'] = null;
  if (totImp === 0) reason = 'NO_DELIVERY';
  else if (sampledImp < THIN_SAMPLE_IMPRESSIONS) reason = 'THIN_SAMPLE';
  else if (relWidth !== null && relWidth > WIDE_BAND) reason = 'WIDE_BAND';

  return {
    stage,
    startDate: req.startDate,
    days: req.days,
    hours,
    impressions: sImp.band.p50,
    clicks: sClk.band.p50,
    conversions: sConv.band.p50,
    spendFen: sSpend.band.p50,
    bands: { impressions: sImp.band, clicks: sClk.band, conversions: sConv.band, spendFen: sSpend.band },
    totals: {
      ...metrics(totImp, totClk, totConv, totSpend, entered, wonAll, eligibleAll),
      auctions: Math.round(entered),
      uniqueUsers,
      frequency: uniqueUsers > 0 ? totImp / uniqueUsers : null,
    },
    totalBands: { impressions: sImp.tot, clicks: sClk.tot, conversions: sConv.tot, spendFen: sSpend.tot },
    perPlacement,
    perPlan,
    exhaustionHour: exhaustion,
    confidence: { low: reason !== null, reason, sampledImpressions: Math.round(sampledImp), relativeBandWidth: relWidth },
    reachCurve,
    diagnosis: diagnosisOf(meanLost, wonAll, allIdx),
    marketVersion: req.market.version,
    seed: req.seed >>> 0,
    runs,
    sampleRate,
  };
}

export const LANDSCAPE_MULTIPLIERS: readonly number[] = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];

export interface LandscapePoint {
  bidMultiplier: number;
  impressions: number;
  clicks: number;
  conversions: number;
  spendFen: number;
  uniqueUsers: number;
}

export interface LandscapeResult {
  points: LandscapePoint[];
  marketVersion: string;
  seed: number;
  sampleRate: number;
}

/** Landscape work budget (all points together). */
export const LANDSCAPE_WORK = 2_400_000;

/**
 * Bid landscape: the same forecast at bid × 0.5 … 2.0. Every point uses the same seeds (common
 * random numbers: the same users and competition), so the curve is monotone in expectation and
 * its differences are not drowned in simulation noise.
 */
export function bidLandscape(req: ForecastRequest, opts: RunOptions = {}): LandscapeResult {
  validate(req);
  const mults = req.multipliers ?? LANDSCAPE_MULTIPLIERS;
  const compiled = compile(req.plans, req.market);
  const runs = Math.max(1, Math.floor(req.runs ?? 1));
  const sampleRate = req.sampleRate ?? defaultSampleRate(compiled, req.days, runs * mults.length, LANDSCAPE_WORK);
  const hours = req.days * 24;
  const points: LandscapePoint[] = [];
  mults.forEach((m, j) => {
    let imp = 0;
    let clk = 0;
    let cv = 0;
    let sp = 0;
    let uq = 0;
    for (let r = 0; r < runs; r++) {
      const res = runOnce(req, compiled, r, sampleRate, m, opts, (j * runs + r) * hours, mults.length * runs * hours);
      for (let k = 0; k < res.imp.length; k++) {
        imp += res.imp[k] as number;
        clk += res.clk[k] as number;
        cv += res.conv[k] as number;
        sp += res.spendMilli[k] as number;
      }
      uq += res.reachCum[hours - 1] as number;
    }
    const f = 1 / sampleRate / runs;
    points.push({ bidMultiplier: m, impressions: Math.round(imp * f), clicks: Math.round(clk * f), conversions: Math.round(cv * f), spendFen: Math.round((sp * f) / 1000), uniqueUsers: Math.round(uq * f) });
  });
  return { points, marketVersion: req.market.version, seed: req.seed >>> 0, sampleRate };
}
