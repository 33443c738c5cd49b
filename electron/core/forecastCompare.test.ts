import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, ForecastOutput, LanternEvent } from '../../shared/contract';
import { createCore, type Core } from './core';
import { buildEngineWorker, tempDir } from './testing';

function value<T>(e: Envelope<T>): T {
  if (!e.ok) throw new Error(`expected ok, got ${e.error.code}: ${e.error.message}`);
  return e.value;
}

describe('forecast as posted vs with my edits', () => {
  let core: Core;
  beforeAll(async () => {
    core = createCore({ dataDir: tempDir(), engineWorkerFile: await buildEngineWorker(), today: () => '2026-11-25' });
  });
  afterAll(async () => {
    await core.close();
  });
  const run = async (input: Record<string, unknown>) => value(await core.call('forecast.run', { planId: 'pl_autumn_latte', days: 1, seed: 5, ...input })) as ForecastOutput;

  it('takes back unposted plan and unit edits and local deletes', async () => {
    const before = await run({});
    expect(before.includesUnposted).toBe(false);
    expect(before.asPosted).toBe(false);

    value(await core.call('plans.update', { id: 'pl_autumn_latte', patch: { dailyBudgetFen: 50_000 } }));
    const units = value(await core.call('entities.list', { kind: 'unit', parentId: 'pl_autumn_latte' })) as { rows: { row: { id: string } }[] };
    const [first, second] = units.rows.map((r) => r.row.id);
    value(await core.call('entities.update', { kind: 'unit', id: first!, patch: { name: 'renamed locally' } }));
    value(await core.call('entities.delete', { kind: 'unit', ids: [second!] }));

    const edited = await run({});
    const posted = await run({ asPosted: true });
    expect(edited.includesUnposted).toBe(true);
    expect(posted.includesUnposted).toBe(false);
    expect(posted.asPosted).toBe(true);
    // The seeded engine is deterministic: the posted plan forecasts exactly as before the edits.
    expect(posted.totals).toEqual(before.totals);
    expect(edited.totals.spendFen).toBeLessThan(before.totals.spendFen);
  });

  it('refuses a plan that was never posted', async () => {
    const created = value(await core.call('entities.duplicate', { kind: 'plan', id: 'pl_member_feed' })) as { id: string };
    expect((await core.call('forecast.run', { planId: created.id, days: 1 })).ok).toBe(true);
    const e = await core.call('forecast.run', { planId: created.id, days: 1, asPosted: true });
    expect(e.ok).toBe(false);
    if (!e.ok) expect(e.error.code).toBe('not_found');
  });

  it('tags progress events with the caller\'s request id', async () => {
    const seen: LanternEvent[] = [];
    const off = core.subscribe((e) => seen.push(e));
    await run({ requestId: 'drag-42' });
    off();
    const estimates = seen.filter((e) => e.type === 'forecast.progress' && e.estimate);
    expect(estimates).toHaveLength(1);
    const ev = estimates[0];
    if (ev?.type !== 'forecast.progress') throw new Error('no estimate');
    expect(ev.requestId).toBe('drag-42');
    expect(ev.estimate?.clicks).toHaveLength(24);
    expect(ev.estimate?.bands?.spendFen.p90).toHaveLength(24);
  });
});
