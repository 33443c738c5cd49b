/** Hour labels in the merchant's zone: "11-25 14:00". startDate is already merchant-local. */
export function hourLabel(startDate: string, hour: number): string {
  const [y, m, d] = startDate.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d) + hour * 3_600_000);
  return `${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')} ${String(t.getUTCHours()).padStart(2, '0')}:00`;
}

export function hourLabels(startDate: string, hours: number): string[] {
  return Array.from({ length: hours }, (_, h) => hourLabel(startDate, h));
}
