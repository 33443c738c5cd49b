import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlanRow, SyncSummary } from '../../shared/contract';
import type { CheckIssue, UserRule } from '../../shared/domain/checks';
import type { Merchant } from '../../shared/domain/entities';
import { DEMO_MERCHANT_ID } from '../../shared/domain/demo';
import { startServer, type RunningServer } from '../../server/app';
import { DEMO_GROUP_AGENCY_TOKEN, NORTHPEAK_MERCHANT_ID } from '../../server/seed';
import { createCore, type Core } from './core';
import { DB_FILE_NAME } from './store/db';
import { MIGRATIONS } from './store/migrations';
import { call, fail, tempDir } from './testing';

/** Reads of the contract scoped to one merchant of a store that holds several; user rules per merchant. */
let server: RunningServer;
let core: Core;
beforeAll(async () => {
  server = await startServer({ port: 0, dbPath: path.join(tempDir('lantern-srv-'), 'server.sqlite'), autoApproveAfterMs: null });
  core = createCore({ dataDir: tempDir(), serverUrl: server.url, token: DEMO_GROUP_AGENCY_TOKEN, syncRetry: { attempts: 2, baseMs: 5, maxMs: 10 } });
  await call(core, 'sync.run', { merchantIds: [DEMO_MERCHANT_ID, NORTHPEAK_MERCHANT_ID] });
});
afterAll(async () => {
  await core.close();
  await server.close();
});

const rule = (over: Partial<UserRule> = {}): UserRule => ({ id: 'short', name: 'short plan names', entity: 'plan', field: 'name', op: 'maxLength', value: 4, severity: 'error', ...over });

describe('reads scoped to one merchant', () => {
  it('plans.list and account.get answer for the merchant named, the first by default', async () => {
    const all = await call<PlanRow[]>(core, 'plans.list', {});
    const np = await call<PlanRow[]>(core, 'plans.list', { merchantId: NORTHPEAK_MERCHANT_ID });
    const shanlan = await call<PlanRow[]>(core, 'plans.list', { merchantId: DEMO_MERCHANT_ID });
    expect(np.map((r) => r.plan.id).sort()).toEqual(['pl_np_double11_brand', 'pl_np_launch']);
    expect(np.every((r) => r.plan.merchantId === NORTHPEAK_MERCHANT_ID)).toBe(true);
    expect(shanlan.every((r) => r.plan.merchantId === DEMO_MERCHANT_ID)).toBe(true);
    expect(np.length + shanlan.length).toBe(all.length);
    expect((await call<Merchant>(core, 'account.get', { merchantId: NORTHPEAK_MERCHANT_ID })).nameEn).toBe('Northpeak Phones');
    expect((await call<Merchant>(core, 'account.get', {})).id).toBe(DEMO_MERCHANT_ID);
    expect((await fail(core, 'account.get', { merchantId: 'mc_nobody' })).code).toBe('not_found');
    expect((await fail(core, 'plans.list', { merchantId: 'mc_nobody' })).code).toBe('not_found');
  });

  it('entities.list, checks.run, sync.stats and csv.export take the merchant too', async () => {
    const units = await call<{ total: number; rows: { row: { id: string } }[] }>(core, 'entities.list', { kind: 'unit', merchantId: NORTHPEAK_MERCHANT_ID });
    expect(units.rows.map((r) => r.row.id).sort()).toEqual(['un_np_brand_top', 'un_np_launch_ocpx']);
    const allUnits = await call<{ total: number }>(core, 'entities.list', { kind: 'unit' });
    expect(allUnits.total).toBeGreaterThan(units.total);
    const packs = await call<{ rows: { row: { merchantId: string } }[] }>(core, 'entities.list', { kind: 'audiencePack', merchantId: DEMO_MERCHANT_ID });
    expect(packs.rows.length).toBeGreaterThan(0);
    expect(packs.rows.every((r) => r.row.merchantId === DEMO_MERCHANT_ID)).toBe(true);

    await call(core, 'entities.update', { kind: 'plan', id: 'pl_np_launch', patch: { endDate: '2026-01-01' } });
    const npIssues = await call<{ issues: CheckIssue[] }>(core, 'checks.run', { merchantId: NORTHPEAK_MERCHANT_ID });
    const shIssues = await call<{ issues: CheckIssue[] }>(core, 'checks.run', { merchantId: DEMO_MERCHANT_ID });
    expect(npIssues.issues.map((i) => i.code)).toContain('plan.end_before_start');
    expect(shIssues.issues.some((i) => i.entityId === 'pl_np_launch')).toBe(false);
    await call(core, 'journal.undo', {});

    const csv = await call<{ text: string }>(core, 'csv.export', { kind: 'plan', merchantId: NORTHPEAK_MERCHANT_ID });
    expect(csv.text).toContain('pl_np_launch');
    expect(csv.text).not.toContain('pl_autumn_latte');
    const stats = await call<{ rows: { planId: string }[] }>(core, 'sync.stats', { merchantId: NORTHPEAK_MERCHANT_ID });
    expect(stats.rows.every((r) => r.planId.startsWith('pl_np_'))).toBe(true);
    expect((await call<{ rows: unknown[] }>(core, 'sync.stats', { merchantId: NORTHPEAK_MERCHANT_ID, planId: 'pl_autumn_latte' })).rows).toEqual([]);
  });
});

describe('user rules per merchant', () => {
  it("are saved, listed and applied per merchant: one account's rule never checks or blocks another's rows", async () => {
    await call(core, 'rules.save', { merchantId: DEMO_MERCHANT_ID, rules: [rule()] });
    expect(await call<UserRule[]>(core, 'rules.list', { merchantId: DEMO_MERCHANT_ID })).toEqual([rule()]);
    expect(await call<UserRule[]>(core, 'rules.list', {})).toEqual([rule()]);
    expect(await call<UserRule[]>(core, 'rules.list', { merchantId: NORTHPEAK_MERCHANT_ID })).toEqual([]);
    // The same id in another account is its own rule.
    await call(core, 'rules.save', { merchantId: NORTHPEAK_MERCHANT_ID, rules: [rule({ value: 200, severity: 'warning' })] });
    expect(await call<UserRule[]>(core, 'rules.list', { merchantId: DEMO_MERCHANT_ID })).toEqual([rule()]);

    const issues = (await call<{ issues: CheckIssue[] }>(core, 'checks.run', {})).issues.filter((i) => i.code === 'rule:short');
    // Every Shanlan plan name is longer than 4; no Northpeak plan breaks its own (200) rule.
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.entityId.startsWith('pl_') && !i.entityId.startsWith('pl_np_'))).toBe(true);

    // Northpeak's edit posts although Shanlan's rule would call its name too long.
    await call(core, 'entities.update', { kind: 'plan', id: 'pl_np_launch', patch: { name: '新机首发·二期 Launch, phase 2' } });
    const s = await call<SyncSummary>(core, 'sync.run', { merchantIds: [NORTHPEAK_MERCHANT_ID] });
    expect(s.results).toContainEqual(expect.objectContaining({ entityId: 'pl_np_launch', status: 'applied' }));
    expect((await fail(core, 'rules.save', { merchantId: 'mc_nobody', rules: [] })).code).toBe('not_found');
    await call(core, 'rules.save', { merchantId: DEMO_MERCHANT_ID, rules: [] });
    await call(core, 'rules.save', { merchantId: NORTHPEAK_MERCHANT_ID, rules: [] });
  });

  it('a store from before rules had owners gives its global rules to every merchant in it', async () => {
    const perMerchant = MIGRATIONS.find((m) => m.name === 'user_rules_per_merchant')?.version ?? 0;
    expect(perMerchant).toBeGreaterThan(5);
    const dir = tempDir();
    const raw = new Database(path.join(dir, DB_FILE_NAME));
    raw.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of MIGRATIONS.filter((x) => x.version < perMerchant)) {
      raw.exec(m.sql);
      raw.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    }
    raw.prepare("INSERT INTO merchants VALUES ('mc_a', 'A', 'A', 'CNY', 'Asia/Shanghai', 0), ('mc_b', 'B', 'B', 'CNY', 'Asia/Shanghai', 0)").run();
    const one = rule();
    const two = rule({ id: 'cap', name: 'cap', field: 'dailyBudgetFen', op: 'lt', value: 500_000 });
    // Saved by the old rules.save, under the first merchant, applied to all.
    raw.prepare('INSERT INTO user_rules (id, merchant_id, data) VALUES (?, ?, ?), (?, ?, ?)').run(one.id, 'mc_a', JSON.stringify(one), two.id, 'mc_a', JSON.stringify(two));
    raw.close();
    const old = createCore({ dataDir: dir });
    try {
      expect(await call<UserRule[]>(old, 'rules.list', { merchantId: 'mc_a' })).toEqual([one, two]);
      expect(await call<UserRule[]>(old, 'rules.list', { merchantId: 'mc_b' })).toEqual([one, two]);
      await call(old, 'rules.save', { merchantId: 'mc_b', rules: [two] });
      expect(await call<UserRule[]>(old, 'rules.list', { merchantId: 'mc_a' })).toEqual([one, two]);
      expect(await call<UserRule[]>(old, 'rules.list', { merchantId: 'mc_b' })).toEqual([two]);
    } finally {
      await old.close();
    }
  });
});
