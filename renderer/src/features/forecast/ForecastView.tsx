import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanDetail, WhatIf } from '../../../../shared/contract';
import type { Pacing } from '../../../../shared/domain/plan';
import { call } from '../../api/call';
import { useAccount, usePlan, usePlans } from '../../api/queries';
import { useUi } from '../../state/uiStore';
import { scheduledHours, HOURS_PER_WEEK } from '../../../../shared/domain/schedule';
import { BrandMark } from './BrandMark';
import { LogoPicker, useBrandLogo } from './BrandLogo';
import { useChartTheme } from './chartTheme';
import { chartRegistry } from './chartRegistry';
import { composePng, download } from './exportPng';
import { ForecastCharts } from './ForecastCharts';
import { useJournalRevision } from './forecastEvents';
import { formats, localeOf, type Formats } from './formats';
import { cpaOf, type ForecastView as View } from './model';
import { ReportView } from './ReportView';
import { useForecastRun } from './useForecastRun';
import { NO_WHAT_IF, otherPacing, WhatIfSliders, type WhatIfState } from './WhatIfSliders';
import './forecast.css';

const HORIZONS = [1, 3, 7, 14, 31] as const;
const PRESENT_SCALE = 1.6;

function summaryText(t: (k: string, o?: Record<string, unknown>) => string, f: Formats, v: View): string {
  const cpa = cpaOf(v.totals.spendFen, v.totals.conversions);
  return t('forecast.summary', {
    days: v.days,
    impressions: f.count(v.totals.impressions),
    clicks: f.count(v.totals.clicks),
    conversions: f.count(v.totals.conversions),
    spend: f.money(v.totals.spendFen),
    cpa: cpa === null ? t('forecast.noCpa') : f.money(cpa),
  });
}

type T = (k: string, o?: Record<string, unknown>) => string;

/**
 * What the engine simulates of the plan's delivery settings, in one line: pacing (the what-if's
 * when switched), the schedule's hours (dayparting) and the units' frequency caps. They are
 * edited in the Edit workspace; an unposted edit shows in the forecast and in Compare.
 */
function simulatedText(t: T, d: PlanDetail, unitIds: string[] | null, pacingWhatIf: Pacing | null): string {
  const units = d.units.filter((u) => unitIds === null || unitIds.includes(u.id));
  const hours = scheduledHours(d.plan.timeSchema);
  const capped = units.filter((u) => u.frequencyCap);
  const caps = [...new Set(capped.map((u) => t('forecast.simulated.cap', { n: u.frequencyCap!.impressions, days: u.frequencyCap!.periodDays })))];
  return t('forecast.simulated.line', {
    pacing: pacingWhatIf ? t('forecast.simulated.pacingWhatIf', { pacing: t(`forecast.pacing.${pacingWhatIf}`) }) : t(`forecast.pacing.${d.plan.pacing}`),
    schedule: hours === HOURS_PER_WEEK ? t('forecast.simulated.allWeek') : t('forecast.simulated.hours', { n: hours, of: HOURS_PER_WEEK }),
    caps: capped.length === 0 ? t('forecast.simulated.noCap') : t('forecast.simulated.caps', { caps: caps.join(t('forecast.summaryText.separator')), n: capped.length, of: units.length }),
  });
}

export function ForecastView() {
  const { t } = useTranslation();
  const planId = useUi((s) => s.selectedPlanId);
  if (planId === null) return <p className="hint">{t('forecast.nothingSelected')}</p>;
  // Keyed by plan: another plan starts with its own units and no what-if carried over.
  return <PlanForecast key={planId} planId={planId} />;
}

function PlanForecast({ planId }: { planId: string }) {
  const { t, i18n } = useTranslation();
  const select = useUi((s) => s.select);
  const plans = usePlans();
  const plan = usePlan(planId);
  const account = useAccount();
  const [days, setDays] = useState<number>(7);
  const [unitIds, setUnitIds] = useState<string[] | null>(null);
  const [whatIf, setWhatIf] = useState<WhatIfState>(NO_WHAT_IF);
  const [compare, setCompare] = useState(false);
  const [presenting, setPresenting] = useState(false);
  const [report, setReport] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const root = useRef<HTMLElement>(null);
  const f = useMemo(() => formats(localeOf(i18n.language)), [i18n.language]);
  const theme = useChartTheme(presenting ? PRESENT_SCALE : 1);

  const baseBudget = plan.data?.plan.dailyBudgetFen ?? null;
  const planPacing = plan.data?.plan.pacing ?? null;
  const effective = compare ? NO_WHAT_IF : whatIf;
  const whatIfInput: WhatIf | undefined = useMemo(() => {
    const w: WhatIf = {};
    if (effective.bid !== 1) w.bidMultiplier = effective.bid;
    if (effective.budget !== 1 && baseBudget !== null) w.dailyBudgetFen = Math.round(baseBudget * effective.budget);
    if (effective.flipPacing && planPacing) w.pacing = otherPacing(planPacing);
    return Object.keys(w).length ? w : undefined;
  }, [effective.bid, effective.budget, effective.flipPacing, baseBudget, planPacing]);
  const input = useMemo(
    () => ({ planId, days, ...(unitIds ? { unitIds } : {}), ...(whatIfInput ? { whatIf: whatIfInput } : {}) }),
    [planId, days, unitIds, whatIfInput],
  );
  const run = useForecastRun(input);
  const postedInput = useMemo(() => (compare ? { planId, days, ...(unitIds ? { unitIds } : {}), asPosted: true } : null), [compare, planId, days, unitIds]);
  const posted = useForecastRun(postedInput);
  const revision = useJournalRevision();
  const landscape = useQuery({
    queryKey: ['forecast', 'landscape', planId, days, revision],
    placeholderData: keepPreviousData,
    queryFn: () => call('forecast.landscape', { planId, days }),
    retry: false,
  });

  const brand = account.data ? (i18n.language === 'zh' ? account.data.name : account.data.nameEn) : '';
  // The logo is the plan's merchant's (several merchants can share a store).
  const merchantId = plan.data?.plan.merchantId ?? account.data?.id ?? null;
  const logo = useBrandLogo(merchantId);
  const planName = plan.data?.plan.name ?? plans.data?.find((p) => p.plan.id === planId)?.plan.name ?? '';
  const units = plan.data?.units ?? [];
  const view = run.view;
  const effectiveBudget = baseBudget === null ? null : Math.round(baseBudget * effective.budget);

  const exitPresentation = useCallback(() => {
    setPresenting(false);
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  }, []);
  useEffect(() => {
    if (!presenting) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && exitPresentation();
    const onFs = () => !document.fullscreenElement && setPresenting(false);
    window.addEventListener('keydown', onKey);
    document.addEventListener('fullscreenchange', onFs);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFs);
    };
  }, [presenting, exitPresentation]);
  const present = () => {
    setPresenting(true);
    // Full screen where the browser allows it; the presentation layout covers the window anyway.
    root.current?.requestFullscreen?.().catch(() => undefined);
  };

  const flash = (text: string) => {
    setNotice(text);
    window.setTimeout(() => setNotice((n) => (n === text ? null : n)), 4000);
  };
  const exportPng = async () => {
    try {
      const prefix = compare ? 'cmp-' : 'main-';
      const ids = chartRegistry.entries().map(([id]) => id).filter((id) => id.startsWith(prefix));
      const styles = getComputedStyle(document.documentElement);
      const url = await composePng(
        {
          brand,
          logo,
          title: planName,
          subtitle: view ? summaryText(t, f, view) : '',
          background: styles.getPropertyValue('--panel').trim() || '#fff',
          foreground: styles.getPropertyValue('--fg').trim() || '#000',
        },
        ids,
      );
      download(url, `${planName || 'forecast'}.png`);
      flash(t('forecast.exported'));
    } catch (e) {
      flash(t('forecast.exportFailed', { message: (e as Error).message }));
    }
  };
  const copySummary = async () => {
    const texts = [...(root.current?.querySelectorAll<HTMLElement>('.fc-summary') ?? [])].map((n) => n.textContent ?? '');
    const body = [`${brand} · ${planName}`, view ? summaryText(t, f, view) : '', ...texts].filter(Boolean).join('\n');
    try {
      await navigator.clipboard.writeText(body);
      flash(t('forecast.copied'));
    } catch {
      flash(t('forecast.copyFailed'));
    }
  };

  const whatIfNote =
    whatIfInput && !compare
      ? t(whatIfInput.pacing ? 'forecast.whatIf.notePacing' : 'forecast.whatIf.note', {
          bid: f.decimal(effective.bid),
          budget: effectiveBudget === null ? t('forecast.whatIf.unlimited') : f.money(effectiveBudget),
          ...(whatIfInput.pacing ? { pacing: t(`forecast.pacing.${whatIfInput.pacing}`) } : {}),
        })
      : null;
  const simulated = plan.data ? simulatedText(t, plan.data, unitIds, whatIfInput?.pacing ?? null) : null;
  const noDelivery = run.refined?.confidence.reason === 'NO_DELIVERY';

  return (
    <section ref={root} className={`forecast${presenting ? ' fc-presenting' : ''}`} aria-labelledby="forecast-heading" aria-busy={run.isFetching}>
      {presenting && (
        <header className="fc-present-head">
          <BrandMark name={brand} logo={logo} size={72} alt={t('forecast.logo.alt', { brand })} testId="present-logo" />
          <div>
            <p className="fc-present-brand" data-testid="present-brand">{brand}</p>
            <p className="fc-present-plan">{planName}</p>
          </div>
          <button type="button" className="fc-exit" onClick={exitPresentation} aria-label={t('forecast.present.exit')}>
            ×
          </button>
        </header>
      )}
      <header className="fc-head fc-chrome">
        <h2 id="forecast-heading">{t('forecast.heading', { days })}</h2>
        <label>
          <span>{t('forecast.controls.plan')}</span>
          <select value={planId} onChange={(e) => select(e.currentTarget.value)} data-testid="forecast-plan">
            {(plans.data ?? []).filter((p) => p.plan.status !== 'DELETED').map((p) => (
              <option key={p.plan.id} value={p.plan.id}>
                {p.plan.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('forecast.controls.horizon')}</span>
          <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))} data-testid="forecast-horizon">
            {HORIZONS.map((d) => (
              <option key={d} value={d}>
                {d === 1 ? t('forecast.controls.oneDay') : t('forecast.controls.days', { n: d })}
              </option>
            ))}
          </select>
        </label>
        <details className="fc-units">
          <summary>{t('forecast.controls.units', { n: unitIds?.length ?? units.length, of: units.length })}</summary>
          <fieldset>
            <legend className="sr-only">{t('forecast.controls.unitsLegend')}</legend>
            {units.map((u) => {
              const on = unitIds === null || unitIds.includes(u.id);
              return (
                <label key={u.id}>
                  <input
                    type="checkbox"
                    checked={on}
                    // The last unit stays: a forecast of nothing is not a forecast.
                    disabled={on && (unitIds?.length ?? units.length) === 1}
                    onChange={() => {
                      const cur = unitIds ?? units.map((x) => x.id);
                      const next = on ? cur.filter((id) => id !== u.id) : [...cur, u.id];
                      setUnitIds(next.length === units.length ? null : units.map((x) => x.id).filter((id) => next.includes(id)));
                    }}
                  />
                  {u.name}
                </label>
              );
            })}
          </fieldset>
        </details>
        <div className="fc-actions">
          <button type="button" onClick={run.refetch} disabled={run.isFetching}>
            {t('forecast.run')}
          </button>
          <button type="button" aria-pressed={compare} onClick={() => setCompare((c) => !c)} data-testid="forecast-compare">
            {t('forecast.compare.toggle')}
          </button>
          <button type="button" onClick={present} disabled={!view} data-testid="forecast-present">
            {t('forecast.present.enter')}
          </button>
          <button type="button" onClick={() => void exportPng()} disabled={!view} data-testid="forecast-png">
            {t('forecast.exportPng')}
          </button>
          <button type="button" onClick={() => setReport(true)} disabled={!view || run.isFetching} data-testid="forecast-pdf">
            {t('forecast.exportPdf')}
          </button>
          <button type="button" onClick={() => void copySummary()} disabled={!view} data-testid="forecast-copy">
            {t('forecast.copySummary')}
          </button>
        </div>
      </header>
      {notice && (
        <p role="status" className="hint fc-chrome">
          {notice}
        </p>
      )}
      <LogoPicker merchantId={merchantId} brand={brand} />
      <WhatIfSliders value={effective} onChange={setWhatIf} baseBudgetFen={baseBudget} planPacing={planPacing} f={f} disabled={compare} />
      {simulated && (
        <p className="hint fc-chrome" data-testid="forecast-simulated">
          {simulated}
        </p>
      )}
      {compare && <p className="hint fc-chrome">{t('forecast.compare.slidersOff')}</p>}
      <div className="fc-status fc-chrome" aria-live="polite">
        {run.isFetching && (
          <p role="status" data-testid="forecast-progress">
            <progress max={run.progress?.total || days * 24} value={run.progress?.done ?? 0} />{' '}
            {view?.stage === 'first'
              ? t('forecast.refining')
              : t('forecast.running', { done: run.progress?.done ?? 0, total: run.progress?.total || days * 24 })}
          </p>
        )}
      </div>
      {run.error && <p role="alert">{t('forecast.failed', { message: run.error.message })}</p>}
      {view && (
        <>
          <div className="fc-badges">
            {view.refined.includesUnposted && !compare && <p className="badge fc-unposted">{t('forecast.unposted')}</p>}
            {whatIfNote && <p className="badge" data-testid="forecast-whatif-note">{whatIfNote}</p>}
          </div>
          <p
            className="summary fc-total"
            data-testid="forecast-summary"
            data-stage={view.stage}
            data-impressions={view.totals.impressions}
            data-clicks={view.totals.clicks}
            data-conversions={view.totals.conversions}
            data-spend-fen={view.totals.spendFen}
            data-cpa-fen={cpaOf(view.totals.spendFen, view.totals.conversions) ?? 'none'}
          >
            {summaryText(t, f, view)}
          </p>
          {view.refined.confidence.low && (
            <p role="note" className="badge fc-low" data-testid="forecast-low-confidence" data-reason={view.refined.confidence.reason}>
              {t('forecast.lowConfidence', {
                reason: t(`forecast.reason.${view.refined.confidence.reason ?? 'THIN_SAMPLE'}`, {
                  top: t(`forecast.loss.${view.refined.diagnosis.top ?? 'none'}`),
                }),
              })}
            </p>
          )}
          <p className="hint" data-testid="forecast-band">
            {t('forecast.bandNote', { p10: f.count(view.refined.totalBands.impressions.p10), p90: f.count(view.refined.totalBands.impressions.p90) })}
            {view.exhaustionHour !== null && ` ${t('forecast.exhausted', { when: f.hour(view.startDate, view.exhaustionHour + 1) })}`}
          </p>
          {compare ? (
            <CompareColumns edits={view} posted={posted.view} postedError={posted.error?.message ?? null} postedRunning={posted.isFetching} theme={theme} f={f} />
          ) : (
            <ForecastCharts
              view={view}
              landscape={landscape.data ?? null}
              dailyBudgetFen={effectiveBudget}
              bidMultiplier={effective.bid}
              theme={theme}
              prefix="main-"
              mainTestIds
              {...(noDelivery ? { onlyDiagnosis: true } : {})}
            />
          )}
        </>
      )}
      {report && view && (
        <ReportView
          brand={brand}
          logo={logo}
          planName={planName}
          timeZone={account.data?.timeZone ?? 'Asia/Shanghai'}
          view={view}
          landscape={landscape.data ?? null}
          dailyBudgetFen={effectiveBudget}
          bidMultiplier={effective.bid}
          whatIfNote={whatIfNote}
          summary={summaryText(t, f, view)}
          f={f}
          onClose={() => setReport(false)}
        />
      )}
    </section>
  );
}

/** "As posted" beside "with my edits": totals, their differences and each one's hourly chart. */
function CompareColumns({ edits, posted, postedError, postedRunning, theme, f }: { edits: View; posted: View | null; postedError: string | null; postedRunning: boolean; theme: ReturnType<typeof useChartTheme>; f: Formats }) {
  const { t } = useTranslation();
  const delta = (a: number, b: number, money: boolean) => {
    const d = a - b;
    const s = money ? f.money(Math.abs(d)) : f.count(Math.abs(d));
    return d === 0 ? '±0' : `${d > 0 ? '+' : '−'}${s}`;
  };
  const cpa = (v: View) => cpaOf(v.totals.spendFen, v.totals.conversions);
  const rows: { key: 'impressions' | 'clicks' | 'conversions' | 'spendFen' | 'cpaFen'; money: boolean; of: (v: View) => number | null }[] = [
    { key: 'impressions', money: false, of: (v) => v.totals.impressions },
    { key: 'clicks', money: false, of: (v) => v.totals.clicks },
    { key: 'conversions', money: false, of: (v) => v.totals.conversions },
    { key: 'spendFen', money: true, of: (v) => v.totals.spendFen },
    { key: 'cpaFen', money: true, of: cpa },
  ];
  const show = (x: number | null, money: boolean) => (x === null ? '—' : money ? f.money(x) : f.count(x));
  return (
    <div className="fc-compare" data-testid="forecast-compare-view">
      {posted && (
        <table className="fc-compare-table" data-testid="forecast-compare-table">
          <thead>
            <tr>
              <th scope="col">{t('forecast.compare.metric')}</th>
              <th scope="col">{t('forecast.compare.posted')}</th>
              <th scope="col">{t('forecast.compare.edits')}</th>
              <th scope="col">{t('forecast.compare.change')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ key, money, of }) => {
              const a = of(posted);
              const b = of(edits);
              return (
                <tr key={key} data-metric={key} data-posted={a ?? 'none'} data-edits={b ?? 'none'}>
                  <th scope="row">{t(`forecast.metric.${key}`)}</th>
                  <td>{show(a, money)}</td>
                  <td>{show(b, money)}</td>
                  <td>{a === null || b === null ? '—' : delta(b, a, money)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div className="fc-compare-cols">
        <section aria-labelledby="fc-col-posted" data-testid="compare-posted">
          <h3 id="fc-col-posted">{t('forecast.compare.posted')}</h3>
          {postedError && <p role="alert">{t('forecast.failed', { message: postedError })}</p>}
          {!posted && postedRunning && <p role="status">{t('forecast.compare.running')}</p>}
          {posted && <ForecastCharts view={posted} landscape={null} dailyBudgetFen={null} bidMultiplier={1} theme={theme} prefix="cmp-posted-" hourlyOnly />}
        </section>
        <section aria-labelledby="fc-col-edits" data-testid="compare-edits">
          <h3 id="fc-col-edits">{edits.refined.includesUnposted ? t('forecast.compare.editsUnposted') : t('forecast.compare.edits')}</h3>
          <ForecastCharts view={edits} landscape={null} dailyBudgetFen={null} bidMultiplier={1} theme={theme} prefix="cmp-edits-" hourlyOnly />
        </section>
      </div>
    </div>
  );
}
