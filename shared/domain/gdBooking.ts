import { z } from 'zod';
import { EntityId, Fen, IsoDate } from './common';
import { Placement } from './placements';

/**
 * A guaranteed-delivery booking of a BRAND plan with sell mode GD: booked impressions per day
 * on a premium placement, priced per thousand (CPM) or as a per-day package (CPD).
 */
export const GdBooking = z.object({
  id: EntityId,
  planId: EntityId,
  date: IsoDate,
  placement: Placement,
  priceMode: z.enum(['CPM', 'CPD']),
  impressionsPerDay: z.number().int().positive(),
  priceFen: Fen,
});
export type GdBooking = z.infer<typeof GdBooking>;
