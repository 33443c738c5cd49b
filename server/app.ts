import Fastify, { type FastifyError } from 'fastify';
import { openDatabase } from './db';
import { apiError, HttpError } from './errors';
import { accountRoutes } from './routes/account';
import { adminRoutes } from './routes/admin';
import { meRoutes } from './routes/me';
import { autoApprove } from './review';
import { servingRoutes } from './routes/serving';
import { createServing } from './serving';
import { healthRoutes } from './routes/health';
import { seedDemoIfEmpty } from './seed';
import { createStore } from './store';

export interface StartServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1 (loopback). */
  host?: string;
  /** The server's own SQLite file, or a `postgres://` URL; created/migrated if needed. */
  dbPath: string;
  /** Default true: seed the demo merchants when the database has none. */
  seedDemo?: boolean;
  /** Default false: request logging to stdout. */
  log?: boolean;
  /**
   * The demo's auto-approve rule: approve a pending creative without a forbidden claim after
   * this many ms (default 3000). null turns it off (creatives wait for an admin).
   */
  autoApproveAfterMs?: number | null;
  /** Serving: how often (ms) to look for account changes that alter what is eligible (default 1000). */
  servingRefreshMs?: number;
  /**
   * The server's clock for pushes (the checks' "today" in the merchant's zone, change times).
   * Default: the system clock. Tests set it to stand in a different day than the desktop.
   */
  clock?: () => Date;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Room for a full push (1000 mutations × 50 field changes) without inviting abuse. */
const BODY_LIMIT_BYTES = 8 * 1024 * 1024;

function codeForStatus(status: number): string {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    default:
      return status >= 500 ? 'internal' : 'bad_request';
  }
}

/** The reference ad-serving backend: opens and migrates the database, seeds, listens. */
export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const db = await openDatabase(opts.dbPath);
  try {
    if (opts.seedDemo ?? true) await seedDemoIfEmpty(db);
    const store = createStore(db);

    const app = Fastify({ logger: opts.log ?? false, bodyLimit: BODY_LIMIT_BYTES, return503OnClosing: true });

    // Bodies are JSON only: anything else is a 415, not a confusing validation error.
    app.removeContentTypeParser('text/plain');
    app.setErrorHandler<FastifyError | HttpError>((err, req, reply) => {
      if (err instanceof HttpError) {
        if (err.statusCode === 401) void reply.header('www-authenticate', 'Bearer');
        return reply.status(err.statusCode).send(apiError(err.code, err.message));
      }
      const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
      if (status >= 500) {
        req.log.error({ err }, 'request failed');
        return reply.status(status).send(apiError('internal', 'the server failed to handle this request'));
      }
      return reply.status(status).send(apiError(codeForStatus(status), err.message));
    });
    app.setNotFoundHandler((req, reply) =>
      reply.status(404).send(apiError('not_found', `no route ${req.method} ${req.url.split('?')[0] ?? ''}`)),
    );

    await app.register(healthRoutes);
    const serving = createServing(db, { refreshMs: opts.servingRefreshMs ?? 1000 });
    await serving.start();
    await app.register(accountRoutes, { prefix: '/v1', store, serving, ...(opts.clock ? { clock: opts.clock } : {}) });
    await app.register(servingRoutes, { prefix: '/v1', serving });
    await app.register(adminRoutes, { prefix: '/v1', store });
    await app.register(meRoutes, { prefix: '/v1', store });

    const autoAfter = opts.autoApproveAfterMs === undefined ? 3000 : opts.autoApproveAfterMs;
    let reviewTimer: NodeJS.Timeout | undefined;
    if (autoAfter !== null) {
      let running = false;
      reviewTimer = setInterval(() => {
        if (running) return;
        running = true;
        autoApprove(store, autoAfter)
          .catch((err: unknown) => app.log.error({ err }, 'auto-approve failed'))
          .finally(() => (running = false));
      }, Math.max(100, Math.min(1000, autoAfter)));
      reviewTimer.unref();
    }
    app.addHook('onClose', async () => {
      if (reviewTimer) clearInterval(reviewTimer);
      await serving.close();
      await db.close();
    });

    try {
      await app.listen({ port: opts.port, host });
    } catch (err) {
      await app.close();
      throw err;
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    let closing: Promise<void> | undefined;
    return {
      url: `http://${urlHost}:${port}`,
      port,
      close: () => (closing ??= app.close()),
    };
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
}
