import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Rng } from '../shared/engine/prng';

/**
 * A fault-injecting HTTP proxy for sync tests, loopback only (it listens on 127.0.0.1 and only
 * forwards to a loopback target). Per request it draws one fate from the configured
 * probabilities:
 *
 * - `fail`       answer 503 without forwarding (the server never saw it);
 * - `failAfter`  forward, let the server apply it, then answer 502 (the answer is lost);
 * - `hang`       forward, then never answer (the client's timeout fires);
 * - `cut`        forward, send the status and half the body, then cut the connection;
 * - `duplicate`  forward the request twice (a retried delivery), answer with the second;
 * - otherwise    forward as is, after a random delay of up to `maxDelayMs` (which reorders
 *                concurrent requests).
 *
 * Deterministic for a seed. `setFaults` changes the mix at run time (e.g. none, to settle);
 * `only` narrows the faults to some paths.
 */
export interface Faults {
  fail?: number;
  failAfter?: number;
  hang?: number;
  cut?: number;
  duplicate?: number;
  maxDelayMs?: number;
  /** Only requests whose path (with query) matches meet a fault; the others pass (e.g. one account's routes: that account's server is "down"). */
  only?: RegExp;
}

export type Fate = 'fail' | 'failAfter' | 'hang' | 'cut' | 'duplicate' | 'pass';

export interface FaultProxy {
  url: string;
  setFaults(f: Faults): void;
  /** How many requests met each fate. */
  counts: Record<Fate, number>;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$/;

/** Seeded uniform [0, 1) from the engine's PRNG: one generator for the whole project. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.float();
}

interface Upstream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export async function startFaultProxy(target: string, faults: Faults = {}, seed = 1): Promise<FaultProxy> {
  const t = new URL(target);
  if (t.protocol !== 'http:' || !LOOPBACK.test(t.hostname)) throw new Error(`fault proxy: target must be http:// on loopback, got ${target}`);
  const random = rng(seed);
  let current = { ...faults };
  const counts: Record<Fate, number> = { fail: 0, failAfter: 0, hang: 0, cut: 0, duplicate: 0, pass: 0 };
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();

  const forward = (req: IncomingMessage, body: Buffer): Promise<Upstream> =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, host: t.host };
      const up = httpRequest({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });

  const pick = (path: string): Fate => {
    if (current.only && !current.only.test(path)) return 'pass';
    let u = random();
    for (const fate of ['fail', 'failAfter', 'hang', 'cut', 'duplicate'] as const) {
      const p = current[fate] ?? 0;
      if (u < p) return fate;
      u -= p;
    }
    return 'pass';
  };

  const send = (res: ServerResponse, up: Upstream): void => {
    const headers = { ...up.headers };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(up.body.length);
    res.writeHead(up.status, headers);
    res.end(up.body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const fate = pick(req.url ?? '/');
      counts[fate]++;
      const delay = Math.floor(random() * (current.maxDelayMs ?? 0));
      const go = async (): Promise<void> => {
        try {
          switch (fate) {
            case 'fail':
              res.writeHead(503, { 'content-type': 'application/json' });
              res.end(JSON.stringify({ error: { code: 'unavailable', message: 'fault proxy: 503 before forwarding' } }));
              return;
            case 'failAfter':
              await forward(req, body);
              res.writeHead(502, { 'content-type': 'application/json' });
              res.end(JSON.stringify({ error: { code: 'bad_gateway', message: 'fault proxy: answer lost after forwarding' } }));
              return;
            case 'hang':
              await forward(req, body);
              hanging.add(res);
              return;
            case 'cut': {
              const up = await forward(req, body);
              res.writeHead(up.status, { 'content-type': String(up.headers['content-type'] ?? 'application/json'), 'content-length': String(up.body.length) });
              res.write(up.body.subarray(0, Math.floor(up.body.length / 2)));
              setTimeout(() => res.socket?.destroy(), 5);
              return;
            }
            case 'duplicate':
              await forward(req, body);
              send(res, await forward(req, body));
              return;
            default:
              send(res, await forward(req, body));
          }
        } catch (err) {
          if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'bad_gateway', message: `fault proxy: upstream failed: ${err instanceof Error ? err.message : String(err)}` } }));
        }
      };
      if (delay > 0) setTimeout(() => void go(), delay);
      else void go();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setFaults(f) {
      current = { ...f };
    },
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.socket?.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
