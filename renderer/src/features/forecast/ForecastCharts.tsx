import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LandscapeOutput } from '../../../../shared/contract';
import { ChartCard } from './ChartCard';
import { cpaOption, cumulativeSpendOption, diagnosisOption, hourlyOption, landscapeOption, placementOption, reachOption, type ChartTheme } from './chartOptions';
import { formats, localeOf } from './formats';
import { cpaOf, HOURLY_METRICS, sum, type ForecastView, type HourlyMetric } from './model';
import { cpaSummary, cumulativeSummary, diagnosisSummary, hourlySummary, landscapeSummary, placementSummary, reachSummary } from './summaries';

export interface ChartsProps {
  view: ForecastView;
  landscape: LandscapeOutput | null;
  dailyBudgetFen: number | null;
  bidMultiplier: number;
  theme: ChartTheme;
  /** Prefix of chart ids: the report and the compare view draw their own copies. */
  prefix: string;
  /** Only the hourly chart (the compare view's columns). */
  hourlyOnly?: boolean;
  /** Every metric as its own hourly chart (the report), instead of one with a metric switch. */
  allMetrics?: boolean;
  /** The journey's test ids belong to the main view's hourly chart. */
  mainTestIds?: boolean;
  /** A plan that wins nothing: never a curve of zeros, only why (the diagnosis). */
  onlyDiagnosis?: boolean;
}

/** The forecast's charts, each with its text summary. */
export function ForecastCharts({ view, landscape, dailyBudgetFen, bidMultiplier, theme, prefix, hourlyOnly, allMetrics, mainTestIds, onlyDiagnosis }: ChartsProps) {
  const { t, i18n } = useTranslation();
  const [metric, setMetric] = useState<HourlyMetric>('impressions');
  const f = useMemo(() => formats(localeOf(i18n.language)), [i18n.language]);
  const ctx = useMemo(() => ({ t, f, theme }), [t, f, theme]);
  const refined = view.refined;
  const low = view.lowConfidence;
  const estimate = view.stage === 'first';
  // Only the hourly and cumulative charts move with a slider; the others keep their option
  // object, so a drag does not redraw them.
  const placement = useMemo(() => ({ option: placementOption(ctx, refined.perPlacement), summary: placementSummary(ctx, refined.perPlacement) }), [ctx, refined]);
  const reach = useMemo(() => ({ option: reachOption(ctx, refined.reachCurve), summary: reachSummary(ctx, refined.reachCurve) }), [ctx, refined]);
  const diagnosis = useMemo(() => ({ option: diagnosisOption(ctx, refined.diagnosis), summary: diagnosisSummary(ctx, refined.diagnosis) }), [ctx, refined]);
  const land = useMemo(
    () => (landscape ? { option: landscapeOption(ctx, landscape, bidMultiplier), summary: landscapeSummary(ctx, landscape, bidMultiplier) } : null),
    [ctx, landscape, bidMultiplier],
  );

  const hourlyOptions = useMemo(
    () =>
      new Map(
        (allMetrics ? HOURLY_METRICS : [metric]).map((m) => [
          m,
          m === 'cpaFen' ? { option: cpaOption(ctx, view), summary: cpaSummary(ctx, view) } : { option: hourlyOption(ctx, view, m), summary: hourlySummary(ctx, view, m) },
        ]),
      ),
    [ctx, view, metric, allMetrics],
  );
  const cumulativeCard = useMemo(() => ({ option: cumulativeSpendOption(ctx, view, dailyBudgetFen), summary: cumulativeSummary(ctx, view, dailyBudgetFen) }), [ctx, view, dailyBudgetFen]);
  const hourly = (m: HourlyMetric, key: string, withSwitch: boolean) => (
    <ChartCard
      key={key}
      id={`${prefix}${key}`}
      wide
      title={m === 'cpaFen' ? t('forecast.chart.cpaTitle') : t('forecast.chart.hourlyTitle', { metric: t(`forecast.metric.${m}`) })}
      summary={hourlyOptions.get(m)!.summary}
      option={hourlyOptions.get(m)!.option}
      lowConfidence={low}
      estimate={estimate}
      {...(mainTestIds && withSwitch ? { testId: 'forecast-chart' } : {})}
      // For CPA the "total" is the horizon's CPA in fen (spend ÷ conversions), or "none".
      data={{ 'data-metric': m, 'data-stage': view.stage, 'data-p50-total': m === 'cpaFen' ? (cpaOf(view.totals.spendFen, view.totals.conversions) ?? 'none') : Math.round(sum(view.series[m])), 'data-hours': view.hours }}
      tools={
        withSwitch ? (
          <div role="radiogroup" aria-label={t('forecast.chart.metricPicker')} className="fc-metrics fc-chrome">
            {HOURLY_METRICS.map((x) => (
              <button key={x} type="button" role="radio" aria-checked={x === m} onClick={() => setMetric(x)}>
                {t(`forecast.metric.${x}`)}
              </button>
            ))}
          </div>
        ) : undefined
      }
    />
  );

  const diagnosisCard = (
    <ChartCard
      id={`${prefix}diagnosis`}
      title={t('forecast.chart.diagnosisTitle')}
      summary={diagnosis.summary}
      option={diagnosis.option}
      data={{ 'data-top': refined.diagnosis.top ?? 'none' }}
    />
  );
  if (onlyDiagnosis) return <div className="fc-grid">{diagnosisCard}</div>;
  if (hourlyOnly) return <div className="fc-grid">{hourly(metric, 'hourly', true)}</div>;
  return (
    <div className="fc-grid">
      {allMetrics ? HOURLY_METRICS.map((m) => hourly(m, `hourly-${m}`, false)) : hourly(metric, 'hourly', true)}
      <ChartCard
        id={`${prefix}cumulative`}
        title={t('forecast.chart.cumulativeTitle')}
        summary={cumulativeCard.summary}
        option={cumulativeCard.option}
        lowConfidence={low}
        estimate={estimate}
        data={{ 'data-exhaustion-hour': view.exhaustionHour ?? 'none' }}
      />
      <ChartCard
        id={`${prefix}placement`}
        title={t('forecast.chart.placementTitle')}
        summary={placement.summary}
        option={placement.option}
        lowConfidence={refined.confidence.low}
      />
      {land ? (
        <ChartCard
          id={`${prefix}landscape`}
          title={t('forecast.chart.landscapeTitle')}
          summary={land.summary}
          option={land.option}
        />
      ) : (
        <figure className="fc-card fc-pending">
          <h3>{t('forecast.chart.landscapeTitle')}</h3>
          <p className="hint">{t('forecast.landscapeRunning')}</p>
        </figure>
      )}
      <ChartCard
        id={`${prefix}reach`}
        title={t('forecast.chart.reachTitle')}
        summary={reach.summary}
        option={reach.option}
        lowConfidence={refined.confidence.low}
      />
      {diagnosisCard}
    </div>
  );
}
