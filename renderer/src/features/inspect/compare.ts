import type { SyncStatsRow } from '../../../../shared/contract';

/** The slice of a forecast the comparison needs: hourly p50s from `startDate` 00:00 merchant-local. */
export interface HourlyForecast {
  startDate: string;
  impressions: number[];
  clicks: number[];
  spendFen: number[];
}

export interface HourComparison {
  /** The stats hour as the server keys it (UTC, "YYYY-MM-DDTHH"). */
  hour: string;
  /** The same hour in the merchant's zone: "MM-DD HH:00". */
  local: string;
  delivered: { impressions: number; clicks: number; costFen: number };
  /** The forecast for the same weekday and hour (merchant-local); null when the forecast has no such hour. */
  forecast: { impressions: number; clicks: number; spendFen: number } | null;
}

const weekdayIndex: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Local weekday (0 = Sunday), hour and "MM-DD HH:00" of a UTC stats hour in `timeZone`. */
export function localHour(utcHour: string, timeZone: string): { weekday: number; hour: number; label: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/.exec(utcHour);
  if (!m) throw new Error(`not a stats hour: ${utcHour}`);
  const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4])));
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const hour = Number(get('hour'));
  return { weekday: weekdayIndex[get('weekday')] ?? 0, hour, label: `${get('month')}-${get('day')} ${String(hour).padStart(2, '0')}:00` };
}

/**
 * Delivered hours beside the forecast for the same hours of the week. The forecast runs ahead
 * (from tomorrow) and stats look back, so "the same hours" is the same merchant-local weekday
 * and hour, which is how the market model repeats.
 */
export function compareWithForecast(stats: SyncStatsRow[], forecast: HourlyForecast | null, timeZone: string): HourComparison[] {
  const byWeekHour = new Map<number, number>();
  if (forecast) {
    const [y, mo, d] = forecast.startDate.split('-').map(Number) as [number, number, number];
    const start = Date.UTC(y, mo - 1, d);
    for (let h = 0; h < forecast.impressions.length; h++) {
      const t = new Date(start + h * 3_600_000);
      const key = t.getUTCDay() * 24 + t.getUTCHours();
      if (!byWeekHour.has(key)) byWeekHour.set(key, h);
    }
  }
  return stats.map((s) => {
    const l = localHour(s.hour, timeZone);
    const h = byWeekHour.get(l.weekday * 24 + l.hour);
    return {
      hour: s.hour,
      local: l.label,
      delivered: { impressions: s.impressions, clicks: s.clicks, costFen: s.costFen },
      forecast:
        forecast && h !== undefined
          ? { impressions: forecast.impressions[h] ?? 0, clicks: forecast.clicks[h] ?? 0, spendFen: forecast.spendFen[h] ?? 0 }
          : null,
    };
  });
}
