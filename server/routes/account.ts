import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EntityId } from '../../shared/domain/entities';
import { type ChangeFeed, PushRequest, type PushResponse, type VersionedPlan } from '../../shared/sync/wire';
import { authenticate, checkSchemaHeader } from '../auth';
import { HttpError, parseInput } from '../errors';
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
const ChangesQuery = z
  .object({
    cursor: z
      .string()
      .regex(/^\d{1,15}$/, 'cursor must be a non-negative whole number')
      .transform(Number)
      .optional(),
  })
  .strict();

/** Not-found for other merchants' accounts too: a token must not learn which accounts exist. */
function noSuchAccount(): HttpError {
  return new HttpError(404, 'not_found', 'no such account');
}

export interface AccountRoutesOptions {
  store: Store;
}

/**
 * `/v1/accounts/:merchantId/...`. Every request must carry the schema header (426) and a
 * bearer token (401) for the merchant in the path (404 otherwise).
 */
export async function accountRoutes(app: FastifyInstance, { store }: AccountRoutesOptions): Promise<void> {
  app.decorateRequest('merchantId', '');

  app.addHook('onRequest', async (req) => {
    checkSchemaHeader(req);
    const tokenMerchant = authenticate(store, req);
    const params = OwnerParams.safeParse(req.params);
    if (!params.success || params.data.merchantId !== tokenMerchant) throw noSuchAccount();
    req.merchantId = tokenMerchant;
  });

  app.get('/accounts/:merchantId/plans', async (req): Promise<{ plans: VersionedPlan[] }> => {
    parseInput(AccountParams, req.params, 'path');
    parseInput(NoQuery, req.query, 'query');
    return { plans: store.listPlans(req.merchantId) };
  });

  app.get('/accounts/:merchantId/plans/:planId', async (req): Promise<VersionedPlan> => {
    const { planId } = parseInput(PlanParams, req.params, 'path');
    parseInput(NoQuery, req.query, 'query');
    const rec = store.getPlan(req.merchantId, planId);
    if (!rec) throw new HttpError(404, 'not_found', `no plan "${planId}" in this account`);
    return { plan: rec.plan, version: rec.version };
  });

  app.get('/accounts/:merchantId/changes', async (req): Promise<ChangeFeed> => {
    parseInput(AccountParams, req.params, 'path');
    const cursor = parseInput(ChangesQuery, req.query, 'query').cursor ?? 0;
    return store.db.transaction((): ChangeFeed => {
      if (cursor > store.maxSeq()) {
        throw new HttpError(
          409,
          'cursor_ahead',
          `cursor ${cursor} is ahead of this server's change feed: the server's data was reset; download the account again`,
        );
      }
      let last = cursor;
      const changes: ChangeFeed['changes'] = [];
      for (const { entityId, seq } of store.plansChangedSince(req.merchantId, cursor)) {
        const rec = store.getPlan(req.merchantId, entityId);
        if (rec) changes.push({ entity: 'plan', entityId, version: rec.version, data: rec.plan });
        last = Math.max(last, seq);
      }
      return { cursor: last, changes };
    })();
  });

  app.post('/accounts/:merchantId/mutations', async (req): Promise<PushResponse> => {
    parseInput(AccountParams, req.params, 'path');
    parseInput(NoQuery, req.query, 'query');
    const body = parseInput(PushRequest, req.body, 'push');
    return applyPush(store, req.merchantId, body);
  });
}
