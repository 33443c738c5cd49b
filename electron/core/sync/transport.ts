import { ContractError } from '../../../shared/contract/errors';
import { ApiError, SCHEMA_HEADER, SCHEMA_VERSION } from '../../../shared/sync/wire';

/** Where a sync talks to and as whom: the server, the token, and the account the requests act for. */
export interface SyncConfig {
  serverUrl: string;
  token: string;
  merchantId: string;
}

export interface RetryPolicy {
  /** Tries per request (1 = no retry). */
  attempts: number;
  /** First backoff; doubles per retry, with ±50 % jitter, capped at maxMs. */
  baseMs: number;
  maxMs: number;
}
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 250, maxMs: 4000 };

/** What one HTTP call to the backend needs besides the config. */
export interface HttpDeps {
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Cancels the sync: what is committed stays consistent (see runSync). */
  signal?: AbortSignal;
}

export function cancelled(): ContractError {
  return new ContractError('cancelled', 'Sync was cancelled. What was already posted or downloaded is kept; the rest continues at the next sync.');
}

/** Cancelling stops a sync between requests: each step asks before it starts. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled();
}

/** A conditional GET answered 304: what the client has is current. */
export const NOT_MODIFIED = Symbol('not modified');

export interface Conditional {
  ifNoneMatch?: string;
  /** The ETag of the last answer to this conditional GET (set by request). */
  etag?: string;
}

/** One HTTP request, retried with exponential backoff and jitter on network errors and 5xx. */
export async function request(
  config: SyncConfig,
  deps: HttpDeps,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  conditional?: Conditional,
): Promise<unknown> {
  const policy = deps.retry ?? DEFAULT_RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await requestOnce(config, deps, method, path, body, conditional);
    } catch (err) {
      const retriable = err instanceof RetriableError;
      if (!retriable || attempt >= policy.attempts) throw retriable ? err.final : err;
      const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1)) * (0.5 + Math.random());
      await sleep(backoff, deps.signal);
    }
  }
}

class RetriableError extends Error {
  constructor(readonly final: ContractError) {
    super(final.message);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function requestOnce(
  config: SyncConfig,
  deps: HttpDeps,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  conditional?: Conditional,
): Promise<unknown> {
  const doFetch = deps.fetchImpl ?? fetch;
  if (deps.signal?.aborted) throw cancelled();
  const timeout = AbortSignal.timeout(deps.timeoutMs ?? 30_000);
  const signal = deps.signal ? AbortSignal.any([deps.signal, timeout]) : timeout;
  let res: Response;
  let text: string;
  try {
    res = await doFetch(new URL(path, config.serverUrl), {
      method,
      headers: {
        authorization: `Bearer ${config.token}`,
        [SCHEMA_HEADER]: String(SCHEMA_VERSION),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(conditional?.ifNoneMatch ? { 'if-none-match': conditional.ifNoneMatch } : {}),
      },
      body: body === undefined ? null : JSON.stringify(body),
      signal,
    });
    text = await res.text();
  } catch (err) {
    if (deps.signal?.aborted) throw cancelled();
    throw new RetriableError(
      new ContractError(
        'offline',
        `Cannot reach the server at ${config.serverUrl}: ${(err as Error).message}. Your changes are kept and will be posted at the next sync.`,
      ),
    );
  }
  if (res.status === 304 && conditional?.ifNoneMatch) return NOT_MODIFIED;
  if (conditional) {
    const etag = res.headers.get('etag');
    if (etag) conditional.etag = etag;
    else delete conditional.etag;
  }
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    const e = new ContractError('server_rejected', `The server answered ${res.status} with something that is not JSON.`);
    if (res.status >= 500) throw new RetriableError(e);
    throw e;
  }
  if (res.ok) return json;
  const parsed = ApiError.safeParse(json);
  const message = parsed.success ? parsed.data.error.message : `HTTP ${res.status}`;
  if (res.status === 401 || res.status === 403) throw new ContractError('unauthorized', `The server refused the credentials: ${message}`);
  if (res.status === 426) throw new ContractError('update_required', `The server needs a newer Lantern: ${message}`);
  if (res.status >= 500) throw new RetriableError(new ContractError('offline', `The server had an error (${res.status}): ${message}. Your changes are kept.`));
  // An account route answers 404 for an account this sign-in may not act for (any more).
  if (res.status === 404 && config.merchantId && path.startsWith(`/v1/accounts/${config.merchantId}/`)) {
    throw new ContractError('not_found', `The server has no account ${config.merchantId} for this sign-in (it may no longer manage it): ${message}`);
  }
  throw new ContractError('server_rejected', `The server rejected the sync: ${message}`);
}
