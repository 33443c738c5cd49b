import { z } from 'zod';

/** Ids are opaque, prefixed and never reused ("pl_…", "un_…"). */
const ID_FORMAT = /^[a-z]{2,3}_[A-Za-z0-9_-]+$/;
export const EntityId = z.string().min(3, 'id is too short').max(64, 'id is too long').regex(ID_FORMAT, 'id has an unknown format');

/** Why a string is not an EntityId (the same rules and messages), or null. */
function idProblem(s: string): string | null {
  if (s.length < 3) return 'id is too short';
  if (s.length > 64) return 'id is too long';
  return ID_FORMAT.test(s) ? null : 'id has an unknown format';
}

/**
 * A list of ids, checked as EntityId each, in one loop: a selection of 100,000 search words
 * is validated in a few ms instead of running a schema per element. The first bad id is
 * reported with its index (path [i]).
 */
export const EntityIdList = (min: number, max: number, tooFew = `at least ${min} id(s)`, tooMany = 'too many ids') =>
  z
    .array(z.string())
    .min(min, tooFew)
    .max(max, tooMany)
    .superRefine((ids, ctx) => {
      for (let i = 0; i < ids.length; i++) {
        const p = idProblem(ids[i] as string);
        if (p) {
          ctx.addIssue({ code: 'custom', path: [i], message: p });
          return;
        }
      }
    });

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
