import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EntityId } from '../../shared/domain/entities';
import { type StatsResponse, EntityPushRequest, type EntityPushResponse, type VersionedPlan } from '../../shared/sync/wire';
import { authenticate, checkSchemaHeader, mayActFor } from '../auth';
import { HttpError, parseInput } from '../errors';
import type { Queryable } from '../sql';
import type { Serving } from '../serving';
import type { Store } from '../store';
import { applyPush } from '../sync';

declare module 'fastify' {
  interface FastifyRequest {
    /** The merchant whose account the request addresses, after auth and the ownership check. */
    merchantId: string;
  }
}

const AccountParams = z.object({ merchantId: EntityId }).strict();
const PlanParams = z.object({ merchantId: EntityId, planId: EntityId }).strict();
/** Only the account id matters to the ownership check; the routes validate the rest. */
const OwnerParams = z.object({ merchantId: EntityId }).loose();
const NoQuery = z.object({}).strict();
const FeedQuery = z
  .object({
    cursor: z.string().regex(/^\d{1,15}$/, 'cursor must be a non-negative whole number').transform(Number).optional(),
    limit: z
      .string()
      .regex(/^\d{1,5}$/, 'limit must be a whole number from 1 to 5000')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 5000, 'limit must be a whole number from 1 to 5000')
      .optional(),
  })
  .strict();

/** Not-found for other merchants' accounts too: a token must not learn which accounts exist. */
function noSuchAccount(): HttpError {
  return new HttpError(404, 'not_found', 'no such account');
}

export interface AccountRoutesOptions {
  store: Store;
  serving: Serving;
  /** The time a push is applied at (default: now). */
  clock?: () => Date;
}

const HOUR = /^\d{4}-\d{2}-\d{2}T\d{2}$/;
const StatsQuery = z
  .object({
    from: z.string().regex(HOUR, 'from must be an hour, YYYY-MM-DDTHH (UTC)').optional(),
    to: z.string().regex(HOUR, 'to must be an hour, YYYY-MM-DDTHH (UTC)').optional(),
  })
  .strict();

/**
 * `/v1/accounts/:merchantId/...`. Every request must carry the schema header (426) and a
 * bearer token (401) for the merchant in the path (404 otherwise).
 */
export async function accountRoutes(app: FastifyInstance, { store, serving, clock }: AccountRoutesOptions): Promise<void> {
  app.decorateRequest('merchantId', '');

  async function checkCursor(tx: Queryable, cursor: number): Promise<void> {
    if (cursor > (await store.maxSeq(tx))) {
      throw new HttpError(
        409,
        'cursor_ahead',
        `cursor ${cursor} is ahead of this server's change feed: the server's data was reset; download the account again`,
      );
    }
  }

  app.addHook('onRequest', async (req) => {
    checkSchemaHeader(req);
    const principal = await authenticate(store, req);
    const params = OwnerParams.safeParse(req.params);
    if (!params.success || !(await mayActFor(store, principal, params.data.merchantId))) throw noSuchAccount();
    req.merchantId = params.data.merchantId;
  });

  app.get('/accounts/:merchantId/plans', async (req): Promise<{ plans: VersionedPlan[] }> => {
    parseInput(AccountParams, req.params, 'path');
    parseInput(NoQuery, req.query, 'query');
    return { plans: await store.listPlans(req.merchantId) };
  });

  app.get('/accounts/:merchantId/plans/:planId', async (req): Promise<VersionedPlan> => {
    const { planId } = parseInput(PlanParams, req.params, 'path');
    parseInput(NoQuery, req.query, 'query');
    const rec = await store.getPlan(req.merchantId, planId);
    if (!rec) throw new HttpError(404, 'not_found', `no plan "${planId}" in this account`);
    return { plan: rec.plan, version: rec.version };
  });

  /** Every entity, paged, with tombstones and review outcomes. */
  app.get('/accounts/:merchantId/feed', async (req, reply) => {
    parseInput(AccountParams, req.params, 'path');
    const q = parseInput(FeedQuery, req.query, 'query');
    const cursor = q.cursor ?? 0;
    // An EntityFeed, written as text around the stored JSON (a 200k-entity download is mostly entity JSON).
    const body = await store.db.transaction(async (tx): Promise<string> => {
      await checkCursor(tx, cursor);
      return store.feedPageJson(tx, req.merchantId, cursor, q.limit ?? 1000);
    });
    return reply.type('application/json; charset=utf-8').send(body);
  });

  app.post('/accounts/:merchantId/mutations', async (req): Promise<EntityPushResponse> => {
    parseInput(AccountParams, req.params, 'path');
    parseInput(NoQuery, req.query, 'query');
    const body = parseInput(EntityPushRequest, req.body, 'push');
    return applyPush(store, req.merchantId, body, clock?.() ?? new Date());
  });

  /** Hourly delivery, product.md's report columns; default: the last 48 hours. */
  app.get('/accounts/:merchantId/stats', async (req): Promise<StatsResponse> => {
    parseInput(AccountParams, req.params, 'path');
    const q = parseInput(StatsQuery, req.query, 'query');
    const to = q.to ?? new Date(Date.now() + 3600_000).toISOString().slice(0, 13);
    const from = q.from ?? new Date(Date.now() - 48 * 3600_000).toISOString().slice(0, 13);
    return serving.stats(req.merchantId, from, to);
  });
}
