import { z } from 'zod';

/** Ids are opaque, prefixed and never reused ("pl_…", "un_…"). */
export const EntityId = z
  .string()
  .min(3, 'id is too short')
  .max(64, 'id is too long')
  .regex(/^[a-z]{2,3}_[A-Za-z0-9_-]+$/, 'id has an unknown format');

/** Names are user text: any characters, stored verbatim; only length and blankness are checked. */
export const PlanName = z
  .string()
  .max(100, 'name must be at most 100 characters')
  .refine((s) => s.trim().length > 0, 'name must not be empty')
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'name must not contain control characters');

/** Free user text (titles, descriptions): stored verbatim, bounded so a 1 MB paste is refused. */
export const UserText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex -- refusing control characters (not tab/newline) is the point
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real date');

/** Money in integer fen, never negative. */
export const Fen = z.number({ error: 'must be a number of fen' }).int('must be whole fen').nonnegative('must not be negative').max(1e13, 'is too large');

export const Url = z
  .string()
  .max(2000, 'URL must be at most 2000 characters')
  .regex(/^https:\/\/[^\s]+$/, 'must be an https:// URL');
