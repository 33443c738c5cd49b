import { parseArgs } from 'node:util';
import { DEMO_HOUR_SHARE, type MarketSnapshot } from './serving';
import { SCHEMA_HEADER, SCHEMA_VERSION, type DecideRequest, type DecideResponse, type Placement } from '../shared/sync/wire';
import { Rng } from '../shared/engine/prng';

/**
 * `npm run traffic -- --rate R --minutes M --server URL`: drives a (loopback) Lantern backend
 * with ad requests shaped like the market model — a pool of users with attributes, the
 * placements' mix, search queries, and the diurnal curve (the rate follows the hour's traffic
 * share in Shanghai, R being the day's average) — then clicks and converts some of the ads shown
 * at the served market's CTR and CVR, so a demo backend shows real delivery, stats and pacing.
 * Bounded: loopback only, at most 2000 requests/s, at most 24 hours.
 */

export const TRAFFIC_USAGE = `usage: traffic --rate R --minutes M --server URL [--seed N]

  --rate R       average ad requests per second over a day (1–2000); the diurnal curve shapes it
  --minutes M    how long to run (0.1–1440)
  --server URL   a Lantern backend on loopback, e.g. http://127.0.0.1:4801
  --seed N       random seed (default 1)`;

export interface TrafficOptions {
  rate: number;
  minutes: number;
  server: string;
  seed: number;
}

export function parseTrafficArgs(argv: readonly string[]): { ok: true; options: TrafficOptions } | { ok: false; message: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: { rate: { type: 'string' }, minutes: { type: 'string' }, server: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  if (values.help) return { ok: false, message: '' };
  const rate = Number(values.rate);
  const minutes = Number(values.minutes);
  if (!(rate >= 1 && rate <= 2000)) return { ok: false, message: '--rate must be a number from 1 to 2000' };
  if (!(minutes >= 0.1 && minutes <= 1440)) return { ok: false, message: '--minutes must be a number from 0.1 to 1440' };
  if (!values.server) return { ok: false, message: 'missing --server' };
  let url: URL;
  try {
    url = new URL(values.server);
  } catch {
    return { ok: false, message: `--server "${values.server}" is not a URL` };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (url.protocol !== 'http:' || !(host === '127.0.0.1' || host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host))) {
    return { ok: false, message: '--server must be an http:// URL on loopback (127.0.0.1, localhost or ::1): traffic is for demo backends only' };
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) return { ok: false, message: '--seed must be a whole number' };
  return { ok: true, options: { rate, minutes, server: url.origin, seed } };
}

/** Seeded uniform [0, 1) from the engine's PRNG: one generator for the whole project. */
function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.float();
}

const PLACEMENT_MIX: [Placement, number][] = [
  ['home_feed', 0.5],
  ['search', 0.2],
  ['splash', 0.2],
  ['banner', 0.1],
];
const QUERIES = ['山岚咖啡', '山岚咖啡外卖', '咖啡外卖', '拿铁', '附近咖啡', '手机', 'X9 手机', '奶茶', '外卖'];
const CITIES = ['上海', '杭州', '南京', '苏州', '宁波', '合肥'];
const INTERESTS = ['coffee', 'food', 'phones', 'travel', 'fashion', 'sports'];
const HOUR_MEAN = DEMO_HOUR_SHARE.reduce((a, b) => a + b, 0) / 24;

export interface TrafficTotals {
  requests: number;
  ads: number;
  clicks: number;
  conversions: number;
  errors: number;
}

export async function runTraffic(o: TrafficOptions, log: (line: string) => void, signal?: AbortSignal): Promise<TrafficTotals> {
  const random = rng(o.seed);
  const headers = { 'content-type': 'application/json', [SCHEMA_HEADER]: String(SCHEMA_VERSION) };
  const marketRes = await fetch(`${o.server}/v1/market`, { headers });
  if (!marketRes.ok) throw new Error(`GET /v1/market answered ${marketRes.status}`);
  const market = (await marketRes.json()) as MarketSnapshot;
  // The frontend sees the ad's template, not its plan's objective: clicks follow the served CTR of
  // the template, conversions the average served CVR over objectives.
  const cvrs = Object.values(market.cvrByObjective);
  const meanCvr = cvrs.length > 0 ? cvrs.reduce((a, b) => a + b, 0) / cvrs.length : 0.1;
  const users = Array.from({ length: 5000 }, (_, i) => ({
    id: `traffic-${o.seed}-${i}`,
    age: 18 + Math.floor(random() * 50),
    gender: (['F', 'M', 'U'] as const)[Math.floor(random() * 3)]!,
    city: CITIES[Math.floor(random() * CITIES.length)]!,
    interests: INTERESTS.filter(() => random() < 0.3),
  }));
  const pickPlacement = (): Placement => {
    let u = random();
    for (const [p, w] of PLACEMENT_MIX) if ((u -= w) < 0) return p;
    return 'home_feed';
  };

  const totals: TrafficTotals = { requests: 0, ads: 0, clicks: 0, conversions: 0, errors: 0 };
  let events: { type: 'click' | 'conversion'; impressionId: string; time: string; orderValueFen?: number }[] = [];
  const end = Date.now() + o.minutes * 60_000;
  let lastLog = Date.now();
  let inflight = 0;
  const MAX_INFLIGHT = 256;

  const sendEvents = async (): Promise<void> => {
    if (events.length === 0) return;
    const batch = events.slice(0, 1000);
    events = events.slice(1000);
    try {
      const res = await fetch(`${o.server}/v1/events`, { method: 'POST', headers, body: JSON.stringify({ events: batch }) });
      if (!res.ok) totals.errors++;
    } catch {
      totals.errors++;
    }
  };

  const one = async (): Promise<void> => {
    const placement = pickPlacement();
    const body: DecideRequest = { placement, user: users[Math.floor(random() * users.length)]!, time: new Date().toISOString() };
    if (placement === 'search') body.query = QUERIES[Math.floor(random() * QUERIES.length)]!;
    totals.requests++;
    try {
      const res = await fetch(`${o.server}/v1/decide`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (!res.ok) {
        totals.errors++;
        return;
      }
      const out = (await res.json()) as DecideResponse;
      for (const ad of out.ads) {
        totals.ads++;
        const ctr = (market.ctrByTemplate as Record<string, number>)[ad.template] ?? 0.02;
        if (random() < ctr) {
          const clickAt = new Date(Date.now() + 1000).toISOString();
          events.push({ type: 'click', impressionId: ad.impressionId, time: clickAt });
          totals.clicks++;
          if (random() < meanCvr) {
            const value = Math.max(100, Math.round(market.orderValueFen * Math.exp(0.5 * (random() + random() - 1))));
            events.push({ type: 'conversion', impressionId: ad.impressionId, time: new Date(Date.now() + 60_000).toISOString(), orderValueFen: value });
            totals.conversions++;
          }
        }
      }
    } catch {
      totals.errors++;
    }
  };

  let next = Date.now();
  while (Date.now() < end && !signal?.aborted) {
    const hour = (new Date().getUTCHours() + 8) % 24; // Shanghai
    const rate = Math.max(0.1, (o.rate * (DEMO_HOUR_SHARE[hour] ?? HOUR_MEAN)) / HOUR_MEAN);
    next += -Math.log(1 - random()) * (1000 / rate); // Poisson arrivals
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, 1000)));
    if (inflight < MAX_INFLIGHT) {
      inflight++;
      void one().finally(() => inflight--);
    }
    if (events.length >= 1000) void sendEvents();
    if (Date.now() - lastLog >= 10_000) {
      lastLog = Date.now();
      void sendEvents();
      log(`traffic: ${totals.requests} requests, ${totals.ads} ads, ${totals.clicks} clicks, ${totals.conversions} conversions, ${totals.errors} errors`);
    }
  }
  while (inflight > 0) await new Promise((r) => setTimeout(r, 20));
  while (events.length > 0) await sendEvents();
  return totals;
}

async function main(): Promise<void> {
  const parsed = parseTrafficArgs(process.argv.slice(2));
  if (!parsed.ok) {
    if (parsed.message) console.error(`lantern traffic: ${parsed.message}\n`);
    console.error(TRAFFIC_USAGE);
    process.exitCode = parsed.message ? 2 : 0;
    return;
  }
  const ac = new AbortController();
  process.on('SIGINT', () => ac.abort());
  process.on('SIGTERM', () => ac.abort());
  try {
    const t = await runTraffic(parsed.options, (l) => console.log(l), ac.signal);
    console.log(`traffic done: ${t.requests} requests, ${t.ads} ads, ${t.clicks} clicks, ${t.conversions} conversions, ${t.errors} errors`);
  } catch (err) {
    console.error(`lantern traffic: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && /traffic\.(js|ts)$/.test(process.argv[1])) void main();
