import { describe, expect, it } from 'vitest';
import type { GridRow } from '../../../shared/contract';
import { DEMO_MERCHANT_ID } from '../../../shared/domain/demo';
import { coresClosedAfterEach, ok } from '../testing';

const open = coresClosedAfterEach();
const ids = (rows: GridRow[]) => rows.map((r) => r.row.id);

describe('grid queries in SQLite', () => {
  it('pages, sorts and counts a kind across the merchant or under one parent', async () => {
    const core = open();
    const all = await ok(core, 'grid.query', { kind: 'searchWord', merchantId: DEMO_MERCHANT_ID });
    expect(all.total).toBe(4);
    const byBid = await ok(core, 'grid.query', { kind: 'searchWord', sort: { field: 'bidFen', desc: true } });
    expect(byBid.rows.map((r) => r.row.bidFen)).toEqual([150, 130, 90, 80]);
    const page = await ok(core, 'grid.query', { kind: 'searchWord', sort: { field: 'bidFen', desc: true }, offset: 1, limit: 2 });
    expect(page).toMatchObject({ total: 4, offset: 1 });
    expect(ids(page.rows)).toEqual(['sw_shanlan_delivery', 'sw_coffee_delivery']);
    const under = await ok(core, 'grid.query', { kind: 'searchWord', parentId: 'un_search_generic', sort: { field: 'word' } });
    expect(ids(under.rows).sort()).toEqual(['sw_coffee_delivery', 'sw_latte']);
    const plans = await ok(core, 'grid.query', { kind: 'plan', sort: { field: 'dailyBudgetFen' } });
    expect(plans.total).toBe(4);
    const budgets = plans.rows.map((r) => r.row.dailyBudgetFen as number | null);
    expect(budgets).toEqual([...budgets].sort((a, b) => (a ?? -1) - (b ?? -1)));
    expect(await ok(core, 'grid.query', { kind: 'plan', merchantId: 'mc_nobody' })).toMatchObject({ total: 0, rows: [] });
  });

  it('filters by text (name or id, wildcards literal), by field and by state marker', async () => {
    const core = open();
    expect(ids((await ok(core, 'grid.query', { kind: 'searchWord', text: '外卖' })).rows).sort()).toEqual(['sw_coffee_delivery', 'sw_shanlan_delivery']);
    expect(ids((await ok(core, 'grid.query', { kind: 'searchWord', text: 'sw_latte' })).rows)).toEqual(['sw_latte']);
    expect((await ok(core, 'grid.query', { kind: 'searchWord', text: '%' })).total).toBe(0);
    expect((await ok(core, 'grid.query', { kind: 'unit', text: 'LATTE' })).total).toBe(2);
    const exact = await ok(core, 'grid.query', { kind: 'searchWord', fields: [{ field: 'matchType', op: 'eq', value: 'BROAD' }] });
    expect(ids(exact.rows).sort()).toEqual(['sw_coffee_delivery', 'sw_latte']);
    const range = await ok(core, 'grid.query', { kind: 'searchWord', fields: [{ field: 'bidFen', op: 'gte', value: 90 }, { field: 'bidFen', op: 'lte', value: 130 }] });
    expect(ids(range.rows).sort()).toEqual(['sw_coffee_delivery', 'sw_shanlan_delivery']);

    await ok(core, 'entities.update', { kind: 'searchWord', id: 'sw_latte', patch: { bidFen: 95 } });
    await ok(core, 'entities.delete', { kind: 'searchWord', ids: ['sw_shanlan'] });
    const edited = await ok(core, 'grid.query', { kind: 'searchWord', state: 'edited' });
    expect(ids(edited.rows)).toEqual(['sw_latte']);
    expect(edited.rows[0]?.state).toMatchObject({ editedFields: ['bidFen'], unposted: true });
    // An unposted deletion stays in the grid with its marker; "live" hides it.
    const shown = await ok(core, 'grid.query', { kind: 'searchWord' });
    expect(shown.total).toBe(4);
    expect(shown.rows.find((r) => r.row.id === 'sw_shanlan')?.state.deleted).toBe(true);
    expect((await ok(core, 'grid.query', { kind: 'searchWord', state: 'live' })).total).toBe(3);
    expect(ids((await ok(core, 'grid.query', { kind: 'searchWord', state: 'deleted' })).rows)).toEqual(['sw_shanlan']);
    expect((await ok(core, 'grid.query', { kind: 'searchWord', state: 'unposted' })).total).toBe(2);
    // Undone: no longer edited (net markers, not raw journal rows).
    await ok(core, 'journal.undo', {});
    await ok(core, 'journal.undo', {});
    expect((await ok(core, 'grid.query', { kind: 'searchWord', state: 'unposted' })).total).toBe(0);
    expect((await ok(core, 'grid.query', { kind: 'searchWord' })).rows.every((r) => !r.state.deleted)).toBe(true);
  });

  it('keeps a count only until the next write', async () => {
    const core = open();
    const q = { kind: 'searchWord', merchantId: DEMO_MERCHANT_ID } as const;
    expect((await ok(core, 'grid.query', q)).total).toBe(4);
    await ok(core, 'entities.create', { kind: 'searchWord', data: { unitId: 'un_search_brand', word: '燕麦拿铁', matchType: 'EXACT', bidFen: 100 } });
    expect((await ok(core, 'grid.query', q)).total).toBe(5);
    expect((await ok(core, 'grid.ids', q)).total).toBe(5);
    await ok(core, 'journal.undo', {});
    expect((await ok(core, 'grid.query', q)).total).toBe(4);
  });

  it('returns each row with its check issues', async () => {
    const core = open();
    await ok(core, 'entities.update', { kind: 'searchWord', id: 'sw_latte', patch: { bidFen: 5 } });
    const { rows } = await ok(core, 'grid.query', { kind: 'searchWord', parentId: 'un_search_generic' });
    const latte = rows.find((r) => r.row.id === 'sw_latte');
    expect(latte?.issues).toEqual([expect.objectContaining({ severity: 'error', code: 'word.bid_limits', field: 'bidFen' })]);
    expect(rows.find((r) => r.row.id === 'sw_coffee_delivery')?.issues).toEqual([]);
  });

  it('refuses fields the entity does not have, and never puts them in SQL', async () => {
    const core = open();
    const bad = await core.call('grid.query', { kind: 'plan', sort: { field: 'nope' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'sort.field' }] } });
    const inject = await core.call('grid.query', { kind: 'unit', fields: [{ field: "name') OR 1=1 --", op: 'eq', value: 'x' }] });
    expect(inject).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const unknown = await core.call('grid.query', { kind: 'unit', fields: [{ field: 'bogus', op: 'eq', value: 'x' }] });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('lists ids in query order and tree nodes with counts and markers', async () => {
    const core = open();
    const r = await ok(core, 'grid.ids', { kind: 'searchWord', sort: { field: 'bidFen' } });
    expect(r).toEqual({ total: 4, ids: ['sw_latte', 'sw_coffee_delivery', 'sw_shanlan_delivery', 'sw_shanlan'] });
    await ok(core, 'entities.update', { kind: 'plan', id: 'pl_search_delivery', patch: { name: '搜索 Search 2' } });
    const plans = (await ok(core, 'grid.tree', { merchantId: DEMO_MERCHANT_ID })).nodes;
    expect(plans).toHaveLength(4);
    const search = plans.find((n) => n.id === 'pl_search_delivery');
    expect(search).toMatchObject({ name: '搜索 Search 2', counts: { units: 2, creatives: 2, searchWords: 4 }, state: { unposted: true, editedFields: ['name'] } });
    const units = (await ok(core, 'grid.tree', { planId: 'pl_search_delivery' })).nodes;
    expect(units.map((u) => [u.id, u.counts])).toEqual([
      ['un_search_brand', { creatives: 1, searchWords: 2, negativeWords: 0 }],
      ['un_search_generic', { creatives: 1, searchWords: 2, negativeWords: 2 }],
    ]);
  });
});
