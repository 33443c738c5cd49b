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

/**
 * The reviewed fields of a creative: everything a user sees or is sent to when the ad is shown
 * or clicked. Creating a creative, or changing any of these, sends it (back) to review: the
 * server sets it PENDING and stops serving it until it is approved again (server/sync.ts), and
 * the desktop warns before posting such an edit (checks/builtin.ts) and marks it in Inspect.
 * This is the one list client and server read; the field registry (fields.ts) flags these
 * fields `reviewed`, and its test makes every new creative field choose.
 *
 * The order is the order the desktop's "sends it back to review" warning names them.
 */
export const REVIEWED_CREATIVE_FIELDS = ['template', 'title', 'description', 'asset', 'action', 'impressionTrackingUrl', 'clickTrackingUrl'] as const satisfies readonly (keyof Creative)[];
export type ReviewedCreativeField = (typeof REVIEWED_CREATIVE_FIELDS)[number];

/** Whether a field of a creative is reviewed (see REVIEWED_CREATIVE_FIELDS). */
export const isReviewedCreativeField = (field: string): field is ReviewedCreativeField => (REVIEWED_CREATIVE_FIELDS as readonly string[]).includes(field);
