/** YYYY-MM-DD of `date` in `timeZone` (explicit zone: never the machine's local one). */
export function dateInZone(date: Date, timeZone: string): string {
  // A formatter costs about a millisecond to build: one per zone, not one per call.
  let f = zoneFormats.get(timeZone);
  if (!f) zoneFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(date);
}
const zoneFormats = new Map<string, Intl.DateTimeFormat>();
