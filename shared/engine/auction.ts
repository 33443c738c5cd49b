import { QuantileTable, normInv } from './prng';
import type { SceneMarket } from './market';

/**
 * One ad request, one slot, second price with a reserve (the single-slot case of the GSP the
 * platform runs; AuctionNet's GSP pays the next bid, at least the reserve).
 *
 * Bids are compared as eCPM in fen per 1000 impressions, whatever each bidder is charged on.
 * The winner pays max(best other eCPM, reserve), translated back to its charge type:
 *   CPC  → per click      = price / (pCTR·1000) fen
 *   CPM  → per impression = price / 1000 fen (= `price` milli-fen)
 * and rounded UP to whole fen (CPC) or whole milli-fen (CPM), as a platform never charges
 * below the clearing price. Ties go to the competitor (conservative for the forecast).
 */

export const OUTCOME_WON = 0;
export const OUTCOME_LOST_RESERVE = 1;
export const OUTCOME_LOST_BID = 2;
export type AuctionOutcome = typeof OUTCOME_WON | typeof OUTCOME_LOST_RESERVE | typeof OUTCOME_LOST_BID;

/**
 * Float noise guard for rounding up: price/(pCTR·1000) for a price equal to a CPC bid can come
 * out as bid + 1e-13, which Math.ceil would turn into bid + 1 fen.
 */
const CEIL_EPSILON = 1e-9;

/** The competition of one scene, precomputed once per forecast. */
export interface Competition {
  mu: number;
  sigma: number;
  /** 1 / number of competitors. */
  invN: number;
  reserveEcpmFen: number;
  /** Tabulated `topCompetitorQuantile`: the hot loop samples the best competitor with one lookup. */
  top: QuantileTable;
}

/**
 * Quantile of the best competitor's eCPM: the maximum of N i.i.d. uniforms is distributed as
 * U^(1/N), so the maximum of N i.i.d. lognormal bids has quantile exp(mu + sigma·Φ⁻¹(p^(1/N))).
 * One draw instead of N: only the best competitor matters in a single-slot second-price
 * auction that the plan either wins (and pays that bid, or the reserve) or loses.
 */
export function topCompetitorQuantile(p: number, mu: number, sigma: number, invN: number): number {
  return Math.exp(mu + sigma * normInv(Math.pow(p, invN)));
}

export function compileCompetition(scene: SceneMarket): Competition {
  const n = Math.max(1, Math.floor(scene.competitors));
  const mu = scene.competitorEcpmMu;
  const sigma = scene.competitorEcpmSigma;
  const invN = 1 / n;
  return {
    mu,
    sigma,
    invN,
    reserveEcpmFen: scene.reserveEcpmFen,
    top: new QuantileTable((p) => topCompetitorQuantile(p, mu, sigma, invN)),
  };
}

/** The best competitor's eCPM for one uniform u ∈ [0, 1). */
export function topCompetitorEcpm(u: number, c: Competition): number {
  return c.top.sample(u);
}

/** Whether an own eCPM wins against the best competitor and the reserve. */
export function auctionOutcome(ownEcpm: number, topCompetitor: number, reserveEcpm: number): AuctionOutcome {
  if (ownEcpm < reserveEcpm) return OUTCOME_LOST_RESERVE;
  if (ownEcpm <= topCompetitor) return OUTCOME_LOST_BID;
  return OUTCOME_WON;
}

/** The winner's clearing price as eCPM (fen per 1000): the second-highest bid, at least the reserve. */
export function clearingPriceEcpm(topCompetitor: number, reserveEcpm: number): number {
  return topCompetitor > reserveEcpm ? topCompetitor : reserveEcpm;
}

/** CPC: what one click costs at a clearing eCPM, whole fen rounded up. */
export function cpcChargeFen(priceEcpm: number, pCtr: number): number {
  return Math.ceil(priceEcpm / (pCtr * 1000) - CEIL_EPSILON);
}

/** CPM: what one impression costs at a clearing eCPM, in whole milli-fen (1/1000 fen) rounded up. */
export function cpmChargeMilliFen(priceEcpm: number): number {
  return Math.ceil(priceEcpm - CEIL_EPSILON);
}
