import type { LandscapeOutput } from '../../../../shared/contract';
import { REASONS, type Diagnosis, type ReachPoint } from '../../../../shared/engine';
import type { Formats } from './formats';
import { cpaSeries, cumulative, cumulativeBudget, type ForecastView, type Metric } from './model';

/** Colours and type size of the charts, read from the app's CSS variables (light / dark). */
export interface ChartTheme {
  fg: string;
  muted: string;
  line: string;
  accent: string;
  panel: string;
  /** Series colours after the accent. */
  palette: string[];
  /** 1 on screen, larger when presenting so the charts read from the back of a room. */
  scale: number;
  /** False on paper: no zoom bar. */
  interactive?: boolean;
}

/**
 * The app's font stack by name: echarts measures text on a canvas, where 'inherit' means its own
 * default font, and would then lay out labels for a font the SVG does not draw with.
 */
export const CHART_FONT = "system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif";

export type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface ChartContext {
  t: Translate;
  f: Formats;
  theme: ChartTheme;
}

// echarts options are plain objects; a loose record keeps these builders free of echarts' types.
type Option = Record<string, unknown>;

const isMoney = (m: Metric) => m === 'spendFen';

/** Hour labels that never overlap: one a day on long horizons, every 6 h on short ones. */
const hourAxisLabel = (ctx: ChartContext, hours: number): Option => ({
  color: ctx.theme.muted,
  fontSize: Math.round(12 * ctx.theme.scale),
  interval: hours > 48 ? 23 : 5,
  hideOverlap: true,
});

function base(ctx: ChartContext): Option {
  const { theme } = ctx;
  const fontSize = Math.round(12 * theme.scale);
  return {
    animation: false,
    backgroundColor: 'transparent',
    color: [theme.accent, ...theme.palette],
    textStyle: { color: theme.fg, fontSize, fontFamily: CHART_FONT },
    legend: { top: 0, itemGap: Math.round(16 * theme.scale), textStyle: { color: theme.fg, fontSize } },
    tooltip: { backgroundColor: theme.panel, borderColor: theme.line, textStyle: { color: theme.fg, fontSize } },
  };
}

function axis(ctx: ChartContext, extra: Option): Option {
  const { theme } = ctx;
  const fontSize = Math.round(12 * theme.scale);
  return {
    axisLine: { lineStyle: { color: theme.line } },
    axisTick: { lineStyle: { color: theme.line } },
    axisLabel: { color: theme.muted, fontSize },
    splitLine: { lineStyle: { color: theme.line } },
    nameTextStyle: { color: theme.muted, fontSize },
    ...extra,
  };
}

/**
 * The plot area inside the chart's box with room for everything around it: axis labels *and*
 * axis names (echarts 6's outer bounds with 'all'; the older containLabel left the names out,
 * which clipped "Average frequency" on the reach chart's right axis). Charts with fixed margins
 * for long category labels pass `fixed`.
 */
const grid = (ctx: ChartContext, more: Option & { fixed?: boolean } = {}): Option => {
  const s = ctx.theme.scale;
  const { fixed, ...rest } = more;
  return {
    left: Math.round(16 * s),
    right: Math.round(16 * s),
    top: Math.round(48 * s),
    bottom: Math.round(16 * s),
    ...(fixed ? { outerBoundsMode: 'none' } : { outerBoundsMode: 'same', outerBoundsContain: 'all' }),
    ...rest,
  };
};

/**
 * The hour charts' zoom: wheel/drag inside, and a slim bar in the theme's colours (echarts' own
 * light-blue bar glares on the dark theme). No data shadow in the bar: it would redraw the whole
 * series a second time on every slider step. None on paper.
 */
function zoom(ctx: ChartContext): Option[] {
  const { theme } = ctx;
  if (theme.interactive === false) return [];
  return [
    { type: 'inside' },
    {
      type: 'slider',
      height: 16,
      bottom: 8,
      showDataShadow: false,
      backgroundColor: 'transparent',
      borderColor: theme.line,
      fillerColor: /^#[0-9a-f]{6}$/i.test(theme.accent) ? `${theme.accent}33` : 'rgba(128,128,128,0.2)',
      handleStyle: { color: theme.panel, borderColor: theme.muted },
      moveHandleStyle: { color: theme.line },
      emphasis: { handleStyle: { borderColor: theme.accent }, moveHandleStyle: { color: theme.muted } },
      textStyle: { color: theme.muted },
    },
  ];
}

/** Plotted values: money in yuan (fen / 100) so axes and tooltips read as ¥. */
const plotted = (m: Metric, xs: readonly number[]) => (isMoney(m) ? xs.map((x) => x / 100) : [...xs]);

/**
 * Hourly p50 of one metric with its p10–p90 band (an invisible p10 line with the band's width
 * stacked on it), plus hourly spend as bars on a second axis when the metric is not spend.
 */
export function hourlyOption(ctx: ChartContext, v: ForecastView, metric: Metric): Option {
  const { t, f } = ctx;
  const band = v.bands[metric];
  const labels = Array.from({ length: v.hours }, (_, h) => f.hour(v.startDate, h));
  const fmtY = (x: number) => (isMoney(metric) ? f.moneyCompact(x * 100) : f.compact(x));
  const name = t(`forecast.metric.${metric}`);
  const bandName = t('forecast.chart.band');
  const spendName = t('forecast.metric.spendFen');
  const series: Option[] = [
    { id: 'band-low', type: 'line', stack: 'band', showSymbol: false, silent: true, lineStyle: { opacity: 0 }, tooltip: { show: false }, data: plotted(metric, band.p10) },
    {
      id: 'band',
      name: bandName,
      type: 'line',
      stack: 'band',
      showSymbol: false,
      silent: true,
      lineStyle: { opacity: 0 },
      areaStyle: { opacity: 0.25, color: ctx.theme.accent },
      itemStyle: { color: ctx.theme.accent },
      tooltip: { show: false },
      data: plotted(metric, band.p90.map((hi, h) => Math.max(0, hi - (band.p10[h] ?? 0)))),
    },
    { id: 'p50', name, type: 'line', showSymbol: false, itemStyle: { color: ctx.theme.accent }, lineStyle: { width: 2 * ctx.theme.scale, color: ctx.theme.accent }, data: plotted(metric, v.series[metric]) },
  ];
  if (!isMoney(metric)) {
    series.push({ id: 'spend', name: spendName, type: 'bar', yAxisIndex: 1, itemStyle: { opacity: 0.45, color: ctx.theme.palette[1] }, data: plotted('spendFen', v.series.spendFen) });
  }
  return {
    ...base(ctx),
    legend: { ...(base(ctx).legend as Option), data: [name, bandName, ...(isMoney(metric) ? [] : [spendName])] },
    tooltip: {
      ...(base(ctx).tooltip as Option),
      trigger: 'axis',
      valueFormatter: (x: number) => fmtY(x),
    },
    grid: grid(ctx, { bottom: Math.round(32 * ctx.theme.scale) }),
    dataZoom: zoom(ctx),
    xAxis: axis(ctx, { type: 'category', data: labels, name: t('forecast.chart.hour'), nameLocation: 'middle', nameGap: 28 * ctx.theme.scale, axisLabel: hourAxisLabel(ctx, v.hours) }),
    yAxis: [
      axis(ctx, { type: 'value', name, axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: fmtY } }),
      axis(ctx, {
        type: 'value',
        name: isMoney(metric) ? '' : spendName,
        show: !isMoney(metric),
        splitLine: { show: false },
        axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: (x: number) => f.moneyCompact(x * 100) },
      }),
    ],
    series,
  };
}

/**
 * CPA per hour (p50 spend ÷ p50 conversions; no band: a ratio of medians has none) and CPA so
 * far (cumulative), in ¥. Hours without a conversion have no CPA: gaps, not zeros.
 */
export function cpaOption(ctx: ChartContext, v: ForecastView): Option {
  const { t, f } = ctx;
  const labels = Array.from({ length: v.hours }, (_, h) => f.hour(v.startDate, h));
  const { hourly, soFar } = cpaSeries(v);
  const yuan = (xs: (number | null)[]) => xs.map((x) => (x === null ? null : x / 100));
  const hourName = t('forecast.chart.cpaHour');
  const soFarName = t('forecast.chart.cpaSoFar');
  return {
    ...base(ctx),
    legend: { ...(base(ctx).legend as Option), data: [hourName, soFarName] },
    tooltip: { ...(base(ctx).tooltip as Option), trigger: 'axis', valueFormatter: (x: number | null | undefined) => (x === null || x === undefined ? '—' : f.money(Math.round(x * 100))) },
    grid: grid(ctx, { bottom: Math.round(32 * ctx.theme.scale) }),
    dataZoom: zoom(ctx),
    xAxis: axis(ctx, { type: 'category', data: labels, name: t('forecast.chart.hour'), nameLocation: 'middle', nameGap: 28 * ctx.theme.scale, axisLabel: hourAxisLabel(ctx, v.hours) }),
    yAxis: axis(ctx, { type: 'value', name: t('forecast.metric.cpaFen'), axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: (x: number) => f.moneyCompact(x * 100) } }),
    series: [
      { id: 'cpa', name: hourName, type: 'line', showSymbol: false, connectNulls: false, itemStyle: { color: ctx.theme.accent }, lineStyle: { width: 1.5 * ctx.theme.scale, color: ctx.theme.accent }, data: yuan(hourly) },
      { id: 'cpa-so-far', name: soFarName, type: 'line', showSymbol: false, itemStyle: { color: ctx.theme.palette[0] }, lineStyle: { width: 2 * ctx.theme.scale, type: 'dashed', color: ctx.theme.palette[0] }, data: yuan(soFar) },
    ],
  };
}

/** Cumulative p50 spend against the cumulative daily budget, the exhaustion hour marked. */
export function cumulativeSpendOption(ctx: ChartContext, v: ForecastView, dailyBudgetFen: number | null): Option {
  const { t, f } = ctx;
  const labels = Array.from({ length: v.hours }, (_, h) => f.hour(v.startDate, h));
  const spent = cumulative(v.series.spendFen).map((x) => x / 100);
  const budget = cumulativeBudget(dailyBudgetFen, v.hours);
  const series: Option[] = [
    {
      id: 'spent',
      name: t('forecast.chart.spent'),
      type: 'line',
      showSymbol: false,
      areaStyle: { opacity: 0.15 },
      data: spent,
      ...(v.exhaustionHour !== null
        ? {
            markLine: {
              symbol: 'none',
              silent: true,
              lineStyle: { color: ctx.theme.fg, type: 'dashed' },
              label: { color: ctx.theme.fg, fontSize: Math.round(12 * ctx.theme.scale), formatter: t('forecast.chart.runsOut') },
              data: [{ xAxis: labels[v.exhaustionHour] }],
            },
          }
        : {}),
    },
  ];
  if (budget) series.push({ id: 'budget', name: t('forecast.chart.budget'), type: 'line', step: 'end', showSymbol: false, lineStyle: { type: 'dotted', width: 2 }, data: budget.map((x) => x / 100) });
  return {
    ...base(ctx),
    tooltip: { ...(base(ctx).tooltip as Option), trigger: 'axis', valueFormatter: (x: number) => f.money(Math.round(x * 100)) },
    grid: grid(ctx),
    xAxis: axis(ctx, { type: 'category', data: labels, axisLabel: hourAxisLabel(ctx, v.hours) }),
    yAxis: axis(ctx, { type: 'value', axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: (x: number) => f.moneyCompact(x * 100) } }),
    series,
  };
}

/** Impressions per placement, largest first; the tooltip adds clicks and spend. */
export function placementOption(ctx: ChartContext, rows: ForecastView['refined']['perPlacement']): Option {
  const { t, f } = ctx;
  const sorted = [...rows].filter((r) => r.impressions > 0).sort((a, b) => a.impressions - b.impressions);
  return {
    ...base(ctx),
    tooltip: {
      ...(base(ctx).tooltip as Option),
      trigger: 'item',
      formatter: (p: { dataIndex: number }) => {
        const r = sorted[p.dataIndex];
        return r ? `${t(`forecast.placement.${r.placement}`)}<br/>${t('forecast.chart.placementTip', { impressions: f.count(r.impressions), clicks: f.count(r.clicks), spend: f.money(r.spendFen) })}` : '';
      },
    },
    legend: { show: false },
    grid: grid(ctx, { top: Math.round(16 * ctx.theme.scale), bottom: Math.round(16 * ctx.theme.scale), left: Math.round(130 * ctx.theme.scale), fixed: true }),
    xAxis: axis(ctx, { type: 'value', axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: (x: number) => f.compact(x) } }),
    yAxis: axis(ctx, { type: 'category', data: sorted.map((r) => t(`forecast.placement.${r.placement}`)), axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), width: Math.round(120 * ctx.theme.scale), overflow: 'break' } }),
    series: [{ id: 'impressions', name: t('forecast.metric.impressions'), type: 'bar', data: sorted.map((r) => r.impressions) }],
  };
}

/** Impressions and conversions against the bid multiplier, spend as bars; the slider's bid marked. */
export function landscapeOption(ctx: ChartContext, l: LandscapeOutput, currentMultiplier: number): Option {
  const { t, f } = ctx;
  const pts = l.points;
  return {
    ...base(ctx),
    tooltip: { ...(base(ctx).tooltip as Option), trigger: 'axis' },
    grid: grid(ctx),
    xAxis: axis(ctx, {
      type: 'value',
      min: Math.min(...pts.map((p) => p.bidMultiplier)),
      max: Math.max(...pts.map((p) => p.bidMultiplier)),
      interval: 0.25,
      name: t('forecast.chart.bidMultiplier'),
      nameLocation: 'middle',
      nameGap: 28 * ctx.theme.scale,
      axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: (x: number) => `×${f.decimal(x)}` },
    }),
    yAxis: [
      axis(ctx, { type: 'value', name: t('forecast.metric.impressions'), axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: (x: number) => f.compact(x) } }),
      axis(ctx, { type: 'value', name: t('forecast.metric.spendFen'), splitLine: { show: false }, axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: (x: number) => f.moneyCompact(x * 100) } }),
    ],
    series: [
      {
        id: 'impressions',
        name: t('forecast.metric.impressions'),
        type: 'line',
        data: pts.map((p) => [p.bidMultiplier, p.impressions]),
        tooltip: { valueFormatter: (x: number) => f.count(x) },
        markLine: {
          symbol: 'none',
          silent: true,
          lineStyle: { color: ctx.theme.fg, type: 'dashed' },
          label: { color: ctx.theme.fg, fontSize: Math.round(12 * ctx.theme.scale), formatter: t('forecast.chart.yourBid', { m: f.decimal(currentMultiplier) }) },
          data: [{ xAxis: currentMultiplier }],
        },
      },
      { id: 'spend', name: t('forecast.metric.spendFen'), type: 'bar', yAxisIndex: 1, barMaxWidth: 24, itemStyle: { opacity: 0.45 }, data: pts.map((p) => [p.bidMultiplier, p.spendFen / 100]), tooltip: { valueFormatter: (x: number) => f.money(Math.round(x * 100)) } },
    ],
  };
}

/** Reach (unique users) against cumulative spend, with the average frequency on a second axis. */
export function reachOption(ctx: ChartContext, curve: readonly ReachPoint[]): Option {
  const { t, f } = ctx;
  return {
    ...base(ctx),
    tooltip: { ...(base(ctx).tooltip as Option), trigger: 'axis' },
    grid: grid(ctx),
    xAxis: axis(ctx, {
      type: 'value',
      name: t('forecast.chart.cumulativeSpend'),
      nameLocation: 'middle',
      nameGap: 28 * ctx.theme.scale,
      axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: (x: number) => f.moneyCompact(x * 100) },
    }),
    yAxis: [
      axis(ctx, { type: 'value', name: t('forecast.chart.reach'), axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: (x: number) => f.compact(x) } }),
      axis(ctx, { type: 'value', name: t('forecast.chart.frequency'), splitLine: { show: false }, axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: (x: number) => f.decimal(x) } }),
    ],
    series: [
      { id: 'reach', name: t('forecast.chart.reach'), type: 'line', showSymbol: false, data: curve.map((p) => [p.spendFen / 100, p.uniqueUsers]), tooltip: { valueFormatter: (x: number) => f.count(x) } },
      { id: 'frequency', name: t('forecast.chart.frequency'), type: 'line', yAxisIndex: 1, showSymbol: false, lineStyle: { type: 'dashed' }, data: curve.map((p) => [p.spendFen / 100, p.frequency ?? 0]), tooltip: { valueFormatter: (x: number) => f.decimal(x) } },
    ],
  };
}

/** Share of eligible-looking requests won and lost to each reason (zero reasons left out). */
export function diagnosisRows(d: Diagnosis): { key: 'won' | (typeof REASONS)[number]; share: number }[] {
  if (d.requests <= 0) return [];
  const rows = [{ key: 'won' as const, share: d.won / d.requests }, ...REASONS.map((r) => ({ key: r, share: d.shares[r] }))];
  return rows.filter((r) => r.share > 0);
}

export function diagnosisOption(ctx: ChartContext, d: Diagnosis): Option {
  const { t, f } = ctx;
  const rows = diagnosisRows(d).reverse();
  return {
    ...base(ctx),
    tooltip: { ...(base(ctx).tooltip as Option), trigger: 'item', valueFormatter: (x: number) => f.pct(x) },
    legend: { show: false },
    grid: grid(ctx, { top: Math.round(16 * ctx.theme.scale), bottom: Math.round(32 * ctx.theme.scale), right: Math.round(56 * ctx.theme.scale), left: Math.round(170 * ctx.theme.scale), fixed: true }),
    xAxis: axis(ctx, { type: 'value', max: 1, axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), formatter: (x: number) => f.pct(x) } }),
    yAxis: axis(ctx, {
      type: 'category',
      data: rows.map((r) => (r.key === 'won' ? t('forecast.chart.won') : t(`forecast.loss.${r.key}`))),
      axisLabel: { color: ctx.theme.muted, fontSize: Math.round(12 * ctx.theme.scale), width: Math.round(160 * ctx.theme.scale), overflow: 'break' },
    }),
    series: [
      {
        id: 'diagnosis',
        name: t('forecast.chart.share'),
        type: 'bar',
        data: rows.map((r) => ({ value: r.share, itemStyle: { color: r.key === 'won' ? ctx.theme.accent : ctx.theme.muted } })),
        label: { show: true, position: 'right', color: ctx.theme.fg, fontSize: Math.round(12 * ctx.theme.scale), formatter: (p: { value: number }) => f.pct(p.value) },
      },
    ],
  };
}
