import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Creative, Plan, Scene, SearchWord, Unit } from '../shared/domain/entities';
import { isScheduled } from '../shared/domain/schedule';
// The ONE server module coupled to the engine: only its stable primitives are used here.
import { auctionOutcome, clearingPriceEcpm, compileCompetition, cpcChargeFen, cpmChargeMilliFen, OUTCOME_WON, topCompetitorEcpm, type Competition } from '../shared/engine/auction';
import { bestValueEcpm, compileBids, type BidProgram } from '../shared/engine/bidding';
import { demoMarket, type MarketSnapshot } from '../shared/engine/index';
import type { SceneMarket } from '../shared/engine/market';
import { DualPacer } from '../shared/engine/pacing';
import { normInv } from '../shared/engine/prng';
import type { DecideRequest, DecideResponse, EventsRequest, EventsResponse, Placement, ShownAd, StatsResponse, StatsRow } from '../shared/sync/wire';
import type { SqlDatabase } from './sql';

/**
 * Serving: `/v1/decide` runs the shared engine's single-slot second-price auction between the
 * eligible plans of every merchant (and the market's other advertisers, drawn from the scene's
 * competition model), with live daily budgets, STANDARD pacing (the engine's DualPacer, updated
 * each minute against the day's traffic curve), schedules and a per-user frequency cap.
 *
 * Hot state lives in memory (what is eligible, today's spend, pacing, caps); delivery is counted
 * in memory and flushed to `delivery_hourly` every `flushMs` (and before stats are read, and on
 * close). Spend is reloaded from `delivery_hourly` on start, so a restart does not reset budgets.
 * What is eligible is rebuilt when the change feed moves (checked at most every `refreshMs`).
 */

/** Which scenes may fill a placement (全域智投 INTELLIGENT plans may fill every one). */
export const PLACEMENT_SCENES: Record<Placement, readonly Scene[]> = {
  home_feed: ['DISPLAY', 'INTELLIGENT'],
  search: ['SEARCH', 'INTELLIGENT'],
  splash: ['BRAND', 'INTELLIGENT'],
  banner: ['DISPLAY', 'BRAND', 'INTELLIGENT'],
};
/** Impressions of one plan one user may see per (merchant-local) day. */
export const FREQUENCY_CAP_PER_DAY = 3;
const IMPRESSION_TTL_MS = 7 * 24 * 3600_000;

interface UnitEntry {
  unit: Unit;
  program: BidProgram;
  creatives: Creative[];
  /** Search words, compact (only units of enabled SEARCH plans have any). */
  words: Pick<SearchWord, 'word' | 'matchType' | 'bidFen'>[];
}
interface PlanEntry {
  merchantId: string;
  timeZone: string;
  plan: Plan;
  units: UnitEntry[];
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
interface SceneObserved {
  requests: number;
  impressions: number;
  clicks: number;
  conversions: number;
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
const lognormal = (base: number, sigma: number, u: number) => base * Math.exp(sigma * normInv(u) - (sigma * sigma) / 2);

function wordMatches(w: Pick<SearchWord, 'word' | 'matchType'>, query: string): boolean {
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

export function createServing(db: SqlDatabase, opts: ServingOptions = {}) {
  const market = opts.market ?? demoMarket();
  const competition = new Map<Scene, Competition>();
  for (const s of Object.keys(market.scenes) as Scene[]) competition.set(s, compileCompetition(market.scenes[s]));
  const hourShareSum = market.hourShare.reduce((a, b) => a + b, 0) || 1;

  const secret = randomBytes(32);
  let plans: PlanEntry[] = [];
  let loadedSeq = -1;
  let lastRefreshCheck = 0;
  let loading: Promise<void> | undefined;

  const spentMilli = new Map<string, number>(); // planId|localDate → milli-fen
  const pacers = new Map<string, { pacer: DualPacer; slice: number; sliceSpend: number }>();
  const freq = new Map<string, number>(); // user|plan|localDate → impressions
  const seenEvents = new Set<string>();
  const pending = new Map<string, Counter>();
  const observed = new Map<Scene, SceneObserved>();
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
    // Search words only for units of enabled SEARCH plans, and only what matching needs.
    const searchPlans = new Set(planRows.filter((p) => p.data.scene === 'SEARCH' && p.data.status === 'ENABLED').map((p) => p.data.id));
    const searchUnits = new Set(unitRows.filter((u) => searchPlans.has(u.data.planId)).map((u) => u.data.id));
    const wordRows: { data: Pick<SearchWord, 'word' | 'matchType' | 'bidFen' | 'unitId'> }[] = [];
    for (const r of await db.all<{ unit_id: string; data: string }>('SELECT unit_id, data FROM search_words WHERE deleted = 0')) {
      if (!searchUnits.has(r.unit_id)) continue;
      const w = JSON.parse(r.data) as SearchWord;
      wordRows.push({ data: { word: w.word.trim().toLowerCase(), matchType: w.matchType, bidFen: w.bidFen, unitId: w.unitId } });
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
    const creatives = byUnit(creativeRows.filter((c) => c.data.reviewStatus === 'APPROVED'));
    const words = byUnit(wordRows);
    const next: PlanEntry[] = [];
    for (const { merchantId, data: plan } of planRows) {
      const merchant = merchants.get(merchantId);
      if (!merchant || merchant.balance_fen <= 0 || plan.status !== 'ENABLED') continue;
      const scene = market.scenes[plan.scene];
      const units: UnitEntry[] = [];
      for (const { data: unit } of unitRows) {
        if (unit.planId !== plan.id) continue;
        const cs = creatives.get(unit.id) ?? [];
        if (cs.length === 0) continue;
        units.push({ unit, program: compileBids(plan, [unit], scene), creatives: cs, words: words.get(unit.id) ?? [] });
      }
      if (units.length > 0) next.push({ merchantId, timeZone: merchant.time_zone, plan, units });
    }
    plans = next;
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

  function pacerFor(p: PlanEntry, minute: number): { pacer: DualPacer; slice: number; sliceSpend: number } | undefined {
    if (p.plan.pacing !== 'STANDARD' || p.plan.dailyBudgetFen === null) return undefined;
    let s = pacers.get(p.plan.id);
    if (!s) {
      s = { pacer: new DualPacer(true), slice: minute, sliceSpend: 0 };
      pacers.set(p.plan.id, s);
    }
    if (minute !== s.slice) {
      // End of a one-minute slice: compare its spend with the budget's share of that minute's traffic.
      const local = localTime(s.slice * 60_000, p.timeZone);
      const target = ((p.plan.dailyBudgetFen * 1000 * (market.hourShare[local.hour] ?? 0)) / hourShareSum / 60) * Math.min(1, minute - s.slice);
      s.pacer.update(s.sliceSpend, target);
      s.slice = minute;
      s.sliceSpend = 0;
    }
    return s;
  }

  function noBidEcpm(p: PlanEntry, scene: SceneMarket, local: { hour: number }, spent: number): number {
    if (p.plan.dailyBudgetFen === null) return 2 * Math.exp(scene.competitorEcpmMu);
    let share = 0;
    for (let h = local.hour; h < 24; h++) share += market.hourShare[h] ?? 0;
    const requestsLeft = Math.max(1, (scene.dailyRequests * share) / hourShareSum);
    return Math.max(0, p.plan.dailyBudgetFen - spent / 1000) / (requestsLeft / 1000);
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
      const scenes = PLACEMENT_SCENES[req.placement];
      const seed = `${req.user.id}|${req.time}|${req.placement}|${req.query ?? ''}`;
      const minute = Math.floor(now / 60_000);
      const hour = utcHour(now);

      let best: { ecpm: number; p: PlanEntry; u: UnitEntry; scene: Scene; pCtr: number } | undefined;
      let second = 0;
      let candidates = 0;
      for (const p of plans) {
        const plan = p.plan;
        if (!scenes.includes(plan.scene)) continue;
        const local = localTime(now, p.timeZone);
        if (local.date < plan.startDate || (plan.endDate !== null && local.date > plan.endDate) || !isScheduled(plan.timeSchema, local.dow, local.hour)) continue;
        const spent = spentMilli.get(`${plan.id}|${local.date}`) ?? 0;
        if (plan.dailyBudgetFen !== null && spent >= plan.dailyBudgetFen * 1000) continue;
        if ((freq.get(`${req.user.id}|${plan.id}|${local.date}`) ?? 0) >= FREQUENCY_CAP_PER_DAY) continue;
        const scene = market.scenes[plan.scene];
        const pCtr = lognormal(scene.baseCtr, scene.ctrSigma, uniform(seed, 1 + plan.id.length));
        const pCvr = lognormal(scene.baseCvr, scene.cvrSigma, uniform(seed, 101 + plan.id.length));
        const shade = pacerFor(p, minute)?.pacer.shade() ?? 1;
        const nb = noBidEcpm(p, scene, local, spent);
        for (const u of p.units) {
          let program = u.program;
          if (plan.scene === 'SEARCH') {
            // 搜索宝: a unit enters only for a query one of its words matches, at that word's bid.
            if (!req.query) continue;
            const bids = u.words.filter((w) => wordMatches(w, req.query ?? '')).map((w) => w.bidFen);
            if (bids.length === 0) continue;
            if (u.unit.bidType === 'DEFAULT') program = compileBids(plan, [{ ...u.unit, bidFen: Math.max(...bids) }], scene);
          }
          const ecpm = bestValueEcpm(program, pCtr, pCvr, nb) * shade;
          if (!(ecpm > 0)) continue;
          candidates++;
          if (!best || ecpm > best.ecpm) {
            if (best) second = Math.max(second, best.ecpm);
            best = { ecpm, p, u, scene: plan.scene, pCtr };
          } else second = Math.max(second, ecpm);
        }
      }
      for (const s of scenes) {
        const o = observed.get(s) ?? { requests: 0, impressions: 0, clicks: 0, conversions: 0 };
        o.requests++;
        observed.set(s, o);
      }
      if (!best) return { ads: [], candidates };

      const comp = competition.get(best.scene)!;
      const top = Math.max(second, topCompetitorEcpm(uniform(seed, 7), comp));
      if (auctionOutcome(best.ecpm, top, comp.reserveEcpmFen) !== OUTCOME_WON) return { ads: [], candidates };
      const price = clearingPriceEcpm(top, comp.reserveEcpmFen);
      const { p, u } = best;
      const plan = p.plan;
      const local = localTime(now, p.timeZone);
      const creative = u.creatives[Math.floor(uniform(seed, 13) * u.creatives.length)] ?? u.creatives[0]!;
      const cpcFen = plan.chargeType === 'CPC' ? cpcChargeFen(price, best.pCtr) : 0;
      const costMilli = plan.chargeType === 'CPC' ? 0 : cpmChargeMilliFen(price);
      const ad = { merchantId: p.merchantId, planId: plan.id, unitId: u.unit.id, creativeId: creative.id };

      // Live budget, pacing and cap state move now; the counts reach the database on the next flush.
      const spendKey = `${plan.id}|${local.date}`;
      spentMilli.set(spendKey, (spentMilli.get(spendKey) ?? 0) + costMilli);
      const pacer = pacerFor(p, minute);
      if (pacer) pacer.sliceSpend += costMilli;
      const fk = `${req.user.id}|${plan.id}|${local.date}`;
      if (freq.size > 2_000_000) freq.clear();
      freq.set(fk, (freq.get(fk) ?? 0) + 1);
      count(ad, hour, { impressions: 1, costMilli });
      observed.get(best.scene)!.impressions++;

      const payload = Buffer.from(JSON.stringify([ad.merchantId, ad.planId, ad.unitId, ad.creativeId, plan.chargeType, cpcFen, now, best.scene, uniform(seed, 17).toString(36).slice(2, 10)])).toString('base64url');
      const shown: ShownAd = {
        impressionId: `${payload}.${sign(payload)}`,
        ...ad,
        template: creative.template,
        title: creative.title,
        description: creative.description,
        chargeType: plan.chargeType,
        priceEcpmFen: Math.round(price * 100) / 100,
      };
      return { ads: [shown], candidates };
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
        const [merchantId, planId, unitId, creativeId, , cpcFen, shownAt, scene] = fields as [string, string, string, string, string, number, number, Scene];
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
        const o = observed.get(scene);
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
          if (o) o.clicks++;
        } else {
          count(ad, hour, { conversions: 1, gmvFen: e.orderValueFen ?? 0 });
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
     * The market snapshot the client forecasts with, built from what was served: the demo
     * market's competition model, with each scene's CTR and CVR replaced by the served ones once
     * there is enough of them (≥ 1000 impressions, ≥ 100 clicks).
     */
    market(): MarketSnapshot {
      const scenes = { ...market.scenes };
      let impressions = 0;
      for (const s of Object.keys(scenes) as Scene[]) {
        const o = observed.get(s);
        if (!o) continue;
        impressions += o.impressions;
        const next: SceneMarket = { ...scenes[s] };
        if (o.impressions >= 1000) next.baseCtr = o.clicks / o.impressions;
        if (o.clicks >= 100) next.baseCvr = o.conversions / o.clicks;
        scenes[s] = next;
      }
      return { ...market, version: `served-${utcHour(Date.now())}-${impressions}`, scenes };
    },

    /** Test hook: what is currently eligible. */
    eligiblePlanIds: () => plans.map((p) => p.plan.id),
    invalidate(): void {
      lastRefreshCheck = 0;
    },
  };
}

export type Serving = ReturnType<typeof createServing>;
