import { HOURS_PER_WEEK } from '../domain/schedule';
import type { MarketSnapshot } from './market';
import { PLACEMENTS, type EnginePlan, type EngineUnit, type Placement } from './model';

/**
 * Turns plans and a market snapshot into struct-of-arrays tables the simulation's hot loop
 * reads without allocating or chasing objects. Built once per forecast; shared by all its runs.
 */

/** How a unit turns a request's pCTR / pCVR into an eCPM (fen per 1000 impressions). */
export const KIND_PER_CLICK = 0; // param × pCTR              (param = CPC bid × 1000)
export const KIND_PER_MILLE = 1; // param                     (param = CPM bid)
export const KIND_PER_CONVERSION = 2; // param × pCTR × pCVR   (param = CPA × 1000; ROI: order value / ROI × 1000)
export const KIND_NO_BID = 3; // noBidEcpm × pCTR × pCVR × param (param = 1 / (base CTR × base CVR))
export const KIND_NONE = 4; // cannot bid (e.g. OCPX without a target CPA)

export const NP = PLACEMENTS.length;

export interface Compiled {
  nPlans: number;
  nUnits: number;
  plans: readonly EnginePlan[];
  /** Per placement: normalised hour-of-week share × 7 × daily requests = real requests in that hour. */
  placeHourReq: Float64Array; // NP × 168
  placeSlots: Float64Array[]; // exposures per placement
  placeReserve: Float64Array;
  placeCtrFactor: Float64Array;
  placeComp: Int32Array;
  placeMu: Float64Array;
  placeSigma: Float64Array;
  /** Per plan: bitmask of its scene's placements, and of those some unit may appear on. */
  planSceneMask: Int32Array;
  planReachMask: Int32Array;
  planFirstUnit: Int32Array;
  planUnitCount: Int32Array;
  planChargePerClick: Uint8Array;
  planHasNoBid: Uint8Array;
  /** Per unit (grouped by plan). */
  unitPlan: Int32Array;
  unitKind: Uint8Array;
  unitParam: Float64Array;
  unitCtr: Float64Array;
  unitCvr: Float64Array;
  unitQuality: Float64Array;
  unitApproved: Uint8Array;
  unitPlaceMask: Int32Array;
  unitFreqCap: Int32Array; // 0 = none
  unitBudgetFen: Float64Array; // Infinity = none
  /** SEARCH words, flattened: unit k's are [unitWordStart[k], + unitWordCount[k]). */
  unitWordStart: Int32Array;
  unitWordCount: Int32Array;
  wordShare: Float64Array;
  /** The word's bid as the unit's `unitParam` would be (kind unchanged). */
  wordParam: Float64Array;
  units: readonly EngineUnit[];
}

export function placementIndex(p: Placement): number {
  return PLACEMENTS.indexOf(p);
}

function maskOf(ps: readonly Placement[]): number {
  let m = 0;
  for (const p of ps) m |= 1 << placementIndex(p);
  return m;
}

export function compile(plans: readonly EnginePlan[], market: MarketSnapshot): Compiled {
  const placeHourReq = new Float64Array(NP * HOURS_PER_WEEK);
  const placeSlots: Float64Array[] = [];
  const placeReserve = new Float64Array(NP);
  const placeCtrFactor = new Float64Array(NP);
  const placeComp = new Int32Array(NP);
  const placeMu = new Float64Array(NP);
  const placeSigma = new Float64Array(NP);
  for (let p = 0; p < NP; p++) {
    const pm = market.placements[PLACEMENTS[p] as Placement];
    if (!pm) {
      placeSlots.push(new Float64Array([1]));
      continue;
    }
    const shape = pm.hourOfWeekShare ?? market.hourOfWeekShare;
    let sum = 0;
    for (const x of shape) sum += x;
    for (let w = 0; w < HOURS_PER_WEEK; w++) placeHourReq[p * HOURS_PER_WEEK + w] = sum > 0 ? (pm.dailyRequests * 7 * (shape[w] ?? 0)) / sum : 0;
    placeSlots.push(Float64Array.from(pm.slots));
    placeReserve[p] = pm.reserveEcpmFen;
    placeCtrFactor[p] = pm.ctrFactor;
    placeComp[p] = pm.competitors;
    placeMu[p] = pm.competitorEcpmMu;
    placeSigma[p] = pm.competitorEcpmSigma;
  }

  const units: EngineUnit[] = [];
  const unitPlanL: number[] = [];
  const nPlans = plans.length;
  const planSceneMask = new Int32Array(nPlans);
  const planReachMask = new Int32Array(nPlans);
  const planFirstUnit = new Int32Array(nPlans);
  const planUnitCount = new Int32Array(nPlans);
  const planChargePerClick = new Uint8Array(nPlans);
  const planHasNoBid = new Uint8Array(nPlans);
  plans.forEach((plan, i) => {
    planSceneMask[i] = maskOf(market.scenePlacements[plan.scene] ?? []);
    planFirstUnit[i] = units.length;
    planUnitCount[i] = plan.units.length;
    planChargePerClick[i] = plan.chargeType === 'CPC' ? 1 : 0;
    for (const u of plan.units) {
      units.push(u);
      unitPlanL.push(i);
    }
  });
  const nUnits = units.length;
  const unitKind = new Uint8Array(nUnits);
  const unitParam = new Float64Array(nUnits);
  const unitCtr = new Float64Array(nUnits);
  const unitCvr = new Float64Array(nUnits);
  const unitQuality = new Float64Array(nUnits);
  const unitApproved = new Uint8Array(nUnits);
  const unitPlaceMask = new Int32Array(nUnits);
  const unitFreqCap = new Int32Array(nUnits);
  const unitBudgetFen = new Float64Array(nUnits);
  const unitWordStart = new Int32Array(nUnits);
  const unitWordCount = new Int32Array(nUnits);
  const wordShareL: number[] = [];
  const wordParamL: number[] = [];
  units.forEach((u, k) => {
    const pi = unitPlanL[k] as number;
    const plan = plans[pi] as EnginePlan;
    // The unit serves its best approved creative (by expected clicks × quality); with none approved it cannot serve,
    // but it still gets the template's rates so the diagnosis can say "creative not approved" rather than "no bid".
    let best = -1;
    let bestCtr = market.ctrByTemplate.FEED_IMAGE;
    let bestQ = 1;
    for (const c of u.creatives) {
      const ctr = market.ctrByTemplate[c.template];
      const q = market.qualityByTemplate[c.template];
      const key = ctr * q + (c.approved ? 1 : 0);
      if (key > best) {
        best = key;
        bestCtr = ctr;
        bestQ = q;
      }
    }
    unitApproved[k] = u.creatives.some((c) => c.approved) ? 1 : 0;
    unitCtr[k] = bestCtr;
    unitCvr[k] = market.cvrByObjective[plan.objective];
    unitQuality[k] = bestQ;
    const sceneMask = planSceneMask[pi] as number;
    const m = u.placements.length > 0 ? maskOf(u.placements) & sceneMask : sceneMask;
    unitPlaceMask[k] = m;
    planReachMask[pi] = (planReachMask[pi] as number) | m;
    unitFreqCap[k] = u.frequencyCap !== null && u.frequencyCap > 0 ? u.frequencyCap : 0;
    unitBudgetFen[k] = u.dailyBudgetFen ?? Infinity;
    let kind = KIND_NONE;
    let param = 0;
    switch (u.bidType) {
      case 'DEFAULT':
        if (u.bidFen !== null && u.bidFen > 0) {
          if (plan.chargeType === 'CPC') {
            kind = KIND_PER_CLICK;
            param = u.bidFen * 1000;
          } else {
            kind = KIND_PER_MILLE;
            param = u.bidFen;
          }
        }
        break;
      case 'OCPX':
        if (u.targetCpaFen !== null && u.targetCpaFen > 0) {
          kind = KIND_PER_CONVERSION;
          param = u.targetCpaFen * 1000;
        }
        break;
      case 'ROI':
        // A target ROI r allows spending 1/r of a conversion's order value: an implied target CPA.
        if (u.targetRoi !== null && u.targetRoi > 0 && market.orderValueFen > 0) {
          kind = KIND_PER_CONVERSION;
          param = (market.orderValueFen / u.targetRoi) * 1000;
        }
        break;
      case 'NO_BID':
        kind = KIND_NO_BID;
        param = 1 / ((unitCtr[k] as number) * (unitCvr[k] as number) || 1);
        planHasNoBid[pi] = 1;
        break;
    }
    unitKind[k] = kind;
    unitParam[k] = param;
    unitWordStart[k] = wordShareL.length;
    unitWordCount[k] = u.searchWords.length;
    for (const w of u.searchWords) {
      wordShareL.push(market.searchMatchShare[w.matchType]);
      // A word's own price replaces a manual bid; value-based bids (OCPX, ROI, NO_BID) keep theirs.
      wordParamL.push(u.bidType === 'DEFAULT' ? (plan.chargeType === 'CPC' ? w.bidFen * 1000 : w.bidFen) : param);
    }
  });

  return {
    nPlans,
    nUnits,
    plans,
    placeHourReq,
    placeSlots,
    placeReserve,
    placeCtrFactor,
    placeComp,
    placeMu,
    placeSigma,
    planSceneMask,
    planReachMask,
    planFirstUnit,
    planUnitCount,
    planChargePerClick,
    planHasNoBid,
    unitPlan: Int32Array.from(unitPlanL),
    unitKind,
    unitParam,
    unitCtr,
    unitCvr,
    unitQuality,
    unitApproved,
    unitPlaceMask,
    unitFreqCap,
    unitBudgetFen,
    unitWordStart,
    unitWordCount,
    wordShare: Float64Array.from(wordShareL),
    wordParam: Float64Array.from(wordParamL),
    units,
  };
}
