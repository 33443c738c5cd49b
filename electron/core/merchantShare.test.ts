import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_ID } from '../../shared/domain/demo';
import { startServer, type RunningServer } from '../../server/app';
import { DEMO_GROUP_AGENCY_TOKEN, NORTHPEAK_MERCHANT_ID } from '../../server/seed';
import { createCore, type Core } from './core';
import { assertProposalFields, foreignChanges } from './store/proposal';
import { fail, ok, tempDir } from './testing';

/**
 * Sharing, importing, listing and searching in a store that holds two merchants (an agency's):
 * each call acts on the merchant named, and one merchant's call never returns or changes the
 * other's rows. Real SQLite stores, downloaded from the real backend.
 */
const SHANLAN = DEMO_MERCHANT_ID;
const NORTHPEAK = NORTHPEAK_MERCHANT_ID;
let server: RunningServer;
const cores: Core[] = [];

/** A store with both merchants, downloaded from the backend. */
async function agencyStore(): Promise<Core> {
  const core = createCore({ dataDir: tempDir(), serverUrl: server.url, token: DEMO_GROUP_AGENCY_TOKEN, syncRetry: { attempts: 2, baseMs: 5, maxMs: 10 } });
  cores.push(core);
  await ok(core, 'sync.run', { merchantIds: [SHANLAN, NORTHPEAK] });
  return core;
}
/** A store with the demo merchant only (no server). */
function singleStore(): Core {
  const core = createCore({ dataDir: tempDir() });
  cores.push(core);
  return core;
}

/** Every row of every kind of one merchant, as stored (to prove a call left it alone). */
async function snapshotOf(core: Core, merchantId: string): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const kind of ['plan', 'unit', 'creative', 'searchWord', 'negativeWord', 'audiencePack', 'gdBooking'] as const) {
    out[kind] = (await ok(core, 'entities.list', { kind, merchantId, limit: 5000 })).rows;
  }
  out.outbox = (await ok(core, 'outbox.list', { merchantId })).rows;
  return out;
}

beforeAll(async () => {
  server = await startServer({ port: 0, dbPath: path.join(tempDir('lantern-srv-'), 'server.sqlite'), autoApproveAfterMs: null });
});
afterAll(async () => {
  for (const c of cores.splice(0)) await c.close();
  await server.close();
});

/** Edits in both accounts: two fields of a Northpeak plan, a Northpeak word… and a Shanlan plan. */
async function editBoth(core: Core): Promise<void> {
  await ok(core, 'entities.update', { kind: 'plan', id: 'pl_np_launch', patch: { dailyBudgetFen: 654_300, name: '新机首发·二期 Launch 2' } });
  await ok(core, 'entities.update', { kind: 'unit', id: 'un_np_launch_ocpx', patch: { targetCpaFen: 13_000 } });
  await ok(core, 'entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { dailyBudgetFen: 310_000 } });
}

describe('outbox.list per merchant', () => {
  it("lists only the named merchant's unposted changes, with its own total and entity count", async () => {
    const core = await agencyStore();
    await editBoth(core);
    const all = await ok(core, 'outbox.list', {});
    const np = await ok(core, 'outbox.list', { merchantId: NORTHPEAK });
    const sh = await ok(core, 'outbox.list', { merchantId: SHANLAN });
    expect(all.total).toBe(4);
    expect(np).toMatchObject({ total: 3, entities: 2 });
    expect(np.rows.map((r) => `${r.entityId}.${r.field}`).sort()).toEqual(['pl_np_launch.dailyBudgetFen', 'pl_np_launch.name', 'un_np_launch_ocpx.targetCpaFen']);
    expect(sh).toMatchObject({ total: 1, entities: 1 });
    expect(sh.rows.map((r) => r.entityId)).toEqual(['pl_autumn_latte']);
    // The limit cuts the rows, never the counts.
    expect(await ok(core, 'outbox.list', { merchantId: NORTHPEAK, limit: 1 })).toMatchObject({ total: 3, entities: 2, rows: [expect.anything()] });
    // A deleted row and a new one are still their account's.
    await ok(core, 'entities.delete', { kind: 'creative', ids: ['cr_np_launch_video'] });
    const { id } = await ok(core, 'entities.create', { kind: 'searchWord', data: { unitId: 'un_search_generic', word: '外卖咖啡', matchType: 'EXACT', bidFen: 60 } });
    expect((await ok(core, 'outbox.list', { merchantId: NORTHPEAK })).rows.map((r) => r.entityId)).toContain('cr_np_launch_video');
    expect((await ok(core, 'outbox.list', { merchantId: SHANLAN })).rows.map((r) => r.entityId)).toEqual(expect.arrayContaining([id]));
    expect((await ok(core, 'outbox.list', { merchantId: NORTHPEAK })).rows.map((r) => r.entityId)).not.toContain(id);
    expect((await fail(core, 'outbox.list', { merchantId: 'mc_nobody' })).code).toBe('not_found');
  });
});

describe('inspect.search per merchant', () => {
  it("finds only the named merchant's rows, filtered before the limit", async () => {
    const core = await agencyStore();
    const all = (await ok(core, 'inspect.search', { query: 'pl_', kinds: ['plan'], limit: 200 })).hits;
    expect(all.some((h) => h.merchantId === SHANLAN) && all.some((h) => h.merchantId === NORTHPEAK)).toBe(true);
    const np = await ok(core, 'inspect.search', { query: 'pl_', kinds: ['plan'], merchantId: NORTHPEAK, limit: 200 });
    expect(np.hits.map((h) => h.id).sort()).toEqual(['pl_np_double11_brand', 'pl_np_launch']);
    // Every kind: an id prefix common to both accounts' rows.
    for (const query of ['un_', 'cr_', 'sw_']) {
      const sh = (await ok(core, 'inspect.search', { query, merchantId: SHANLAN, limit: 200 })).hits;
      expect(sh.length).toBeGreaterThan(0);
      expect(sh.every((h) => h.merchantId === SHANLAN)).toBe(true);
    }
    // Shanlan's many rows come first in the store, yet never crowd Northpeak's out of a small limit.
    expect((await ok(core, 'inspect.search', { query: 'un_', kinds: ['unit'], limit: 1 })).hits[0]?.merchantId).toBe(SHANLAN);
    const one = await ok(core, 'inspect.search', { query: 'un_', kinds: ['unit'], merchantId: NORTHPEAK, limit: 1 });
    expect(one.hits.map((h) => h.merchantId)).toEqual([NORTHPEAK]);
    expect(one.truncated).toBe(true);
    expect((await ok(core, 'inspect.search', { query: 'un_', kinds: ['unit'], merchantId: NORTHPEAK, limit: 2 })).truncated).toBe(false);
    // Another account's row by its exact id is not found in this one.
    expect((await ok(core, 'inspect.search', { query: 'pl_np_launch', merchantId: SHANLAN })).hits).toEqual([]);
    expect((await ok(core, 'inspect.search', { query: 'X9', merchantId: SHANLAN })).hits).toEqual([]);
    expect((await ok(core, 'inspect.search', { query: 'X9', merchantId: NORTHPEAK })).hits.length).toBeGreaterThan(0);
    expect((await fail(core, 'inspect.search', { query: 'x', merchantId: 'mc_nobody' })).code).toBe('not_found');
  });
});

describe('proposals per merchant', () => {
  it("exports only the named merchant's changes, recorded in the file; several accounts and none named is refused", async () => {
    const core = await agencyStore();
    await editBoth(core);
    const np = await ok(core, 'proposal.export', { merchantId: NORTHPEAK, author: 'Li', comment: '二期' });
    const file = JSON.parse(np.content) as { merchantId: string; changes: { entityId: string }[] };
    expect(np.changes).toBe(3);
    expect(file.merchantId).toBe(NORTHPEAK);
    expect(new Set(file.changes.map((c) => c.entityId))).toEqual(new Set(['pl_np_launch', 'un_np_launch_ocpx']));
    const sh = JSON.parse((await ok(core, 'proposal.export', { merchantId: SHANLAN })).content) as { merchantId: string; changes: { entityId: string }[] };
    expect(sh.merchantId).toBe(SHANLAN);
    expect(sh.changes.map((c) => c.entityId)).toEqual(['pl_autumn_latte']);
    const none = await fail(core, 'proposal.export', {});
    expect(none).toMatchObject({ code: 'invalid_input', issues: [{ path: 'merchantId' }], details: { reason: 'choose_account' } });
    expect((await fail(core, 'proposal.export', { merchantId: 'mc_nobody' })).code).toBe('not_found');
  });

  it("a reviewer applies a Northpeak proposal to Northpeak only: Shanlan's rows never change", async () => {
    const author = await agencyStore();
    await editBoth(author);
    const { content } = await ok(author, 'proposal.export', { merchantId: NORTHPEAK, author: 'Li' });

    const reviewer = await agencyStore();
    await ok(reviewer, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { name: 'reviewer edit' } });
    const shanlanBefore = await snapshotOf(reviewer, SHANLAN);
    const npBefore = await snapshotOf(reviewer, NORTHPEAK);
    // Reviewed with Shanlan open: refused with both accounts named, nothing held or changed.
    const wrong = await fail(reviewer, 'proposal.preview', { content, merchantId: SHANLAN });
    expect(wrong).toMatchObject({ code: 'invalid_input', details: { reason: 'other_account', proposalMerchantId: NORTHPEAK, openMerchantId: SHANLAN } });
    expect(wrong.message).toContain('switch to Northpeak Phones');
    expect(await snapshotOf(reviewer, NORTHPEAK)).toEqual(npBefore);

    const pv = await ok(reviewer, 'proposal.preview', { content, merchantId: NORTHPEAK });
    expect(pv.merchant).toEqual({ id: NORTHPEAK, name: '北峰手机', nameEn: 'Northpeak Phones' });
    expect(pv.changes.map((c) => c.entityId).sort()).toEqual(['pl_np_launch', 'pl_np_launch', 'un_np_launch_ocpx']);
    // The token is the Northpeak preview's: applying it as Shanlan's is refused.
    expect((await fail(reviewer, 'proposal.apply', { token: pv.token, merchantId: SHANLAN })).issues?.[0]).toMatchObject({ path: 'merchantId' });
    expect(await ok(reviewer, 'proposal.apply', { token: pv.token, merchantId: NORTHPEAK })).toMatchObject({ changed: 3 });
    expect((await ok(reviewer, 'entities.get', { kind: 'plan', id: 'pl_np_launch' })).row).toMatchObject({ dailyBudgetFen: 654_300, name: '新机首发·二期 Launch 2' });
    expect(await snapshotOf(reviewer, SHANLAN)).toEqual(shanlanBefore);
    expect((await ok(reviewer, 'outbox.list', { merchantId: NORTHPEAK })).total).toBe(3);

    // Without the open account named, the file's own merchant is used.
    await ok(reviewer, 'journal.undo', {});
    const again = await ok(reviewer, 'proposal.preview', { content });
    expect(again.merchant.id).toBe(NORTHPEAK);
  });

  it('a file naming one merchant but changing rows of another is refused whole (an old all-accounts export too)', async () => {
    const author = await agencyStore();
    await editBoth(author);
    const { content } = await ok(author, 'proposal.export', { merchantId: SHANLAN });
    // What the export wrote before it took a merchant: every account's changes under the first one.
    const all = (await ok(author, 'outbox.list', {})).rows.map(({ entity, entityId, field, oldValue, newValue }) => ({ entity, entityId, field, oldValue, newValue }));
    const legacy = JSON.stringify({ ...JSON.parse(content), changes: all });

    const reviewer = await agencyStore();
    const before = [await snapshotOf(reviewer, SHANLAN), await snapshotOf(reviewer, NORTHPEAK)];
    for (const open of [SHANLAN, undefined]) {
      const e = await fail(reviewer, 'proposal.preview', { content: legacy, ...(open ? { merchantId: open } : {}) });
      expect(e).toMatchObject({ code: 'invalid_input', details: { reason: 'foreign_rows', merchantId: SHANLAN, count: 3, owners: [NORTHPEAK] } });
      expect(e.issues?.map((i) => i.message)).toEqual(expect.arrayContaining(['plan pl_np_launch: account mc_northpeak', 'unit un_np_launch_ocpx: account mc_northpeak']));
    }
    // A new row under another account's plan, a new row under that row, and a move into another account.
    const base = JSON.parse(content) as Record<string, unknown>;
    const forged = (changes: unknown[]) => JSON.stringify({ ...base, changes });
    const unit = { id: 'un_forged', planId: 'pl_np_launch', name: 'forged', bidType: 'DEFAULT', bidFen: 100, targetCpaFen: null, targetRoi: null };
    const word = { id: 'sw_forged', unitId: 'un_forged', word: '伪造', matchType: 'EXACT', bidFen: 60 };
    const created = await fail(reviewer, 'proposal.preview', {
      content: forged([
        { entity: 'unit', entityId: 'un_forged', field: '_row', oldValue: null, newValue: unit },
        { entity: 'searchWord', entityId: 'sw_forged', field: '_row', oldValue: null, newValue: word },
      ]),
    });
    expect(created).toMatchObject({ details: { reason: 'foreign_rows', count: 2 } });
    const moved = await fail(reviewer, 'proposal.preview', {
      content: forged([{ entity: 'unit', entityId: 'un_latte_ocpx', field: 'planId', oldValue: 'pl_autumn_latte', newValue: 'pl_np_launch' }]),
    });
    expect(moved).toMatchObject({ details: { reason: 'foreign_rows', count: 1, owners: [NORTHPEAK] } });
    const nowhere = await fail(reviewer, 'proposal.preview', {
      content: forged([{ entity: 'unit', entityId: 'un_forged', field: '_row', oldValue: null, newValue: { ...unit, planId: 'pl_not_here' } }]),
    });
    expect(nowhere.issues?.[0]?.message).toBe('unit un_forged: in no account here');
    // The same new unit under Shanlan's own plan is fine.
    const own = await ok(reviewer, 'proposal.preview', { content: forged([{ entity: 'unit', entityId: 'un_forged', field: '_row', oldValue: null, newValue: { ...unit, planId: 'pl_autumn_latte' } }]) });
    expect(own.changes).toMatchObject([{ entityId: 'un_forged', stale: false }]);
    expect([await snapshotOf(reviewer, SHANLAN), await snapshotOf(reviewer, NORTHPEAK)]).toEqual(before);
  });

  it('a file for an account not in this store is refused; a file naming no account needs one unless the store has one', async () => {
    const author = await agencyStore();
    await editBoth(author);
    const np = await ok(author, 'proposal.export', { merchantId: NORTHPEAK });
    const sh = await ok(author, 'proposal.export', { merchantId: SHANLAN });

    const single = singleStore();
    const missing = await fail(single, 'proposal.preview', { content: np.content });
    expect(missing).toMatchObject({ code: 'not_found', details: { reason: 'account_missing', proposalMerchantId: NORTHPEAK } });
    expect(missing.message).toContain('download it first');
    // No merchant in the file: the store's only one (its rows only, as always).
    const { merchantId: _dropped, ...unnamed } = JSON.parse(sh.content) as Record<string, unknown>;
    const pv = await ok(single, 'proposal.preview', { content: JSON.stringify(unnamed) });
    expect(pv.merchant.id).toBe(SHANLAN);
    expect(await ok(single, 'proposal.apply', { token: pv.token })).toMatchObject({ changed: 1 });
    expect((await ok(single, 'entities.get', { kind: 'plan', id: 'pl_autumn_latte' })).row.dailyBudgetFen).toBe(310_000);

    // With several accounts here, the reviewer's open account says which (and its rows must be).
    const agency = await agencyStore();
    expect(await fail(agency, 'proposal.preview', { content: JSON.stringify(unnamed) })).toMatchObject({ code: 'invalid_input', details: { reason: 'choose_account' } });
    expect((await fail(agency, 'proposal.preview', { content: JSON.stringify(unnamed), merchantId: NORTHPEAK })).details).toMatchObject({ reason: 'foreign_rows', owners: [SHANLAN] });
    expect((await ok(agency, 'proposal.preview', { content: JSON.stringify(unnamed), merchantId: SHANLAN })).merchant.id).toBe(SHANLAN);
  });
});

describe('csv.preview per merchant', () => {
  it("imports into the named merchant only: another account's row by id or by name is an error on its line", async () => {
    const core = await agencyStore();
    const before = await snapshotOf(core, SHANLAN);
    const npCsv = (await ok(core, 'csv.export', { kind: 'plan', merchantId: NORTHPEAK })).text;
    const edited = npCsv.replace('全域智投·新机首发 X9 Launch Smart Delivery', '新机首发 CSV');
    // Several accounts and none named: which one is asked, not guessed.
    expect(await fail(core, 'csv.preview', { kind: 'plan', text: edited })).toMatchObject({ code: 'invalid_input', details: { reason: 'choose_account' } });
    // Northpeak's rows imported as Shanlan's: each line is an error, nothing would change.
    const foreign = await ok(core, 'csv.preview', { kind: 'plan', text: edited, merchantId: SHANLAN });
    const npPlans = (await ok(core, 'plans.list', { merchantId: NORTHPEAK })).length;
    expect(foreign).toMatchObject({ updates: 0, creates: 0, errorRows: npPlans });
    expect(foreign.sample[0]?.errors[0]).toMatch(/is another account's/);
    // Confirming it anyway changes nothing in either account.
    const npBefore = await snapshotOf(core, NORTHPEAK);
    expect((await ok(core, 'csv.apply', { token: foreign.token })).changed).toBe(0);
    expect(await snapshotOf(core, NORTHPEAK)).toEqual(npBefore);
    // By name path: a Northpeak unit's bid, named Plan › name, while Shanlan is open: Shanlan has no such plan.
    const unitCsv = 'Plan,name,targetCpaYuan\n全域智投·新机首发 X9 Launch Smart Delivery,"X9·高端人群 X9, premium buyers",150\n';
    const asShanlan = await ok(core, 'csv.preview', { kind: 'unit', text: unitCsv, merchantId: SHANLAN });
    expect(asShanlan).toMatchObject({ updates: 0, errorRows: 1 });
    expect(asShanlan.sample[0]?.errors[0]).toMatch(/no plan named/);
    const npUnits = await ok(core, 'csv.preview', { kind: 'unit', text: unitCsv, merchantId: NORTHPEAK });
    expect(npUnits).toMatchObject({ updates: 1, errorRows: 0 });

    // The same file as Northpeak's import: applied to Northpeak, Shanlan untouched.
    const pv = await ok(core, 'csv.preview', { kind: 'plan', text: edited, merchantId: NORTHPEAK });
    expect(pv).toMatchObject({ updates: 1, errorRows: 0 });
    await ok(core, 'csv.apply', { token: pv.token });
    expect((await ok(core, 'entities.get', { kind: 'plan', id: 'pl_np_launch' })).row.name).toBe('新机首发 CSV');
    expect(await snapshotOf(core, SHANLAN)).toEqual(before);
    expect((await fail(core, 'csv.preview', { kind: 'plan', text: edited, merchantId: 'mc_nobody' })).code).toBe('not_found');
  });

  it('a new plan imported while one account is open is added to that account, never to the other', async () => {
    const core = await agencyStore();
    const sample = (await ok(core, 'csv.export', { kind: 'plan', ids: ['pl_np_launch'], merchantId: NORTHPEAK })).text;
    const [header, row] = sample.trim().split(/\r?\n/);
    for (const [open, other] of [
      [SHANLAN, NORTHPEAK],
      [NORTHPEAK, SHANLAN],
    ] as const) {
      const before = await snapshotOf(core, other);
      // The exported row as a new one: no id, a new name.
      const name = `CSV 新计划 ${open}`;
      const newRow = row!.replace(/^pl_np_launch,/, ',').replace('全域智投·新机首发 X9 Launch Smart Delivery', name);
      const pv = await ok(core, 'csv.preview', { kind: 'plan', text: `${header}\n${newRow}\n`, merchantId: open });
      expect(pv).toMatchObject({ creates: 1, errorRows: 0 });
      await ok(core, 'csv.apply', { token: pv.token });
      expect((await ok(core, 'entities.list', { kind: 'plan', merchantId: open })).rows.map((x) => x.row.name)).toContain(name);
      expect(await snapshotOf(core, other)).toEqual(before);
    }
  });

  it('a store with one merchant imports without naming it, as before', async () => {
    const core = singleStore();
    const pv = await ok(core, 'csv.preview', { kind: 'plan', text: 'id,dailyBudgetYuan\npl_autumn_latte,3100\n' });
    expect(pv).toMatchObject({ updates: 1, errorRows: 0 });
    expect((await fail(core, 'csv.preview', { kind: 'plan', text: 'id,dailyBudgetYuan\npl_autumn_latte,3100\n', merchantId: NORTHPEAK })).code).toBe('not_found');
  });
});

describe('proposal field names (issue 17, item 11)', () => {
  it('a change naming a field the registry does not list for its kind ("planId" quoted, __proto__, constructor) is refused whole, and nothing changes', async () => {
    const author = await agencyStore();
    await editBoth(author);
    const base = JSON.parse((await ok(author, 'proposal.export', { merchantId: SHANLAN })).content) as Record<string, unknown>;
    const forged = (changes: unknown[]) => JSON.stringify({ ...base, changes });
    const reviewer = await agencyStore();
    const before = [await snapshotOf(reviewer, SHANLAN), await snapshotOf(reviewer, NORTHPEAK)];
    const unitsUnder = async (planId: string) => (await ok(reviewer, 'entities.list', { kind: 'unit', parentId: planId, limit: 5000 })).rows.map((r) => r.row.id);

    // The quoted name was a JSON path to planId: the unit moved to Northpeak's plan in its JSON
    // while its plan_id column stayed, past the ownership guard (which looks for `planId`).
    for (const [field, oldValue, newValue] of [
      ['"planId"', 'pl_autumn_latte', 'pl_np_launch'],
      ['__proto__', null, { planId: 'pl_np_launch' }],
      ['constructor', null, 'x'],
      ['$.planId', 'pl_autumn_latte', 'pl_np_launch'],
    ] as const) {
      const content = forged([
        { entity: 'plan', entityId: 'pl_autumn_latte', field: 'dailyBudgetFen', oldValue: 300_000, newValue: 320_000 },
        { entity: 'unit', entityId: 'un_latte_ocpx', field, oldValue, newValue },
      ]);
      for (const open of [SHANLAN, undefined]) {
        const e = await fail(reviewer, 'proposal.preview', { content, ...(open ? { merchantId: open } : {}) });
        expect([field, e.code]).toEqual([field, 'invalid_input']);
        expect(e.issues).toEqual([{ path: 'content.changes.1.field', message: expect.stringContaining(`unit has no field ${JSON.stringify(field)}`) }]);
        expect(e.message).toContain(JSON.stringify(field));
      }
    }
    expect((await ok(reviewer, 'entities.get', { kind: 'unit', id: 'un_latte_ocpx' })).row).toMatchObject({ planId: 'pl_autumn_latte' });
    expect(await unitsUnder('pl_autumn_latte')).toContain('un_latte_ocpx'); // the plan_id column
    expect(await unitsUnder('pl_np_launch')).not.toContain('un_latte_ocpx');
    expect([await snapshotOf(reviewer, SHANLAN), await snapshotOf(reviewer, NORTHPEAK)]).toEqual(before);

    // The move by its real name is still the ownership guard's to refuse.
    const moved = await fail(reviewer, 'proposal.preview', {
      content: forged([{ entity: 'unit', entityId: 'un_latte_ocpx', field: 'planId', oldValue: 'pl_autumn_latte', newValue: 'pl_np_launch' }]),
    });
    expect(moved).toMatchObject({ code: 'invalid_input', details: { reason: 'foreign_rows', owners: [NORTHPEAK] } });
    // The journal's own markers stay legitimate: a tombstone of one's own row previews.
    const del = await ok(reviewer, 'proposal.preview', { content: forged([{ entity: 'unit', entityId: 'un_latte_ocpx', field: 'deleted', oldValue: false, newValue: true }]) });
    expect(del.changes).toMatchObject([{ field: 'deleted', stale: false }]);
  });

  it('the ownership guard (assertOwnChanges, at apply and for CSV) refuses an unknown field name before it looks for moves', () => {
    const scope = { merchantId: SHANLAN, ownerOf: (_k: string, id: string) => (id.startsWith('pl_np') || id.startsWith('un_np') ? NORTHPEAK : SHANLAN) };
    const move = (field: string) => [{ entity: 'unit', entityId: 'un_latte_ocpx', field, oldValue: 'pl_autumn_latte', newValue: 'pl_np_launch' }];
    // The guard alone sees no move under a quoted name: that is why the name must be refused first.
    expect(foreignChanges(scope, move('"planId"'))).toEqual([]);
    expect(foreignChanges(scope, move('planId'))).toEqual([{ index: 0, entity: 'unit', entityId: 'un_latte_ocpx', owner: NORTHPEAK }]);
    for (const field of ['"planId"', '__proto__', 'constructor']) {
      expect(() => assertProposalFields(move(field), 'changes')).toThrow(expect.objectContaining({ code: 'invalid_input', issues: [{ path: 'changes.0.field', message: `unit has no field ${JSON.stringify(field)}` }] }));
    }
    expect(() => assertProposalFields([...move('planId'), { entity: 'plan', field: 'deleted' }], 'changes')).toThrow(
      expect.objectContaining({ issues: [{ path: 'changes.1.field', message: 'plan has no field "deleted"' }] }),
    );
    assertProposalFields([...move('planId'), { entity: 'unit', field: 'deleted' }, { entity: 'unit', field: '_row' }], 'changes');
  });
});
