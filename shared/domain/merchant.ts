import { z } from 'zod';
import { EntityId } from './common';

/** Merchant account (principal). An agency login may manage several. */
export const Merchant = z.object({
  id: EntityId,
  name: z.string(),
  nameEn: z.string(),
  currency: z.literal('CNY'),
  timeZone: z.string(),
  balanceFen: z.number().int(),
});
export type Merchant = z.infer<typeof Merchant>;
