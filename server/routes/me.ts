import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { WhoAmI } from '../../shared/sync/wire';
import { authenticate, checkSchemaHeader } from '../auth';
import { parseInput } from '../errors';
import type { Store } from '../store';

const NoQuery = z.object({}).strict();

/**
 * `GET /v1/me`: who the token is and which accounts it may sync (a merchant: itself; an agency:
 * those it manages), with each account's details so a desktop store can add it.
 */
export async function meRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get('/me', async (req): Promise<WhoAmI> => {
    checkSchemaHeader(req);
    const principal = await authenticate(store, req);
    parseInput(NoQuery, req.query, 'query');
    const merchants = principal.kind === 'merchant' ? [principal.id] : principal.kind === 'agency' ? await store.managedMerchants(principal.id) : [];
    return { kind: principal.kind, id: principal.id, merchants, accounts: await store.merchantSummaries(merchants) };
  });
}
