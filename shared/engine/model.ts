/**
 * The engine's own input types. They are deliberately independent of shared/domain: the domain
 * model is being rewritten, and the engine must not break when it does. `fromDomain.ts` is the
 * one place that maps domain entities to these (with documented defaults for missing fields).
 */

/** Surfaces of the super-app (product.md, "Placements"). */
export const PLACEMENTS = [
  'HOME_FEED',
  'SPLASH',
  'SEARCH_RESULTS',
  'MEMBER_CHANNEL',
  'STUDENT_CHANNEL',
  'LIFE_CHANNEL',
  'MINI_PROGRAM',
  'LIVE_ROOM',
  'PAYMENT_SUCCESS',
  'TRAVEL_CHANNEL',
  'VIDEO_CHANNEL',
] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const TEMPLATES = ['FEED_IMAGE', 'VIDEO', 'SPLASH', 'SEARCH_TEXT', 'COUPON_CARD', 'MINI_PROGRAM_CARD', 'LIVE_CARD'] as const;
export type Template = (typeof TEMPLATES)[number];

export const OBJECTIVES = ['MINI_PROGRAM_VISIT', 'MEMBER_SIGNUP', 'COUPON_CLAIM', 'PURCHASE', 'LIVE_VIEW', 'FOLLOW', 'LEAD'] as const;
export type Objective = (typeof OBJECTIVES)[number];

export const SCENES = ['INTELLIGENT', 'SEARCH', 'BRAND', 'DISPLAY'] as const;
export type EngineScene = (typeof SCENES)[number];

/** Audience dimensions; a user has exactly one value of each, plus any number of interests. */
export const CITY_TIERS = 5; // tier 1 … tier 5
export const AGE_BANDS = ['18-23', '24-30', '31-40', '41-50', '51+'] as const;
export const GENDERS = ['M', 'F'] as const;
export const OSES = ['IOS', 'ANDROID', 'OTHER'] as const;
/** At most 32 interests (one bit each in a uint32). */
export const MAX_INTERESTS = 32;

/**
 * Targeting: an empty list means "everyone" on that dimension. Indices refer to the
 * dimension lists above and to the snapshot's `audience.interests`.
 */
export interface EngineTargeting {
  cityTiers: number[]; // 0-based: 0 = tier 1
  ageBands: number[];
  genders: number[];
  oses: number[];
  /** A user matches when they have at least one of these interests. */
  interests: number[];
}

export const TARGET_EVERYONE: EngineTargeting = { cityTiers: [], ageBands: [], genders: [], oses: [], interests: [] };

export type EngineBidType = 'DEFAULT' | 'OCPX' | 'NO_BID' | 'ROI';

export interface EngineCreative {
  id: string;
  template: Template;
  approved: boolean;
}

export interface EngineBoost {
  /** Extra budget for the boost, fen (product.md: at least 100 yuan). */
  budgetFen: number;
  /** Bid multiplier while boosting (> 1). */
  bidMultiplier: number;
  /** First hour of the horizon (0-based) the boost runs, and for how many hours. */
  startHour: number;
  hours: number;
}

export interface EngineUnit {
  id: string;
  bidType: EngineBidType;
  /** DEFAULT: fen per click (CPC plans) or per 1000 impressions (CPM plans). */
  bidFen: number | null;
  targetCpaFen: number | null;
  targetRoi: number | null;
  /** Unit daily budget, fen; null = only the plan's. */
  dailyBudgetFen: number | null;
  targeting: EngineTargeting;
  /** Placements the unit may appear on; empty = every placement of its plan's scene. */
  placements: Placement[];
  /** Impressions per user per day for this unit's plan; null = no cap. */
  frequencyCap: number | null;
  creatives: EngineCreative[];
  boost: EngineBoost | null;
  /**
   * SEARCH: the unit's words. A search request matches at most one of them, with the market's
   * share for its match type; a DEFAULT unit then bids that word's price. Empty = every search.
   */
  searchWords: EngineSearchWord[];
}

export interface EngineSearchWord {
  matchType: 'EXACT' | 'PHRASE' | 'BROAD';
  /** Per-word price, as the unit's bidFen (fen per click on CPC plans). */
  bidFen: number;
}

/** A guaranteed-delivery booking (BRAND, sell mode GD). */
export interface EngineGdBooking {
  /** CPM: `impressionsPerDay` at `cpmFen` per 1000. CPD: the unit owns slot 1 of `placement` all day for `dayPriceFen`. */
  kind: 'CPM' | 'CPD';
  placement: Placement;
  impressionsPerDay: number;
  cpmFen: number;
  dayPriceFen: number;
}

export interface EnginePlan {
  id: string;
  scene: EngineScene;
  objective: Objective;
  chargeType: 'CPC' | 'CPM' | 'CPD';
  /** null = unlimited. */
  dailyBudgetFen: number | null;
  /** Lifetime budget over the horizon, fen; null = none. */
  totalBudgetFen: number | null;
  startDate: string;
  endDate: string | null;
  /** 168 chars of 0/1, Monday 00:00 first. */
  timeSchema: string;
  pacing: 'STANDARD' | 'ACCELERATED';
  status: 'ENABLED' | 'PAUSED' | 'DELETED';
  gd: EngineGdBooking | null;
  units: EngineUnit[];
}
