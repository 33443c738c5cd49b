import { clearingPriceEcpm, cpcChargeFen, cpmChargeMilliFen, topCompetitorEcpm, type Competition } from './auction';
import { bestValueEcpm, type BidProgram } from './bidding';
import type { QuantileTable, Rng } from './prng';

/**
 * The hot loop: simulates `count` requests of one slice. Kept in its own small function so the
 * JIT inlines everything it calls (PRNG, table lookups, bid evaluation) and nothing is boxed or
 * allocated per request; results go into a preallocated Float64Array of counters.
 */

/** Everything the hot loop reads, fixed for a whole forecast. */
export interface AuctionContext {
  rng: Rng;
  /** Per-request pCTR / pCVR samplers (tabulated quantiles). */
  ctr: QuantileTable;
  cvr: QuantileTable;
  competition: Competition;
  program: BidProgram;
  /** CPC plans pay per click, everything else per impression. */
  chargedPerClick: boolean;
  /** Scratch for the uniforms of UNIFORM_BLOCK requests: see `newUniformBuffer`. */
  uniforms: Float64Array;
}

/** Uniforms drawn per request: pCTR, pCVR, best competitor, click, conversion. */
export const UNIFORMS_PER_REQUEST = 5;
/** Requests whose uniforms are drawn in one block (40 KB: stays in cache). */
export const UNIFORM_BLOCK = 1024;

export function newUniformBuffer(): Float64Array {
  return new Float64Array(UNIFORM_BLOCK * UNIFORMS_PER_REQUEST);
}

/** Indices into the counters array. */
export const ACC_IMPRESSIONS = 0;
export const ACC_CLICKS = 1;
export const ACC_CONVERSIONS = 2;
/** The day's spend so far, integer milli-fen at sample scale: read to stop at the budget, then added to. */
export const ACC_DAY_SPEND_MILLI = 3;
export const ACC_LOST_BUDGET = 4;
export const ACC_LOST_BID = 5;
export const ACC_LOST_RESERVE = 6;
export const ACC_SIZE = 7;

/**
 * Each request draws the same five uniforms whatever happens to it (common random numbers),
 * then lands in exactly one of: impression, lost to budget (spent, or lost only because of the
 * pacing shade), lost to the reserve, lost to a higher bid.
 */
export function simulateAuctions(
  ctx: AuctionContext,
  count: number,
  shade: number,
  noBidEcpm: number,
  budgetMilli: number,
  acc: Float64Array,
): void {
  const rng = ctx.rng;
  const ctrTable = ctx.ctr;
  const cvrTable = ctx.cvr;
  const competition = ctx.competition;
  const program = ctx.program;
  const chargedPerClick = ctx.chargedPerClick;
  const reserve = competition.reserveEcpmFen;
  let spent = acc[ACC_DAY_SPEND_MILLI] as number;
  let imp = 0;
  let clk = 0;
  let cv = 0;
  let lostBudget = 0;
  let lostBid = 0;
  let lostReserve = 0;

  const u = ctx.uniforms;
  let j = 0; // next uniform in the block
  let end = 0; // end of the block drawn

  for (let i = 0; i < count; i++) {
    if (j === end) {
      const left = count - i;
      end = (left < UNIFORM_BLOCK ? left : UNIFORM_BLOCK) * UNIFORMS_PER_REQUEST;
      rng.fill(u, end);
      j = 0;
    }
    const uCtr = u[j] as number;
    const uCvr = u[j + 1] as number;
    const uTop = u[j + 2] as number;
    const uClick = u[j + 3] as number;
    const uConv = u[j + 4] as number;
    j += UNIFORMS_PER_REQUEST;
    if (spent >= budgetMilli) {
      lostBudget++;
      continue;
    }
    const pCtr = ctrTable.sample(uCtr);
    const pCvr = cvrTable.sample(uCvr);
    const value = bestValueEcpm(program, pCtr, pCvr, noBidEcpm);
    if (value <= 0) {
      lostBid++;
      continue;
    }
    const bid = value * shade;
    if (bid < reserve) {
      if (value >= reserve) lostBudget++;
      else lostReserve++;
      continue;
    }
    const top = topCompetitorEcpm(uTop, competition);
    if (bid <= top) {
      if (value > top) lostBudget++;
      else lostBid++;
      continue;
    }
    const price = clearingPriceEcpm(top, reserve);
    imp++;
    const clicked = uClick < pCtr;
    if (chargedPerClick) {
      if (clicked) spent += cpcChargeFen(price, pCtr) * 1000;
    } else {
      spent += cpmChargeMilliFen(price);
    }
    if (clicked) {
      clk++;
      if (uConv < pCvr) cv++;
    }
  }

  acc[ACC_IMPRESSIONS] = (acc[ACC_IMPRESSIONS] as number) + imp;
  acc[ACC_CLICKS] = (acc[ACC_CLICKS] as number) + clk;
  acc[ACC_CONVERSIONS] = (acc[ACC_CONVERSIONS] as number) + cv;
  acc[ACC_DAY_SPEND_MILLI] = spent;
  acc[ACC_LOST_BUDGET] = (acc[ACC_LOST_BUDGET] as number) + lostBudget;
  acc[ACC_LOST_BID] = (acc[ACC_LOST_BID] as number) + lostBid;
  acc[ACC_LOST_RESERVE] = (acc[ACC_LOST_RESERVE] as number) + lostReserve;
}
