import type { Scene } from '../domain/entities';

/**
 * The market a forecast runs against. The backend sends real snapshots; `demoMarket()` is the
 * offline default built from the public figures of shared/docs/market-facts.md. The engine
 * must work for any snapshot: nothing below is hard-coded in the auction or pacing code.
 */
export interface SceneMarket {
  /**
   * Ad requests per average day that a plan of this scene can reach (the merchant's targeting
   * applied), before the plan's schedule and dates. Shaped by `dayShare` and `hourShare`.
   */
  dailyRequests: number;
  /** Competing bidders in each auction (≥ 1). */
  competitors: number;
  /** Competitor eCPM (fen per 1000 impressions) is lognormal: ln(eCPM) ~ N(mu, sigma²). */
  competitorEcpmMu: number;
  competitorEcpmSigma: number;
  /** Reserve (floor) price as eCPM, fen per 1000 impressions. */
  reserveEcpmFen: number;
  /** Mean click-through rate of a shown ad. */
  baseCtr: number;
  /** Mean conversion rate of a click (post-click). */
  baseCvr: number;
  /**
   * Request-to-request spread of the predicted rates: pCTR = baseCtr·exp(σz − σ²/2), a
   * mean-preserving lognormal; same for pCVR. This is what value-based bids (oCPX) exploit.
   */
  ctrSigma: number;
  cvrSigma: number;
  /** Typical order value of one conversion, fen: what ROI bidding values a conversion at. */
  orderValueFen: number;
}

export interface MarketSnapshot {
  /** Identifies the snapshot a forecast was made on (shown with every forecast). */
  version: string;
  /** Share of a day's requests by hour, hour 0 first, 24 values (normalised by the engine). */
  hourShare: readonly number[];
  /** Share of a week's requests by day, Monday first, 7 values (normalised by the engine). */
  dayShare: readonly number[];
  scenes: Readonly<Record<Scene, SceneMarket>>;
}

/** market-facts.md, "Traffic shape": 114-region average, hour 0 first (sums to 1.0001 as published). */
export const DEMO_HOUR_SHARE: readonly number[] = [
  0.0143, 0.0096, 0.0079, 0.0083, 0.0103, 0.014, 0.0201, 0.0292, 0.0437, 0.0601, 0.0706, 0.0733,
  0.0727, 0.0715, 0.0693, 0.0666, 0.0629, 0.0583, 0.054, 0.0493, 0.0436, 0.0376, 0.0307, 0.0222,
];

/** market-facts.md, day-of-week share, Monday first. */
export const DEMO_DAY_SHARE: readonly number[] = [0.1542, 0.1755, 0.1466, 0.1438, 0.1372, 0.1227, 0.12];

/**
 * The demo market, sized for a mid-sized merchant such as the demo coffee chain (East China,
 * city-level targeting, about 1 % of the super-app's ~1 billion users in reach):
 *
 * - INTELLIGENT (全域智投, smart delivery across all placements) reaches the most traffic:
 *   ~2,000,000 requests a day, many mid-value bidders (feed-like eCPMs of a few yuan).
 * - SEARCH (搜索宝) only fires when a user searches the merchant's words: ~300,000 a day, few
 *   bidders per query but high intent, so high CTR/CVR and high eCPMs (¥30+ CPM).
 * - BRAND (品牌宝, splash and top banners) is seen on every app open: ~1,500,000 a day, few
 *   big-brand bidders, high floor, low CTR.
 * - DISPLAY (展示推广, feeds and banners) ~800,000 a day, the cheapest inventory.
 *
 * eCPM medians are e^mu fen: INTELLIGENT e^6.4 ≈ 600 fen (¥6 CPM), SEARCH e^7.9 ≈ 2,700
 * (¥27), BRAND e^7.6 ≈ 2,000 (¥20), DISPLAY e^6.1 ≈ 450 (¥4.5). The competition in each
 * auction is the best of `competitors` such bids, so the price to beat is well above the median.
 */
export function demoMarket(): MarketSnapshot {
  return {
    version: 'demo-2026.11-1',
    hourShare: DEMO_HOUR_SHARE,
    dayShare: DEMO_DAY_SHARE,
    scenes: {
      INTELLIGENT: {
        dailyRequests: 2_000_000,
        competitors: 12,
        competitorEcpmMu: 6.4,
        competitorEcpmSigma: 0.6,
        reserveEcpmFen: 200,
        baseCtr: 0.02,
        baseCvr: 0.1,
        ctrSigma: 0.5,
        cvrSigma: 0.5,
        orderValueFen: 3_500,
      },
      SEARCH: {
        dailyRequests: 300_000,
        competitors: 6,
        competitorEcpmMu: 7.9,
        competitorEcpmSigma: 0.5,
        reserveEcpmFen: 800,
        baseCtr: 0.05,
        baseCvr: 0.3,
        ctrSigma: 0.4,
        cvrSigma: 0.4,
        orderValueFen: 3_500,
      },
      BRAND: {
        dailyRequests: 1_500_000,
        competitors: 4,
        competitorEcpmMu: 7.6,
        competitorEcpmSigma: 0.4,
        reserveEcpmFen: 1_500,
        baseCtr: 0.01,
        baseCvr: 0.05,
        ctrSigma: 0.3,
        cvrSigma: 0.3,
        orderValueFen: 3_500,
      },
      DISPLAY: {
        dailyRequests: 800_000,
        competitors: 10,
        competitorEcpmMu: 6.1,
        competitorEcpmSigma: 0.6,
        reserveEcpmFen: 150,
        baseCtr: 0.012,
        baseCvr: 0.08,
        ctrSigma: 0.5,
        cvrSigma: 0.5,
        orderValueFen: 3_500,
      },
    },
  };
}
