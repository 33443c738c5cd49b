import { describe, expect, it } from 'vitest';
import { fenToYuanText, formatYuan, parseYuan } from './money';

describe('money is integer fen', () => {
  it('parses yuan text exactly, without floating point drift', () => {
    expect(parseYuan('0.29')).toEqual({ ok: true, fen: 29 });
    expect(parseYuan('1.1')).toEqual({ ok: true, fen: 110 });
    expect(parseYuan('¥12,345.67')).toEqual({ ok: true, fen: 1_234_567 });
    expect(parseYuan('￥ 8')).toEqual({ ok: true, fen: 800 });
  });
  it('names what is wrong instead of guessing', () => {
    expect(parseYuan('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseYuan('-1')).toEqual({ ok: false, reason: 'negative' });
    expect(parseYuan('1.001')).toEqual({ ok: false, reason: 'too_precise' });
    expect(parseYuan('12abc')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(parseYuan('Infinity')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(parseYuan('9'.repeat(20))).toEqual({ ok: false, reason: 'too_large' });
  });
  it('round-trips fen through the input text', () => {
    for (const fen of [0, 1, 99, 100, 432_150, 1_000_000_000]) {
      const back = parseYuan(fenToYuanText(fen));
      expect(back).toEqual({ ok: true, fen });
    }
  });
  it('formats as ¥ in both languages', () => {
    expect(formatYuan(432_150, 'en-US')).toBe('¥4,321.50');
    expect(formatYuan(432_150, 'zh-CN')).toBe('¥4,321.50');
  });
});
