import type { z } from 'zod';
import type { ApiError } from '../shared/sync/wire';

/** Error codes the server answers with, in `{ error: { code, message } }` (ApiError). */
export type ErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'cursor_ahead'
  | 'conflict'
  | 'schema_mismatch'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal';

/** Thrown from hooks and handlers; the app's error handler turns it into an ApiError body. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function apiError(code: string, message: string): ApiError {
  return { error: { code, message } };
}

const MAX_ISSUES = 5;

/** One readable line from a zod error: "path: message; path: message (and 3 more)". */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length > MAX_ISSUES ? ` (and ${error.issues.length - MAX_ISSUES} more)` : '';
  return parts.join('; ') + more;
}

/** Validates untrusted input at the boundary; a failure is a 400 naming what was wrong. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new HttpError(400, 'bad_request', `invalid ${what}: ${describeIssues(result.error)}`);
  return result.data;
}
