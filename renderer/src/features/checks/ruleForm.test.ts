import { describe, expect, it } from 'vitest';
import { evaluateRules } from '../../../../shared/domain/checks';
import { draftToRule, nextRuleId } from './ruleForm';

describe('rule form', () => {
  it('"daily budget under 5,000 yuan" becomes dailyBudgetFen lt 500000 and flags a bigger budget', () => {
    const r = draftToRule({ name: 'Daily budget under 5,000 yuan', entity: 'plan', field: 'dailyBudgetFen', op: 'lt', value: '5,000', severity: 'error' }, 'rule-1');
    if (!('rule' in r)) throw new Error(r.error);
    expect(r.rule).toMatchObject({ id: 'rule-1', field: 'dailyBudgetFen', op: 'lt', value: 500_000, severity: 'error' });
    expect(evaluateRules([r.rule], 'plan', { id: 'pl_x', dailyBudgetFen: 800_000 })).toHaveLength(1);
    expect(evaluateRules([r.rule], 'plan', { id: 'pl_x', dailyBudgetFen: 300_000 })).toHaveLength(0);
  });
  it('"name must start with …" takes a list in either comma', () => {
    const r = draftToRule({ name: '城市开头', entity: 'plan', field: 'name', op: 'startsWithOneOf', value: '上海，杭州, 北京', severity: 'warning' }, 'rule-2');
    expect(r).toMatchObject({ rule: { value: ['上海', '杭州', '北京'] } });
  });
  it('refuses what the store would refuse, with the reason', () => {
    expect(draftToRule({ name: '', entity: 'plan', field: 'name', op: 'contains', value: 'x', severity: 'error' }, 'rule-3')).toEqual({ error: 'name' });
    expect(draftToRule({ name: 'x', entity: 'plan', field: 'dailyBudgetFen', op: 'lt', value: 'lots', severity: 'error' }, 'rule-3')).toEqual({ error: 'money' });
    expect(draftToRule({ name: 'x', entity: 'plan', field: 'name', op: 'matches', value: '(', severity: 'error' }, 'rule-3')).toEqual({ error: 'pattern' });
    expect(draftToRule({ name: 'x', entity: 'plan', field: 'name', op: 'startsWithOneOf', value: ' , ', severity: 'error' }, 'rule-3')).toEqual({ error: 'list' });
  });
  it('numbers new rules past the ones that exist', () => {
    expect(nextRuleId([])).toBe('rule-1');
    expect(nextRuleId([{ id: 'rule-2' }, { id: 'budget' }])).toBe('rule-3');
    expect(nextRuleId([{ id: 'rule-1' }])).toBe('rule-2');
  });
});
