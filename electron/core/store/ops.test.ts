import { describe, expect, it } from 'vitest';
import type { ContractErrorShape, Envelope } from '../../../shared/contract';
import type { EntityKind } from '../../../shared/domain/kinds';
import type { Core } from '../core';
import { coresClosedAfterEach, ok, tempDir } from '../testing';

const open = coresClosedAfterEach();
function error(e: Envelope<unknown>): ContractErrorShape {
  if (e.ok) throw new Error('expected an error');
  return e.error;
}
type AnyRow = Record<string, unknown>;
const get = async (core: Core, kind: EntityKind, id: string) => (await ok(core, 'entities.get', { kind, id })) as { row: AnyRow; deleted: boolean; state: { added: boolean; deleted: boolean; editedFields: string[]; unposted: boolean } };
const undo = async (core: Core) => (await ok(core, 'journal.undo', {}));
const redo = async (core: Core) => (await ok(core, 'journal.redo', {}));

describe('operations through the contract', () => {
  it('create, update, delete: each one undo step, with state markers, surviving a restart', async () => {
    const dir = tempDir();
    let core = open(dir);
    const { id } = (await ok(core, 'entities.create', { kind: 'unit', data: { planId: 'pl_autumn_latte', name: '新单元 <b>x</b>\'; DROP TABLE units;--', bidType: 'OCPX', bidFen: null, targetCpaFen: 900, targetRoi: null } })) as { id: string };
    let u = await get(core, 'unit', id);
    expect(u.row.name).toBe('新单元 <b>x</b>\'; DROP TABLE units;--'); // verbatim
    expect(u.state).toMatchObject({ added: true, unposted: true });
    (await ok(core, 'entities.update', { kind: 'unit', id: 'un_latte_ocpx', patch: { targetCpaFen: 1000, name: '改名' } }));
    expect((await get(core, 'unit', 'un_latte_ocpx')).state.editedFields.sort()).toEqual(['name', 'targetCpaFen']);
    (await ok(core, 'entities.delete', { kind: 'creative', ids: ['cr_latte_card'] }));
    expect((await get(core, 'creative', 'cr_latte_card')).state.deleted).toBe(true);
    await core.close();

    core = open(dir); // undo survives a restart
    expect((await ok(core, 'journal.status', {}))).toMatchObject({ canUndo: true, undoLabel: 'delete 1 creative' });
    await undo(core);
    expect((await get(core, 'creative', 'cr_latte_card')).deleted).toBe(false);
    await undo(core);
    u = await get(core, 'unit', 'un_latte_ocpx');
    expect(u.row).toMatchObject({ targetCpaFen: 800, name: '拿铁券·一二线城市 Latte coupon, tier 1–2' });
    expect(u.state.unposted).toBe(false); // edit + undo = nothing to post
    await undo(core);
    expect(error(await core.call('entities.get', { kind: 'unit', id })).code).toBe('not_found');
    expect((await ok(core, 'outbox.list', {})).total).toBe(0);
    await redo(core);
    expect((await get(core, 'unit', id)).state.added).toBe(true);
    await redo(core);
    expect((await get(core, 'unit', 'un_latte_ocpx')).row.targetCpaFen).toBe(1000);
    // A new edit clears the redo stack.
    (await ok(core, 'entities.update', { kind: 'unit', id: 'un_latte_ocpx', patch: { targetCpaFen: 1100 } }));
    expect((await ok(core, 'journal.status', {})).canRedo).toBe(false);
    expect(await redo(core)).toBeNull();
  });

  it('duplicates a plan deeply, copies and moves units and creatives, each one step', async () => {
    const core = open();
    const { id } = (await ok(core, 'entities.duplicate', { kind: 'plan', id: 'pl_search_delivery' })) as { id: string };
    const units = (await ok(core, 'entities.list', { kind: 'unit', parentId: id }));
    expect(units.total).toBe(2);
    const words = (await ok(core, 'entities.list', { kind: 'searchWord', parentId: (units.rows[0]?.row.id as string) }));
    expect(words.total).toBe(2);
    expect((await get(core, 'plan', id)).row).toMatchObject({ name: '搜索宝·咖啡外卖关键词 Coffee Delivery Keywords (copy)', status: 'PAUSED' });
    await undo(core);
    expect(error(await core.call('entities.get', { kind: 'plan', id })).code).toBe('not_found');

    const copied = (await ok(core, 'entities.copy', { kind: 'creative', ids: ['cr_latte_card'], toParentId: 'un_latte_nobid' }));
    expect((await get(core, 'creative', copied.ids[0] as string)).row).toMatchObject({ unitId: 'un_latte_nobid', reviewStatus: 'PENDING' });
    (await ok(core, 'entities.move', { kind: 'unit', ids: ['un_member_feed'], toParentId: 'pl_double11_splash' }));
    const rows = (await ok(core, 'plans.list', {}));
    expect(rows.find((r) => r.plan.id === 'pl_member_feed')?.unitCount).toBe(0);
    expect(rows.find((r) => r.plan.id === 'pl_double11_splash')?.unitCount).toBe(2);
    await undo(core);
    expect((await get(core, 'unit', 'un_member_feed')).row.planId).toBe('pl_member_feed');
    expect(error(await core.call('entities.move', { kind: 'unit', ids: ['un_member_feed'], toParentId: 'pl_nope' })).code).toBe('not_found');
  });

  it('bulk edit: preview with broken checks, then apply as one step', async () => {
    const core = open();
    const ids = ['sw_shanlan', 'sw_shanlan_delivery', 'sw_coffee_delivery', 'sw_latte'];
    const prev = (await ok(core, 'bulk.preview', { kind: 'searchWord', ids, op: { type: 'percent', field: 'bidFen', percent: 10 } }));
    expect(prev.changed).toBe(4);
    expect(prev.rows.map((r) => r.newValue).sort()).toEqual([143, 165, 88, 99]);
    expect((await ok(core, 'outbox.list', {})).total).toBe(0); // preview changes nothing
    const big = (await ok(core, 'bulk.preview', { kind: 'searchWord', ids, op: { type: 'set', field: 'bidFen', value: 20_000 } }));
    expect(big.errorCount).toBe(4);
    expect(big.issues[0]).toMatchObject({ code: 'word.bid_limits', severity: 'error' });
    const applied = (await ok(core, 'bulk.apply', { kind: 'searchWord', ids, op: { type: 'percent', field: 'bidFen', percent: 10 } }));
    expect(applied.changed).toBe(4);
    expect((await get(core, 'searchWord', 'sw_latte')).row.bidFen).toBe(88);
    (await ok(core, 'bulk.apply', { kind: 'unit', ids: ['un_search_brand', 'un_search_generic'], op: { type: 'add', field: 'bidFen', amount: -5 } }));
    expect((await get(core, 'unit', 'un_search_brand')).row.bidFen).toBe(115);
    (await ok(core, 'bulk.apply', { kind: 'plan', ids: ['pl_autumn_latte', 'pl_member_feed'], op: { type: 'set', field: 'pacing', value: 'ACCELERATED' } }));
    await undo(core);
    await undo(core);
    await undo(core);
    expect((await get(core, 'searchWord', 'sw_latte')).row.bidFen).toBe(80);
    expect((await get(core, 'plan', 'pl_autumn_latte')).row.pacing).toBe('STANDARD');
    // Bad values change nothing.
    expect(error(await core.call('bulk.apply', { kind: 'searchWord', ids, op: { type: 'set', field: 'bidFen', value: -1 } })).code).toBe('invalid_input');
    expect(error(await core.call('bulk.apply', { kind: 'searchWord', ids, op: { type: 'percent', field: 'word', percent: 5 } })).code).toBe('invalid_input');
    expect(error(await core.call('bulk.apply', { kind: 'unit', ids: ['un_latte_ocpx'], op: { type: 'percent', field: 'targetCpaFen', percent: -100 } })).code).toBe('invalid_input');
    expect((await ok(core, 'outbox.list', {})).total).toBe(0);
  });

  it('find & replace in names and creative texts: plain, regex, case options, previewed', async () => {
    const core = open();
    const p = (await ok(core, 'replace.preview', { kinds: ['creative'], find: '山岚咖啡', replace: '山岚咖啡®' }));
    expect(p.changed).toBe(2);
    const ci = (await ok(core, 'replace.preview', { kinds: ['plan', 'unit'], find: 'latte', replace: 'Mocha', caseSensitive: false }));
    const cs = (await ok(core, 'replace.preview', { kinds: ['plan', 'unit'], find: 'latte', replace: 'Mocha', caseSensitive: true }));
    expect(ci.changed).toBeGreaterThan(cs.changed);
    const rx = (await ok(core, 'replace.apply', { kinds: ['creative'], find: '(\\d+)秒', replace: '$1 秒', regex: true }));
    expect(rx.changed).toBe(1);
    expect((await get(core, 'creative', 'cr_latte_video')).row.description).toBe('15 秒门店实拍 15-second in-store film');
    (await ok(core, 'replace.apply', { kinds: ['creative'], find: '9.9', replace: '$&$1' }));
    expect((await get(core, 'creative', 'cr_search_generic')).row.title).toBe('附近咖啡 新客首杯$&$1'); // plain: verbatim
    expect(error(await core.call('replace.preview', { find: '(', replace: '', regex: true })).code).toBe('invalid_input');
    await undo(core);
    await undo(core);
    expect((await ok(core, 'outbox.list', {})).total).toBe(0);
  });

  it('bad input changes nothing and names the field', async () => {
    const core = open();
    const cases: [string, unknown][] = [
      ['entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { dailyBudgetFen: Number.NaN } }],
      ['entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { dailyBudgetFen: -100 } }],
      ['entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { dailyBudgetFen: '300' } }],
      ['entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { name: 'x'.repeat(1_000_000) } }],
      ['entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { name: 'bad\u0000name' } }],
      ['entities.update', { kind: 'unit', id: 'un_latte_ocpx', patch: { bidFen: 1.5 } }],
      ['entities.update', { kind: 'unit', id: 'un_latte_ocpx', patch: { planId: 'pl_member_feed' } }],
      ['entities.update', { kind: 'unit', id: 'un_latte_ocpx', patch: { nope: 1 } }],
      ['entities.create', { kind: 'searchWord', data: { unitId: 'un_search_brand', word: 'x', matchType: 'FUZZY', bidFen: 10 } }],
      ['entities.create', { kind: 'searchWord', data: { unitId: 'un_missing', word: 'x', matchType: 'EXACT', bidFen: 10 } }],
      ['entities.delete', { kind: 'plan', ids: [] }],
    ];
    for (const [m, input] of cases) {
      const e = error(await core.call(m, input));
      expect(['invalid_input', 'not_found']).toContain(e.code);
      if (e.code === 'invalid_input') expect(e.issues?.length ?? 0).toBeGreaterThan(0);
    }
    const e = error(await core.call('entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { dailyBudgetFen: -100 } }));
    expect(e.issues?.[0]?.path).toBe('patch.dailyBudgetFen');
    expect((await ok(core, 'outbox.list', {})).total).toBe(0);
    expect((await ok(core, 'journal.status', {})).canUndo).toBe(false);
  });

  it('checks: built-ins and user rules stored with the account', async () => {
    const dir = tempDir();
    let core = open(dir);
    (await ok(core, 'rules.save', { rules: [{ id: 'cap', name: 'daily budget under 5,000 yuan', entity: 'plan', field: 'dailyBudgetFen', op: 'lt', value: 500_000, severity: 'error' }] }));
    await core.close();
    core = open(dir);
    expect((await ok(core, 'rules.list', {}))).toHaveLength(1);
    (await ok(core, 'entities.update', { kind: 'creative', id: 'cr_latte_card', patch: { title: '秋冬新品拿铁 立减6元' } }));
    const r = (await ok(core, 'checks.run', {}));
    expect(r.issues.map((i) => `${i.code}:${i.entityId}`)).toEqual(expect.arrayContaining(['rule:cap:pl_double11_splash', 'creative.back_to_review:cr_latte_card']));
    expect(r.issues.find((i) => i.code === 'creative.back_to_review')?.severity).toBe('warning');
    expect(error(await core.call('rules.save', { rules: [{ id: 'x', name: 'x', entity: 'plan', field: 'name', op: 'lt', value: 'a', severity: 'error' }] })).code).toBe('invalid_input');
  });

  it('snapshot backup to one file and restore; share proposed changes for review', async () => {
    const core = open();
    (await ok(core, 'entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { name: '快照前 before snapshot' } }));
    const snap = (await ok(core, 'backup.create', {}));
    expect(snap.bytes).toBeGreaterThan(0);
    (await ok(core, 'entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { name: '快照后 after' } }));
    const proposal = (await ok(core, 'proposal.export', { comment: '请审核 please review', author: 'Li' }));
    expect(proposal.changes).toBe(1);
    (await ok(core, 'backup.restore', { file: snap.file }));
    expect((await get(core, 'plan', 'pl_autumn_latte')).row.name).toBe('快照前 before snapshot');
    expect((await ok(core, 'journal.status', {})).undoLabel).toBe('edit plan');

    const reviewer = open();
    const pv = (await ok(reviewer, 'proposal.preview', { content: proposal.content }));
    expect(pv).toMatchObject({ comment: '请审核 please review', author: 'Li' });
    expect(pv.changes[0]).toMatchObject({ field: 'name', newValue: '快照后 after', stale: false });
    expect((await get(reviewer, 'plan', 'pl_autumn_latte')).row.name).not.toBe('快照后 after'); // nothing until confirmed
    (await ok(reviewer, 'proposal.apply', { token: pv.token }));
    expect((await get(reviewer, 'plan', 'pl_autumn_latte')).row.name).toBe('快照后 after');
    expect(error(await reviewer.call('proposal.preview', { content: '{"format":"nope"}' })).code).toBe('invalid_input');
  });

  it('a reviewer applies only the proposed changes they choose, by change id', async () => {
    const author = open();
    await ok(author, 'entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { name: '提议一 first' } });
    await ok(author, 'entities.update', { kind: 'searchWord', id: 'sw_latte', patch: { bidFen: 91 } });
    const { id: unitId } = await ok(author, 'entities.create', { kind: 'unit', data: { planId: 'pl_search_delivery', name: '新单元 new unit', bidType: 'DEFAULT', bidFen: 100, targetCpaFen: null, targetRoi: null } });
    const { id: wordId } = await ok(author, 'entities.create', { kind: 'searchWord', data: { unitId, word: '新词', matchType: 'EXACT', bidFen: 60 } });
    const proposal = await ok(author, 'proposal.export', { comment: 'pick some', author: 'Li' });
    expect(proposal.changes).toBe(4);

    const reviewer = open();
    await ok(reviewer, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { name: 'reviewer edit' } });
    const pv = await ok(reviewer, 'proposal.preview', { content: proposal.content });
    const idOf = (entityId: string) => pv.changes.find((c) => c.entityId === entityId)?.id as string;
    expect(new Set(pv.changes.map((c) => c.id)).size).toBe(4);
    // Unknown ids and a new row without its new parent are refused, and change nothing.
    expect(error(await reviewer.call('proposal.apply', { token: pv.token, changeIds: ['c999'] })).issues?.[0]).toMatchObject({ path: 'changeIds.0', message: 'unknown change' });
    const orphan = error(await reviewer.call('proposal.apply', { token: pv.token, changeIds: [idOf(wordId)] }));
    expect(orphan.message).toContain(`choose change ${idOf(unitId)} too`);
    expect(error(await reviewer.call('proposal.apply', { token: pv.token, changeIds: [] })).code).toBe('invalid_input');
    expect((await ok(reviewer, 'outbox.list', {})).total).toBe(1);
    // Accept the bid change and the new unit with its word; leave the plan rename out.
    const applied = await ok(reviewer, 'proposal.apply', { token: pv.token, changeIds: [idOf('sw_latte'), idOf(unitId), idOf(wordId)] });
    expect(applied.changed).toBe(3);
    expect((await get(reviewer, 'searchWord', 'sw_latte')).row.bidFen).toBe(91);
    expect((await get(reviewer, 'searchWord', wordId)).row.word).toBe('新词');
    expect((await get(reviewer, 'plan', 'pl_autumn_latte')).row.name).not.toBe('提议一 first');
    // One undo step for what was accepted.
    await undo(reviewer);
    expect((await get(reviewer, 'searchWord', 'sw_latte')).row.bidFen).toBe(80);
    expect((await reviewer.call('entities.get', { kind: 'unit', id: unitId })).ok).toBe(false);

    // A change that went stale cannot be chosen.
    const pv2 = await ok(reviewer, 'proposal.preview', { content: proposal.content });
    await ok(reviewer, 'entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { name: 'reviewer renamed it' } });
    const pv3 = await ok(reviewer, 'proposal.preview', { content: proposal.content });
    expect(pv3.changes.find((c) => c.entityId === 'pl_autumn_latte')).toMatchObject({ stale: true, currentValue: 'reviewer renamed it' });
    const staleErr = error(await reviewer.call('proposal.apply', { token: pv3.token, changeIds: [pv3.changes.find((c) => c.stale)?.id as string] }));
    expect(staleErr.message).toContain('went stale');
    expect(error(await reviewer.call('proposal.apply', { token: pv2.token })).message).toContain('changed since the preview');
  });
});

describe('field names from outside (issue 17, item 11)', () => {
  const BAD = ['constructor', '__proto__', 'toString', 'hasOwnProperty', '"name"', 'name.x', '$.name'];

  it('bulk.preview and bulk.apply refuse a field the registry does not list, with invalid_input naming it, and change nothing', async () => {
    const core = open();
    const before = await get(core, 'unit', 'un_latte_ocpx');
    for (const kind of ['unit', 'plan', 'searchWord'] as const) {
      const ids = kind === 'plan' ? ['pl_autumn_latte'] : kind === 'unit' ? ['un_latte_ocpx'] : ['sw_shanlan'];
      for (const field of BAD) {
        for (const op of [{ type: 'set', field, value: 1 }, { type: 'add', field, amount: 1 }, { type: 'percent', field, percent: 10 }] as const) {
          for (const method of ['bulk.preview', 'bulk.apply'] as const) {
            const e = error(await core.call(method, { kind, ids, op }));
            expect([method, kind, field, op.type, e.code]).toEqual([method, kind, field, op.type, 'invalid_input']);
            expect(e.issues?.[0]?.path).toBe('op.field');
            expect(e.message).toContain(JSON.stringify(field));
          }
        }
      }
    }
    expect(await get(core, 'unit', 'un_latte_ocpx')).toEqual(before);
    expect((await ok(core, 'journal.status', {})).canUndo).toBe(false);
  });

  it('replace.preview and replace.apply take no field name from the caller: one given is refused as invalid_input', async () => {
    const core = open();
    for (const field of BAD) {
      for (const method of ['replace.preview', 'replace.apply'] as const) {
        for (const input of [
          { kinds: ['unit'], find: 'Latte', replace: 'Mocha', field },
          { kinds: ['unit'], find: 'Latte', replace: 'Mocha', fields: [field] },
          { kinds: [field], find: 'Latte', replace: 'Mocha' },
        ]) {
          const e = error(await core.call(method, input));
          expect([method, field, e.code]).toEqual([method, field, 'invalid_input']);
        }
      }
    }
    expect((await ok(core, 'journal.status', {})).canUndo).toBe(false);
  });

  it('entities.update and entities.create refuse a patch or data key the registry does not list for the kind', async () => {
    const core = open();
    const before = await get(core, 'unit', 'un_latte_ocpx');
    for (const field of BAD) {
      const patch = JSON.parse(`{${JSON.stringify(field)}: "x", "targetCpaFen": 900}`) as Record<string, unknown>;
      const e = error(await core.call('entities.update', { kind: 'unit', id: 'un_latte_ocpx', patch }));
      expect([field, e.code]).toEqual([field, 'invalid_input']);
      expect(e.issues).toEqual([{ path: `patch.${field}`, message: 'unknown field' }]);
      const data = JSON.parse(`{${JSON.stringify(field)}: "x", "planId": "pl_autumn_latte", "name": "n", "bidType": "OCPX", "bidFen": null, "targetCpaFen": 900, "targetRoi": null}`) as Record<string, unknown>;
      const c = error(await core.call('entities.create', { kind: 'unit', data }));
      expect([field, c.code]).toEqual([field, 'invalid_input']);
      expect(c.issues).toEqual([{ path: `data.${field}`, message: 'unknown field' }]);
    }
    expect(await get(core, 'unit', 'un_latte_ocpx')).toEqual(before);
    expect((await ok(core, 'journal.status', {})).canUndo).toBe(false);
  });
});
