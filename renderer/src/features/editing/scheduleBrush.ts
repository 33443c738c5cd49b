import { HOURS_PER_WEEK, isScheduled, setRange, type TimeSchema } from '../../../../shared/domain/schedule';

/**
 * Painting the 7×24 schedule: pressing on a cell picks the brush (the opposite of that cell),
 * dragging paints the rectangle between the press and the pointer over the schedule as it was
 * when the press began, so dragging back un-paints what the drag itself painted.
 */
export interface Cell {
  day: number;
  hour: number;
}

export interface Stroke {
  start: Cell;
  /** The schedule before the stroke. */
  base: TimeSchema;
  on: boolean;
}

export function beginStroke(base: TimeSchema, start: Cell): Stroke {
  return { start, base, on: !isScheduled(base, start.day, start.hour) };
}

export function paint(stroke: Stroke, to: Cell): TimeSchema {
  const d0 = Math.min(stroke.start.day, to.day);
  const d1 = Math.max(stroke.start.day, to.day);
  const h0 = Math.min(stroke.start.hour, to.hour);
  const h1 = Math.max(stroke.start.hour, to.hour);
  const days: number[] = [];
  for (let d = d0; d <= d1; d++) days.push(d);
  return setRange(stroke.base, days, h0, h1 + 1, stroke.on);
}

/** Keyboard: arrows move the cursor, wrapping nowhere (the grid's edges hold). */
export function moveCursor(c: Cell, key: string): Cell | null {
  switch (key) {
    case 'ArrowLeft':
      return { day: c.day, hour: Math.max(0, c.hour - 1) };
    case 'ArrowRight':
      return { day: c.day, hour: Math.min(23, c.hour + 1) };
    case 'ArrowUp':
      return { day: Math.max(0, c.day - 1), hour: c.hour };
    case 'ArrowDown':
      return { day: Math.min(6, c.day + 1), hour: c.hour };
    case 'Home':
      return { day: c.day, hour: 0 };
    case 'End':
      return { day: c.day, hour: 23 };
    default:
      return null;
  }
}

/** Presets: all week, working hours (Mon–Fri 9–18), evenings (18–24 every day), none. */
export function preset(name: 'all' | 'workHours' | 'evenings' | 'none'): TimeSchema {
  const none = '0'.repeat(HOURS_PER_WEEK);
  switch (name) {
    case 'all':
      return '1'.repeat(HOURS_PER_WEEK);
    case 'none':
      return none;
    case 'workHours':
      return setRange(none, [0, 1, 2, 3, 4], 9, 18, true);
    case 'evenings':
      return setRange(none, [0, 1, 2, 3, 4, 5, 6], 18, 24, true);
  }
}
