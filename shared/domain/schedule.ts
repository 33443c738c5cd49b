/**
 * A plan's schedule (`time_schema`): a 7×24 bitmap, Monday 00:00 first, in the merchant's
 * time zone. Stored as a 168-character string of '0' and '1' so it is readable in SQLite
 * and in CSV, and cheap to index.
 */
export const HOURS_PER_WEEK = 168;

export type TimeSchema = string;

export const ALL_HOURS: TimeSchema = '1'.repeat(HOURS_PER_WEEK);

export function isValidTimeSchema(s: string): boolean {
  return s.length === HOURS_PER_WEEK && /^[01]+$/.test(s);
}

/** dayOfWeek: 0 = Monday … 6 = Sunday; hour 0–23. */
export function isScheduled(schema: TimeSchema, dayOfWeek: number, hour: number): boolean {
  return schema.charCodeAt(dayOfWeek * 24 + hour) === 49; // '1'
}

export function setScheduled(schema: TimeSchema, dayOfWeek: number, hour: number, on: boolean): TimeSchema {
  const i = dayOfWeek * 24 + hour;
  return schema.slice(0, i) + (on ? '1' : '0') + schema.slice(i + 1);
}

/** Same bitmap as a Uint8Array of 0/1 for the engine's hot loop. */
export function timeSchemaToBits(schema: TimeSchema): Uint8Array {
  const bits = new Uint8Array(HOURS_PER_WEEK);
  for (let i = 0; i < HOURS_PER_WEEK; i++) bits[i] = schema.charCodeAt(i) === 49 ? 1 : 0;
  return bits;
}

export const NO_HOURS: TimeSchema = '0'.repeat(HOURS_PER_WEEK);

/** Sets hours [fromHour, toHour) on the given days (0 = Monday) to `on`. */
export function setRange(schema: TimeSchema, days: readonly number[], fromHour: number, toHour: number, on: boolean): TimeSchema {
  if (fromHour < 0 || toHour > 24 || fromHour > toHour) throw new RangeError(`bad hour range ${fromHour}–${toHour}`);
  const chars = schema.split('');
  for (const d of days) {
    if (!Number.isInteger(d) || d < 0 || d > 6) throw new RangeError(`bad day ${d}`);
    for (let h = fromHour; h < toHour; h++) chars[d * 24 + h] = on ? '1' : '0';
  }
  return chars.join('');
}

/** Number of scheduled hours in the week. */
export function scheduledHours(schema: TimeSchema): number {
  let n = 0;
  for (let i = 0; i < schema.length; i++) if (schema.charCodeAt(i) === 49) n++;
  return n;
}

/** The schedule of one day as [from, to) hour ranges, e.g. [[7, 22]]. */
export function dayRanges(schema: TimeSchema, dayOfWeek: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let h = 0; h <= 24; h++) {
    const on = h < 24 && isScheduled(schema, dayOfWeek, h);
    if (on && start < 0) start = h;
    if (!on && start >= 0) {
      out.push([start, h]);
      start = -1;
    }
  }
  return out;
}
