import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContractErrorShape, Envelope } from '../../shared/contract';
import { demoMarket } from '../../shared/engine';
import { createCore, type Core } from './core';
import { MARKET_SNAPSHOT_KEY } from './sync/settingsKeys';
import { dateInZone } from './time';
import { DB_FILE_NAME, openStore } from './store/db';
import { settings } from './store/settings';
import { buildEngineWorker, tempDir } from './testing';

let workerFile: string;
const cores: Core[] = [];
beforeAll(async () => {
  workerFile = await buildEngineWorker();
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
});

function open(dataDir = tempDir()): Core {
  const core = createCore({ dataDir, engineWorkerFile: workerFile, today: () => '2026-11-25' });
  cores.push(core);
  return core;
}
function value<T>(e: Envelope<T>): T {
  if (!e.ok) throw new Error(`expected ok, got ${e.error.code}: ${e.error.message}`);
  return e.value;
}
function error(e: Envelope<unknown>): ContractErrorShape {
  if (e.ok) throw new Error('expected an error');
  return e.error;
}
type Row = { plan: { id: string; name: string; dailyBudgetFen: number | null }; state: { unposted: boolean; editedFields: string[] }; bidTypes: string[] };
const list = async (core: Core) => value(await core.call('plans.list', {})) as Row[];

describe('core store', () => {
  it('seeds the demo merchant with a plan in every scene, in a real SQLite file in WAL mode', async () => {
    const dir = tempDir();
    const core = open(dir);
    const rows = await list(core);
    expect(rows.map((r) => (r.plan as unknown as { scene: string }).scene).sort()).toEqual(['BRAND', 'DISPLAY', 'INTELLIGENT', 'SEARCH']);
    expect(rows.find((r) => r.plan.id === 'pl_autumn_latte')?.bidTypes).toEqual(['OCPX', 'NO_BID']);
    expect(fs.existsSync(path.join(dir, DB_FILE_NAME))).toBe(true);
    expect(fs.existsSync(path.join(dir, `${DB_FILE_NAME}-wal`))).toBe(true);
  });

  it('keeps an edit across a restart and marks the row unposted', async () => {
    const dir = tempDir();
    const first = open(dir);
    value(await first.call('plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 432_150, name: '新名字 New name' } }));
    await first.close();
    cores.splice(cores.indexOf(first), 1);
    const second = open(dir);
    const row = (await list(second)).find((r) => r.plan.id === 'pl_autumn_latte');
    expect(row?.plan.dailyBudgetFen).toBe(432_150);
    expect(row?.plan.name).toBe('新名字 New name');
    expect(row?.state).toEqual({ unposted: true, editedFields: ['name', 'dailyBudgetFen'] });
    expect(value(await second.call('sync.status', {}))).toMatchObject({ pending: 1 });
  });

  it('stores SQL-looking and markup-looking text verbatim', async () => {
    const core = open();
    const name = `'); DROP TABLE plans;-- <script>alert(1)</script>`;
    value(await core.call('plans.update', { id: 'pl_member_feed', patch: { name } }));
    const rows = await list(core);
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.plan.id === 'pl_member_feed')?.plan.name).toBe(name);
  });

  it('emits journal.changed on an edit, and nothing for a no-op edit', async () => {
    const core = open();
    const events: string[] = [];
    core.subscribe((e) => events.push(`${e.type}:${'entityId' in e ? e.entityId : ''}`));
    value(await core.call('plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 300_000 } })); // same value as seeded
    expect(events).toEqual([]);
    value(await core.call('plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 310_000 } }));
    expect(events).toEqual(['journal.changed:pl_autumn_latte']);
  });
});

describe('contract boundary: bad input changes nothing', () => {
  const cases: [string, string, unknown, string][] = [
    ['negative budget', 'plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: -100 } }, 'invalid_input'],
    ['budget over the platform maximum', 'plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 1e13 } }, 'invalid_input'],
    ['fractional fen', 'plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 100.5 } }, 'invalid_input'],
    ['budget as a string', 'plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: '5000' } }, 'invalid_input'],
    ['budget NaN-ish', 'plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: null, extra: 1 } }, 'invalid_input'],
    ['empty name', 'plans.update', { id: 'pl_autumn_latte', patch: { name: '   ' } }, 'invalid_input'],
    ['huge name', 'plans.update', { id: 'pl_autumn_latte', patch: { name: 'x'.repeat(100_000) } }, 'invalid_input'],
    ['name as a number', 'plans.update', { id: 'pl_autumn_latte', patch: { name: 42 } }, 'invalid_input'],
    ['empty patch', 'plans.update', { id: 'pl_autumn_latte', patch: {} }, 'invalid_input'],
    ['unknown id', 'plans.update', { id: 'pl_does_not_exist', patch: { dailyBudgetFen: 500_000 } }, 'not_found'],
    ['id of the wrong type', 'plans.update', { id: 12345, patch: { dailyBudgetFen: 500_000 } }, 'invalid_input'],
    ['SQL in the id', 'plans.get', { id: "pl_x' OR '1'='1" }, 'invalid_input'],
    ['huge id', 'plans.get', { id: `pl_${'a'.repeat(10_000)}` }, 'invalid_input'],
    ['not an object', 'plans.list', 'hello', 'invalid_input'],
    ['unknown method', 'plans.dropAll', {}, 'unknown_method'],
    ['forecast horizon too long', 'forecast.run', { planId: 'pl_autumn_latte', days: 400 }, 'invalid_input'],
  ];
  it.each(cases)('%s → %s', async (_label, method, input, code) => {
    const core = open();
    const before = await list(core);
    const e = error(await core.call(method, input));
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(5);
    expect(e.message.length).toBeLessThan(2_000);
    expect(await list(core)).toEqual(before);
    expect(value(await core.call('sync.status', {}))).toMatchObject({ pending: 0 });
  });

  it('names the offending field in the issues', async () => {
    const core = open();
    const e = error(await core.call('plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: -1 } }));
    expect(e.issues?.[0]?.path).toBe('patch.dailyBudgetFen');
  });
});

describe('forecast through the engine worker', () => {
  // One core (one warm worker pool) for the read-only forecast tests: a cold engine worker
  // spends its first second compiling, and these tests are about answers, not start-up.
  let shared: Core;
  beforeAll(() => {
    shared = createCore({ dataDir: tempDir(), engineWorkerFile: workerFile, today: () => '2026-11-25' });
  });
  afterAll(async () => {
    await shared.close();
  });

  it('runs off the main thread, reports progress, and is deterministic for a seed', async () => {
    const core = shared;
    const progress: number[] = [];
    core.subscribe((e) => {
      if (e.type === 'forecast.progress') progress.push(e.done);
    });
    const a = value(await core.call('forecast.run', { planId: 'pl_autumn_latte', days: 7, seed: 7 })) as {
      hours: number;
      impressions: number[];
      totals: { impressions: number; spendFen: number };
      includesUnposted: boolean;
    };
    expect(a.hours).toBe(168);
    expect(a.impressions).toHaveLength(168);
    expect(a.totals.impressions).toBeGreaterThan(0);
    expect(a.totals.spendFen).toBeLessThanOrEqual(7 * 300_000 + 7 * 10_000);
    expect(a.includesUnposted).toBe(false);
    expect(progress.length).toBeGreaterThan(0);
    const b = value(await core.call('forecast.run', { planId: 'pl_autumn_latte', days: 7, seed: 7 }));
    expect(b).toEqual(a);
  });

  it('sends the fast first estimate on a progress event before the refined answer, with bands and confidence', async () => {
    const core = shared;
    const estimates: Array<{ totals: { impressions: number } }> = [];
    core.subscribe((e) => {
      if (e.type === 'forecast.progress' && e.estimate) estimates.push(e.estimate);
    });
    const f = value(await core.call('forecast.run', { planId: 'pl_autumn_latte', days: 2, seed: 3 })) as {
      stage: string;
      bands: { impressions: { p10: number[]; p90: number[] } };
      confidence: { low: boolean };
      perPlacement: unknown[];
    };
    expect(estimates).toHaveLength(1);
    expect(estimates[0]!.totals.impressions).toBeGreaterThan(0);
    expect(f.stage).toBe('refined');
    expect(f.bands.impressions.p10).toHaveLength(48);
    expect(f.confidence.low).toBe(false);
    expect(f.perPlacement.length).toBeGreaterThan(1);
  });

  it('applies what-if sliders without editing the plan', async () => {
    const core = shared;
    const base = value(await core.call('forecast.run', { planId: 'pl_autumn_latte', days: 1, seed: 4 })) as { totals: { spendFen: number } };
    const half = value(await core.call('forecast.run', { planId: 'pl_autumn_latte', days: 1, seed: 4, whatIf: { dailyBudgetFen: 100_000 } })) as { totals: { spendFen: number } };
    expect(half.totals.spendFen).toBeLessThan(base.totals.spendFen);
    // The daily budget of the what-if, plus the demo OCPX unit's one-click boost budget (¥200,
    // spent on top of the plan's budget), plus at most one auction's price.
    expect(half.totals.spendFen).toBeLessThanOrEqual(100_000 + 20_000 + 5_000);
    expect((await list(core)).find((r) => r.plan.id === 'pl_autumn_latte')?.state.unposted).toBe(false);
    const ocpxOnly = value(await core.call('forecast.run', { planId: 'pl_autumn_latte', days: 1, seed: 4, unitIds: ['un_latte_ocpx'] })) as { totals: { impressions: number } };
    expect(ocpxOnly.totals.impressions).toBeGreaterThan(0);
    expect(error(await core.call('forecast.run', { planId: 'pl_autumn_latte', days: 1, unitIds: ['un_nope'] })).code).toBe('not_found');
  });

  it('answers forecast.landscape and forecast.diagnose through the worker pool', async () => {
    const core = shared;
    const l = value(await core.call('forecast.landscape', { planId: 'pl_search_delivery', days: 1 })) as { points: Array<{ bidMultiplier: number; impressions: number }> };
    expect(l.points.map((p) => p.bidMultiplier)).toEqual([0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    const paused = value(await core.call('forecast.diagnose', { planId: 'pl_member_feed', days: 1 })) as { diagnosis: { top: string; shares: Record<string, number> } };
    expect(paused.diagnosis.top).toBe('status');
    const search = value(await core.call('forecast.diagnose', { planId: 'pl_search_delivery', days: 1 })) as { diagnosis: { shares: Record<string, number> } };
    // the generic-words unit's creative is still in review, and the plan is off at night
    expect(search.diagnosis.shares.schedule).toBeGreaterThan(0);
    expect(error(await core.call('forecast.diagnose', { planId: 'pl_nope', days: 1 })).code).toBe('not_found');
  });

  it('forecasts on the stored market snapshot when valid, else on the demo one', async () => {
    const withSnapshot = (json: string) => {
      const dir = tempDir();
      const db = openStore(dir);
      settings(db).set(MARKET_SNAPSHOT_KEY, json);
      db.close();
      return open(dir);
    };
    const good = withSnapshot(JSON.stringify({ ...demoMarket(), version: 'backend-2026-11-24' }));
    expect((value(await good.call('forecast.diagnose', { planId: 'pl_member_feed', days: 1 })) as { marketVersion: string }).marketVersion).toBe('backend-2026-11-24');
    const bad = withSnapshot(JSON.stringify({ ...demoMarket(), version: 'broken', hourOfWeekShare: [1] }));
    expect((value(await bad.call('forecast.diagnose', { planId: 'pl_member_feed', days: 1 })) as { marketVersion: string }).marketVersion).toBe(demoMarket().version);
  });

  it('labels a forecast of unposted edits as such', async () => {
    const core = open();
    value(await core.call('plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 100_000 } }));
    const f = value(await core.call('forecast.run', { planId: 'pl_autumn_latte', days: 1 })) as { includesUnposted: boolean };
    expect(f.includesUnposted).toBe(true);
  });
});

describe('dateInZone', () => {
  it('uses the merchant zone, not the machine zone', () => {
    // 2026-11-24 20:00 UTC is already the 25th in Shanghai.
    expect(dateInZone(new Date('2026-11-24T20:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-25');
    expect(dateInZone(new Date('2026-11-24T20:00:00Z'), 'UTC')).toBe('2026-11-24');
  });
});

describe('secrets at rest', () => {
  it('stores the sync token sealed when a secret box is given, and never in plain text', async () => {
    const dir = tempDir();
    // A reversible stand-in for safeStorage: what matters here is that the core seals and opens.
    const box = { seal: (s: string) => Buffer.from(s).toString('base64'), open: (s: string) => Buffer.from(s, 'base64').toString() };
    const core = createCore({ dataDir: dir, engineWorkerFile: workerFile, serverUrl: 'http://127.0.0.1:9', token: 'secret-token-123', secretBox: box });
    cores.push(core);
    const raw = fs.readFileSync(path.join(dir, DB_FILE_NAME)).toString('latin1') + (fs.existsSync(path.join(dir, `${DB_FILE_NAME}-wal`)) ? fs.readFileSync(path.join(dir, `${DB_FILE_NAME}-wal`)).toString('latin1') : '');
    expect(raw).not.toContain('secret-token-123');
    // The token is opened for use: the sync fails as offline (nothing listens on port 9), not unauthorized.
    const e = error(await core.call('sync.run', {}));
    expect(e.code).toBe('offline');
  });
});
