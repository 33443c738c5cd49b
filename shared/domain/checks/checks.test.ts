import { describe, expect, it } from 'vitest';
import { demoAccount } from '../demo';
import { Creative, Plan, Unit } from '../entities';
import { checkRow, UserRule, type RowContext } from './index';

const a = demoAccount();
const ctx = (plan?: Plan, extra: Partial<RowContext> = {}): RowContext => ({ today: '2026-10-01', isNew: false, rules: [], ...(plan ? { plan } : {}), ...extra });
const planOf = (id: string) => a.plans.find((p) => p.id === id) as Plan;
const codes = (xs: { code: string }[]) => xs.map((x) => x.code);

describe('built-in checks', () => {
  it('the demo account passes every error check', () => {
    for (const u of a.units) expect(checkRow('unit', u, ctx(planOf(u.planId))).filter((i) => i.severity === 'error')).toEqual([]);
    for (const p of a.plans) expect(checkRow('plan', p, ctx()).filter((i) => i.severity === 'error')).toEqual([]);
    for (const c of a.creatives) expect(checkRow('creative', c, ctx())).toEqual([]);
    for (const w of a.searchWords) expect(checkRow('searchWord', w, ctx(planOf('pl_search_delivery')))).toEqual([]);
  });
  it('requires the field of each bid type', () => {
    const base = a.units[0] as Unit;
    const p = planOf('pl_autumn_latte');
    expect(codes(checkRow('unit', { ...base, bidType: 'OCPX', targetCpaFen: null }, ctx(p)))).toContain('unit.ocpx_needs_target_cpa');
    expect(codes(checkRow('unit', { ...base, bidType: 'ROI', targetRoi: null, boost: null }, ctx(p)))).toContain('unit.roi_needs_target_roi');
    expect(codes(checkRow('unit', { ...base, bidType: 'DEFAULT', bidFen: null, boost: null }, ctx(p)))).toContain('unit.default_needs_bid');
    expect(codes(checkRow('unit', { ...base, bidType: 'NO_BID', boost: null }, ctx(planOf('pl_search_delivery'))))).toContain('unit.no_bid_only_intelligent');
  });
  it('boost needs OCPX and 100 yuan', () => {
    const base = a.units[0] as Unit;
    const p = planOf('pl_autumn_latte');
    expect(codes(checkRow('unit', { ...base, boost: { enabled: true, budgetFen: 9_999 } }, ctx(p)))).toContain('unit.boost_budget_min');
    expect(codes(checkRow('unit', { ...base, bidType: 'NO_BID', boost: { enabled: true, budgetFen: 10_000 } }, ctx(p)))).toContain('unit.boost_needs_ocpx');
  });
  it('dates, placements, frequency caps, words, creative lengths', () => {
    const p = planOf('pl_autumn_latte');
    expect(codes(checkRow('plan', { ...p, startDate: '2026-09-01' }, ctx(undefined, { isNew: true })))).toContain('plan.start_in_past');
    expect(codes(checkRow('plan', { ...p, endDate: '2026-10-01' }, ctx()))).toContain('plan.end_before_start');
    const feed = a.units.find((u) => u.id === 'un_member_feed') as Unit;
    expect(codes(checkRow('unit', { ...feed, placements: ['SPLASH'] }, ctx(planOf('pl_member_feed'))))).toContain('unit.placement_not_allowed');
    expect(codes(checkRow('unit', { ...feed, frequencyCap: { impressions: 500, periodDays: 1 } }, ctx(planOf('pl_member_feed'))))).toContain('unit.frequency_cap_high');
    const w = a.searchWords[0]!;
    expect(codes(checkRow('searchWord', w, ctx(p)))).toContain('word.only_search');
    expect(codes(checkRow('searchWord', { ...w, word: 'x'.repeat(21) }, ctx(planOf('pl_search_delivery'))))).toContain('word.length');
    const c = a.creatives[0] as Creative;
    expect(codes(checkRow('creative', { ...c, title: '长'.repeat(21) }, ctx()))).toContain('creative.title_length');
  });
  it('an edited approved creative warns it goes back to review', () => {
    const c = a.creatives[0] as Creative;
    const issues = checkRow('creative', { ...c, title: '新标题' }, ctx(undefined, { before: c }));
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', code: 'creative.back_to_review' })]);
  });
});

describe('user rules', () => {
  it('evaluates declarative rules with the built-ins', () => {
    const rules = [
      UserRule.parse({ id: 'budget-cap', name: 'daily budget under 5,000 yuan', entity: 'plan', field: 'dailyBudgetFen', op: 'lt', value: 500_000, severity: 'error' }),
      UserRule.parse({ id: 'city', name: 'name starts with the city', entity: 'plan', field: 'name', op: 'startsWithOneOf', value: ['上海', '杭州'], severity: 'warning' }),
    ];
    const p = planOf('pl_double11_splash');
    const issues = checkRow('plan', p, ctx(undefined, { rules }));
    expect(codes(issues)).toEqual(['rule:budget-cap', 'rule:city']);
    expect(checkRow('plan', { ...p, name: '上海 双11', dailyBudgetFen: 100_000 }, ctx(undefined, { rules }))).toEqual([]);
  });
  it("applies a merchant's rules to that merchant's rows only", () => {
    const rule = UserRule.parse({ id: 'short', name: 'short names', entity: 'unit', field: 'name', op: 'maxLength', value: 3, severity: 'error' });
    const p = planOf('pl_search_delivery');
    const u = a.units.find((x) => x.planId === p.id) as Unit;
    const mine = [{ ...rule, merchantId: p.merchantId }];
    const others = [{ ...rule, merchantId: 'mc_someone_else' }];
    expect(codes(checkRow('unit', u, ctx(p, { rules: mine })))).toEqual(['rule:short']);
    expect(checkRow('unit', u, ctx(p, { rules: others }))).toEqual([]);
    expect(codes(checkRow('plan', { ...p, dailyBudgetFen: 900_000 }, ctx(undefined, { rules: [{ ...UserRule.parse({ id: 'cap', name: 'cap', entity: 'plan', field: 'dailyBudgetFen', op: 'lt', value: 500_000, severity: 'error' }), merchantId: p.merchantId }] })))).toEqual(['rule:cap']);
    // An untagged rule applies to every row.
    expect(codes(checkRow('unit', u, ctx(p, { rules: [rule] })))).toEqual(['rule:short']);
  });
  it("applies a rule limited to a scene to plans of that scene (a plan's own scene)", () => {
    const rule = UserRule.parse({ id: 'search-cap', name: 'search plans under 5,000 yuan', entity: 'plan', field: 'dailyBudgetFen', op: 'lt', value: 500_000, severity: 'error', scene: 'SEARCH' });
    const search = { ...planOf('pl_search_delivery'), dailyBudgetFen: 900_000 };
    expect(search.scene).toBe('SEARCH');
    expect(codes(checkRow('plan', search, ctx(undefined, { rules: [rule] })))).toEqual(['rule:search-cap']);
    expect(checkRow('plan', { ...search, scene: 'INTELLIGENT' }, ctx(undefined, { rules: [rule] }))).toEqual([]);
  });
  it('refuses malformed rules with specific errors', () => {
    const r = UserRule.safeParse({ id: 'x', name: 'x', entity: 'plan', field: 'name', op: 'matches', value: '(', severity: 'error' });
    expect(r.success).toBe(false);
    expect(UserRule.safeParse({ id: 'x', name: 'x', entity: 'plan', field: 'name', op: 'lt', value: 'a', severity: 'error' }).success).toBe(false);
  });
});
