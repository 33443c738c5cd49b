import type { LandscapeOutput } from '../../../../shared/contract';
import type { Diagnosis, ReachPoint } from '../../../../shared/engine';
import { diagnosisRows, type Translate } from './chartOptions';
import type { Formats } from './formats';
import { cpaOf, cpaSeries, cumulativeBudget, sum, type ForecastView, type Metric } from './model';

/**
 * The text beside each chart: its key numbers in a sentence, for screen readers and for pasting
 * into an email. Built from the same figures the chart draws.
 */
export interface SummaryContext {
  t: Translate;
  f: Formats;
}

const value = (f: Formats, m: Metric, x: number) => (m === 'spendFen' ? f.money(Math.round(x)) : f.count(x));

export function hourlySummary({ t, f }: SummaryContext, v: ForecastView, metric: Metric): string {
  const xs = v.series[metric];
  let peak = 0;
  xs.forEach((x, h) => {
    if (x > (xs[peak] ?? 0)) peak = h;
  });
  return t('forecast.summaryText.hourly', {
    metric: t(`forecast.metric.${metric}`),
    total: value(f, metric, v.totals[metric]),
    p10: value(f, metric, sum(v.bands[metric].p10)),
    p90: value(f, metric, sum(v.bands[metric].p90)),
    days: v.days,
    peak: value(f, metric, xs[peak] ?? 0),
    when: f.hour(v.startDate, peak),
  });
}

/** CPA over the horizon, and its cheapest and dearest hours (hours without a conversion left out). */
export function cpaSummary({ t, f }: SummaryContext, v: ForecastView): string {
  const total = cpaOf(v.totals.spendFen, v.totals.conversions);
  if (total === null) return t('forecast.summaryText.cpaNone', { days: v.days, spend: f.money(v.totals.spendFen) });
  const { hourly } = cpaSeries(v);
  let lo = -1;
  let hi = -1;
  hourly.forEach((x, h) => {
    if (x === null) return;
    if (lo < 0 || x < (hourly[lo] as number)) lo = h;
    if (hi < 0 || x > (hourly[hi] as number)) hi = h;
  });
  return t('forecast.summaryText.cpa', {
    cpa: f.money(total),
    days: v.days,
    spend: f.money(v.totals.spendFen),
    conversions: f.count(v.totals.conversions),
    lo: f.money(hourly[lo] ?? 0),
    loWhen: f.hour(v.startDate, lo),
    hi: f.money(hourly[hi] ?? 0),
    hiWhen: f.hour(v.startDate, hi),
  });
}

export function cumulativeSummary({ t, f }: SummaryContext, v: ForecastView, dailyBudgetFen: number | null): string {
  const budget = cumulativeBudget(dailyBudgetFen, v.hours);
  const spend = f.money(v.totals.spendFen);
  if (!budget) return t('forecast.summaryText.spendNoBudget', { spend });
  const total = f.money(budget[budget.length - 1] ?? 0);
  if (v.exhaustionHour === null) return t('forecast.summaryText.spendLasts', { spend, budget: total });
  return t('forecast.summaryText.spendRunsOut', { spend, budget: total, when: f.hour(v.startDate, v.exhaustionHour + 1) });
}

export function placementSummary({ t, f }: SummaryContext, rows: ForecastView['refined']['perPlacement']): string {
  const total = sum(rows.map((r) => r.impressions));
  const top = [...rows].filter((r) => r.impressions > 0).sort((a, b) => b.impressions - a.impressions).slice(0, 3);
  if (top.length === 0 || total === 0) return t('forecast.summaryText.placementNone');
  const list = top.map((r) => t('forecast.summaryText.placementItem', { placement: t(`forecast.placement.${r.placement}`), impressions: f.count(r.impressions), share: f.pct(r.impressions / total) }));
  return t('forecast.summaryText.placement', { list: list.join(t('forecast.summaryText.separator')) });
}

export function landscapeSummary({ t, f }: SummaryContext, l: LandscapeOutput, current: number): string {
  const lo = l.points[0];
  const hi = l.points[l.points.length - 1];
  if (!lo || !hi) return '';
  return t('forecast.summaryText.landscape', {
    lo: f.decimal(lo.bidMultiplier),
    loImpressions: f.count(lo.impressions),
    loSpend: f.money(lo.spendFen),
    hi: f.decimal(hi.bidMultiplier),
    hiImpressions: f.count(hi.impressions),
    hiSpend: f.money(hi.spendFen),
    current: f.decimal(current),
  });
}

export function reachSummary({ t, f }: SummaryContext, curve: readonly ReachPoint[]): string {
  const last = curve[curve.length - 1];
  if (!last || last.uniqueUsers === 0) return t('forecast.summaryText.reachNone');
  return t('forecast.summaryText.reach', { users: f.count(last.uniqueUsers), frequency: f.decimal(last.frequency ?? 0), spend: f.money(last.spendFen) });
}

export function diagnosisSummary({ t, f }: SummaryContext, d: Diagnosis): string {
  const rows = diagnosisRows(d);
  const won = rows.find((r) => r.key === 'won')?.share ?? 0;
  if (d.top === null) return t('forecast.summaryText.diagnosisNone', { won: f.pct(won) });
  return t('forecast.summaryText.diagnosis', { won: f.pct(won), top: t(`forecast.loss.${d.top}`), share: f.pct(d.shares[d.top]) });
}
