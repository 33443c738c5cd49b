import { z } from 'zod';
import { EntityId, Fen, PlanName } from './common';
import { Placement } from './placements';

export const BidType = z.enum(['DEFAULT', 'OCPX', 'NO_BID', 'ROI']);
export type BidType = z.infer<typeof BidType>;

export const RegionKind = z.enum(['CURRENT', 'RESIDENCE', 'TRAVEL', 'RECENT', 'ALL']);
export const CityTier = z.enum(['TIER_1', 'NEW_TIER_1', 'TIER_2', 'TIER_3', 'TIER_4', 'TIER_5']);
export const AgeRange = z.enum(['18-23', '24-30', '31-40', '41-49', '50+']);
export const Gender = z.enum(['ALL', 'MALE', 'FEMALE']);
export const Os = z.enum(['IOS', 'ANDROID', 'HARMONY']);

export const MapPoint = z.object({
  label: z.string().max(50),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  /** metres */
  radiusM: z.number().int().min(500, 'radius must be at least 500 m').max(50_000, 'radius must be at most 50 km'),
});
export type MapPoint = z.infer<typeof MapPoint>;

export const Targeting = z.object({
  regionKind: RegionKind,
  /** Administrative region codes (GB/T 2260, e.g. "310000" Shanghai); empty = everywhere. */
  regions: z.array(z.string().regex(/^\d{6}$/, 'region code must be 6 digits')).max(500),
  cityTiers: z.array(CityTier).max(6),
  mapPoints: z.array(MapPoint).max(100),
  ageRanges: z.array(AgeRange).max(5),
  gender: Gender,
  os: z.array(Os).max(3),
  interests: z.array(z.string().max(30)).max(50),
  audienceInclude: z.array(EntityId).max(20),
  audienceExclude: z.array(EntityId).max(20),
  /** Exclude users who converted in the last N days; null = don't. */
  excludeConvertedDays: z.number().int().min(1).max(180).nullable(),
});
export type Targeting = z.infer<typeof Targeting>;

export const EMPTY_TARGETING: Targeting = {
  regionKind: 'ALL',
  regions: [],
  cityTiers: [],
  mapPoints: [],
  ageRanges: [],
  gender: 'ALL',
  os: [],
  interests: [],
  audienceInclude: [],
  audienceExclude: [],
  excludeConvertedDays: null,
};

/** One-click boost (一键起量): needs OCPX and a boost budget of at least 100 yuan (checked in checks/). */
export const Boost = z.object({ enabled: z.boolean(), budgetFen: Fen });
export type Boost = z.infer<typeof Boost>;

export const FrequencyCap = z.object({
  impressions: z.number().int().positive('must be at least 1'),
  periodDays: z.number().int().positive('must be at least 1 day'),
});
export type FrequencyCap = z.infer<typeof FrequencyCap>;

export const UnitStatus = z.enum(['ENABLED', 'PAUSED']);

/** Unit (单元, ad group). Fields after the skeleton's are optional on the wire; see unitDefaults. */
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
  status: UnitStatus.optional(),
  /** Optional unit budget per day; null = the plan's. */
  unitBudgetFen: Fen.nullable().optional(),
  boost: Boost.nullable().optional(),
  targeting: Targeting.optional(),
  /** DISPLAY/BRAND: chosen placements. */
  placements: z.array(Placement).max(20).optional(),
  /** INTELLIGENT: let the platform allocate traffic. */
  recommendedTraffic: z.boolean().optional(),
  frequencyCap: FrequencyCap.nullable().optional(),
});
export type Unit = z.infer<typeof Unit>;

export function unitDefaults(u: Unit): Required<Unit> {
  return {
    ...u,
    status: u.status ?? 'ENABLED',
    unitBudgetFen: u.unitBudgetFen ?? null,
    boost: u.boost ?? null,
    targeting: u.targeting ?? EMPTY_TARGETING,
    placements: u.placements ?? [],
    recommendedTraffic: u.recommendedTraffic ?? false,
    frequencyCap: u.frequencyCap ?? null,
  };
}
