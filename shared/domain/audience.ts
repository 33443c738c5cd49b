import { z } from 'zod';
import { EntityId, IsoDate, PlanName } from './common';

/** Audience pack (人群包): a set of users a unit can include or exclude. */
export const AudiencePack = z.object({
  id: EntityId,
  merchantId: EntityId,
  name: PlanName,
  sizeUsers: z.number().int().nonnegative(),
  validUntil: IsoDate,
});
export type AudiencePack = z.infer<typeof AudiencePack>;
