import { ALL_HOURS } from '../domain/schedule';
import { demoMarket, type MarketSnapshot } from './market';
import { TARGET_EVERYONE, type EnginePlan, type EngineUnit } from './model';

/** Test fixtures (pure): a one-unit plan and a one-placement market small enough to simulate at sample rate 1. */

export function unit(over: Partial<EngineUnit> = {}): EngineUnit {
  return {
    id: 'un_t',
    bidType: 'DEFAULT',
    bidFen: 3000,
    targetCpaFen: null,
    targetRoi: null,
    dailyBudgetFen: null,
    targeting: TARGET_EVERYONE,
    placements: [],
    frequencyCap: null,
    creatives: [{ id: 'cr_t', template: 'FEED_IMAGE', approved: true }],
    boost: null,
    searchWords: [],
    ...over,
  };
}

export function plan(over: Partial<EnginePlan> = {}, unitOver: Partial<EngineUnit> = {}): EnginePlan {
  return {
    id: 'pl_t',
    scene: 'DISPLAY',
    objective: 'COUPON_CLAIM',
    chargeType: 'CPM',
    dailyBudgetFen: 50_000,
    totalBudgetFen: null,
    startDate: '2026-01-01',
    endDate: null,
    timeSchema: ALL_HOURS,
    pacing: 'STANDARD',
    status: 'ENABLED',
    gd: null,
    units: [unit(unitOver)],
    ...over,
  };
}

/** The demo market cut down to the home feed (and splash for BRAND) at `dailyRequests` a day. */
export function smallMarket(dailyRequests = 100_000): MarketSnapshot {
  const m = demoMarket();
  const feed = m.placements.HOME_FEED;
  const splash = m.placements.SPLASH;
  if (!feed || !splash) throw new Error('demo market lacks the home feed');
  return {
    ...m,
    version: 'test-small',
    scenePlacements: { INTELLIGENT: ['HOME_FEED'], DISPLAY: ['HOME_FEED'], SEARCH: ['HOME_FEED'], BRAND: ['SPLASH', 'HOME_FEED'] },
    placements: { HOME_FEED: { ...feed, dailyRequests }, SPLASH: { ...splash, dailyRequests: dailyRequests / 2 } },
  };
}

/** A Monday, so day-of-week shares are known. */
export const MONDAY = '2026-11-02';
