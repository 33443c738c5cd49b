import { describe, expect, it } from 'vitest';
import { ALL_HOURS, isScheduled, isValidTimeSchema, setScheduled, timeSchemaToBits } from './schedule';

describe('7×24 schedule bitmap', () => {
  it('reads and writes single hours, Monday 00:00 first', () => {
    const off = '0'.repeat(168);
    const s = setScheduled(off, 6, 23, true);
    expect(isScheduled(s, 6, 23)).toBe(true);
    expect(isScheduled(s, 0, 0)).toBe(false);
    expect(s.indexOf('1')).toBe(167);
    expect(timeSchemaToBits(s)[167]).toBe(1);
  });
  it('validates length and alphabet', () => {
    expect(isValidTimeSchema(ALL_HOURS)).toBe(true);
    expect(isValidTimeSchema('1'.repeat(167))).toBe(false);
    expect(isValidTimeSchema('2'.repeat(168))).toBe(false);
  });
});
