import { z } from 'zod';
import { EntityId } from '../domain/entities';
import { LOGO_DATA_URL_MAX, LOGO_PROBLEM_TEXT, parseLogoDataUrl, type LogoType } from '../domain/logo';

/**
 * The brand's look in presentations and reports: a logo per merchant, kept locally in this
 * store (never synced). Checked at the boundary down to its bytes (shared/domain/logo.ts).
 */
export const LogoDataUrl = z
  .string()
  .max(LOGO_DATA_URL_MAX, LOGO_PROBLEM_TEXT.too_large)
  .superRefine((url, ctx) => {
    const parsed = parseLogoDataUrl(url);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: LOGO_PROBLEM_TEXT[parsed.problem], params: { problem: parsed.problem } });
  });

export const brandingMethods = {
  'branding.get': z.object({ merchantId: EntityId }).strict(),
  /** Replaces the merchant's logo: a PNG or JPEG `data:` URL of at most 512 KB. */
  'branding.setLogo': z.object({ merchantId: EntityId, dataUrl: LogoDataUrl }).strict(),
  'branding.clearLogo': z.object({ merchantId: EntityId }).strict(),
};

export interface BrandLogo {
  /** A checked `data:image/png|jpeg;base64,…` URL: the only thing an <img> of a logo is given. */
  dataUrl: string;
  type: LogoType;
  bytes: number;
  /** When it was set (ISO, UTC). */
  updatedAt: string;
}

export interface Branding {
  merchantId: string;
  logo: BrandLogo | null;
}

export interface BrandingOutputs {
  'branding.get': Branding;
  'branding.setLogo': Branding;
  'branding.clearLogo': Branding;
}
