import { describe, expect, it } from 'vitest';
import { cpcChargeFen, cpmChargeMilliFen, gspAuction } from './gsp';
import { Rng } from './prng';

/** Runs gspAuction on plain arrays; returns [bidder, price] per slot. */
function gsp(bids: number[], slots: number, reserve = 0, qualities?: number[]): Array<[number, number]> {
  const n = bids.length;
  const q = Float64Array.from(qualities ?? bids.map(() => 1));
  const score = Float64Array.from(bids.map((b, i) => b * (q[i] as number)));
  const idx = new Int32Array(slots);
  const price = new Float64Array(slots);
  const won = gspAuction(n, score, q, reserve, slots, new Int32Array(slots + 1), idx, price);
  return Array.from({ length: won }, (_, k) => [idx[k] as number, price[k] as number]);
}

describe('GSP on hand-worked examples', () => {
  it('equal quality, no reserve: slot k pays the (k+1)-th bid', () => {
    // bids 10, 8, 5, 2 → slots go to 10, 8, 5 who pay 8, 5, 2
    expect(gsp([5, 10, 2, 8], 3)).toEqual([
      [1, 8],
      [3, 5],
      [0, 2],
    ]);
  });

  it('quality factors: rank by bid × quality, pay next score / own quality', () => {
    // A: bid 10 q1 (score 10); B: bid 6 q2 (12); C: bid 8 q1 (8); D: bid 4 q0.5 (2)
    // ranking B, A, C, D; B pays 10/2 = 5, A pays 8/1 = 8, C pays 2/1 = 2
    expect(gsp([10, 6, 8, 4], 3, 0, [1, 2, 1, 0.5])).toEqual([
      [1, 5],
      [0, 8],
      [2, 2],
    ]);
    // the quality winner pays less than its bid although its bid is lower than A's
    expect(gsp([10, 6, 8, 4], 1, 0, [1, 2, 1, 0.5])).toEqual([[1, 5]]);
  });

  it('reserve: bidders below it take no slot and set no price; prices never go below it', () => {
    // reserve 3: 2 is out; the last slot has nobody below it → pays the reserve
    expect(gsp([10, 8, 5, 2], 3, 3)).toEqual([
      [0, 8],
      [1, 5],
      [2, 3],
    ]);
    // reserve 6: only 10 and 8 qualify; 8 pays the reserve, not 5
    expect(gsp([10, 8, 5, 2], 3, 6)).toEqual([
      [0, 8],
      [1, 6],
    ]);
    // with quality, the reserve applies to the eCPM bid (score / quality), not to the score
    expect(gsp([4, 10], 2, 5, [3, 1])).toEqual([[1, 5]]);
  });

  it('a tie keeps index order (callers put competitors first: ties go against the plan)', () => {
    expect(gsp([7, 7, 3], 1)).toEqual([[0, 7]]);
  });

  it('one slot is the second-price auction', () => {
    const rng = new Rng(11);
    for (let t = 0; t < 500; t++) {
      const n = 1 + Math.floor(rng.float() * 8);
      const bids = Array.from({ length: n }, () => Math.round(rng.float() * 1000) / 10);
      const reserve = rng.float() < 0.5 ? 0 : Math.round(rng.float() * 500) / 10;
      const eligible = bids.filter((b) => b > 0 && b >= reserve).sort((a, b) => b - a);
      const got = gsp(bids, 1, reserve);
      if (eligible.length === 0) {
        expect(got).toEqual([]);
        continue;
      }
      expect(bids[got[0]![0]]).toBe(eligible[0]);
      expect(got[0]![1]).toBe(Math.max(eligible[1] ?? 0, reserve));
    }
  });

  it('a bidder never pays more than its bid (random auctions with quality and reserve)', () => {
    const rng = new Rng(12);
    for (let t = 0; t < 2000; t++) {
      const n = 1 + Math.floor(rng.float() * 12);
      const bids = Array.from({ length: n }, () => rng.float() * 100);
      const q = Array.from({ length: n }, () => 0.2 + rng.float() * 2);
      const slots = 1 + Math.floor(rng.float() * 4);
      for (const [i, price] of gsp(bids, slots, rng.float() * 30, q)) expect(price).toBeLessThanOrEqual(bids[i]! + 1e-9);
    }
  });

  it('equals VCG where theory says: one slot, and at the Edelman–Ostrovsky–Schwarz equilibrium bids', () => {
    const exposure = [1, 0.8, 0.6];
    const values = [20, 15, 9, 6, 2]; // sorted, per impression
    const K = exposure.length;
    const e = (k: number) => (k < K ? (exposure[k] as number) : 0);
    // VCG: slot k pays the externality it imposes: Σ_{j≥k} (e_j − e_{j+1}) · v_{j+1}
    const vcg = (k: number) => {
      let p = 0;
      for (let j = k; j < K; j++) p += (e(j) - e(j + 1)) * (values[j + 1] as number);
      return p;
    };
    // EOS locally envy-free equilibrium: the bidder at position k+1 bids VCG_k / e_k (never above its value)
    const bids = values.map((v, i) => (i === 0 ? v : i <= K ? vcg(i - 1) / e(i - 1) : v));
    bids.forEach((b, i) => expect(b).toBeLessThanOrEqual(values[i]! + 1e-12));
    const res = gsp(bids, K);
    res.forEach(([i, price], k) => {
      expect(i).toBe(k);
      expect(price * e(k)).toBeCloseTo(vcg(k), 10); // GSP's expected payment = VCG's
    });
    // one slot: VCG = the externality on the runner-up = second price
    expect(gsp(values, 1)).toEqual([[0, values[1]]]);
  });
});

describe('charges', () => {
  it('translate a clearing eCPM to CPC (per click, fen up) and CPM (per impression, milli-fen up)', () => {
    expect(cpcChargeFen(2000, 0.02)).toBe(100); // ¥20 CPM at 2 % CTR = 100 fen a click
    expect(cpcChargeFen(2001, 0.02)).toBe(101);
    expect(cpmChargeMilliFen(1234.2)).toBe(1235);
    // a price equal to a CPC bid never rounds above the bid
    for (const [bid, ctr] of [[85, 0.013], [120, 0.0371], [1, 0.9]] as const) expect(cpcChargeFen(bid * ctr * 1000, ctr)).toBe(bid);
  });
});
