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
