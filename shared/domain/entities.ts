import { z } from 'zod';
import { DAILY_BUDGET_MAX_FEN, DAILY_BUDGET_MIN_FEN } from './money';
import { isValidTimeSchema } from './schedule';

/**
 * Entities shaped after the platform's open API (../shared/docs/product.md). The walking
 * skeleton carries the fields the first screens need; later issues add the rest.
 */

export const SCENES = ['INTELLIGENT', 'SEARCH', 'BRAND', 'DISPLAY'] as const;
export const Scene = z.enum(SCENES);
export type Scene = z.infer<typeof Scene>;

export const PlanStatus = z.enum(['ENABLED', 'PAUSED', 'DELETED']);
export type PlanStatus = z.infer<typeof PlanStatus>;

export const ChargeType = z.enum(['CPC', 'CPM', 'CPD']);
export type ChargeType = z.infer<typeof ChargeType>;

export const BidType = z.enum(['DEFAULT', 'OCPX', 'NO_BID', 'ROI']);
export type BidType = z.infer<typeof BidType>;

export const SellMode = z.enum(['RTB', 'GD']);
export const Pacing = z.enum(['STANDARD', 'ACCELERATED']);
export type Pacing = z.infer<typeof Pacing>;

export const Objective = z.enum([
  'MINI_PROGRAM_VISIT',
  'MEMBER_SIGNUP',
  'COUPON_CLAIM',
  'PURCHASE',
  'LIVE_VIEW',
  'FOLLOW',
  'LEAD',
]);

/** Ids are opaque, prefixed and never reused ("pl_…", "un_…"). */
export const EntityId = z
  .string()
  .min(3, 'id is too short')
  .max(64, 'id is too long')
  .regex(/^[a-z]{2,3}_[A-Za-z0-9_-]+$/, 'id has an unknown format');

/** Names are user text: any characters, stored verbatim; only length and blankness are checked. */
export const PlanName = z
  .string()
  .max(100, 'name must be at most 100 characters')
  .refine((s) => s.trim().length > 0, 'name must not be empty');

export const DailyBudgetFen = z
  .number()
  .int('budget must be whole fen')
  .min(DAILY_BUDGET_MIN_FEN, `budget must be at least ${DAILY_BUDGET_MIN_FEN / 100} yuan`)
  .max(DAILY_BUDGET_MAX_FEN, `budget must be at most ${DAILY_BUDGET_MAX_FEN / 100} yuan`);

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD');

export const Merchant = z.object({
  id: EntityId,
  name: z.string(),
  nameEn: z.string(),
  currency: z.literal('CNY'),
  timeZone: z.string(),
  balanceFen: z.number().int(),
});
export type Merchant = z.infer<typeof Merchant>;

export const Plan = z.object({
  id: EntityId,
  merchantId: EntityId,
  name: PlanName,
  scene: Scene,
  objective: Objective,
  sellMode: SellMode,
  chargeType: ChargeType,
  /** null = unlimited */
  dailyBudgetFen: DailyBudgetFen.nullable(),
  startDate: IsoDate,
  endDate: IsoDate.nullable(),
  timeSchema: z.string().refine(isValidTimeSchema, 'schedule must be 168 hours of 0/1'),
  pacing: Pacing,
  status: PlanStatus,
});
export type Plan = z.infer<typeof Plan>;

export const Unit = z.object({
  id: EntityId,
  planId: EntityId,
  name: PlanName,
  bidType: BidType,
  /** Manual price per charge type (DEFAULT), in fen; CPM bids are per thousand impressions. */
  bidFen: z.number().int().nonnegative().nullable(),
  /** OCPX target cost per conversion, fen. */
  targetCpaFen: z.number().int().positive().nullable(),
  /** ROI target as a ratio (e.g. 3.5 = ¥3.5 of orders per ¥1 spent). */
  targetRoi: z.number().positive().nullable(),
});
export type Unit = z.infer<typeof Unit>;

export const CreativeTemplate = z.enum(['FEED_IMAGE', 'VIDEO', 'SPLASH', 'SEARCH_TEXT', 'COUPON_CARD', 'MINI_PROGRAM_CARD', 'LIVE_CARD']);
export const ReviewStatus = z.enum(['PENDING', 'APPROVED', 'REJECTED']);

export const Creative = z.object({
  id: EntityId,
  unitId: EntityId,
  template: CreativeTemplate,
  title: z.string(),
  description: z.string(),
  reviewStatus: ReviewStatus,
});
export type Creative = z.infer<typeof Creative>;

export const SearchWord = z.object({
  id: EntityId,
  unitId: EntityId,
  word: z.string(),
  matchType: z.enum(['EXACT', 'PHRASE', 'BROAD']),
  bidFen: z.number().int().nonnegative(),
});
export type SearchWord = z.infer<typeof SearchWord>;

/** Fields of a plan a user may edit in the skeleton; each has its own schema. */
export const PlanPatch = z
  .object({
    name: PlanName.optional(),
    dailyBudgetFen: DailyBudgetFen.nullable().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type PlanPatch = z.infer<typeof PlanPatch>;
