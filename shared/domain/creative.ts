import { z } from 'zod';
import { EntityId, UserText } from './common';

export const CreativeTemplate = z.enum(['FEED_IMAGE', 'VIDEO', 'SPLASH', 'SEARCH_TEXT', 'COUPON_CARD', 'MINI_PROGRAM_CARD', 'LIVE_CARD']);
export type CreativeTemplate = z.infer<typeof CreativeTemplate>;
export const ReviewStatus = z.enum(['PENDING', 'APPROVED', 'REJECTED']);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

export const ActionType = z.enum(['MINI_PROGRAM_PAGE', 'H5_LINK', 'LIVE_ROOM', 'COUPON_CLAIM']);
export const CreativeAction = z.object({ type: ActionType, target: z.string().max(2000) });
export type CreativeAction = z.infer<typeof CreativeAction>;

/** Text limits per template (characters): [title, description]. */
export const TEXT_LIMITS: Record<CreativeTemplate, { title: number; description: number }> = {
  FEED_IMAGE: { title: 30, description: 60 },
  VIDEO: { title: 30, description: 60 },
  SPLASH: { title: 20, description: 40 },
  SEARCH_TEXT: { title: 25, description: 50 },
  COUPON_CARD: { title: 20, description: 40 },
  MINI_PROGRAM_CARD: { title: 30, description: 50 },
  LIVE_CARD: { title: 24, description: 48 },
};

/** Creative (创意). Fields after the skeleton's are optional on the wire; see creativeDefaults. */
export const Creative = z.object({
  id: EntityId,
  unitId: EntityId,
  template: CreativeTemplate,
  title: UserText(500),
  description: UserText(2000),
  reviewStatus: ReviewStatus,
  reviewReason: z.string().max(500).nullable().optional(),
  /** Image/video asset reference (platform asset id or https URL). */
  asset: z.string().max(2000).optional(),
  action: CreativeAction.nullable().optional(),
  impressionTrackingUrl: z.string().max(2000).nullable().optional(),
  clickTrackingUrl: z.string().max(2000).nullable().optional(),
});
export type Creative = z.infer<typeof Creative>;

export function creativeDefaults(c: Creative): Required<Creative> {
  return {
    ...c,
    reviewReason: c.reviewReason ?? null,
    asset: c.asset ?? '',
    action: c.action ?? null,
    impressionTrackingUrl: c.impressionTrackingUrl ?? null,
    clickTrackingUrl: c.clickTrackingUrl ?? null,
  };
}

/** Fields whose edit sends an approved creative back to review. */
export const REVIEWED_CREATIVE_FIELDS = ['template', 'title', 'description', 'asset', 'action'] as const;
