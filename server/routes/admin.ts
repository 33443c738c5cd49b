import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { EntityId } from '../../shared/domain/entities';
import { authenticate, checkSchemaHeader } from '../auth';
import { HttpError, parseInput } from '../errors';
import { decideReview, listPending, type PendingReview } from '../review';
import type { Store } from '../store';

const ReviewParams = z.object({ creativeId: EntityId }).strict();
const NoQuery = z.object({}).strict();
const ReviewBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve') }).strict(),
  z
    .object({
      decision: z.literal('reject'),
      reason: z.string().trim().min(1, 'a rejection needs a reason the merchant can act on').max(500),
    })
    .strict(),
]);

/** `/v1/admin/...`: the review desk. Admin tokens only (403 for merchant and agency tokens). */
export async function adminRoutes(app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.addHook('onRequest', async (req) => {
    checkSchemaHeader(req);
    const principal = await authenticate(store, req);
    if (principal.kind !== 'admin') throw new HttpError(403, 'forbidden', 'this needs an admin token');
  });

  app.get('/admin/reviews', async (req): Promise<{ pending: PendingReview[] }> => {
    parseInput(NoQuery, req.query, 'query');
    return { pending: await listPending(store.db) };
  });

  app.post('/admin/reviews/:creativeId', async (req) => {
    const { creativeId } = parseInput(ReviewParams, req.params, 'path');
    parseInput(NoQuery, req.query, 'query');
    const body = parseInput(ReviewBody, req.body, 'review decision');
    return decideReview(store, creativeId, body);
  });
}
