import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Creative, Plan, SearchWord, Unit } from '../shared/domain/entities';
import { HOURS_PER_WEEK, isScheduled } from '../shared/domain/schedule';
// The ONE server module coupled to the engine: mapping (fromDomain), per-unit bid tables
// (compile), GSP pricing and charges (gsp), pacing (pacing) and the market snapshot (market).
import { compile, KIND_NO_BID, KIND_PER_CLICK, KIND_PER_CONVERSION, KIND_PER_MILLE, NP, placementIndex, type Compiled } from '../shared/engine/compile';
import { planFromDomain } from '../shared/engine/fromDomain';
import { cpcChargeFen, cpmChargeMilliFen, gspAuction } from '../shared/engine/gsp';
import { DEMO_HOUR_SHARE, demoMarket, parseMarketSnapshot, type MarketSnapshot } from '../shared/engine/market';
import { OBJECTIVES, TEMPLATES, type EnginePlan, type Objective, type Placement as EnginePlacement, type Template } from '../shared/engine/model';
import { makePacer, type Pacer } from '../shared/engine/pacing';
import { normInv } from '../shared/engine/prng';
import { NO_BID_ALPHA, NO_BID_UNLIMITED_FACTOR } from '../shared/engine/sim';
import type { DecideRequest, DecideResponse, EventsRequest, EventsResponse, Placement, ShownAd, StatsResponse, StatsRow } from '../shared/sync/wire';
import type { SqlDatabase } from './sql';

/**
 * Serving: `/v1/decide` runs the shared engine's generalised second-price auction over the
 * requested placement's slots (quality-weighted, with the market's reserve, slot exposures and
 * competing advertisers drawn from the placement's competition model) between the eligible plans
 * of every merchant. Plans are mapped with the engine's `planFromDomain` and compiled with its
 * `compile` (the same bid tables the forecast uses); GD bookings are served by priority on their
 * booked placement. Live daily budgets, STANDARD pacing (the engine's dual-gradient Pacer,
 * updated each minute against the plan's traffic over its scheduled hours), schedules and a
 * per-user frequency cap apply.
 *
 * Hot state lives in memory (what is eligible, today's spend, pacing, caps); delivery is counted
 * in memory and flushed to `delivery_hourly` every `flushMs` (and before stats are read, and on
 * close). Spend is reloaded from `delivery_hourly` on start, so a restart does not reset budgets.
 * What is eligible is rebuilt when the change feed moves (checked at most every `refreshMs`).
 */

/** Re-exported so the rest of server/ stays off the engine (this module is its one coupling). */
export { DEMO_HOUR_SHARE, parseMarketSnapshot, type MarketSnapshot };

/**
 * The engine placement each wire placement serves. Which plans may fill it follows the market
 * snapshot's `scenePlacements` (and a GD booking's own placement). `banner` has no placement of
 * its own in the engine's model: it is served as the life channel's banner feed.
 */
export const WIRE_PLACEMENT: Record<Placement, EnginePlacement> = {
  home_feed: 'HOME_FEED',
  search: 'SEARCH_RESULTS',
  splash: 'SPLASH',
  banner: 'LIFE_CHANNEL',
};
/** Impressions of one plan one user may see per (merchant-local) day. */
export const FREQUENCY_CAP_PER_DAY = 3;
const IMPRESSION_TTL_MS = 7 * 24 * 3600_000;

interface UnitEntry {
  unit: Unit;
  /** Index into the compiled unit tables. */
  k: number;
  /** Approved creatives of the unit's best template (what the engine's compile serves). */
  creatives: Creative[];
  /**
   * BROAD search words (and any a lookup cannot find), scanned per request. EXACT and PHRASE
   * words are found through the WordIndex instead: a 200k-word account must not be walked (nor
   * its words re-normalised) for every search.
   */
  broad: { word: string; matchType: SearchWord['matchType']; w: number }[];
}

/**
 * Normalised word → the served word w (a number) of every EXACT / PHRASE word, or the list of
 * them when several units have the word; `unitOf[w]` is its unit k. A query matches an EXACT
 * word equal to it and a PHRASE word that is one of its substrings (at most maxLen long), so a
 * request looks up the query and its short substrings, not every word. (One number per word, not
 * a [k, w] array: a 200k-word account's index is ~10 MB smaller.)
 */
export interface WordIndex {
  exact: Map<string, number | number[]>;
  phrase: Map<string, number | number[]>;
  maxLen: number;
  unitOf: Int32Array;
}
/** An empty index for `words` served words (their indices, 0 … words - 1). */
export const emptyIndex = (words = 0): WordIndex => ({ exact: new Map(), phrase: new Map(), maxLen: 0, unitOf: new Int32Array(words) });

/** Adds served word w of unit k. */
export function indexWord(idx: WordIndex, matchType: 'EXACT' | 'PHRASE', word: string, k: number, w: number): void {
  idx.unitOf[w] = k;
  const map = matchType === 'EXACT' ? idx.exact : idx.phrase;
  const had = map.get(word);
  if (had === undefined) map.set(word, w);
  else if (typeof had === 'number') map.set(word, [had, w]);
  else had.push(w);
  if (matchType === 'PHRASE') idx.maxLen = Math.max(idx.maxLen, word.length);
}

/** Unit k → its matching word with the highest bid, for a normalised query. */
export function matchWords(idx: WordIndex, q: string, wordParam: Float64Array): Map<number, number> {
  const best = new Map<number, number>();
  const one = (w: number) => {
    const k = idx.unitOf[w] as number;
    const h = best.get(k);
    if (h === undefined || (wordParam[w] as number) > (wordParam[h] as number)) best.set(k, w);
  };
  const take = (hit: number | number[] | undefined) => {
    if (hit === undefined) return;
    if (typeof hit === 'number') one(hit);
    else for (const w of hit) one(w);
  };
  take(idx.exact.get(q));
  const seen = new Set<string>();
  for (let i = 0; i < q.length; i++) {
    for (let len = 1; len <= idx.maxLen && i + len <= q.length; len++) {
      const sub = q.slice(i, i + len);
      if (seen.has(sub)) continue;
      seen.add(sub);
      take(idx.phrase.get(sub));
    }
  }
  return best;
}
/** What serving keeps of a search word (the rest of the row is not read). */
interface ServedWord {
  unitId: string;
  /** Trimmed, lower case. */
  word: string;
  matchType: SearchWord['matchType'];
  bidFen: number;
}
/** The match types as shared strings (a parsed row has its own copy of each). */
const MATCH_TYPES: Record<string, SearchWord['matchType']> = { EXACT: 'EXACT', PHRASE: 'PHRASE', BROAD: 'BROAD' };

interface PlanEntry {
  merchantId: string;
  timeZone: string;
  plan: Plan;
  /**
   * The engine's GD booking of the plan (null: auctioned). Not the whole engine plan: once
   * compiled, its units' search words (200k objects in a big account) are not needed.
   */
  gd: EnginePlan['gd'];
  /** Index into the compiled plan tables. */
  i: number;
  units: UnitEntry[];
  /** Market requests per hour of week over the placements the plan reaches. */
  hourReq: Float64Array;
}
interface Counter {
  merchantId: string;
  hour: string;
  planId: string;
  unitId: string;
  creativeId: string;
  impressions: number;
  clicks: number;
  conversions: number;
  costMilli: number;
  gmvFen: number;
}

/** Local (merchant time zone) date, Monday-based weekday and hour; cached per zone and UTC hour. */
const localCache = new Map<string, { date: string; dow: number; hour: number }>();
function localTime(ms: number, timeZone: string): { date: string; dow: number; hour: number } {
  const key = `${timeZone}|${Math.floor(ms / 3600_000)}`;
  let v = localCache.get(key);
  if (!v) {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' }).formatToParts(new Date(ms));
    const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
    const dow = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday'));
    v = { date: `${get('year')}-${get('month')}-${get('day')}`, dow, hour: Number(get('hour')) };
    if (localCache.size > 10_000) localCache.clear();
    localCache.set(key, v);
  }
  return v;
}
const utcHour = (ms: number) => new Date(Math.floor(ms / 3600_000) * 3600_000).toISOString().slice(0, 13);

/** FNV-1a → a uniform in [0, 1) per (seed string, salt). */
function uniform(seed: string, salt: number): number {
  let h = 0x811c9dc5 ^ salt;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return ((h >>> 0) + 0.5) / 4294967296;
}
/** Mean-preserving lognormal noise (the engine's pCTR / pCVR spread). */
const noise = (sigma: number, u: number) => Math.exp(sigma * normInv(u) - (sigma * sigma) / 2);

export function wordMatches(w: Pick<SearchWord, 'word' | 'matchType'>, query: string): boolean {
  const q = query.trim().toLowerCase();
  const word = w.word.trim().toLowerCase();
  if (w.matchType === 'EXACT') return q === word;
  if (w.matchType === 'PHRASE') return q.includes(word);
  return q.includes(word) || word.includes(q) || [...word].filter((ch) => q.includes(ch)).length * 2 >= word.length;
}

export interface ServingOptions {
  flushMs?: number;
  refreshMs?: number;
  market?: MarketSnapshot;
}

interface TemplateObserved {
  impressions: number;
  /** Σ placement CTR factor over the impressions: clicks / this = the template's base CTR. */
  factor: number;
  clicks: number;
}
interface ObjectiveObserved {
  clicks: number;
  conversions: number;
}

export function createServing(db: SqlDatabase, opts: ServingOptions = {}) {
  const market = opts.market ?? demoMarket();

  const secret = randomBytes(32);
  let plans: PlanEntry[] = [];
  let compiled: Compiled = compile([], market);
  let wordIndex: WordIndex = emptyIndex();
  let loadedSeq = -1;
  let lastRefreshCheck = 0;
  let loading: Promise<void> | undefined;

  const spentMilli = new Map<string, number>(); // planId|localDate → milli-fen
  const pacers = new Map<string, { pacer: Pacer; slice: number; sliceSpend: number }>();
  // Impressions per user and plan, per merchant-local day: only today's count is read, so past
  // days are dropped as days turn (they were kept until 2M entries, ~200 MB, piled up).
  const freq = new Map<string, Map<string, number>>(); // localDate → user|plan → impressions
  const freqOn = (date: string): Map<string, number> => {
    let day = freq.get(date);
    if (!day) {
      freq.set(date, (day = new Map()));
      // Merchants' zones straddle at most two dates; keep one more for a request timed a little early.
      const dates = [...freq.keys()].sort();
      for (const d of dates.slice(0, Math.max(0, dates.length - 3))) freq.delete(d);
    }
    return day;
  };
  const seenEvents = new Set<string>();
  const pending = new Map<string, Counter>();
  const byTemplate = new Map<Template, TemplateObserved>();
  const byObjective = new Map<Objective, ObjectiveObserved>();
  let servedImpressions = 0;
  let flushTimer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  async function load(): Promise<void> {
    const seq = (await db.get<{ seq: number | null }>('SELECT max(seq) AS seq FROM changes'))?.seq ?? 0;
    if (seq === loadedSeq) return;
    const merchants = new Map((await db.all<{ id: string; time_zone: string; balance_fen: number }>('SELECT id, time_zone, balance_fen FROM merchants')).map((m) => [m.id, m]));
    const rows = async <T>(table: string) =>
      (await db.all<{ merchant_id: string; data: string }>(`SELECT merchant_id, data FROM ${table} WHERE deleted = 0`)).map((r) => ({ merchantId: r.merchant_id, data: JSON.parse(r.data) as T }));
    const planRows = await rows<Plan>('plans');
    const unitRows = await rows<Unit>('units');
    const creativeRows = await rows<Creative>('creatives');
    // Search words only for units of enabled SEARCH plans, and only what serving needs, grouped
    // by unit as they are read: one small object per word, its unit id and match type the shared
    // strings (a 200k-word account parsed into wrappers and per-row strings held ~30 MB more
    // while the tables were rebuilt, beside the ones still serving).
    const searchPlans = new Set(planRows.filter((p) => p.data.scene === 'SEARCH' && p.data.status === 'ENABLED').map((p) => p.data.id));
    const unitIds = new Map(unitRows.filter((u) => searchPlans.has(u.data.planId)).map((u) => [u.data.id, u.data.id]));
    const words = new Map<string, ServedWord[]>();
    // Paged by id, so the raw rows of a 200k-word account are never all in memory at once.
    for (let after = ''; ; ) {
      const page = await db.all<{ id: string; unit_id: string; data: string }>('SELECT id, unit_id, data FROM search_words WHERE deleted = 0 AND id > ? ORDER BY id LIMIT 10000', [after]);
      for (const r of page) {
        const unitId = unitIds.get(r.unit_id);
        if (unitId === undefined) continue;
        const w = JSON.parse(r.data) as SearchWord;
        const served: ServedWord = { unitId, word: w.word.trim().toLowerCase(), matchType: MATCH_TYPES[w.matchType] ?? w.matchType, bidFen: w.bidFen };
        const list = words.get(unitId);
        if (list) list.push(served);
        else words.set(unitId, [served]);
      }
      if (page.length < 10000) break;
      after = page[page.length - 1]!.id;
    }
    const byUnit = <T extends { unitId: string }>(xs: { data: T }[]) => {
      const m = new Map<string, T[]>();
      for (const { data } of xs) {
        const list = m.get(data.unitId);
        if (list) list.push(data);
        else m.set(data.unitId, [data]);
      }
      return m;
    };
    const creatives = byUnit(creativeRows);
    const unitsByPlan = byUnit(unitRows.map((u) => ({ data: { ...u.data, unitId: u.data.planId } })));
    const candidates: { merchantId: string; timeZone: string; plan: Plan; units: Unit[]; engine: EnginePlan }[] = [];
    for (const { merchantId, data: plan } of planRows) {
      const merchant = merchants.get(merchantId);
      if (!merchant || merchant.balance_fen <= 0 || plan.status !== 'ENABLED') continue;
      // The engine's mapping leaves paused units out: unit j here must be compiled unit j.
      const units = (unitsByPlan.get(plan.id) ?? []).filter((u) => u.status !== 'PAUSED');
      const cs = units.flatMap((u) => creatives.get(u.id) ?? []);
      const engine = planFromDomain(plan, units, cs);
      // A SEARCH plan's units bid per word (as planFromDomain maps them): the served words are
      // the engine's words, not copied into a second 200k objects.
      if (plan.scene === 'SEARCH') for (const u of engine.units) u.searchWords = words.get(u.id) ?? [];
      candidates.push({ merchantId, timeZone: merchant.time_zone, plan, units, engine });
    }
    const next = compile(
      candidates.map((c) => c.engine),
      market,
    );
    const entries: PlanEntry[] = [];
    const index = emptyIndex(next.wordParam.length);
    candidates.forEach(({ merchantId, timeZone, plan, units, engine }, i) => {
      const first = next.planFirstUnit[i] as number;
      const served: UnitEntry[] = [];
      units.forEach((unit, j) => {
        // Review gating: only APPROVED creatives serve (a unit with none does not serve at all,
        // whatever default creative the forecast mapping gives it).
        const approved = (creatives.get(unit.id) ?? []).filter((c) => c.reviewStatus === 'APPROVED');
        if (approved.length === 0) return;
        const value = (c: Creative) => market.ctrByTemplate[c.template] * market.qualityByTemplate[c.template];
        const best = Math.max(...approved.map(value));
        const w0 = next.unitWordStart[first + j] as number;
        const k = first + j;
        const broad: UnitEntry['broad'] = [];
        if (plan.scene === 'SEARCH') {
          (words.get(unit.id) ?? []).forEach((w, n) => {
            if (w.matchType === 'EXACT') indexWord(index, 'EXACT', w.word, k, w0 + n);
            else if (w.matchType === 'PHRASE' && w.word.length > 0) indexWord(index, 'PHRASE', w.word, k, w0 + n);
            else broad.push({ word: w.word, matchType: w.matchType, w: w0 + n });
          });
        }
        served.push({ unit, k, creatives: approved.filter((c) => value(c) === best), broad });
      });
      if (served.length === 0) return;
      const hourReq = new Float64Array(HOURS_PER_WEEK);
      const reach = next.planReachMask[i] as number;
      for (let p = 0; p < NP; p++) {
        if (!(reach & (1 << p))) continue;
        for (let w = 0; w < HOURS_PER_WEEK; w++) hourReq[w] = (hourReq[w] as number) + (next.placeHourReq[p * HOURS_PER_WEEK + w] as number);
      }
      entries.push({ merchantId, timeZone, plan, gd: engine.gd, i, units: served, hourReq });
    });
    // The tables only: the engine plans they were compiled from (every search word as an object,
    // 200k in a big account) are not read when serving.
    compiled = { ...next, plans: [], units: [] };
    plans = entries;
    wordIndex = index;
    loadedSeq = seq;
  }

  async function refresh(now: number): Promise<void> {
    if (now - lastRefreshCheck < (opts.refreshMs ?? 1000) && loadedSeq >= 0) return;
    lastRefreshCheck = now;
    loading ??= load().finally(() => (loading = undefined));
    await loading;
  }

  /** Today's spend per plan, from what was flushed: budgets survive a restart. */
  async function loadSpend(): Promise<void> {
    const since = utcHour(Date.now() - 26 * 3600_000);
    const rows = await db.all<{ plan_id: string; hour: string; merchant_id: string; cost: number }>(
      'SELECT plan_id, hour, merchant_id, CAST(sum(cost_milli_fen) AS BIGINT) AS cost FROM delivery_hourly WHERE hour >= ? GROUP BY plan_id, hour, merchant_id',
      [since],
    );
    const tz = new Map((await db.all<{ id: string; time_zone: string }>('SELECT id, time_zone FROM merchants')).map((m) => [m.id, m.time_zone]));
    for (const r of rows) {
      const local = localTime(Date.parse(`${r.hour}:00:00Z`), tz.get(r.merchant_id) ?? 'UTC');
      const key = `${r.plan_id}|${local.date}`;
      spentMilli.set(key, (spentMilli.get(key) ?? 0) + Number(r.cost));
    }
  }

  function count(ad: { merchantId: string; planId: string; unitId: string; creativeId: string }, hour: string, d: Partial<Omit<Counter, 'merchantId' | 'hour' | 'planId' | 'unitId' | 'creativeId'>>): void {
    const key = `${ad.merchantId}|${hour}|${ad.creativeId}`;
    let c = pending.get(key);
    if (!c) {
      c = { merchantId: ad.merchantId, hour, planId: ad.planId, unitId: ad.unitId, creativeId: ad.creativeId, impressions: 0, clicks: 0, conversions: 0, costMilli: 0, gmvFen: 0 };
      pending.set(key, c);
    }
    c.impressions += d.impressions ?? 0;
    c.clicks += d.clicks ?? 0;
    c.conversions += d.conversions ?? 0;
    c.costMilli += d.costMilli ?? 0;
    c.gmvFen += d.gmvFen ?? 0;
  }

  async function flushNow(): Promise<void> {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending.clear();
    try {
      await db.transaction(async (tx) => {
        for (const c of batch) {
          await tx.run(
            `INSERT INTO delivery_hourly (merchant_id, hour, plan_id, unit_id, creative_id, impressions, clicks, conversions, cost_milli_fen, gmv_fen)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (merchant_id, hour, creative_id) DO UPDATE SET
               impressions = delivery_hourly.impressions + excluded.impressions,
               clicks = delivery_hourly.clicks + excluded.clicks,
               conversions = delivery_hourly.conversions + excluded.conversions,
               cost_milli_fen = delivery_hourly.cost_milli_fen + excluded.cost_milli_fen,
               gmv_fen = delivery_hourly.gmv_fen + excluded.gmv_fen`,
            [c.merchantId, c.hour, c.planId, c.unitId, c.creativeId, c.impressions, c.clicks, c.conversions, c.costMilli, c.gmvFen],
          );
        }
      });
    } catch (err) {
      // Keep the counts for the next flush rather than lose delivery.
      for (const c of batch) count(c, c.hour, c);
      throw err;
    }
  }
  const flush = (): Promise<void> => (flushing = flushing.catch(() => undefined).then(flushNow));

  /** The plan's market requests today (merchant-local day), over its scheduled hours, and those still to come from `hour`:`minute`. */
  function scheduledRequests(p: PlanEntry, local: { dow: number; hour: number }, minute: number): { day: number; left: number } {
    let day = 0;
    let left = 0;
    for (let h = 0; h < 24; h++) {
      if (!isScheduled(p.plan.timeSchema, local.dow, h)) continue;
      const r = p.hourReq[local.dow * 24 + h] as number;
      day += r;
      if (h > local.hour) left += r;
      else if (h === local.hour) left += (r * (60 - minute)) / 60;
    }
    return { day, left };
  }

  /** STANDARD pacing with a daily budget: the engine's dual-gradient pacer, one-minute slices. */
  function pacerFor(p: PlanEntry, minute: number): { pacer: Pacer; slice: number; sliceSpend: number } | undefined {
    if (p.plan.pacing !== 'STANDARD' || p.plan.dailyBudgetFen === null || p.gd) return undefined;
    let s = pacers.get(p.plan.id);
    if (!s) {
      s = { pacer: makePacer('DUAL_GRADIENT', true), slice: minute, sliceSpend: 0 };
      pacers.set(p.plan.id, s);
    }
    if (minute !== s.slice) {
      // End of a slice: its spend against the budget's share of the plan's traffic in that minute
      // over its scheduled day (as the engine's simulation paces). Once the budget is spent the
      // hard stop keeps spend at zero: learning from that would burst at the next day's start.
      const at = s.slice * 60_000;
      const local = localTime(at, p.timeZone);
      const spent = spentMilli.get(`${p.plan.id}|${local.date}`) ?? 0;
      const budget = p.plan.dailyBudgetFen * 1000;
      if (spent < budget && isScheduled(p.plan.timeSchema, local.dow, local.hour)) {
        const { day } = scheduledRequests(p, local, 0);
        const perMinute = (p.hourReq[local.dow * 24 + local.hour] as number) / 60;
        if (day > 0) s.pacer.update(s.sliceSpend, ((budget * perMinute) / day) * Math.min(1, minute - s.slice));
      }
      s.slice = minute;
      s.sliceSpend = 0;
    }
    return s;
  }

  /** NO_BID: what the budget left affords per request left today (the engine's rule), as eCPM. */
  function noBidEcpm(p: PlanEntry, local: { dow: number; hour: number }, minuteOfHour: number, spent: number): number {
    if (p.plan.dailyBudgetFen === null) {
      const reach = compiled.planReachMask[p.i] as number;
      const gp = Math.max(0, 31 - Math.clz32(reach));
      return NO_BID_UNLIMITED_FACTOR * Math.exp(compiled.placeMu[gp] as number);
    }
    const leftMilli = p.plan.dailyBudgetFen * 1000 - spent;
    const { left } = scheduledRequests(p, local, minuteOfHour);
    return leftMilli > 0 && left > 0 ? (NO_BID_ALPHA * leftMilli) / left : 0;
  }

  function sign(payload: string): string {
    return createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 22);
  }

  return {
    async start(): Promise<void> {
      await load();
      await loadSpend();
      flushTimer = setInterval(() => void flush().catch(() => undefined), opts.flushMs ?? 500);
      flushTimer.unref();
    },
    async close(): Promise<void> {
      if (flushTimer) clearInterval(flushTimer);
      await flush().catch(() => undefined);
    },
    flush,

    async decide(req: DecideRequest): Promise<DecideResponse> {
      const now = Date.parse(req.time);
      await refresh(Date.now());
      const c = compiled;
      const words = wordIndex;
      const place = WIRE_PLACEMENT[req.placement];
      const pm = market.placements[place];
      if (!pm) return { ads: [], candidates: 0 }; // no traffic on this placement in the market
      const pi = placementIndex(place);
      const pMask = 1 << pi;
      const seed = `${req.user.id}|${req.time}|${req.placement}|${req.query ?? ''}`;
      const minute = Math.floor(now / 60_000);
      const minuteOfHour = minute % 60;
      const hour = utcHour(now);
      // One request, one pCTR / pCVR spread for every bidder (as the engine's simulation draws it).
      const cN = noise(market.ctrSigma, uniform(seed, 1));
      const vN = noise(market.cvrSigma, uniform(seed, 2));
      const uExp = uniform(seed, 3);
      const nSlots = pm.slots.length;

      // Competitors first (a tie goes against the plans): the placement's bidders, ln eCPM ~ N(mu, sigma²).
      const nComp = pm.competitors;
      const cap = nComp + plans.length + 1;
      const score = new Float64Array(cap);
      const quality = new Float64Array(cap);
      for (let k = 0; k < nComp; k++) {
        score[k] = Math.exp(pm.competitorEcpmMu + pm.competitorEcpmSigma * normInv(uniform(seed, 1000 + k)));
        quality[k] = 1;
      }
      let m = nComp;
      const entries: { p: PlanEntry; u: UnitEntry; pCtr: number }[] = [];
      const gd: { p: PlanEntry; u: UnitEntry; pCtr: number }[] = [];
      // The query, normalised once, and each unit's best EXACT/PHRASE word for it.
      const query = req.query?.trim().toLowerCase();
      let hits: Map<number, number> | undefined;
      let candidates = 0;

      for (const p of plans) {
        const plan = p.plan;
        const i = p.i;
        // The plan's scene must reach the placement (market.scenePlacements); a GD booking serves only its own placement.
        if (!((c.planReachMask[i] as number) & pMask)) continue;
        if (p.gd && p.gd.placement !== place) continue;
        const local = localTime(now, p.timeZone);
        if (local.date < plan.startDate || (plan.endDate !== null && local.date > plan.endDate) || !isScheduled(plan.timeSchema, local.dow, local.hour)) continue;
        const spent = spentMilli.get(`${plan.id}|${local.date}`) ?? 0;
        const cpd = p.gd?.kind === 'CPD';
        // CPD: the day price is the budget, charged once; the day is owned after that.
        if (plan.dailyBudgetFen !== null && !cpd && spent >= plan.dailyBudgetFen * 1000) continue;
        if ((freq.get(local.date)?.get(`${req.user.id}|${plan.id}`) ?? 0) >= FREQUENCY_CAP_PER_DAY) continue;
        const pacer = pacerFor(p, minute);
        if (pacer && uniform(`${seed}|${plan.id}`, 5) >= pacer.pacer.passRate()) continue;
        const shade = pacer?.pacer.shade() ?? 1;
        let nb = -1;
        let best: { u: UnitEntry; score: number; pCtr: number } | undefined;
        for (const u of p.units) {
          const k = u.k;
          if (!((c.unitPlaceMask[k] as number) & pMask)) continue;
          let a = c.unitParam[k] as number;
          if (plan.scene === 'SEARCH') {
            // 搜索宝: a unit enters only for a query one of its words matches, at that word's bid.
            if (query === undefined) continue;
            hits ??= matchWords(words, query, c.wordParam);
            let hit = hits.get(k) ?? -1;
            for (const w of u.broad) if (wordMatches(w, query) && (hit < 0 || (c.wordParam[w.w] as number) > (c.wordParam[hit] as number))) hit = w.w;
            if (hit < 0) continue;
            a = c.wordParam[hit] as number;
          }
          const pCtr = Math.min(1, (c.unitCtr[k] as number) * pm.ctrFactor * cN);
          const pCvr = Math.min(1, (c.unitCvr[k] as number) * vN);
          const kind = c.unitKind[k] as number;
          let v = 0;
          if (kind === KIND_PER_CLICK) v = a * pCtr;
          else if (kind === KIND_PER_MILLE) v = a;
          else if (kind === KIND_PER_CONVERSION) v = a * pCtr * pCvr;
          else if (kind === KIND_NO_BID) {
            if (nb < 0) nb = noBidEcpm(p, local, minuteOfHour, spent);
            v = nb * pCtr * pCvr * a;
          }
          let bid = v * shade;
          if (p.gd) bid = p.gd.kind === 'CPD' ? 1e12 : Math.max(bid, 1); // a booking is served by priority, not by price
          if (!(bid > 0) || (!p.gd && bid < pm.reserveEcpmFen)) continue;
          const sc = bid * (c.unitQuality[k] as number);
          if (!best || sc > best.score) best = { u, score: sc, pCtr };
        }
        if (!best) continue;
        candidates++;
        if (p.gd) {
          // GD CPM: STANDARD delivery spreads the booked budget over the day's scheduled traffic.
          const g = p.gd;
          if (g.kind === 'CPM' && plan.pacing === 'STANDARD' && plan.dailyBudgetFen !== null) {
            const { day, left } = scheduledRequests(p, local, minuteOfHour);
            const done = day > 0 ? 1 - left / day : 1;
            if (spent >= plan.dailyBudgetFen * 1000 * done * 1.02 + cpmChargeMilliFen(g.cpmFen)) continue;
          }
          gd.push({ p, u: best.u, pCtr: best.pCtr });
          continue;
        }
        score[m] = best.score;
        quality[m] = c.unitQuality[best.u.k] as number;
        entries.push({ p, u: best.u, pCtr: best.pCtr });
        m++;
      }
      // Guaranteed bookings take the top slots: CPD first, then by booked CPM.
      gd.sort((x, y) => (y.p.gd?.kind === 'CPD' ? 1 : 0) - (x.p.gd?.kind === 'CPD' ? 1 : 0) || (y.p.gd?.cpmFen ?? 0) - (x.p.gd?.cpmFen ?? 0));
      const winners: { p: PlanEntry; u: UnitEntry; pCtr: number; slot: number; price: number; gd: boolean }[] = [];
      let reserved = 0;
      for (const g of gd) {
        if (reserved >= nSlots) break;
        winners.push({ ...g, slot: reserved++, price: g.p.gd?.cpmFen ?? 0, gd: true });
      }
      if (m > nComp && reserved < nSlots) {
        const rankIdx = new Int32Array(nSlots + 1);
        const outIdx = new Int32Array(nSlots);
        const outPrice = new Float64Array(nSlots);
        const won = gspAuction(m, score, quality, pm.reserveEcpmFen, nSlots - reserved, rankIdx, outIdx, outPrice);
        for (let k = 0; k < won; k++) {
          const e = outIdx[k] as number;
          if (e < nComp) continue;
          const entry = entries[e - nComp]!;
          winners.push({ ...entry, slot: reserved + k, price: outPrice[k] as number, gd: false });
        }
      }

      const ads: ShownAd[] = [];
      for (const w of winners.sort((x, y) => x.slot - y.slot)) {
        if (!(uExp < (pm.slots[w.slot] as number))) continue; // won, but the slot was not seen (exposures are nested)
        const { p, u } = w;
        const plan = p.plan;
        const local = localTime(now, p.timeZone);
        const creative = u.creatives[Math.floor(uniform(seed, 13 + w.slot) * u.creatives.length)] ?? u.creatives[0]!;
        const spendKey = `${plan.id}|${local.date}`;
        const spent = spentMilli.get(spendKey) ?? 0;
        let costMilli = 0;
        let cpcFen = 0;
        if (w.gd) {
          const g = p.gd!;
          costMilli = g.kind === 'CPD' ? (spent > 0 ? 0 : g.dayPriceFen * 1000) : cpmChargeMilliFen(g.cpmFen);
        } else if (plan.chargeType === 'CPC') cpcFen = cpcChargeFen(w.price, w.pCtr);
        else costMilli = cpmChargeMilliFen(w.price);
        const ad = { merchantId: p.merchantId, planId: plan.id, unitId: u.unit.id, creativeId: creative.id };

        // Live budget, pacing and cap state move now; the counts reach the database on the next flush.
        spentMilli.set(spendKey, spent + costMilli);
        const pacer = pacers.get(plan.id);
        if (pacer) pacer.sliceSpend += costMilli;
        const day = freqOn(local.date);
        const fk = `${req.user.id}|${plan.id}`;
        // A safety valve for one day's traffic beyond any cap worth keeping (as before).
        if (day.size > 2_000_000) day.clear();
        day.set(fk, (day.get(fk) ?? 0) + 1);
        count(ad, hour, { impressions: 1, costMilli });
        const t = byTemplate.get(creative.template) ?? { impressions: 0, factor: 0, clicks: 0 };
        t.impressions++;
        t.factor += pm.ctrFactor;
        byTemplate.set(creative.template, t);
        servedImpressions++;

        const payload = Buffer.from(
          JSON.stringify([ad.merchantId, ad.planId, ad.unitId, ad.creativeId, plan.chargeType, cpcFen, now, creative.template, plan.objective, uniform(seed, 17 + w.slot).toString(36).slice(2, 10)]),
        ).toString('base64url');
        ads.push({
          impressionId: `${payload}.${sign(payload)}`,
          ...ad,
          template: creative.template,
          title: creative.title,
          description: creative.description,
          chargeType: plan.chargeType,
          priceEcpmFen: Math.round(w.price * 100) / 100,
        });
      }
      return { ads, candidates };
    },

    events(req: EventsRequest): EventsResponse {
      const rejected: EventsResponse['rejected'] = [];
      let accepted = 0;
      req.events.forEach((e, index) => {
        const [payload, mac] = e.impressionId.split('.');
        const good = payload && mac && mac.length === 22 && timingSafeEqual(Buffer.from(sign(payload)), Buffer.from(mac.padEnd(22, ' ').slice(0, 22)));
        if (!good) {
          rejected.push({ index, message: 'unknown impression (not issued by this server)' });
          return;
        }
        let fields: unknown;
        try {
          fields = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        } catch {
          fields = undefined;
        }
        const [merchantId, planId, unitId, creativeId, , cpcFen, shownAt, template, objective] = fields as [string, string, string, string, string, number, number, Template, Objective];
        const at = Date.parse(e.time);
        if (at < shownAt || at - shownAt > IMPRESSION_TTL_MS) {
          rejected.push({ index, message: 'event time must be after the impression, within 7 days' });
          return;
        }
        const dedupe = `${e.type}|${e.impressionId}`;
        if (seenEvents.has(dedupe)) {
          rejected.push({ index, message: `duplicate ${e.type} for this impression` });
          return;
        }
        if (e.type === 'conversion' && !seenEvents.has(`click|${e.impressionId}`)) {
          rejected.push({ index, message: 'a conversion needs a click on this impression first' });
          return;
        }
        if (seenEvents.size > 2_000_000) seenEvents.clear();
        seenEvents.add(dedupe);
        const ad = { merchantId, planId, unitId, creativeId };
        const hour = utcHour(shownAt);
        if (e.type === 'click') {
          // CPC is charged on the click, never beyond the day's budget.
          const entry = plans.find((p) => p.plan.id === planId);
          let cost = cpcFen * 1000;
          if (entry) {
            const local = localTime(shownAt, entry.timeZone);
            const key = `${planId}|${local.date}`;
            const spent = spentMilli.get(key) ?? 0;
            if (entry.plan.dailyBudgetFen !== null) cost = Math.max(0, Math.min(cost, entry.plan.dailyBudgetFen * 1000 - spent));
            spentMilli.set(key, spent + cost);
            const pacer = pacers.get(planId);
            if (pacer) pacer.sliceSpend += cost;
          }
          count(ad, hour, { clicks: 1, costMilli: cost });
          const t = byTemplate.get(template);
          if (t) t.clicks++;
          const o = byObjective.get(objective) ?? { clicks: 0, conversions: 0 };
          o.clicks++;
          byObjective.set(objective, o);
        } else {
          count(ad, hour, { conversions: 1, gmvFen: e.orderValueFen ?? 0 });
          const o = byObjective.get(objective);
          if (o) o.conversions++;
        }
        accepted++;
      });
      return { accepted, rejected };
    },

    async stats(merchantId: string, from: string, to: string): Promise<StatsResponse> {
      await flush();
      const rows = await db.all<{
        hour: string;
        plan_id: string;
        unit_id: string;
        creative_id: string;
        impressions: number;
        clicks: number;
        conversions: number;
        cost_milli_fen: number;
        gmv_fen: number;
      }>(
        `SELECT hour, plan_id, unit_id, creative_id, impressions, clicks, conversions, cost_milli_fen, gmv_fen
           FROM delivery_hourly WHERE merchant_id = ? AND hour >= ? AND hour < ? ORDER BY hour, creative_id`,
        [merchantId, from, to],
      );
      const ratio = (a: number, b: number, k = 1) => (b > 0 ? Math.round((a / b) * k * 10000) / 10000 : null);
      return {
        from,
        to,
        rows: rows.map((r): StatsRow => {
          const costFen = Number(r.cost_milli_fen) / 1000;
          return {
            hour: r.hour,
            planId: r.plan_id,
            unitId: r.unit_id,
            creativeId: r.creative_id,
            impressions: Number(r.impressions),
            clicks: Number(r.clicks),
            conversions: Number(r.conversions),
            costFen: Math.round(costFen * 1000) / 1000,
            cpmFen: ratio(costFen, Number(r.impressions), 1000),
            ctr: ratio(Number(r.clicks), Number(r.impressions)),
            cpcFen: ratio(costFen, Number(r.clicks)),
            cvr: ratio(Number(r.conversions), Number(r.clicks)),
            cpaFen: ratio(costFen, Number(r.conversions)),
            tradeAmountFen: Number(r.gmv_fen),
            tradeCount: Number(r.conversions),
          };
        }),
      };
    },

    /**
     * The market snapshot the client forecasts with (the engine's MarketSnapshot, v2), built from
     * what was served: the configured market's traffic and competition model, with each template's
     * base CTR replaced by the served one once there is enough of it (≥ 1000 impressions; served
     * clicks over the impressions' placement CTR factors) and each objective's CVR by the served
     * one (≥ 100 clicks).
     */
    market(): MarketSnapshot {
      const ctrByTemplate = { ...market.ctrByTemplate };
      for (const t of TEMPLATES) {
        const o = byTemplate.get(t);
        if (o && o.impressions >= 1000 && o.factor > 0) ctrByTemplate[t] = Math.min(1, o.clicks / o.factor);
      }
      const cvrByObjective = { ...market.cvrByObjective };
      for (const ob of OBJECTIVES) {
        const o = byObjective.get(ob);
        if (o && o.clicks >= 100) cvrByObjective[ob] = Math.min(1, o.conversions / o.clicks);
      }
      return { ...market, version: `served-${utcHour(Date.now())}-${servedImpressions}`, ctrByTemplate, cvrByObjective };
    },
  };
}

export type Serving = ReturnType<typeof createServing>;
