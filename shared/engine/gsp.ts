/**
 * Generalised second-price auction over a placement's slots, with quality factors and a reserve.
 *
 * Bidders are ranked by score = eCPM bid × quality. The bidder in slot k pays the smallest eCPM
 * that keeps its rank: the next-ranked score divided by its own quality, never below the
 * reserve (eCPM, fen per 1000). With one slot this is the second-price auction. A bidder whose
 * eCPM bid is below the reserve takes no slot and sets no price. Ties keep index order (the
 * lower index ranks first): callers put competitors first so a tie goes against the plan,
 * which keeps the forecast conservative.
 *
 * Allocation-free: winners are written into caller-owned arrays; the selection is an insertion
 * into a list of at most slots + 1 entries, O(n × slots), which beats sorting for the short
 * candidate lists of one request.
 */

/**
 * Runs one auction. `rankIdx` must hold at least `slots + 1` entries. Writes the winners' bidder
 * indices into outIdx[0..k) and their eCPM prices into outPrice[0..k); returns k ≤ slots.
 */
export function gspAuction(
  n: number,
  score: Float64Array,
  quality: Float64Array,
  reserveEcpm: number,
  slots: number,
  rankIdx: Int32Array,
  outIdx: Int32Array,
  outPrice: Float64Array,
): number {
  const keep = slots + 1;
  let len = 0;
  // Once `keep` bidders are held, a newcomer must beat the last of them: most bidders of a
  // long list fail this one comparison and cost nothing more.
  let floor = 0;
  for (let i = 0; i < n; i++) {
    const s = score[i] as number;
    if (!(s > floor)) continue;
    // eCPM bid = score / quality; below the reserve it neither wins nor sets a price
    if (s < reserveEcpm * (quality[i] as number)) continue;
    let j = len < keep ? len++ : len - 1;
    while (j > 0 && s > (score[rankIdx[j - 1] as number] as number)) {
      rankIdx[j] = rankIdx[j - 1] as number;
      j--;
    }
    rankIdx[j] = i;
    if (len === keep) floor = score[rankIdx[keep - 1] as number] as number;
  }
  const won = len < slots ? len : slots;
  for (let k = 0; k < won; k++) {
    const w = rankIdx[k] as number;
    const next = k + 1 < len ? (score[rankIdx[k + 1] as number] as number) / (quality[w] as number) : 0;
    outIdx[k] = w;
    outPrice[k] = next > reserveEcpm ? next : reserveEcpm;
  }
  return won;
}

/**
 * Float noise guard for rounding charges up: price/(pCTR·1000) for a price equal to a CPC bid
 * can come out as bid + 1e-13, which Math.ceil would turn into bid + 1 fen.
 */
const CEIL_EPSILON = 1e-9;

/** CPC: one click at a clearing eCPM, whole fen rounded up (the platform never charges below the clearing price). */
export function cpcChargeFen(priceEcpm: number, pCtr: number): number {
  return Math.ceil(priceEcpm / (pCtr * 1000) - CEIL_EPSILON);
}

/** CPM: one impression at a clearing eCPM, whole milli-fen (1/1000 fen) rounded up. */
export function cpmChargeMilliFen(priceEcpm: number): number {
  return Math.ceil(priceEcpm - CEIL_EPSILON);
}
