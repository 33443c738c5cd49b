/**
 * Typed errors of the contract. Both hosts answer these, never a stack trace: the renderer
 * turns `code` into a translated message and shows `issues` next to the fields they name.
 */
export const ERROR_CODES = [
  'invalid_input',
  'unknown_method',
  'not_found',
  'offline',
  'unauthorized',
  'server_rejected',
  'update_required',
  'cancelled',
  /** Posting refused: the outbox has check errors (details.errors). */
  'blocked_by_errors',
  /** Would discard unposted work: confirm first (details.unposted). */
  'unposted_changes',
  /** Too many attempts (sign-in): wait details.retryAfterSeconds. */
  'rate_limited',
  /** The host cannot seal the token (no OS keychain): ask the user before storing it in clear. */
  'consent_required',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** Dotted path of the input field, e.g. "patch.dailyBudgetFen". */
  path: string;
  message: string;
}

/** Machine-readable facts of an error (counts, ids) the renderer can show without parsing the message. */
export type ErrorDetails = Record<string, string | number | boolean | null | string[]>;

export interface ContractErrorShape {
  code: ErrorCode;
  message: string;
  issues?: FieldIssue[];
  details?: ErrorDetails;
}

export class ContractError extends Error implements ContractErrorShape {
  readonly code: ErrorCode;
  readonly issues?: FieldIssue[];
  readonly details?: ErrorDetails;
  constructor(code: ErrorCode, message: string, issues?: FieldIssue[], details?: ErrorDetails) {
    super(message);
    this.name = 'ContractError';
    this.code = code;
    if (issues) this.issues = issues;
    if (details) this.details = details;
  }
  toJSON(): ContractErrorShape {
    return {
      code: this.code,
      message: this.message,
      ...(this.issues ? { issues: this.issues } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/** What crosses a host boundary: a value or a typed error, never an exception. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractErrorShape };
