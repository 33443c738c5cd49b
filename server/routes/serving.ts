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

  app.get('/market', async (req): Promise<MarketSnapshot> => {
    parseInput(NoQuery, req.query, 'query');
    return serving.market();
  });
}
