import { describe, expect, it } from 'vitest';
import { checkBudgetText } from './budgetInput';

describe('checkBudgetText', () => {
  it('accepts yuan with separators and up to two decimals, as exact fen', () => {
    expect(checkBudgetText('4321.50')).toEqual({ ok: true, fen: 432150 });
    expect(checkBudgetText('¥3,000')).toEqual({ ok: true, fen: 300000 });
    expect(checkBudgetText('  ')).toEqual({ ok: true, fen: null });
  });
  it('refuses what the platform would refuse, naming why', () => {
    expect(checkBudgetText('-5')).toEqual({ ok: false, error: 'negative' });
    expect(checkBudgetText('abc')).toEqual({ ok: false, error: 'not_a_number' });
    expect(checkBudgetText('1.234')).toEqual({ ok: false, error: 'too_precise' });
    expect(checkBudgetText('10')).toEqual({ ok: false, error: 'below_min' });
    expect(checkBudgetText('99999999')).toEqual({ ok: false, error: 'above_max' });
    expect(checkBudgetText('1e5')).toEqual({ ok: false, error: 'not_a_number' });
  });
});
