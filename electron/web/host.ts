import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import fs from 'node:fs';
import type { ErrorCode, LanternEvent } from '../../shared/contract';
import type { Core } from '../core/core';
import { CSP } from '../core/csp';

export interface WebHostOptions {
  core: Core;
  port: number;
  /** Built renderer (vite output). */
  rendererDir: string;
  /** Always loopback: browser mode is for this machine only. */
  host?: '127.0.0.1' | '::1';
}

const STATUS_BY_ERROR: Partial<Record<ErrorCode, number>> = { invalid_input: 400, unknown_method: 400, not_found: 404 };

/** A header a cross-site page cannot send without a CORS preflight, which this host never grants. */
export const CALL_HEADER = 'x-lantern-call';

/**
 * Browser-mode host: serves the built renderer and the contract over HTTP (POST /api/call/:method)
 * with events over SSE (GET /api/events). Inputs are validated by the core, exactly as over IPC.
 */
export async function startWebHost(opts: WebHostOptions): Promise<{ app: FastifyInstance; url: string; close(): Promise<void> }> {
  const host = opts.host ?? '127.0.0.1';
  // forceCloseConnections: event streams never end by themselves; close() must not wait for them.
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, forceCloseConnections: true });

  // DNS-rebinding and CSRF guard: only our own Host, and contract calls only from our origin.
  app.addHook('onRequest', async (req, reply) => {
    const hostHeader = req.headers.host ?? '';
    if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(hostHeader)) {
      return reply.code(421).send({ ok: false, error: { code: 'unauthorized', message: 'browser mode answers on loopback only' } });
    }
    if (req.url.startsWith('/api/')) {
      const origin = req.headers.origin;
      if (origin && origin !== `http://${hostHeader}`) {
        return reply.code(403).send({ ok: false, error: { code: 'unauthorized', message: 'cross-origin calls are refused' } });
      }
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });

  app.get('/healthz', async () => ({ ok: true }));

  app.post<{ Params: { method: string } }>('/api/call/:method', async (req, reply) => {
    if (req.headers[CALL_HEADER] !== '1') {
      return reply.code(403).send({ ok: false, error: { code: 'unauthorized', message: `missing ${CALL_HEADER} header` } });
    }
    const envelope = await opts.core.call(req.params.method, req.body ?? {});
    // The envelope carries the typed error; the status only helps HTTP tools and logs.
    const status = envelope.ok ? 200 : (STATUS_BY_ERROR[envelope.error.code] ?? 200);
    return reply.code(status).send(envelope);
  });

  app.get('/api/events', (req, reply) => {
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'content-security-policy': CSP,
    });
    reply.raw.write(': connected\n\n');
    const send = (e: LanternEvent) => reply.raw.write(`data: ${JSON.stringify(e)}\n\n`);
    const unsubscribe = opts.core.subscribe(send);
    const keepAlive = setInterval(() => reply.raw.write(': ping\n\n'), 15_000);
    req.raw.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });

  if (!fs.existsSync(opts.rendererDir)) {
    throw new Error(`The renderer is not built (${opts.rendererDir} is missing). Run "npm run build" first.`);
  }
  await app.register(fastifyStatic, { root: opts.rendererDir, index: 'index.html' });

  await app.listen({ port: opts.port, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${host === '::1' ? '[::1]' : host}:${port}`;
  return {
    app,
    url,
    close: async () => {
      await app.close();
    },
  };
}
