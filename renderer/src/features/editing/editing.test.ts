import { describe, expect, it } from 'vitest';
import { ALL_HOURS, isScheduled, scheduledHours } from '../../../../shared/domain/schedule';
import { fieldSpec, parseInput, toInputText, type FieldSpec } from './fields';
import { beginStroke, moveCursor, paint, preset } from './scheduleBrush';

const spec = (kind: Parameters<typeof fieldSpec>[0], field: string): FieldSpec => {
  const s = fieldSpec(kind, field);
  if (!s) throw new Error(`no spec ${kind}.${field}`);
  return s;
};

describe('cell input parsing', () => {
  it('reads money in yuan into fen, empty as unlimited where allowed, with the platform limits', () => {
    const budget = spec('plan', 'dailyBudgetFen');
    expect(parseInput('plan', budget, '3,000.5')).toEqual({ ok: true, value: 300_050 });
    expect(parseInput('plan', budget, '  ')).toEqual({ ok: true, value: null });
    expect(parseInput('plan', budget, 'abc')).toMatchObject({ ok: false, error: 'not_a_number' });
    expect(parseInput('plan', budget, '-5')).toMatchObject({ ok: false, error: 'negative' });
    expect(parseInput('plan', budget, '12.345')).toMatchObject({ ok: false, error: 'too_precise' });
    expect(parseInput('plan', budget, '10')).toMatchObject({ ok: false, error: 'below_min' });
    expect(parseInput('plan', budget, '99999999')).toMatchObject({ ok: false, error: 'above_max' });
    expect(toInputText(budget, 432_150)).toBe('4321.50');
    expect(parseInput('searchWord', spec('searchWord', 'bidFen'), '')).toMatchObject({ ok: false, error: 'required' });
  });

  it('checks text, enums, dates and numbers, and the schema behind them', () => {
    expect(parseInput('plan', spec('plan', 'name'), '  ')).toMatchObject({ ok: false, error: 'required' });
    expect(parseInput('plan', spec('plan', 'name'), 'x'.repeat(101))).toMatchObject({ ok: false, error: 'too_long', params: { max: 100 } });
    // User text is kept verbatim (no trimming of what was meant).
    expect(parseInput('plan', spec('plan', 'name'), ' 秋冬 <b>x</b> ')).toEqual({ ok: true, value: ' 秋冬 <b>x</b> ' });
    expect(parseInput('searchWord', spec('searchWord', 'matchType'), 'FUZZY')).toMatchObject({ ok: false, error: 'choose_one' });
    expect(parseInput('plan', spec('plan', 'startDate'), '2026-02-30')).toMatchObject({ ok: false, error: 'invalid' });
    expect(parseInput('plan', spec('plan', 'startDate'), '1/2/2026')).toMatchObject({ ok: false, error: 'date_format' });
    expect(parseInput('gdBooking', spec('gdBooking', 'impressionsPerDay'), '1,000')).toEqual({ ok: true, value: 1000 });
    expect(parseInput('gdBooking', spec('gdBooking', 'impressionsPerDay'), '0')).toMatchObject({ ok: false, error: 'invalid' });
    expect(parseInput('unit', spec('unit', 'targetRoi'), '2.5')).toEqual({ ok: true, value: 2.5 });
    expect(parseInput('plan', spec('plan', 'scene'), 'SEARCH')).toMatchObject({ ok: false, error: 'read_only' });
  });
});

describe('schedule painting', () => {
  it('paints the rectangle of a drag with the opposite of the first cell, and un-paints when dragged back', () => {
    const stroke = beginStroke(ALL_HOURS, { day: 1, hour: 2 });
    expect(stroke.on).toBe(false);
    const wide = paint(stroke, { day: 3, hour: 5 });
    expect(scheduledHours(wide)).toBe(168 - 3 * 4);
    expect(isScheduled(wide, 2, 4)).toBe(false);
    expect(isScheduled(wide, 4, 4)).toBe(true);
    const back = paint(stroke, { day: 1, hour: 2 });
    expect(scheduledHours(back)).toBe(167);
    // Dragging up-left of the start works the same.
    expect(scheduledHours(paint(beginStroke(preset('none'), { day: 6, hour: 23 }), { day: 5, hour: 22 }))).toBe(4);
  });

  it('moves the keyboard cursor inside the week and has presets', () => {
    expect(moveCursor({ day: 0, hour: 0 }, 'ArrowLeft')).toEqual({ day: 0, hour: 0 });
    expect(moveCursor({ day: 6, hour: 5 }, 'ArrowDown')).toEqual({ day: 6, hour: 5 });
    expect(moveCursor({ day: 2, hour: 5 }, 'End')).toEqual({ day: 2, hour: 23 });
    expect(moveCursor({ day: 2, hour: 5 }, 'x')).toBeNull();
    expect(scheduledHours(preset('workHours'))).toBe(45);
    expect(scheduledHours(preset('evenings'))).toBe(42);
  });
});
