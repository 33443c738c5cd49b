import type { FastifyInstance } from 'fastify';

/** Liveness for scripts and e2e: no token, no schema header. */
export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ ok: true }));
}
