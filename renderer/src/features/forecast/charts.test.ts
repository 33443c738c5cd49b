import { BarChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { describe, expect, it } from 'vitest';
import type { ForecastOutput, LandscapeOutput } from '../../../../shared/contract';
import { REASONS, type Diagnosis } from '../../../../shared/engine';
import { cpaOption, cumulativeSpendOption, diagnosisOption, diagnosisRows, hourlyOption, landscapeOption, placementOption, reachOption, type ChartContext } from './chartOptions';
import { formats } from './formats';
import { cpaOf, cpaSeries, cumulative, cumulativeBudget, fromEstimate, fromRefined, sum } from './model';
import { cpaSummary, cumulativeSummary, diagnosisSummary, hourlySummary, landscapeSummary } from './summaries';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent, SVGRenderer]);

// Messages as "key|json(options)": the tests see exactly what the builders asked to translate.
const t = (key: string, o?: Record<string, unknown>) => (o ? `${key}|${JSON.stringify(o)}` : key);
const theme = { fg: '#111', muted: '#666', line: '#ddd', accent: '#d9480f', panel: '#fff', palette: ['#00f', '#0f0'], scale: 1 };
const ctx: ChartContext = { t, f: formats('en-US'), theme };

function diagnosis(won: number, lost: Partial<Record<(typeof REASONS)[number], number>>): Diagnosis {
  const l = Object.fromEntries(REASONS.map((r) => [r, lost[r] ?? 0])) as Diagnosis['lost'];
  const requests = won + sum(Object.values(l));
  const shares = Object.fromEntries(REASONS.map((r) => [r, l[r] / requests])) as Diagnosis['shares'];
  const top = REASONS.reduce<(typeof REASONS)[number] | null>((a, r) => (l[r] > (a ? l[a] : 0) ? r : a), null);
  return { requests, won, lost: l, shares, top };
}

function forecast(hours: number, perHour: number): ForecastOutput {
  const line = (k: number) => Array.from({ length: hours }, (_, h) => k * (h % 24 < 12 ? perHour : perHour / 2));
  const band = (k: number) => ({ p10: line(k * 0.8), p50: line(k), p90: line(k * 1.2) });
  const imp = line(1);
  return {
    planId: 'p',
    asPosted: false,
    includesUnposted: false,
    stage: 'refined',
    startDate: '2026-11-25',
    days: hours / 24,
    hours,
    impressions: imp,
    clicks: line(0.1),
    conversions: line(0.01),
    spendFen: line(10),
    bands: { impressions: band(1), clicks: band(0.1), conversions: band(0.01), spendFen: band(10) },
    totals: { impressions: sum(imp), clicks: sum(line(0.1)), conversions: sum(line(0.01)), spendFen: sum(line(10)), cpmFen: null, cpcFen: null, cpaFen: null, winRate: null, shareOfEligibleWon: null, auctions: 0, uniqueUsers: 0, frequency: null },
    totalBands: { impressions: { p10: 0, p50: 0, p90: 0 }, clicks: { p10: 0, p50: 0, p90: 0 }, conversions: { p10: 0, p50: 0, p90: 0 }, spendFen: { p10: 0, p50: 0, p90: 0 } },
    perPlacement: [],
    perPlan: [],
    exhaustionHour: 20,
    confidence: { low: false, reason: null, sampledImpressions: 1000, relativeBandWidth: 0.2 },
    reachCurve: [],
    diagnosis: diagnosis(10, { budgetExhausted: 30, rankLost: 5 }),
    marketVersion: 'm',
    seed: 1,
    runs: 8,
    sampleRate: 0.1,
  };
}

type Series = { id: string; data: unknown[]; markLine?: { data: { xAxis: unknown }[] } };
const series = (o: Record<string, unknown>) => o.series as Series[];

describe('forecast charts', () => {
  it('draws the p50 and a p10–p90 band stacked on p10, with spend in yuan on a second axis', () => {
    const v = fromRefined(forecast(48, 100));
    const s = series(hourlyOption(ctx, v, 'impressions'));
    const byId = new Map(s.map((x) => [x.id, x]));
    expect(byId.get('p50')!.data).toEqual(v.series.impressions);
    expect(byId.get('band-low')!.data).toEqual(v.bands.impressions.p10);
    // The stacked band's top is p90.
    const top = (byId.get('band')!.data as number[]).map((w, h) => w + (v.bands.impressions.p10[h] ?? 0));
    expect(top).toEqual(v.bands.impressions.p90);
    expect(byId.get('spend')!.data).toEqual(v.series.spendFen.map((f) => f / 100));
    // Spend as the metric: no second spend series, values in yuan.
    const money = series(hourlyOption(ctx, v, 'spendFen'));
    expect(money.map((x) => x.id)).toEqual(['band-low', 'band', 'p50']);
    expect(money[2]!.data).toEqual(v.series.spendFen.map((f) => f / 100));
  });

  it('marks the exhaustion hour on cumulative spend and steps the budget up each midnight', () => {
    const v = fromRefined(forecast(48, 100));
    const s = series(cumulativeSpendOption(ctx, v, 5_000));
    expect(s[0]!.data).toEqual(cumulative(v.series.spendFen).map((x) => x / 100));
    expect(s[0]!.markLine!.data[0]!.xAxis).toBe('11-25 20:00');
    expect(s[1]!.data[0]).toBe(50);
    expect(s[1]!.data[24]).toBe(100);
    expect(cumulativeBudget(null, 24)).toBeNull();
    expect(cumulativeSummary({ t, f: ctx.f }, v, 5_000)).toContain('"when":"11-25 21:00"');
    expect(cumulativeSummary({ t, f: ctx.f }, v, null)).toContain('spendNoBudget');
  });

  it('shows the first estimate over the last refined forecast, flat bands when it has none', () => {
    const last = forecast(24, 100);
    const e = fromEstimate({ days: 1, impressions: new Array(24).fill(7), spendFen: new Array(24).fill(3), totals: { impressions: 168, clicks: 0, conversions: 0, spendFen: 72 }, lowConfidence: true }, last);
    expect(e.stage).toBe('first');
    expect(e.bands.impressions.p10).toEqual(e.series.impressions);
    expect(e.series.clicks).toEqual(new Array(24).fill(0));
    expect(e.refined).toBe(last);
    expect(e.lowConfidence).toBe(true);
  });

  it('summarises with the numbers the chart draws, formatted for the language', () => {
    const v = fromRefined(forecast(24, 1500));
    const en = hourlySummary({ t, f: formats('en-US') }, v, 'impressions');
    expect(en).toContain(`"total":"${new Intl.NumberFormat('en-US').format(v.totals.impressions)}"`);
    expect(en).toContain('"when":"11-25 00:00"');
    const zh = hourlySummary({ t, f: formats('zh-CN') }, v, 'spendFen');
    expect(zh).toContain('¥');
  });

  it('puts won and each non-zero loss reason on the diagnosis bar, top reason named', () => {
    const d = diagnosis(10, { budgetExhausted: 30, rankLost: 5 });
    expect(diagnosisRows(d).map((r) => r.key)).toEqual(['won', 'budgetExhausted', 'rankLost']);
    const bars = series(diagnosisOption(ctx, d))[0]!.data as { value: number }[];
    expect(bars.map((b) => b.value)).toEqual([5 / 45, 30 / 45, 10 / 45]);
    expect(diagnosisSummary({ t, f: ctx.f }, d)).toContain('forecast.loss.budgetExhausted');
    expect(diagnosisRows({ ...d, requests: 0 })).toEqual([]);
  });

  it('marks the slider bid on the bid landscape', () => {
    const l: LandscapeOutput = {
      planId: 'p',
      marketVersion: 'm',
      seed: 1,
      sampleRate: 1,
      points: [0.5, 1, 2].map((m) => ({ bidMultiplier: m, impressions: m * 1000, clicks: 0, conversions: 0, spendFen: m * 100, uniqueUsers: 0 })),
    };
    const s = series(landscapeOption(ctx, l, 1.35));
    expect(s[0]!.data).toEqual([[0.5, 500], [1, 1000], [2, 2000]]);
    expect(s[0]!.markLine!.data[0]!.xAxis).toBe(1.35);
    expect(landscapeSummary({ t, f: ctx.f }, l, 1.35)).toContain('"current":"1.35"');
  });

  it('derives CPA per hour and so far from spend and conversions, with gaps where nothing converts', () => {
    const v = fromRefined(forecast(24, 100));
    v.series.conversions = v.series.conversions.map((c, h) => (h < 2 ? 0 : c));
    v.series.spendFen = v.series.spendFen.map((x) => Math.round(x));
    const { hourly, soFar } = cpaSeries(v);
    expect(hourly[0]).toBeNull();
    expect(soFar[1]).toBeNull();
    expect(hourly[5]).toBe(Math.round(v.series.spendFen[5]! / v.series.conversions[5]!));
    expect(soFar[23]).toBe(Math.round(sum(v.series.spendFen) / sum(v.series.conversions)));
    const s = series(cpaOption(ctx, v));
    expect(s.map((x) => x.id)).toEqual(['cpa', 'cpa-so-far']);
    expect(s[0]!.data[0]).toBeNull();
    expect(s[0]!.data[5]).toBe(hourly[5]! / 100);
    expect(cpaOf(100, 0)).toBeNull();
    expect(cpaOf(1001, 2)).toBe(501);
  });

  it('summarises CPA with its cheapest and dearest hours, and says when there is none', () => {
    const v = fromRefined(forecast(24, 1000));
    const text = cpaSummary({ t, f: ctx.f }, v);
    expect(text).toContain(`"cpa":"${ctx.f.money(cpaOf(v.totals.spendFen, v.totals.conversions)!)}"`);
    // The fixture converts 1% of impressions and spends 10 fen each: every hour's CPA is ¥10.00.
    expect(text).toContain('"lo":"¥10.00"');
    const none = fromRefined({ ...forecast(24, 1000), conversions: new Array(24).fill(0) });
    none.totals.conversions = 0;
    expect(cpaSummary({ t, f: ctx.f }, none)).toContain('forecast.summaryText.cpaNone');
  });
});

/**
 * The charts laid out by echarts itself (server-side SVG), narrow as in the two-column grid:
 * every axis name must land inside the chart's box. Before the outer-bounds fix the reach
 * chart's "Average frequency" hung off the right edge.
 */
describe('chart layout', () => {
  const names: Record<string, string> = {
    'forecast.chart.frequency': 'Average frequency',
    'forecast.chart.reach': 'People reached',
    'forecast.chart.cumulativeSpend': 'Cumulative spend',
    'forecast.chart.bidMultiplier': 'Bid × multiplier',
    'forecast.metric.impressions': 'Impressions',
    'forecast.metric.spendFen': 'Spend',
    'forecast.metric.cpaFen': 'CPA',
    'forecast.chart.hour': 'Hour (merchant time)',
  };
  const tr = (k: string) => names[k] ?? k;
  const c2 = { t: tr, f: formats('en-US'), theme };
  const v = fromRefined(forecast(48, 100_000));
  const reach = [0, 1, 2, 3].map((h) => ({ hour: h, impressions: 500_000 * h, uniqueUsers: 60_000 * h, spendFen: 700_000 * h, frequency: 8.57 }));
  const landscape: LandscapeOutput = { planId: 'p', marketVersion: 'm', seed: 1, sampleRate: 1, points: [0.5, 1, 2].map((m) => ({ bidMultiplier: m, impressions: m * 2_000_000, clicks: 0, conversions: 0, spendFen: m * 2_000_000, uniqueUsers: 0 })) };
  const charts: [string, Record<string, unknown>][] = [
    ['hourly', hourlyOption(c2, v, 'impressions')],
    ['cpa', cpaOption(c2, v)],
    ['landscape', landscapeOption(c2, landscape, 1)],
    ['reach', reachOption(c2, reach)],
  ];
  for (const width of [360, 460]) {
    for (const [name, option] of charts) {
      it(`${name} at ${width} px keeps its axis names inside the box`, () => {
        const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height: 280 });
        chart.setOption(option);
        const svg = chart.renderToSVGString();
        chart.dispose();
        const axisNames = Object.values(names);
        const found = [...svg.matchAll(/<text[^>]*text-anchor="(\w+)"[^>]*?(?:x="([\d.-]+)")?[^>]*transform="translate\(([\d.-]+) ([\d.-]+)\)"[^>]*>([^<]*)<\/text>/g)].filter((m) => axisNames.includes(m[5]!));
        expect(found.length).toBeGreaterThan(0);
        for (const m of found) {
          const [, anchor, dx, x, y, text] = m;
          // A generous width estimate: 0.6 em a character at 12 px.
          const w = text!.length * 12 * 0.6;
          const left = Number(x) + Number(dx ?? 0) - (anchor === 'middle' ? w / 2 : anchor === 'end' ? w : 0);
          expect(left, `${name}: "${text}" starts left of the box`).toBeGreaterThanOrEqual(0);
          expect(left + w, `${name}: "${text}" ends right of the box`).toBeLessThanOrEqual(width);
          expect(Number(y)).toBeGreaterThanOrEqual(0);
          expect(Number(y), `${name}: "${text}" falls below the box`).toBeLessThanOrEqual(280);
        }
      });
    }
  }

  it('category charts keep their fixed label margins', () => {
    const grid = (o: Record<string, unknown>) => o.grid as Record<string, unknown>;
    expect(grid(placementOption(c2, [])).outerBoundsMode).toBe('none');
    expect(grid(diagnosisOption(c2, diagnosis(1, {}))).outerBoundsMode).toBe('none');
    expect(grid(reachOption(c2, reach)).outerBoundsContain).toBe('all');
  });
});
