import { describe, expect, it } from 'vitest';
import { fenToYuanText, formatYuan, parseYuan, yuanWords } from './money';

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

  it('reads signed amounts only when asked (a change may be negative, a budget never)', () => {
    for (const [text, fen] of [
      ['+50', 5000],
      ['-12.5', -1250],
      ['¥ -1,000.01', -100_001],
      ['-¥3', -300],
      ['- 7', -700],
      ['-0', 0],
      ['-1.20', -120],
    ] as const)
      expect([text, parseYuan(text, { signed: true })]).toEqual([text, { ok: true, fen }]);
    expect(parseYuan('-12.5')).toEqual({ ok: false, reason: 'negative' });
    expect(parseYuan('¥-3')).toEqual({ ok: false, reason: 'negative' });
    expect(parseYuan('+50')).toEqual({ ok: false, reason: 'not_a_number' });
    expect(parseYuan('-', { signed: true })).toEqual({ ok: false, reason: 'not_a_number' });
    expect(parseYuan('--5', { signed: true })).toEqual({ ok: false, reason: 'not_a_number' });
    expect(parseYuan('-1.234', { signed: true })).toEqual({ ok: false, reason: 'too_precise' });
  });

  it('refuses rather than rounds: more than 2 decimals, odd separators, exponents, other bases', () => {
    for (const bad of ['3000.505', '0.001', '1e3', '3,00.00', '1,2,3', '1 2', '1,000 000', '0x10', 'NaN', '1.2.3', '.5', '¥', '5¥'])
      expect([bad, parseYuan(bad, { signed: true }).ok]).toEqual([bad, false]);
    expect(parseYuan('0.001')).toEqual({ ok: false, reason: 'too_precise' });
    expect(parseYuan('1 200.00')).toEqual({ ok: true, fen: 120_000 });
    expect(parseYuan(' 1,234,567.8 ')).toEqual({ ok: true, fen: 123_456_780 });
    expect(parseYuan('1.')).toEqual({ ok: true, fen: 100 });
  });

  it('bounds: 13 digits of yuan at most, so every amount is a safe integer of fen', () => {
    expect(parseYuan('9999999999999.99')).toEqual({ ok: true, fen: 999_999_999_999_999 });
    expect(parseYuan('12345678901234')).toEqual({ ok: false, reason: 'too_large' });
    expect(parseYuan('-9999999999999.99', { signed: true })).toEqual({ ok: true, fen: -999_999_999_999_999 });
  });

  it('formats signed fen as input text and round-trips every amount', () => {
    expect(fenToYuanText(-120)).toBe('-1.20');
    expect(fenToYuanText(300_050)).toBe('3000.50');
    expect(fenToYuanText(7)).toBe('0.07');
    const off: number[] = [];
    for (let fen = -200_000; fen <= 2_000_000; fen += 7) {
      const r = parseYuan(fenToYuanText(fen), { signed: true });
      if (!r.ok || r.fen !== fen) off.push(fen);
    }
    expect(off).toEqual([]);
    for (const fen of [999_999_999_999_999, -999_999_999_999_999]) expect(parseYuan(fenToYuanText(fen), { signed: true })).toEqual({ ok: true, fen });
  });

  it('says yuan in untranslated messages', () => {
    expect(yuanWords(500_000)).toBe('5,000 yuan');
    expect(yuanWords(5)).toBe('0.05 yuan');
  });
});
