import { HOURS_PER_WEEK } from '../domain/schedule';
import {
  KIND_NO_BID,
  KIND_NONE,
  KIND_PER_CLICK,
  KIND_PER_CONVERSION,
  KIND_PER_MILLE,
  NP,
  placementIndex,
  type Compiled,
} from './compile';
import { cpcChargeFen, cpmChargeMilliFen, gspAuction } from './gsp';
import type { MarketSnapshot } from './market';
import { makePacer, type Pacer, type PacerKind } from './pacing';
import { QuantileTable, Rng, lognormalQuantile, normInv } from './prng';

/**
 * One seeded simulation run of a set of plans over the horizon, hour by hour, request by
 * request (sampled). The forecast (forecast.ts) runs several of these with independent seeds
 * and turns them into p10/p50/p90 bands.
 *
 * Per sampled request: a placement (from the hour's mix), a user (from the simulated
 * population), the request's pCTR/pCVR noise and the top competitors' eCPMs are drawn. Each
 * plan is checked in the order of the diagnosis — placement, targeting, creative approved,
 * frequency cap, budget (incl. pacing throttle), reserve — and enters the auction with its best
 * unit's score. GD bookings take the top slots first; the remaining slots go by GSP (gsp.ts).
 * Plan-level blocks (status, dates, schedule) are counted per hour without simulating.
 *
 * Sampling: each simulated request stands for 1/sampleRate real ones; budgets are scaled to
 * the sample and results scaled back. The user population is sized so a simulated user makes
 * as many requests a day as a real one (market.requestsPerUserPerDay), which keeps frequency
 * caps and reach exact in the sample: a simulated user stands for 1/sampleRate real users.
 */

export const SLICES_PER_HOUR = 4;
/** NO_BID bids NO_BID_ALPHA × (budget left / requests left today) as eCPM; re-evaluated every slice. */
export const NO_BID_ALPHA = 4;
/** NO_BID with no budget: this multiple of the placement's median competitor eCPM. */
export const NO_BID_UNLIMITED_FACTOR = 2;
const MIN_USERS = 200;
/** Uniforms are drawn a block at a time (keeps the hot loop free of calls); a request takes at most 32. */
const UB = 4096;
/**
 * Cells per sampling table. Small on purpose: a request reads ~10 tables at random cells, and
 * 60-odd tables of 4096 cells (2 MB) miss the cache on every read; 256 cells keep them all in L2
 * at a relative error below ~0.5 % (linear interpolation of smooth quantiles; exact in the tails).
 */
const TABLE_CELLS = 256;
/** Decorrelates the one per-request uniform across plans (golden ratio offsets). */
const PHI = 0.6180339887498949;

/** Why a request was not won, in the diagnosis order of the issue. */
export const REASONS = [
  'schedule',
  'dates',
  'status',
  'targeting',
  'placement',
  'frequencyCap',
  'creativeNotApproved',
  'budgetExhausted',
  'rankLost',
  'belowReserve',
] as const;
export type LossReason = (typeof REASONS)[number];
export const NR = REASONS.length;
const R_SCHEDULE = 0;
const R_DATES = 1;
const R_STATUS = 2;
const R_TARGETING = 3;
const R_PLACEMENT = 4;
const R_FREQ = 5;
const R_CREATIVE = 6;
const R_BUDGET = 7;
const R_RANK = 8;
const R_RESERVE = 9;
/** How far a plan got with a request (higher = further); maps to the loss reason it stopped at. */
const STAGE_REASON = [R_PLACEMENT, R_TARGETING, R_CREATIVE, R_FREQ, R_BUDGET, R_RESERVE];
const ST_ENTERED = 6;

export interface SimInput {
  compiled: Compiled;
  market: MarketSnapshot;
  startDate: string;
  days: number;
  seed: number;
  sampleRate: number;
  /** What-if: every unit's bid × this (bid landscape). */
  bidMultiplier?: number;
  pacer?: PacerKind;
  isCancelled?: () => boolean;
  onHour?: (doneHours: number) => void;
  /** Tests only: called on every impression shown (plan, unit, simulated user, horizon hour). */
  trace?: (plan: number, unit: number, user: number, hour: number) => void;
}

/** Raw counts at sample scale (multiply by `scale` for real ones). */
export interface RunResult {
  hours: number;
  nPlans: number;
  scale: number;
  /** plan × hours */
  imp: Float64Array;
  clk: Float64Array;
  conv: Float64Array;
  spendMilli: Float64Array;
  /** plan × NP */
  placeImp: Float64Array;
  placeClk: Float64Array;
  placeConv: Float64Array;
  placeSpendMilli: Float64Array;
  placeEntered: Float64Array;
  placeWon: Float64Array;
  placeEligible: Float64Array;
  /** plan × NR */
  lost: Float64Array;
  /** per plan */
  entered: Float64Array;
  won: Float64Array;
  eligible: Float64Array;
  uniques: Float64Array;
  /** First horizon hour at whose end a budget (daily or total) was spent; −1 = never. */
  exhaustedHour: Int32Array;
  /** Cumulative unique users of the whole set at the end of each hour (sample scale). */
  reachCum: Float64Array;
  users: number;
}

const DAY_MS = 86_400_000;

export function parseIsoDateUtc(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new RangeError(`startDate must be YYYY-MM-DD, got "${s}"`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== s) throw new RangeError(`startDate is not a real date: "${s}"`);
  return ms;
}

function pickIndex(cum: Float64Array, u: number): number {
  const n = cum.length;
  for (let i = 0; i < n - 1; i++) if (u < (cum[i] as number)) return i;
  return n - 1;
}

function cumulative(xs: readonly number[]): Float64Array {
  let s = 0;
  for (const x of xs) s += x;
  const out = new Float64Array(xs.length);
  let c = 0;
  for (let i = 0; i < xs.length; i++) {
    c += (xs[i] as number) / s;
    out[i] = c;
  }
  return out;
}

function bitsOf(ix: readonly number[]): number {
  let m = 0;
  for (const i of ix) m |= 1 << i;
  return m;
}

/** Thrown out of a run (and so out of every forecast built on runs) when `isCancelled()` answers true. */
export class ForecastCancelled extends Error {
  constructor() {
    super('forecast cancelled');
    this.name = 'ForecastCancelled';
  }
}

export function simulate(input: SimInput): RunResult {
  const c = input.compiled;
  const market = input.market;
  const days = input.days;
  const hours = days * 24;
  const s = input.sampleRate;
  const scale = 1 / s;
  const nPlans = c.nPlans;
  const nUnits = c.nUnits;
  const rng = new Rng(input.seed >>> 0);
  const landscape = input.bidMultiplier ?? 1;
  const startMs = parseIsoDateUtc(input.startDate);

  // --- simulated users ---------------------------------------------------------------------
  let dailyAll = 0;
  for (let w = 0; w < NP * HOURS_PER_WEEK; w++) dailyAll += c.placeHourReq[w] as number;
  dailyAll /= 7;
  const nUsers = Math.max(MIN_USERS, Math.ceil((dailyAll * s) / market.requestsPerUserPerDay));
  const aud = market.audience;
  const cTier = cumulative(aud.cityTier);
  const cAge = cumulative(aud.ageBand);
  const cGender = cumulative(aud.gender);
  const cOs = cumulative(aud.os);
  const userDemo = new Int32Array(nUsers); // tier bits 0–4, age 5–9, gender 10–11, os 12–14
  const userInterests = new Int32Array(nUsers);
  for (let i = 0; i < nUsers; i++) {
    const tier = pickIndex(cTier, rng.float());
    const age = pickIndex(cAge, rng.float());
    const g = pickIndex(cGender, rng.float());
    const os = pickIndex(cOs, rng.float());
    userDemo[i] = (1 << tier) | (1 << (5 + age)) | (1 << (10 + g)) | (1 << (12 + os));
    let ints = 0;
    for (let k = 0; k < aud.interests.length; k++) if (rng.float() < (aud.interests[k]?.share ?? 0)) ints |= 1 << k;
    userInterests[i] = ints;
  }
  // Targeting resolved once per unit × user: the hot loop does one byte load.
  const targetOk = new Uint8Array(nUnits * nUsers);
  for (let k = 0; k < nUnits; k++) {
    const t = c.units[k]?.targeting;
    if (!t) continue;
    const all = (1 << 15) - 1;
    const tier = t.cityTiers.length ? bitsOf(t.cityTiers) : 0x1f;
    const age = t.ageBands.length ? bitsOf(t.ageBands) << 5 : 0x1f << 5;
    const gen = t.genders.length ? bitsOf(t.genders) << 10 : 0x3 << 10;
    const os = t.oses.length ? bitsOf(t.oses) << 12 : 0x7 << 12;
    // No interest targeting must also admit users without any interest (a mask test would not).
    const anyInterest = t.interests.length === 0;
    const ints = bitsOf(t.interests);
    for (let i = 0; i < nUsers; i++) {
      const d = (userDemo[i] as number) & all;
      targetOk[k * nUsers + i] = d & tier && d & age && d & gen && d & os && (anyInterest || (userInterests[i] as number) & ints) ? 1 : 0;
    }
  }
  const freqIdx = new Int32Array(nUnits).fill(-1);
  let nCapped = 0;
  for (let k = 0; k < nUnits; k++) if ((c.unitFreqCap[k] as number) > 0) freqIdx[k] = nCapped++;
  const freq = new Uint16Array(nCapped * nUsers);
  const seenPlan = new Uint8Array(nPlans * nUsers);
  const seenAny = new Uint8Array(nUsers);

  // --- per-request randomness -------------------------------------------------------------
  const ctrNoise = new QuantileTable((p) => lognormalQuantile(p, -(market.ctrSigma ** 2) / 2, market.ctrSigma), TABLE_CELLS);
  const cvrNoise = new QuantileTable((p) => lognormalQuantile(p, -(market.cvrSigma ** 2) / 2, market.cvrSigma), TABLE_CELLS);
  // Competitors: top-k order statistics of N i.i.d. lognormal eCPMs, drawn in uniform space
  // (max of n uniforms ~ U^(1/n); the next is below it, and so on), then mapped through the
  // placement's lognormal quantile. Only the top slots + 1 can matter to GSP.
  const compQ: QuantileTable[] = [];
  const powQ: QuantileTable[][] = [];
  let maxSlots = 1;
  for (let p = 0; p < NP; p++) {
    const mu = c.placeMu[p] as number;
    const sg = c.placeSigma[p] as number;
    compQ.push(new QuantileTable((q) => Math.exp(mu + sg * normInv(q)), TABLE_CELLS));
    const slots = (c.placeSlots[p] as Float64Array).length;
    if (slots > maxSlots) maxSlots = slots;
    const n = c.placeComp[p] as number;
    const tables: QuantileTable[] = [];
    for (let k = 0; k < Math.min(n, slots + 1); k++) {
      const inv = 1 / (n - k);
      tables.push(new QuantileTable((q) => Math.pow(q, inv), TABLE_CELLS));
    }
    powQ.push(tables);
  }
  const cap = maxSlots + 1 + nPlans;
  const score = new Float64Array(cap);
  const quality = new Float64Array(cap);
  const entryUnit = new Int32Array(cap);
  const entryCtr = new Float64Array(cap);
  const entryCvr = new Float64Array(cap);
  const rankIdx = new Int32Array(cap);
  const winIdx = new Int32Array(maxSlots);
  const winPrice = new Float64Array(maxSlots);

  // --- plan state ------------------------------------------------------------------------
  const pacers: Pacer[] = [];
  const dayBudget = new Float64Array(nPlans); // sample milli-fen
  const totalBudget = new Float64Array(nPlans);
  const daySpent = new Float64Array(nPlans);
  const totalSpent = new Float64Array(nPlans);
  const shade = new Float64Array(nPlans);
  const pass = new Float64Array(nPlans);
  const noBidEcpm = new Float64Array(nPlans);
  const planOff = new Int32Array(nPlans); // −1 active, else the reason
  const dayScheduled = new Float64Array(nPlans);
  const remainingScheduled = new Float64Array(nPlans);
  const sliceSpendStart = new Float64Array(nPlans);
  const gdDelivered = new Float64Array(nPlans);
  const gdAllowance = new Float64Array(nPlans);
  const cpdCharged = new Uint8Array(nPlans);
  const exhaustedHour = new Int32Array(nPlans).fill(-1);
  const gdPlace = new Int32Array(nPlans).fill(-1);
  const isCpd = new Uint8Array(nPlans);
  const scheduleBits = new Uint8Array(nPlans * HOURS_PER_WEEK);
  const unitDaySpent = new Float64Array(nUnits);
  const unitBudget = new Float64Array(nUnits);
  const boostLeft = new Float64Array(nUnits);
  const boostOn = new Uint8Array(nUnits);
  for (let k = 0; k < nUnits; k++) {
    unitBudget[k] = (c.unitBudgetFen[k] as number) * 1000 * s;
    const b = c.units[k]?.boost;
    boostLeft[k] = b ? b.budgetFen * 1000 * s : 0;
  }
  for (let i = 0; i < nPlans; i++) {
    const plan = c.plans[i];
    if (!plan) continue;
    const limitedDaily = plan.dailyBudgetFen !== null;
    const limitedTotal = plan.totalBudgetFen !== null;
    dayBudget[i] = limitedDaily ? (plan.dailyBudgetFen as number) * 1000 * s : Infinity;
    totalBudget[i] = limitedTotal ? (plan.totalBudgetFen as number) * 1000 * s : Infinity;
    // GD bookings pace themselves (even delivery of the booking), so they get no budget pacer.
    pacers.push(makePacer(input.pacer ?? 'DUAL_GRADIENT', plan.pacing === 'STANDARD' && (limitedDaily || limitedTotal) && plan.gd === null));
    for (let w = 0; w < HOURS_PER_WEEK; w++) scheduleBits[i * HOURS_PER_WEEK + w] = plan.timeSchema.charCodeAt(w) === 49 ? 1 : 0;
    if (plan.gd) {
      gdPlace[i] = placementIndex(plan.gd.placement);
      isCpd[i] = plan.gd.kind === 'CPD' ? 1 : 0;
    }
  }

  // --- outputs ---------------------------------------------------------------------------
  const imp = new Float64Array(nPlans * hours);
  const clk = new Float64Array(nPlans * hours);
  const conv = new Float64Array(nPlans * hours);
  const spendMilli = new Float64Array(nPlans * hours);
  const placeImp = new Float64Array(nPlans * NP);
  const placeClk = new Float64Array(nPlans * NP);
  const placeConv = new Float64Array(nPlans * NP);
  const placeSpendMilli = new Float64Array(nPlans * NP);
  const placeEntered = new Float64Array(nPlans * NP);
  const placeWon = new Float64Array(nPlans * NP);
  const placeEligible = new Float64Array(nPlans * NP);
  const lost = new Float64Array(nPlans * NR);
  const entered = new Float64Array(nPlans);
  const won = new Float64Array(nPlans);
  const eligible = new Float64Array(nPlans);
  const uniques = new Float64Array(nPlans);
  const reachCum = new Float64Array(hours);
  const placeCum = new Float64Array(NP);
  const planHourReq = new Float64Array(nPlans);

  const hot: Hot = { landscape, compFactor: 1, trace: input.trace, ubuf: new Float64Array(UB), ui: UB, c, rng, nUsers, nPlans, hours, placeCum, ctrNoise, cvrNoise, powQ, compQ, score, quality, entryUnit, entryCtr, entryCvr, rankIdx, winIdx, winPrice, planOff, daySpent, dayBudget, totalSpent, totalBudget, targetOk, freqIdx, freq, boostOn, boostLeft, unitDaySpent, unitBudget, noBidEcpm, shade, pass, gdPlace, isCpd, gdDelivered, gdAllowance, cpdCharged, placeEligible, eligible, entered, won, placeEntered, placeWon, lost, imp, clk, conv, spendMilli, placeImp, placeClk, placeConv, placeSpendMilli, seenPlan, seenAny, uniques, reach: 0, s };
  for (let d = 0; d < days; d++) {
    const dayMs = startMs + d * DAY_MS;
    const dow = (new Date(dayMs).getUTCDay() + 6) % 7;
    const date = new Date(dayMs).toISOString().slice(0, 10);
    // Time nodes (Double 11, 618, …) multiply the day's traffic and its competitors' bids.
    const md = date.slice(5);
    const node = market.timeNodes.find((t) => (t.from <= t.to ? md >= t.from && md <= t.to : md >= t.from || md <= t.to));
    const sDay = s * (node?.trafficFactor ?? 1);
    hot.compFactor = node?.competitionFactor ?? 1;
    daySpent.fill(0);
    unitDaySpent.fill(0);
    freq.fill(0);
    gdDelivered.fill(0);
    cpdCharged.fill(0);
    // Day-level state per plan: status and dates, and the plan's scheduled traffic for pacing.
    for (let i = 0; i < nPlans; i++) {
      const plan = c.plans[i];
      if (!plan) continue;
      let sched = 0;
      const reachMask = c.planReachMask[i] as number;
      for (let h = 0; h < 24; h++) {
        if (!scheduleBits[i * HOURS_PER_WEEK + dow * 24 + h]) continue;
        for (let p = 0; p < NP; p++) if (reachMask & (1 << p)) sched += (c.placeHourReq[p * HOURS_PER_WEEK + dow * 24 + h] as number) * sDay;
      }
      dayScheduled[i] = sched;
      remainingScheduled[i] = sched;
    }

    for (let h = 0; h < 24; h++) {
      if (input.isCancelled?.()) throw new ForecastCancelled();
      const w = dow * 24 + h;
      const hourIdx = d * 24 + h;
      // Plan-level blocks for the hour, counted in bulk (no request needs simulating).
      for (let i = 0; i < nPlans; i++) {
        const plan = c.plans[i];
        if (!plan) continue;
        let off = -1;
        if (plan.status !== 'ENABLED') off = R_STATUS;
        else if (date < plan.startDate || (plan.endDate !== null && date > plan.endDate)) off = R_DATES;
        else if (!scheduleBits[i * HOURS_PER_WEEK + w]) off = R_SCHEDULE;
        planOff[i] = off;
        const sceneMask = c.planSceneMask[i] as number;
        const reachMask = c.planReachMask[i] as number;
        let reqHour = 0;
        for (let p = 0; p < NP; p++) {
          if (!(sceneMask & (1 << p))) continue;
          const r = (c.placeHourReq[p * HOURS_PER_WEEK + w] as number) * sDay;
          if (off >= 0) lost[i * NR + off] = (lost[i * NR + off] as number) + r;
          else if (!(reachMask & (1 << p))) lost[i * NR + R_PLACEMENT] = (lost[i * NR + R_PLACEMENT] as number) + r;
          else reqHour += r;
        }
        planHourReq[i] = reqHour;
      }
      for (let k = 0; k < nUnits; k++) {
        const b = c.units[k]?.boost;
        boostOn[k] = b && hourIdx >= b.startHour && hourIdx < b.startHour + b.hours ? 1 : 0;
      }
      // The hour's requests over placements.
      let totalHour = 0;
      for (let p = 0; p < NP; p++) {
        totalHour += (c.placeHourReq[p * HOURS_PER_WEEK + w] as number) * sDay;
        placeCum[p] = totalHour;
      }
      let n = Math.floor(totalHour);
      if (rng.float() < totalHour - n) n++;
      for (let p = 0; p < NP; p++) placeCum[p] = totalHour > 0 ? (placeCum[p] as number) / totalHour : 1;

      for (let sl = 0; sl < SLICES_PER_HOUR; sl++) {
        const count = Math.floor(((sl + 1) * n) / SLICES_PER_HOUR) - Math.floor((sl * n) / SLICES_PER_HOUR);
        // Slice start: read pacing, set NO_BID prices and GD allowances.
        for (let i = 0; i < nPlans; i++) {
          const pc = pacers[i] as Pacer;
          shade[i] = pc.shade();
          pass[i] = pc.passRate();
          sliceSpendStart[i] = daySpent[i] as number;
          const sliceReq = (planHourReq[i] as number) / SLICES_PER_HOUR;
          if (c.planHasNoBid[i]) {
            const left = Math.min((dayBudget[i] as number) - (daySpent[i] as number), (totalBudget[i] as number) - (totalSpent[i] as number));
            if (left === Infinity) {
              const gp = Math.max(0, 31 - Math.clz32(c.planReachMask[i] as number));
              noBidEcpm[i] = NO_BID_UNLIMITED_FACTOR * Math.exp(c.placeMu[gp] as number);
            } else {
              const rem = remainingScheduled[i] as number;
              noBidEcpm[i] = left > 0 && rem > 0 ? (NO_BID_ALPHA * left) / rem : 0;
            }
          }
          if ((gdPlace[i] as number) >= 0 && !isCpd[i]) {
            // GD CPM: paced evenly over the day's scheduled traffic; a little slack so it is met.
            const plan = c.plans[i];
            const booked = (plan?.gd?.impressionsPerDay ?? 0) * s;
            const sched = dayScheduled[i] as number;
            const doneShare = sched > 0 ? 1 - ((remainingScheduled[i] as number) - sliceReq) / sched : 1;
            gdAllowance[i] = Math.min(booked, booked * doneShare * 1.02 + 1);
          }
          remainingScheduled[i] = (remainingScheduled[i] as number) - sliceReq;
        }

        runRequests(hot, count, hourIdx);

        // Slice end: pacing feedback against the plan's traffic-shaped target.
        for (let i = 0; i < nPlans; i++) {
          const sched = dayScheduled[i] as number;
          if (!(sched > 0) || (planOff[i] as number) >= 0) continue;
          // Once the budget is spent the hard stop, not the bid, keeps spend at zero: learning
          // from those slices would drive μ to 0 overnight and burst at the next day's start.
          if ((daySpent[i] as number) >= (dayBudget[i] as number) || (totalSpent[i] as number) >= (totalBudget[i] as number)) continue;
          const budget = Math.min(dayBudget[i] as number, (totalBudget[i] as number) / Math.max(1, days - d));
          const sliceReq = (planHourReq[i] as number) / SLICES_PER_HOUR;
          (pacers[i] as Pacer).update((daySpent[i] as number) - (sliceSpendStart[i] as number), (budget * sliceReq) / sched);
        }
      }
      for (let i = 0; i < nPlans; i++) {
        // A GD booking spends its booking by design: "running out" is about auction budgets.
        if ((exhaustedHour[i] as number) < 0 && (gdPlace[i] as number) < 0 && (dayBudget[i] !== Infinity || totalBudget[i] !== Infinity)) {
          // "Spent" = less than one typical charge left: the budget stops further wins.
          if ((daySpent[i] as number) >= (dayBudget[i] as number) * 0.995 || (totalSpent[i] as number) >= (totalBudget[i] as number) * 0.995) exhaustedHour[i] = hourIdx;
        }
      }
      reachCum[hourIdx] = hot.reach;
      input.onHour?.(hourIdx + 1);
    }
  }

  return {
    hours,
    nPlans,
    scale,
    imp,
    clk,
    conv,
    spendMilli,
    placeImp,
    placeClk,
    placeConv,
    placeSpendMilli,
    placeEntered,
    placeWon,
    placeEligible,
    lost,
    entered,
    won,
    eligible,
    uniques,
    exhaustedHour,
    reachCum,
    users: nUsers,
  };
}

/** Everything the request loop reads and writes: one object, unpacked into locals per slice. */
interface Hot {
  landscape: number;
  compFactor: number;
  trace: SimInput['trace'];
  ubuf: Float64Array;
  ui: number;
  c: Compiled;
  rng: Rng;
  nUsers: number;
  nPlans: number;
  hours: number;
  placeCum: Float64Array;
  ctrNoise: QuantileTable;
  cvrNoise: QuantileTable;
  powQ: QuantileTable[][];
  compQ: QuantileTable[];
  score: Float64Array;
  quality: Float64Array;
  entryUnit: Int32Array;
  entryCtr: Float64Array;
  entryCvr: Float64Array;
  rankIdx: Int32Array;
  winIdx: Int32Array;
  winPrice: Float64Array;
  planOff: Int32Array;
  daySpent: Float64Array;
  dayBudget: Float64Array;
  totalSpent: Float64Array;
  totalBudget: Float64Array;
  targetOk: Uint8Array;
  freqIdx: Int32Array;
  freq: Uint16Array;
  boostOn: Uint8Array;
  boostLeft: Float64Array;
  unitDaySpent: Float64Array;
  unitBudget: Float64Array;
  noBidEcpm: Float64Array;
  shade: Float64Array;
  pass: Float64Array;
  gdPlace: Int32Array;
  isCpd: Uint8Array;
  gdDelivered: Float64Array;
  gdAllowance: Float64Array;
  cpdCharged: Uint8Array;
  placeEligible: Float64Array;
  eligible: Float64Array;
  entered: Float64Array;
  won: Float64Array;
  placeEntered: Float64Array;
  placeWon: Float64Array;
  lost: Float64Array;
  imp: Float64Array;
  clk: Float64Array;
  conv: Float64Array;
  spendMilli: Float64Array;
  placeImp: Float64Array;
  placeClk: Float64Array;
  placeConv: Float64Array;
  placeSpendMilli: Float64Array;
  seenPlan: Uint8Array;
  seenAny: Uint8Array;
  uniques: Float64Array;
  reach: number;
  s: number;
}

function runRequests(h: Hot, count: number, hourIdx: number): void {
  const { c, rng, nUsers, nPlans, placeCum, ctrNoise, cvrNoise, powQ, compQ, score, quality, entryUnit, entryCtr, entryCvr, rankIdx, winIdx, winPrice, planOff, daySpent, dayBudget, totalSpent, totalBudget, targetOk, freqIdx, freq, boostOn, boostLeft, unitDaySpent, unitBudget, noBidEcpm, shade, pass, gdPlace, isCpd, gdDelivered, gdAllowance, cpdCharged, placeEligible, eligible, entered, won, placeEntered, placeWon, lost, s, compFactor, landscape } = h;
  const ub = h.ubuf as Float64Array;
  let ui = h.ui as number;
  for (let r = 0; r < count; r++) {
    if (ui > UB - 32) {
      rng.fill(ub, UB);
      ui = 0;
    }
    const p = pickIndex(placeCum, ub[ui++] as number);
    const user = ((ub[ui++] as number) * nUsers) | 0;
    const cN = ctrNoise.sample(ub[ui++] as number);
    const vN = cvrNoise.sample(ub[ui++] as number);
    const uExp = ub[ui++] as number;
    const uClick = ub[ui++] as number;
    const uConv = ub[ui++] as number;
    const uThr = ub[ui++] as number;
    const uMatch = ub[ui++] as number; // which search word (if any) the query matches: shared by all plans
    const pMask = 1 << p;
    const slots = c.placeSlots[p] as Float64Array;
    const nSlots = slots.length;
    const reserve = c.placeReserve[p] as number;
    const ctrF = c.placeCtrFactor[p] as number;

    // Competitors first: a tie goes against the plan.
    const tables = powQ[p] as QuantileTable[];
    const cq = compQ[p] as QuantileTable;
    let m = 0;
    let q = 1;
    for (let k = 0; k < tables.length; k++) {
      q *= (tables[k] as QuantileTable).sample(ub[ui++] as number);
      score[m] = cq.sample(q) * compFactor;
      quality[m] = 1;
      entryUnit[m] = -1;
      m++;
    }
    const nComp = m;
    let reserved = 0; // top slots taken by GD bookings

    for (let i = 0; i < nPlans; i++) {
      if ((planOff[i] as number) >= 0 || !((c.planReachMask[i] as number) & pMask)) continue;
      const first = c.planFirstUnit[i] as number;
      const last = first + (c.planUnitCount[i] as number);
      const budgetLeft = (daySpent[i] as number) < (dayBudget[i] as number) && (totalSpent[i] as number) < (totalBudget[i] as number);
      let stage = 0;
      let bestScore = 0;
      let bestUnit = -1;
      let bestCtr = 0;
      let bestCvr = 0;
      for (let k = first; k < last; k++) {
        if (!((c.unitPlaceMask[k] as number) & pMask)) continue;
        if (!targetOk[k * nUsers + user]) {
          if (stage < 1) stage = 1;
          continue;
        }
        let a = c.unitParam[k] as number;
        const nw = c.unitWordCount[k] as number;
        if (nw > 0) {
          // Words are distinct queries: the request matches at most one, by cumulative share.
          const w0 = c.unitWordStart[k] as number;
          let hit = -1;
          let cum = 0;
          for (let j = w0; j < w0 + nw; j++) {
            cum += c.wordShare[j] as number;
            if (uMatch < cum) {
              hit = j;
              break;
            }
          }
          if (hit < 0) {
            if (stage < 1) stage = 1; // keyword targeting
            continue;
          }
          a = c.wordParam[hit] as number;
        }
        if (!c.unitApproved[k]) {
          if (stage < 2) stage = 2;
          continue;
        }
        const fi = freqIdx[k] as number;
        if (fi >= 0 && (freq[fi * nUsers + user] as number) >= (c.unitFreqCap[k] as number)) {
          if (stage < 3) stage = 3;
          continue;
        }
        const boosting = boostOn[k] === 1 && (boostLeft[k] as number) > 0;
        if ((!budgetLeft && !boosting) || (unitDaySpent[k] as number) >= (unitBudget[k] as number)) {
          if (stage < 4) stage = 4;
          continue;
        }
        const pCtr = Math.min(1, (c.unitCtr[k] as number) * ctrF * cN);
        const pCvr = Math.min(1, (c.unitCvr[k] as number) * vN);
        const kind = c.unitKind[k] as number;
        let v = 0;
        if (kind === KIND_PER_CLICK) v = a * pCtr;
        else if (kind === KIND_PER_MILLE) v = a;
        else if (kind === KIND_PER_CONVERSION) v = a * pCtr * pCvr;
        else if (kind === KIND_NO_BID) v = (noBidEcpm[i] as number) * pCtr * pCvr * a;
        else if (kind === KIND_NONE) v = 0;
        let full = v * landscape;
        if (boosting) full *= c.units[k]?.boost?.bidMultiplier ?? 1;
        let bid = full * (shade[i] as number);
        if ((gdPlace[i] as number) >= 0) bid = 1e12; // a booking is served by priority, not by price
        if (bid < reserve || !(bid > 0)) {
          // Pushed under the floor only by the pacing shade: the budget, not the bid, is why.
          // NO_BID bids what its budget affords per request: under the floor, that is a budget reason too.
          const paced = (full >= reserve && full > 0) || (kind === KIND_NO_BID && (dayBudget[i] as number) < Infinity);
          if (paced ? stage < 4 : stage < 5) stage = paced ? 4 : 5;
          continue;
        }
        const sc = bid * (c.unitQuality[k] as number);
        stage = ST_ENTERED;
        if (sc > bestScore) {
          bestScore = sc;
          bestUnit = k;
          bestCtr = pCtr;
          bestCvr = pCvr;
        }
      }
      if (stage >= 5) {
        placeEligible[i * NP + p] = (placeEligible[i * NP + p] as number) + 1;
        eligible[i] = (eligible[i] as number) + 1;
      }
      if (stage === ST_ENTERED && (pass[i] as number) < 1) {
        let t = uThr + i * PHI;
        t -= Math.floor(t);
        if (t >= (pass[i] as number)) stage = 4; // throttled by pacing: a budget loss
      }
      if (stage === ST_ENTERED && (gdPlace[i] as number) >= 0) {
        // GD: only on the booked placement, with priority, within the day's allowance.
        const ok = gdPlace[i] === p && reserved < nSlots && (isCpd[i] ? reserved === 0 : (gdDelivered[i] as number) < (gdAllowance[i] as number));
        if (!ok) {
          lost[i * NR + (gdPlace[i] === p ? R_RANK : R_PLACEMENT)] = (lost[i * NR + (gdPlace[i] === p ? R_RANK : R_PLACEMENT)] as number) + 1;
          continue;
        }
        const slot = reserved++;
        entered[i] = (entered[i] as number) + 1;
        won[i] = (won[i] as number) + 1;
        placeEntered[i * NP + p] = (placeEntered[i * NP + p] as number) + 1;
        placeWon[i * NP + p] = (placeWon[i * NP + p] as number) + 1;
        if (uExp < (slots[slot] as number)) {
          const plan = c.plans[i];
          let charge = 0;
          if (isCpd[i]) {
            if (!cpdCharged[i]) {
              charge = (plan?.gd?.dayPriceFen ?? 0) * 1000 * s;
              cpdCharged[i] = 1;
            }
          } else charge = cpmChargeMilliFen(plan?.gd?.cpmFen ?? 0);
          gdDelivered[i] = (gdDelivered[i] as number) + 1;
          impression(h, i, bestUnit, p, hourIdx, user, bestCtr, bestCvr, uClick, uConv, charge, false);
        }
        continue;
      }
      if (stage === ST_ENTERED) {
        entered[i] = (entered[i] as number) + 1;
        placeEntered[i * NP + p] = (placeEntered[i * NP + p] as number) + 1;
        score[m] = bestScore;
        quality[m] = c.unitQuality[bestUnit] as number;
        entryUnit[m] = bestUnit;
        entryCtr[m] = bestCtr;
        entryCvr[m] = bestCvr;
        m++;
      } else {
        const reason = STAGE_REASON[stage] as number;
        lost[i * NR + reason] = (lost[i * NR + reason] as number) + 1;
      }
    }
    if (m === nComp) continue;

    const won_ = gspAuction(m, score, quality, reserve, nSlots - reserved, rankIdx, winIdx, winPrice);
    for (let e = nComp; e < m; e++) quality[e] = -(quality[e] as number); // mark "not won" (sign), restored below
    for (let k = 0; k < won_; k++) {
      const e = winIdx[k] as number;
      if (e < nComp) continue;
      quality[e] = -(quality[e] as number);
      const unit = entryUnit[e] as number;
      const i = c.unitPlan[unit] as number;
      won[i] = (won[i] as number) + 1;
      placeWon[i * NP + p] = (placeWon[i * NP + p] as number) + 1;
      if (!(uExp < (slots[reserved + k] as number))) continue; // won, but the slot was not seen
      const pCtr = entryCtr[e] as number;
      const price = winPrice[k] as number;
      // Charged on its plan's charge type: CPC on click only, CPM (and oCPM) per impression.
      let charge = 0;
      let u = uClick + k * PHI;
      u -= Math.floor(u);
      const clicked = u < pCtr;
      if (c.planChargePerClick[i]) {
        if (clicked) charge = cpcChargeFen(price, pCtr) * 1000;
      } else charge = cpmChargeMilliFen(price);
      impression(h, i, unit, p, hourIdx, user, pCtr, entryCvr[e] as number, u, uConv, charge, true);
    }
    for (let e = nComp; e < m; e++) {
      const qq = quality[e] as number;
      if (qq < 0) {
        quality[e] = -qq;
        const i = c.unitPlan[entryUnit[e] as number] as number;
        const reason = (score[e] as number) < reserve * -qq ? R_RESERVE : R_RANK;
        lost[i * NR + reason] = (lost[i * NR + reason] as number) + 1;
      }
    }
  }
  h.ui = ui;
}

function impression(h: Hot, i: number, unit: number, p: number, hourIdx: number, user: number, pCtr: number, pCvr: number, uClick: number, uConv: number, charge: number, rtb: boolean): void {
  const { hours, imp, placeImp, clk, placeClk, conv, placeConv, spendMilli, placeSpendMilli, boostOn, boostLeft, daySpent, totalSpent, unitDaySpent, freqIdx, freq, nUsers, seenPlan, uniques, seenAny } = h;
  h.trace?.(i, unit, user, hourIdx);
  const ph = i * hours + hourIdx;
  const pp = i * NP + p;
  imp[ph] = (imp[ph] as number) + 1;
  placeImp[pp] = (placeImp[pp] as number) + 1;
  if (uClick < pCtr) {
    clk[ph] = (clk[ph] as number) + 1;
    placeClk[pp] = (placeClk[pp] as number) + 1;
    if (uConv < pCvr) {
      conv[ph] = (conv[ph] as number) + 1;
      placeConv[pp] = (placeConv[pp] as number) + 1;
    }
  }
  if (charge > 0) {
    spendMilli[ph] = (spendMilli[ph] as number) + charge;
    placeSpendMilli[pp] = (placeSpendMilli[pp] as number) + charge;
    if (rtb && unit >= 0 && boostOn[unit] === 1 && (boostLeft[unit] as number) > 0) {
      boostLeft[unit] = (boostLeft[unit] as number) - charge; // boost spend comes from the boost budget
    } else {
      daySpent[i] = (daySpent[i] as number) + charge;
      totalSpent[i] = (totalSpent[i] as number) + charge;
      if (unit >= 0) unitDaySpent[unit] = (unitDaySpent[unit] as number) + charge;
    }
  }
  if (unit >= 0) {
    const fi = freqIdx[unit] as number;
    if (fi >= 0) freq[fi * nUsers + user] = (freq[fi * nUsers + user] as number) + 1;
  }
  if (!seenPlan[i * nUsers + user]) {
    seenPlan[i * nUsers + user] = 1;
    uniques[i] = (uniques[i] as number) + 1;
  }
  if (!seenAny[user]) {
    seenAny[user] = 1;
    h.reach++;
  }
}
