import { describe, expect, it } from 'vitest';
import type { ForecastOutput, LandscapeOutput } from '../../../../shared/contract';
import { REASONS, type Diagnosis } from '../../../../shared/engine';
import { cumulativeSpendOption, diagnosisOption, diagnosisRows, hourlyOption, landscapeOption, type ChartContext } from './chartOptions';
import { formats } from './formats';
import { cumulative, cumulativeBudget, fromEstimate, fromRefined, sum } from './model';
import { cumulativeSummary, diagnosisSummary, hourlySummary, landscapeSummary } from './summaries';

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
});
