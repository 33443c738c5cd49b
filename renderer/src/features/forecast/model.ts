import type { ForecastEstimate, ForecastOutput } from '../../../../shared/contract';

export const METRICS = ['impressions', 'clicks', 'conversions', 'spendFen'] as const;
export type Metric = (typeof METRICS)[number];

/**
 * What the charts draw: a refined forecast, or the engine's fast first estimate laid over the
 * last refined one while a slider is dragged (the estimate has no placements, reach or diagnosis,
 * so those keep the refined figures and say so).
 */
export interface ForecastView {
  stage: 'first' | 'refined';
  startDate: string;
  days: number;
  hours: number;
  series: Record<Metric, number[]>;
  bands: Record<Metric, { p10: number[]; p90: number[] }>;
  totals: { impressions: number; clicks: number; conversions: number; spendFen: number };
  exhaustionHour: number | null;
  lowConfidence: boolean;
  /** The refined forecast the placement, reach and diagnosis charts come from. */
  refined: ForecastOutput;
}

export function fromRefined(f: ForecastOutput): ForecastView {
  return {
    stage: 'refined',
    startDate: f.startDate,
    days: f.days,
    hours: f.hours,
    series: { impressions: f.impressions, clicks: f.clicks, conversions: f.conversions, spendFen: f.spendFen },
    bands: {
      impressions: f.bands.impressions,
      clicks: f.bands.clicks,
      conversions: f.bands.conversions,
      spendFen: f.bands.spendFen,
    },
    totals: { impressions: f.totals.impressions, clicks: f.totals.clicks, conversions: f.totals.conversions, spendFen: f.totals.spendFen },
    exhaustionHour: f.exhaustionHour,
    lowConfidence: f.confidence.low,
    refined: f,
  };
}

/** The first estimate over the last refined forecast (same plan and horizon). */
export function fromEstimate(e: ForecastEstimate, last: ForecastOutput): ForecastView {
  const hours = e.impressions.length;
  const zeros = () => new Array<number>(hours).fill(0);
  const series = {
    impressions: e.impressions,
    clicks: e.clicks ?? zeros(),
    conversions: e.conversions ?? zeros(),
    spendFen: e.spendFen,
  };
  const flat = (m: Metric) => ({ p10: series[m], p90: series[m] });
  return {
    stage: 'first',
    startDate: last.startDate,
    days: e.days,
    hours,
    series,
    bands: e.bands ?? { impressions: flat('impressions'), clicks: flat('clicks'), conversions: flat('conversions'), spendFen: flat('spendFen') },
    totals: e.totals,
    exhaustionHour: e.exhaustionHour ?? null,
    lowConfidence: e.lowConfidence,
    refined: last,
  };
}

export const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function cumulative(xs: readonly number[]): number[] {
  let acc = 0;
  return xs.map((x) => (acc += x));
}

/** Cumulative daily budget at the end of each hour: one more day's budget at each midnight. */
export function cumulativeBudget(dailyBudgetFen: number | null, hours: number): number[] | null {
  if (dailyBudgetFen === null) return null;
  return Array.from({ length: hours }, (_, h) => dailyBudgetFen * (Math.floor(h / 24) + 1));
}

/** What the hourly chart can show: the engine's four metrics, and CPA derived from two of them. */
export const HOURLY_METRICS = [...METRICS, 'cpaFen'] as const;
export type HourlyMetric = (typeof HOURLY_METRICS)[number];

/** Spend ÷ conversions in fen; null when nothing converts (no CPA, not a CPA of zero). */
export const cpaOf = (spendFen: number, conversions: number): number | null => (conversions > 0 ? Math.round(spendFen / conversions) : null);

/**
 * CPA hour by hour (p50 spend ÷ p50 conversions of that hour) and so far (cumulative spend ÷
 * cumulative conversions, the steadier figure). A ratio of two medians, so it has no p10–p90
 * band of its own; the chart says so.
 */
export function cpaSeries(v: Pick<ForecastView, 'series'>): { hourly: (number | null)[]; soFar: (number | null)[] } {
  let spend = 0;
  let conv = 0;
  const hourly: (number | null)[] = [];
  const soFar: (number | null)[] = [];
  v.series.spendFen.forEach((s, h) => {
    const c = v.series.conversions[h] ?? 0;
    spend += s;
    conv += c;
    hourly.push(cpaOf(s, c));
    soFar.push(cpaOf(spend, conv));
  });
  return { hourly, soFar };
}
