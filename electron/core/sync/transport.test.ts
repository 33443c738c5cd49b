import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract/errors';
import { SCHEMA_HEADER, SCHEMA_VERSION } from '../../../shared/sync/wire';
import { NOT_MODIFIED, request, type Conditional, type SyncConfig } from './transport';

/** The transport alone, over a scripted fetch: what it sends, when it retries, which error it maps to. */
const config: SyncConfig = { serverUrl: 'http://backend.test', token: 'tok', merchantId: 'm1' };
const fast = { attempts: 3, baseMs: 1, maxMs: 2 };

type Answer = Response | Error;
function scripted(answers: Answer[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: URL | string, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const next = answers.shift();
    if (!next) throw new Error('no scripted answer left');
    if (next instanceof Error) throw next;
    return next;
  }) as typeof fetch;
  return { calls, fetchImpl };
}
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(body), { status, headers });
const failure = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ContractError);
  return err as ContractError;
};

describe('sync transport', () => {
  it('sends the auth and schema headers, and a JSON body only when there is one', async () => {
    const { calls, fetchImpl } = scripted([json(200, { ok: 1 }), json(200, {})]);
    expect(await request(config, { fetchImpl }, 'GET', '/v1/me')).toEqual({ ok: 1 });
    await request(config, { fetchImpl }, 'POST', '/v1/accounts/m1/mutations', { a: 1 });
    expect(calls[0]?.url).toBe('http://backend.test/v1/me');
    expect(calls[0]?.init.headers).toEqual({ authorization: 'Bearer tok', [SCHEMA_HEADER]: String(SCHEMA_VERSION) });
    expect(calls[0]?.init.body).toBeNull();
    expect(calls[1]?.init.headers).toMatchObject({ 'content-type': 'application/json' });
    expect(calls[1]?.init.body).toBe('{"a":1}');
  });

  it('retries network errors and 5xx up to the policy, then fails as offline', async () => {
    const ok = scripted([new Error('ECONNRESET'), json(503, { error: { message: 'busy' } }), json(200, { done: true })]);
    expect(await request(config, { fetchImpl: ok.fetchImpl, retry: fast }, 'GET', '/v1/me')).toEqual({ done: true });
    expect(ok.calls).toHaveLength(3);

    const down = scripted([new Error('ECONNREFUSED'), new Error('ECONNREFUSED'), new Error('ECONNREFUSED')]);
    const e = await failure(request(config, { fetchImpl: down.fetchImpl, retry: fast }, 'GET', '/v1/me'));
    expect(e.code).toBe('offline');
    expect(down.calls).toHaveLength(3);
  });

  it('maps refusals to contract errors without retrying them', async () => {
    const cases: [Response, string][] = [
      [json(401, { error: { message: 'bad token' } }), 'unauthorized'],
      [json(403, { error: { message: 'no' } }), 'unauthorized'],
      [json(426, { error: { message: 'old' } }), 'update_required'],
      [json(404, { error: { message: 'gone' } }), 'not_found'],
      [json(400, { error: { message: 'bad' } }), 'server_rejected'],
      [new Response('<html>', { status: 400 }), 'server_rejected'],
    ];
    for (const [answer, code] of cases) {
      const s = scripted([answer]);
      const e = await failure(request(config, { fetchImpl: s.fetchImpl, retry: fast }, 'GET', '/v1/accounts/m1/feed'));
      expect(e.code).toBe(code);
      expect(s.calls).toHaveLength(1);
    }
    // A 404 outside the account's routes is not "no such account".
    const other = scripted([json(404, { error: { message: 'nope' } })]);
    expect((await failure(request(config, { fetchImpl: other.fetchImpl }, 'GET', '/v1/me'))).code).toBe('server_rejected');
  });

  it('a conditional GET sends If-None-Match, answers 304 as not modified and keeps the new ETag', async () => {
    const s = scripted([new Response(null, { status: 304 }), json(200, { v: 2 }, { etag: '"e2"' })]);
    const first: Conditional = { ifNoneMatch: '"e1"' };
    expect(await request(config, { fetchImpl: s.fetchImpl }, 'GET', '/v1/market', undefined, first)).toBe(NOT_MODIFIED);
    expect(s.calls[0]?.init.headers).toMatchObject({ 'if-none-match': '"e1"' });
    const second: Conditional = {};
    expect(await request(config, { fetchImpl: s.fetchImpl }, 'GET', '/v1/market', undefined, second)).toEqual({ v: 2 });
    expect(second.etag).toBe('"e2"');
  });

  it('a cancel during the backoff stops the retries as cancelled', async () => {
    const controller = new AbortController();
    const s = scripted([new Error('ECONNRESET')]);
    const pending = request(config, { fetchImpl: s.fetchImpl, retry: { attempts: 4, baseMs: 10_000, maxMs: 10_000 }, signal: controller.signal }, 'GET', '/v1/me');
    setTimeout(() => controller.abort(), 10);
    expect((await failure(pending)).code).toBe('cancelled');
    expect(s.calls).toHaveLength(1);
  });
});
