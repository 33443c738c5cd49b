import { describe, expect, it } from 'vitest';
import { parseNumber, parseSignedYuan, showValue, stampedName } from './values';

const money = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

describe('operation values', () => {
  it('shows money fields as yuan, empties as the empty mark, objects as JSON', () => {
    expect(showValue('dailyBudgetFen', 300_000, money, '—')).toBe('¥3000.00');
    expect(showValue('dailyBudgetFen', null, money, '—')).toBe('—');
    expect(showValue('targetRoi', 1.5, money, '—')).toBe('1.5');
    expect(showValue('boost', { enabled: true }, money, '—')).toBe('{"enabled":true}');
    expect(showValue('name', '<b>x</b>', money, '—')).toBe('<b>x</b>');
  });
  it('parses signed yuan to exact fen', () => {
    expect(parseSignedYuan('+50')).toEqual({ ok: true, fen: 5000 });
    expect(parseSignedYuan('-12.5')).toEqual({ ok: true, fen: -1250 });
    expect(parseSignedYuan('¥ -1,000.01')).toEqual({ ok: true, fen: -100_001 });
    expect(parseSignedYuan('1.234')).toEqual({ ok: false, reason: 'too_precise' });
    expect(parseSignedYuan('abc')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(parseSignedYuan('')).toEqual({ ok: false, reason: 'empty' });
  });
  it('parses plain numbers and refuses the rest', () => {
    expect(parseNumber('-3.5')).toBe(-3.5);
    expect(parseNumber('1,000')).toBe(1000);
    expect(parseNumber('1e3')).toBeNull();
    expect(parseNumber('')).toBeNull();
  });
  it('stamps file names', () => {
    expect(stampedName('lantern-plan', 'csv', new Date(2026, 10, 24, 5, 6, 7))).toBe('lantern-plan-20261124-050607.csv');
  });
});
