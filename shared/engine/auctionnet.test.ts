import { describe, expect, it } from 'vitest';
import { AN_TICKS, makeAuctionNetEpisode, runAuctionNetEpisode } from './auctionnet';
import { ThrottlePacer } from './pacing';

describe('AuctionNet-sized episode (small)', () => {
  it('runs 48 ticks of 3-slot GSP with pacing, converts, and never overspends beyond one price', () => {
    const ep = makeAuctionNetEpisode(3, 40_000);
    expect(ep.ticks).toHaveLength(AN_TICKS);
    const r = runAuctionNetEpisode(ep);
    expect(r.shown).toBeGreaterThan(40_000); // slot 1 always, slots 2–3 with exposure 0.8 / 0.6
    expect(r.shown).toBeLessThanOrEqual(40_000 * 2.4 + 200);
    expect(r.conversions).toBeGreaterThan(0);
    expect(r.maxOverspend).toBeLessThan(1); // prices are ~pValue × CPA ≪ 1
    expect(runAuctionNetEpisode(ep)).toEqual(r);
    expect(runAuctionNetEpisode(ep, () => new ThrottlePacer()).spend).toBeGreaterThan(0);
  });
});
