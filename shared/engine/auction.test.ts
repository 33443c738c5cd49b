import { describe, expect, it } from 'vitest';
import {
  OUTCOME_LOST_BID,
  OUTCOME_LOST_RESERVE,
  OUTCOME_WON,
  auctionOutcome,
  clearingPriceEcpm,
  compileCompetition,
  cpcChargeFen,
  cpmChargeMilliFen,
  topCompetitorEcpm,
} from './auction';
import { demoMarket } from './market';
import { Rng, normCdf } from './prng';

describe('second-price auction with a reserve', () => {
  it('the winner pays at most its own bid and at least the reserve', () => {
    const comp = compileCompetition(demoMarket().scenes.INTELLIGENT);
    const reserve = comp.reserveEcpmFen;
    const r = new Rng(11);
    let wins = 0;
    const bad: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const own = r.lognormal(7, 0.8);
      const top = topCompetitorEcpm(r.float(), comp);
      const outcome = auctionOutcome(own, top, reserve);
      if (outcome !== OUTCOME_WON) continue;
      wins++;
      const price = clearingPriceEcpm(top, reserve);
      // charged per impression: whole milli-fen, rounded up, never below the price
      const cpm = cpmChargeMilliFen(price);
      const ok =
        price <= own && price >= reserve && price >= top && Number.isInteger(cpm) && cpm >= price - 1e-6 && cpm < price + 1;
      if (!ok) bad.push(`own ${own} top ${top} price ${price} cpm ${cpm}`);
    }
    expect(bad).toEqual([]);
    expect(wins).toBeGreaterThan(1000);
  });

  it('a CPC winner never pays more per click than its bid, and not less than the price', () => {
    const r = new Rng(12);
    const bad: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const bidFen = 1 + Math.floor(r.float() * 500);
      const pCtr = 0.001 + r.float() * 0.2;
      const own = bidFen * pCtr * 1000;
      // the price up to and including the own bid (a tie at the own bid is the worst case)
      const price = i % 10 === 0 ? own : own * r.float();
      const charge = cpcChargeFen(price, pCtr);
      const ok = Number.isInteger(charge) && charge <= bidFen && charge * pCtr * 1000 >= price - 1e-6;
      if (!ok) bad.push(`bid ${bidFen} pCtr ${pCtr} price ${price} charge ${charge}`);
    }
    expect(bad).toEqual([]);
  });

  it('loses below the reserve and on ties', () => {
    expect(auctionOutcome(100, 50, 200)).toBe(OUTCOME_LOST_RESERVE);
    expect(auctionOutcome(300, 300, 200)).toBe(OUTCOME_LOST_BID);
    expect(auctionOutcome(301, 300, 200)).toBe(OUTCOME_WON);
    expect(clearingPriceEcpm(50, 200)).toBe(200);
    expect(clearingPriceEcpm(250, 200)).toBe(250);
  });

  it('draws the best of N lognormal competitors in one draw', () => {
    const scene = demoMarket().scenes.SEARCH;
    const comp = compileCompetition(scene);
    const r = new Rng(13);
    const x = Math.exp(scene.competitorEcpmMu + 0.5); // a point in the body of the distribution
    const n = 100_000;
    let below = 0;
    for (let i = 0; i < n; i++) if (topCompetitorEcpm(r.float(), comp) <= x) below++;
    // P(max ≤ x) = Φ((ln x − mu)/sigma)^N
    const expected = normCdf(0.5 / scene.competitorEcpmSigma) ** scene.competitors;
    expect(below / n).toBeCloseTo(expected, 2);
  });
});
