import type { AudiencePack, Creative, GdBooking, Merchant, NegativeWord, Plan, SearchWord, Unit } from './entities';
import { EMPTY_TARGETING } from './unit';
import { ALL_HOURS, HOURS_PER_WEEK } from './schedule';

/**
 * The demo account both the desktop store and the reference backend are seeded with, so sync
 * works out of the box: 山岚咖啡 Shanlan Coffee, a mid-sized coffee chain in East China.
 * Names are bilingual as a real merchant's team would write them.
 */
export const DEMO_MERCHANT_ID = 'mc_shanlan';
/** The demo merchant's API token on the reference backend (loopback demo only). */
export const DEMO_MERCHANT_TOKEN = 'lantern-demo-shanlan-token';

/** Weekdays 07:00–22:00 plus weekend 09:00–23:00: when a coffee chain wants to be seen. */
function coffeeHours(): string {
  let s = '';
  for (let d = 0; d < 7; d++) {
    for (let h = 0; h < 24; h++) {
      const weekend = d >= 5;
      s += (weekend ? h >= 9 && h < 23 : h >= 7 && h < 22) ? '1' : '0';
    }
  }
  if (s.length !== HOURS_PER_WEEK) throw new Error('schedule length');
  return s;
}

export interface DemoAccount {
  merchant: Merchant;
  plans: Plan[];
  units: Unit[];
  creatives: Creative[];
  searchWords: SearchWord[];
  /** Added with the full model; optional so accounts built before it still type-check. */
  negativeWords?: NegativeWord[];
  audiencePacks?: AudiencePack[];
  gdBookings?: GdBooking[];
}

/** How many entities (below the merchant) an account holds: what a full download serves. */
export function entityCount(a: DemoAccount): number {
  return (
    a.plans.length +
    a.units.length +
    a.creatives.length +
    a.searchWords.length +
    (a.negativeWords?.length ?? 0) +
    (a.audiencePacks?.length ?? 0) +
    (a.gdBookings?.length ?? 0)
  );
}

export function demoAccount(): DemoAccount {
  const merchant: Merchant = {
    id: DEMO_MERCHANT_ID,
    name: '山岚咖啡',
    nameEn: 'Shanlan Coffee',
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    balanceFen: 50_000_000,
  };
  const base = { merchantId: DEMO_MERCHANT_ID, startDate: '2026-11-01', endDate: null, status: 'ENABLED' as const };
  const plans: Plan[] = [
    {
      ...base,
      id: 'pl_autumn_latte',
      name: '全域智投·秋冬新品拿铁 Autumn Latte Smart Delivery',
      scene: 'INTELLIGENT',
      objective: 'COUPON_CLAIM',
      sellMode: 'RTB',
      chargeType: 'CPC',
      dailyBudgetFen: 300_000,
      timeSchema: ALL_HOURS,
      pacing: 'STANDARD',
    },
    {
      ...base,
      id: 'pl_search_delivery',
      name: '搜索宝·咖啡外卖关键词 Coffee Delivery Keywords',
      scene: 'SEARCH',
      objective: 'MINI_PROGRAM_VISIT',
      sellMode: 'RTB',
      chargeType: 'CPC',
      dailyBudgetFen: 120_000,
      timeSchema: coffeeHours(),
      pacing: 'STANDARD',
    },
    {
      ...base,
      id: 'pl_double11_splash',
      name: '品牌宝·双11开屏 Double 11 Splash',
      scene: 'BRAND',
      objective: 'FOLLOW',
      sellMode: 'GD',
      chargeType: 'CPM',
      dailyBudgetFen: 2_000_000,
      timeSchema: ALL_HOURS,
      pacing: 'STANDARD',
    },
    {
      ...base,
      id: 'pl_member_feed',
      name: '展示推广·会员日信息流 Member Day Feed',
      scene: 'DISPLAY',
      objective: 'MEMBER_SIGNUP',
      sellMode: 'RTB',
      chargeType: 'CPM',
      dailyBudgetFen: 80_000,
      timeSchema: coffeeHours(),
      pacing: 'ACCELERATED',
      status: 'PAUSED',
    },
  ];
  const units: Unit[] = [
    { id: 'un_latte_ocpx', planId: 'pl_autumn_latte', name: '拿铁券·一二线城市 Latte coupon, tier 1–2', bidType: 'OCPX', bidFen: null, targetCpaFen: 800, targetRoi: null },
    { id: 'un_latte_nobid', planId: 'pl_autumn_latte', name: '拿铁券·最大转化 Latte coupon, max conversions', bidType: 'NO_BID', bidFen: null, targetCpaFen: null, targetRoi: null },
    { id: 'un_search_brand', planId: 'pl_search_delivery', name: '品牌词 Brand terms', bidType: 'DEFAULT', bidFen: 120, targetCpaFen: null, targetRoi: null },
    { id: 'un_search_generic', planId: 'pl_search_delivery', name: '通用词 Generic coffee terms', bidType: 'DEFAULT', bidFen: 85, targetCpaFen: null, targetRoi: null },
    { id: 'un_splash_gd', planId: 'pl_double11_splash', name: '开屏GD·11月11日 Splash GD, Nov 11', bidType: 'DEFAULT', bidFen: 4_500, targetCpaFen: null, targetRoi: null },
    { id: 'un_member_feed', planId: 'pl_member_feed', name: '会员日·首页信息流 Member day, home feed', bidType: 'DEFAULT', bidFen: 2_200, targetCpaFen: null, targetRoi: null },
  ];
  const creatives: Creative[] = [
    { id: 'cr_latte_card', unitId: 'un_latte_ocpx', template: 'COUPON_CARD', title: '秋冬新品拿铁 立减5元', description: 'Autumn latte: ¥5 off your first cup', reviewStatus: 'APPROVED' },
    { id: 'cr_latte_video', unitId: 'un_latte_nobid', template: 'VIDEO', title: '一杯暖冬 A cup of warm winter', description: '15秒门店实拍 15-second in-store film', reviewStatus: 'APPROVED' },
    { id: 'cr_search_text', unitId: 'un_search_brand', template: 'SEARCH_TEXT', title: '山岚咖啡 外卖30分钟送达', description: 'Shanlan Coffee delivered in 30 minutes', reviewStatus: 'APPROVED' },
    { id: 'cr_search_generic', unitId: 'un_search_generic', template: 'SEARCH_TEXT', title: '附近咖啡 新客首杯9.9', description: 'Coffee near you: first cup ¥9.9', reviewStatus: 'PENDING' },
    { id: 'cr_splash', unitId: 'un_splash_gd', template: 'SPLASH', title: '双11 山岚咖啡 全场五折', description: 'Double 11: everything half price', reviewStatus: 'APPROVED' },
    { id: 'cr_member_feed', unitId: 'un_member_feed', template: 'FEED_IMAGE', title: '会员日 买一送一', description: 'Member day: buy one, get one', reviewStatus: 'APPROVED' },
  ];
  const searchWords: SearchWord[] = [
    { id: 'sw_shanlan', unitId: 'un_search_brand', word: '山岚咖啡', matchType: 'EXACT', bidFen: 150 },
    { id: 'sw_shanlan_delivery', unitId: 'un_search_brand', word: '山岚咖啡外卖', matchType: 'PHRASE', bidFen: 130 },
    { id: 'sw_coffee_delivery', unitId: 'un_search_generic', word: '咖啡外卖', matchType: 'BROAD', bidFen: 90 },
    { id: 'sw_latte', unitId: 'un_search_generic', word: '拿铁', matchType: 'BROAD', bidFen: 80 },
  ];
  // The full model's unit fields (targeting, placements, boost, caps) for the demo units.
  const extra: Record<string, Partial<Unit>> = {
    un_latte_ocpx: {
      recommendedTraffic: true,
      boost: { enabled: true, budgetFen: 20_000 },
      targeting: { ...EMPTY_TARGETING, regionKind: 'CURRENT', cityTiers: ['TIER_1', 'NEW_TIER_1', 'TIER_2'], ageRanges: ['18-23', '24-30', '31-40'], audienceExclude: ['ap_recent_buyers'], excludeConvertedDays: 30 },
    },
    un_latte_nobid: { recommendedTraffic: true },
    un_search_brand: {},
    un_search_generic: {
      targeting: {
        ...EMPTY_TARGETING,
        regionKind: 'CURRENT',
        regions: ['310000', '330100'],
        mapPoints: [{ label: '静安寺店 Jing\'an Temple store', lat: 31.2237, lng: 121.4453, radiusM: 3000 }],
      },
    },
    un_splash_gd: { placements: ['SPLASH'], frequencyCap: { impressions: 1, periodDays: 1 } },
    un_member_feed: {
      placements: ['HOME_FEED', 'MEMBER_CHANNEL'],
      frequencyCap: { impressions: 3, periodDays: 1 },
      targeting: { ...EMPTY_TARGETING, audienceInclude: ['ap_members'] },
    },
  };
  const fullUnits = units.map((u) => ({ ...u, status: 'ENABLED' as const, unitBudgetFen: null, boost: null, targeting: EMPTY_TARGETING, placements: [], recommendedTraffic: false, frequencyCap: null, ...extra[u.id] }));
  const negativeWords: NegativeWord[] = [
    { id: 'nw_free', unitId: 'un_search_generic', word: '免费', matchType: 'PHRASE' },
    { id: 'nw_recruit', unitId: 'un_search_generic', word: '咖啡店招聘', matchType: 'EXACT' },
  ];
  const audiencePacks: AudiencePack[] = [
    { id: 'ap_members', merchantId: DEMO_MERCHANT_ID, name: '山岚会员 Shanlan members', sizeUsers: 412_000, validUntil: '2027-06-30' },
    { id: 'ap_recent_buyers', merchantId: DEMO_MERCHANT_ID, name: '近30天购买 Bought in last 30 days', sizeUsers: 58_000, validUntil: '2027-01-31' },
  ];
  const gdBookings: GdBooking[] = [
    { id: 'gd_splash_1111', planId: 'pl_double11_splash', date: '2026-11-11', placement: 'SPLASH', priceMode: 'CPM', impressionsPerDay: 4_000_000, priceFen: 4_500 },
  ];
  return { merchant, plans, units: fullUnits, creatives, searchWords, negativeWords, audiencePacks, gdBookings };
}
