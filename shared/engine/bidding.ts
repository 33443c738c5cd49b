import type { Plan, Unit } from '../domain/entities';
import type { SceneMarket } from './market';

/**
 * Turns a plan's units into a compact bidding program: per request, the plan enters the
 * auction once, with the eCPM (fen per 1000 impressions) of its best unit. Each unit's value:
 *
 * - DEFAULT, plan charged CPC → bidFen × pCTR × 1000
 * - DEFAULT, plan charged CPM → bidFen (already per mille). CPD (cost per day, guaranteed
 *   delivery) is not modelled yet: its bid is read as a CPM bid, and GD plans run through the
 *   same auction as RTB ones (first cut; a later engine reserves GD inventory first).
 * - OCPX → targetCpaFen × pCTR × pCVR × 1000 (oCPX, market-facts.md: bid ≈ CPA × pCTR × pCVR)
 * - ROI  → (orderValueFen / targetRoi) × pCTR × pCVR × 1000: a conversion is worth the scene's
 *   typical order value, and a target ROI of r allows spending 1/r of it, i.e. an implied
 *   target CPA of orderValue / r.
 * - NO_BID (max conversions) → the plan's "affordable" eCPM at average quality, scaled by the
 *   request's quality pCTR·pCVR / (baseCtr·baseCvr). The affordable eCPM is computed by the
 *   forecast per slice from the budget left and the traffic expected for the rest of the day
 *   (see `noBidEcpm` in forecast.ts).
 *
 * A unit that lacks the field its bid type needs (e.g. OCPX without a target CPA) does not bid.
 * Units that belong to another plan are ignored.
 */

export const KIND_PER_CLICK = 0; // value = param × pCTR          (param = bidFen × 1000)
export const KIND_PER_MILLE = 1; // value = param                  (param = bidFen)
export const KIND_PER_CONVERSION = 2; // value = param × pCTR × pCVR (param = CPA × 1000)
export const KIND_NO_BID = 3; // value = noBidEcpm × pCTR × pCVR × param (param = 1 / (baseCtr·baseCvr))

export interface BidProgram {
  count: number;
  kind: Uint8Array;
  param: Float64Array;
  hasNoBid: boolean;
}

export function compileBids(plan: Plan, units: readonly Unit[], scene: SceneMarket): BidProgram {
  const kinds: number[] = [];
  const params: number[] = [];
  let hasNoBid = false;
  for (const u of units) {
    if (u.planId !== plan.id) continue;
    switch (u.bidType) {
      case 'DEFAULT':
        if (u.bidFen === null || u.bidFen <= 0) break;
        if (plan.chargeType === 'CPC') {
          kinds.push(KIND_PER_CLICK);
          params.push(u.bidFen * 1000);
        } else {
          kinds.push(KIND_PER_MILLE);
          params.push(u.bidFen);
        }
        break;
      case 'OCPX':
        if (u.targetCpaFen === null) break;
        kinds.push(KIND_PER_CONVERSION);
        params.push(u.targetCpaFen * 1000);
        break;
      case 'ROI':
        if (u.targetRoi === null || scene.orderValueFen <= 0) break;
        kinds.push(KIND_PER_CONVERSION);
        params.push((scene.orderValueFen / u.targetRoi) * 1000);
        break;
      case 'NO_BID':
        kinds.push(KIND_NO_BID);
        params.push(1 / (scene.baseCtr * scene.baseCvr));
        hasNoBid = true;
        break;
    }
  }
  return { count: kinds.length, kind: Uint8Array.from(kinds), param: Float64Array.from(params), hasNoBid };
}

/** The plan's value for one request: the best unit's eCPM (0 when no unit can bid). */
export function bestValueEcpm(p: BidProgram, pCtr: number, pCvr: number, noBidEcpm: number): number {
  let best = 0;
  const kind = p.kind;
  const param = p.param;
  for (let i = 0; i < p.count; i++) {
    const k = kind[i];
    const a = param[i] ?? 0;
    let v: number;
    if (k === KIND_PER_CLICK) v = a * pCtr;
    else if (k === KIND_PER_MILLE) v = a;
    else if (k === KIND_PER_CONVERSION) v = a * pCtr * pCvr;
    else v = noBidEcpm * pCtr * pCvr * a;
    if (v > best) best = v;
  }
  return best;
}
