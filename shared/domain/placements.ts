import { z } from 'zod';
import type { Scene } from './plan';

/** Surfaces of the super-app. */
export const PLACEMENTS = [
  'HOME_FEED',
  'SPLASH',
  'SEARCH_RESULTS',
  'MEMBER_CHANNEL',
  'STUDENT_CHANNEL',
  'LIFE_CHANNEL',
  'MINI_PROGRAM_SLOT',
  'LIVE_ROOM',
  'PAYMENT_SUCCESS',
  'TRAVEL_CHANNEL',
  'VIDEO_CHANNEL',
] as const;
export const Placement = z.enum(PLACEMENTS);
export type Placement = z.infer<typeof Placement>;

/**
 * Which placements a unit may choose per scene. INTELLIGENT uses "recommended traffic" (the
 * platform allocates), SEARCH serves on the results page only; BRAND sells premium surfaces.
 */
export const PLACEMENTS_BY_SCENE: Record<Scene, readonly Placement[]> = {
  INTELLIGENT: [],
  SEARCH: ['SEARCH_RESULTS'],
  BRAND: ['SPLASH', 'HOME_FEED', 'MEMBER_CHANNEL', 'VIDEO_CHANNEL', 'TRAVEL_CHANNEL'],
  DISPLAY: PLACEMENTS.filter((p) => p !== 'SPLASH' && p !== 'SEARCH_RESULTS'),
};
