import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DecideRequest, type DecideResponse, EventsRequest, type EventsResponse } from '../../shared/sync/wire';
import { checkSchemaHeader } from '../auth';
import { parseInput } from '../errors';
import type { MarketSnapshot, Serving } from '../serving';

const NoQuery = z.object({}).strict();

/**
 * The platform side: `/v1/decide` and `/v1/events` are called by the super-app's ad frontend
 * (not by merchants), `/v1/market` by any Lantern client. They need the schema header but no
 * merchant token; they reveal no account data beyond the ads that are shown anyway.
 */
export async function servingRoutes(app: FastifyInstance, { serving }: { serving: Serving }): Promise<void> {
  app.addHook('onRequest', async (req) => {
    checkSchemaHeader(req);
  });

  app.post('/decide', async (req): Promise<DecideResponse> => {
    parseInput(NoQuery, req.query, 'query');
    return serving.decide(parseInput(DecideRequest, req.body, 'decide request'));
  });

  app.post('/events', async (req): Promise<EventsResponse> => {
    parseInput(NoQuery, req.query, 'query');
    return serving.events(parseInput(EventsRequest, req.body, 'events'));
  });

  /** With an ETag (a hash of the body): a client that has this snapshot gets a 304 and no body. */
  app.get('/market', async (req, reply) => {
    parseInput(NoQuery, req.query, 'query');
    const body = JSON.stringify(serving.market() satisfies MarketSnapshot);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
