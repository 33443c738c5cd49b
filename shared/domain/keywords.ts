import { z } from 'zod';
import { EntityId, UserText } from './common';

export const MatchType = z.enum(['EXACT', 'PHRASE', 'BROAD']);
export type MatchType = z.infer<typeof MatchType>;

/** Search word (搜索词) on a SEARCH plan's unit; broad match is the platform default. */
export const SearchWord = z.object({
  id: EntityId,
  unitId: EntityId,
  word: UserText(200),
  matchType: MatchType,
  bidFen: z.number().int().nonnegative(),
});
export type SearchWord = z.infer<typeof SearchWord>;

/** Negative word (否定词): suppresses a unit for queries that match it. */
export const NegativeWord = z.object({
  id: EntityId,
  unitId: EntityId,
  word: UserText(200),
  matchType: z.enum(['EXACT', 'PHRASE']),
});
export type NegativeWord = z.infer<typeof NegativeWord>;
