import { z } from 'zod';
import { AGE_BANDS, CITY_TIERS, GENDERS, MAX_INTERESTS, OBJECTIVES, OSES, PLACEMENTS, SCENES, TEMPLATES, type Placement } from './model';

/**
 * The market a forecast runs against, as a versioned snapshot. The backend sends fresh ones
 * on sync (validated with `MarketSnapshotSchema` before use); `demoMarket()` is the offline
 * default built from shared/docs/market-facts.md. Nothing in the auction or pacing code is
 * tuned to the demo: every number the engine uses comes from here.
 */

export const MARKET_SCHEMA_VERSION = 2;
const HOURS_PER_WEEK = 168;

const share = z.number().nonnegative().finite();
const shares = (n: number) =>
  z
    .array(share)
    .length(n)
    .refine((xs) => xs.some((x) => x > 0), 'shares must not all be zero');
const prob = z.number().min(0).max(1);

export const PlacementMarketSchema = z.object({
  /** Requests per average day that the merchant's reach sees on this placement. */
  dailyRequests: z.number().nonnegative().finite(),
  /** Optional own hour-of-week shape (Monday 00:00 first); default: the snapshot's. */
  hourOfWeekShare: shares(HOURS_PER_WEEK).optional(),
  /**
   * Exposure probability of each slot, top first, non-increasing (AuctionNet: 1.0/0.8/0.6).
   * Nested: slot k+1 is never shown when slot k is not.
   */
  slots: z
    .array(prob)
    .min(1)
    .max(8)
    .refine((xs) => xs.every((x, i) => i === 0 || x <= (xs[i - 1] as number)), 'slot exposures must not increase'),
  /** Floor price as eCPM, fen per 1000 impressions. */
  reserveEcpmFen: z.number().nonnegative().finite(),
  /** Placement's CTR relative to the template's base CTR. */
  ctrFactor: z.number().positive().finite(),
  /** Competing bidders per auction, and their eCPM (already quality-weighted): ln eCPM ~ N(mu, sigma²). */
  competitors: z.number().int().nonnegative().max(1000),
  competitorEcpmMu: z.number().finite(),
  competitorEcpmSigma: z.number().nonnegative().max(3),
});
export type PlacementMarket = z.infer<typeof PlacementMarketSchema>;

export const AudienceSchema = z.object({
  cityTier: shares(CITY_TIERS),
  ageBand: shares(AGE_BANDS.length),
  gender: shares(GENDERS.length),
  os: shares(OSES.length),
  /** Independent interests: each user has interest i with probability share. */
  interests: z.array(z.object({ id: z.string().min(1), share: prob })).max(MAX_INTERESTS),
});

export const MarketSnapshotSchema = z.object({
  schemaVersion: z.literal(MARKET_SCHEMA_VERSION),
  /** Identifies the snapshot a forecast was made on (shown with every forecast). */
  version: z.string().min(1).max(100),
  /** Share of a week's requests per hour, Monday 00:00 first (normalised by the engine). */
  hourOfWeekShare: shares(HOURS_PER_WEEK),
  /** Placements a plan of each scene can reach. */
  scenePlacements: z.record(z.enum(SCENES), z.array(z.enum(PLACEMENTS))),
  /** A placement missing from the snapshot has no traffic. */
  placements: z.partialRecord(z.enum(PLACEMENTS), PlacementMarketSchema),
  audience: AudienceSchema,
  /** Ad requests a reachable user makes per day, all placements together: sizes the simulated population. */
  requestsPerUserPerDay: z.number().positive().max(1000),
  /** Base CTR of a shown ad by creative template; CVR (post-click) by objective. */
  ctrByTemplate: z.record(z.enum(TEMPLATES), prob),
  cvrByObjective: z.record(z.enum(OBJECTIVES), prob),
  /** Quality factor by template (ranking multiplier; 1 = average). */
  qualityByTemplate: z.record(z.enum(TEMPLATES), z.number().positive().max(10)),
  /** Request-to-request spread of pCTR / pCVR (mean-preserving lognormal). */
  ctrSigma: z.number().nonnegative().max(2),
  cvrSigma: z.number().nonnegative().max(2),
  /** Typical order value of one conversion, fen: what ROI bidding values a conversion at. */
  orderValueFen: z.number().nonnegative().finite(),
  /**
   * Time nodes (market-facts.md: Spring Festival, 618, Double 11 multiply traffic and competition
   * for a few days): merchant-local 'MM-DD' ranges, inclusive, recurring every year.
   */
  /** SEARCH: share of the search requests one word of each match type matches (broad the widest). */
  searchMatchShare: z.object({ EXACT: prob, PHRASE: prob, BROAD: prob }).default({ EXACT: 0.02, PHRASE: 0.05, BROAD: 0.12 }),
  timeNodes: z
    .array(
      z.object({
        id: z.string().min(1),
        from: z.string().regex(/^\d{2}-\d{2}$/),
        to: z.string().regex(/^\d{2}-\d{2}$/),
        trafficFactor: z.number().positive().max(20),
        competitionFactor: z.number().positive().max(20),
      }),
    )
    .max(50)
    .default([]),
});
export type MarketSnapshot = z.infer<typeof MarketSnapshotSchema>;

/** Validates a snapshot from outside (the backend, a file); throws a readable error. */
export function parseMarketSnapshot(raw: unknown): MarketSnapshot {
  const r = MarketSnapshotSchema.safeParse(raw);
  if (!r.success) throw new RangeError(`invalid market snapshot: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** market-facts.md, "Traffic shape": 114-region average, hour 0 first. */
export const DEMO_HOUR_SHARE: readonly number[] = [
  0.0143, 0.0096, 0.0079, 0.0083, 0.0103, 0.014, 0.0201, 0.0292, 0.0437, 0.0601, 0.0706, 0.0733,
  0.0727, 0.0715, 0.0693, 0.0666, 0.0629, 0.0583, 0.054, 0.0493, 0.0436, 0.0376, 0.0307, 0.0222,
];
/** market-facts.md, day-of-week share, Monday first. */
export const DEMO_DAY_SHARE: readonly number[] = [0.1542, 0.1755, 0.1466, 0.1438, 0.1372, 0.1227, 0.12];

function pm(dailyRequests: number, slots: number[], reserveEcpmFen: number, competitors: number, mu: number, sigma: number, ctrFactor = 1): PlacementMarket {
  return { dailyRequests, slots, reserveEcpmFen, ctrFactor, competitors, competitorEcpmMu: mu, competitorEcpmSigma: sigma };
}

const DISPLAY_PLACEMENTS: Placement[] = PLACEMENTS.filter((p) => p !== 'SPLASH' && p !== 'SEARCH_RESULTS');

/**
 * The demo market for a mid-sized merchant (East China, city-level reach, ~1 % of the
 * super-app's ~1 billion users): about 4 million requests a day over the 11 placements.
 * Hour-of-week = day share × hour share (market-facts.md). eCPM medians e^mu fen: home feed
 * e^6.4 ≈ ¥6 CPM, search e^7.9 ≈ ¥27, splash e^7.6 ≈ ¥20, small channels ¥3–5. Feed-like
 * placements have three slots with AuctionNet's exposures, splash and payment-success one.
 */
export function demoMarket(): MarketSnapshot {
  const how: number[] = [];
  for (let d = 0; d < 7; d++) for (let h = 0; h < 24; h++) how.push((DEMO_DAY_SHARE[d] as number) * (DEMO_HOUR_SHARE[h] as number));
  const feed3 = [1, 0.8, 0.6];
  const two = [1, 0.8];
  return {
    schemaVersion: MARKET_SCHEMA_VERSION,
    version: 'demo-2026.11-2',
    hourOfWeekShare: how,
    scenePlacements: {
      INTELLIGENT: DISPLAY_PLACEMENTS,
      DISPLAY: DISPLAY_PLACEMENTS,
      SEARCH: ['SEARCH_RESULTS'],
      BRAND: ['SPLASH', 'HOME_FEED'],
    },
    placements: {
      HOME_FEED: pm(1_200_000, feed3, 300, 12, 6.4, 0.6),
      SPLASH: pm(600_000, [1], 1_500, 4, 7.6, 0.4, 0.6),
      SEARCH_RESULTS: pm(300_000, feed3, 800, 6, 7.9, 0.5),
      MEMBER_CHANNEL: pm(200_000, two, 200, 8, 6.2, 0.6),
      STUDENT_CHANNEL: pm(100_000, two, 150, 6, 5.9, 0.6),
      LIFE_CHANNEL: pm(300_000, feed3, 200, 10, 6.2, 0.6),
      MINI_PROGRAM: pm(400_000, two, 150, 10, 6.0, 0.6),
      LIVE_ROOM: pm(150_000, [1], 200, 6, 6.3, 0.6, 1.2),
      PAYMENT_SUCCESS: pm(500_000, [1], 400, 8, 6.8, 0.5, 1.3),
      TRAVEL_CHANNEL: pm(80_000, two, 200, 6, 6.3, 0.6),
      VIDEO_CHANNEL: pm(250_000, feed3, 250, 10, 6.3, 0.6),
    },
    audience: {
      cityTier: [0.15, 0.25, 0.25, 0.2, 0.15],
      ageBand: [0.2, 0.3, 0.25, 0.15, 0.1],
      gender: [0.5, 0.5],
      os: [0.35, 0.62, 0.03],
      interests: [
        { id: 'food', share: 0.4 },
        { id: 'coffee', share: 0.15 },
        { id: 'travel', share: 0.2 },
        { id: 'shopping', share: 0.45 },
        { id: 'finance', share: 0.25 },
        { id: 'gaming', share: 0.2 },
        { id: 'sports', share: 0.15 },
        { id: 'beauty', share: 0.2 },
      ],
    },
    requestsPerUserPerDay: 6,
    ctrByTemplate: { FEED_IMAGE: 0.015, VIDEO: 0.02, SPLASH: 0.01, SEARCH_TEXT: 0.05, COUPON_CARD: 0.025, MINI_PROGRAM_CARD: 0.02, LIVE_CARD: 0.018 },
    cvrByObjective: { MINI_PROGRAM_VISIT: 0.6, MEMBER_SIGNUP: 0.08, COUPON_CLAIM: 0.15, PURCHASE: 0.03, LIVE_VIEW: 0.4, FOLLOW: 0.1, LEAD: 0.05 },
    qualityByTemplate: { FEED_IMAGE: 1, VIDEO: 1.1, SPLASH: 1, SEARCH_TEXT: 1, COUPON_CARD: 1.05, MINI_PROGRAM_CARD: 1, LIVE_CARD: 1 },
    ctrSigma: 0.5,
    cvrSigma: 0.5,
    orderValueFen: 3_500,
    searchMatchShare: { EXACT: 0.02, PHRASE: 0.05, BROAD: 0.12 },
    timeNodes: [
      { id: '618', from: '06-16', to: '06-18', trafficFactor: 1.5, competitionFactor: 1.4 },
      { id: 'double11', from: '11-10', to: '11-11', trafficFactor: 1.8, competitionFactor: 1.6 },
    ],
  };
}
