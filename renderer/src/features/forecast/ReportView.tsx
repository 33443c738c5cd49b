import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { LandscapeOutput } from '../../../../shared/contract';
import { host } from '../../host';
import { BrandMark } from './BrandMark';
import { PRINT_THEME } from './chartTheme';
import { ForecastCharts } from './ForecastCharts';
import type { Formats } from './formats';
import type { ForecastView } from './model';

export interface ReportProps {
  brand: string;
  /** The brand's logo (checked data: URL), else the monogram. */
  logo: string | null;
  planName: string;
  timeZone: string;
  view: ForecastView;
  landscape: LandscapeOutput | null;
  dailyBudgetFen: number | null;
  bidMultiplier: number;
  whatIfNote: string | null;
  summary: string;
  f: Formats;
  onClose: () => void;
}

type SaveState = { kind: 'saving' } | { kind: 'saved'; path: string } | { kind: 'cancelled' } | { kind: 'failed'; message: string } | null;

/**
 * The PDF report: a print layout of the forecast in its own root beside the app, so the print
 * stylesheet can print it alone. The host says how it becomes a PDF: the desktop app prints the
 * window in its main process (webContents.printToPDF) and saves where the user picks; browser
 * mode opens the browser's print dialog ("Save as PDF"). Playwright's page.pdf uses the same
 * stylesheet.
 */
export function ReportView({ brand, logo, planName, timeZone, view, landscape, dailyBudgetFen, bidMultiplier, whatIfNote, summary, f, onClose }: ReportProps) {
  const { t, i18n } = useTranslation();
  const [saving, setSaving] = useState<SaveState>(null);
  const desktopPdf = host.saveReportPdf;
  const savePdf = async () => {
    if (!desktopPdf) {
      window.print();
      return;
    }
    setSaving({ kind: 'saving' });
    try {
      const r = await desktopPdf({ title: planName.trim() || brand.trim() || 'forecast' });
      if (!r.ok) setSaving({ kind: 'failed', message: r.error.message });
      else setSaving(r.value.status === 'saved' ? { kind: 'saved', path: r.value.path } : { kind: 'cancelled' });
    } catch (e) {
      setSaving({ kind: 'failed', message: (e as Error).message });
    }
  };
  useEffect(() => {
    document.body.classList.add('fc-printing');
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => {
      document.body.classList.remove('fc-printing');
      window.removeEventListener('keydown', onKey);
    };
  }, [onClose]);
  const generated = new Intl.DateTimeFormat(i18n.language === 'zh' ? 'zh-CN' : 'en-US', { dateStyle: 'long', timeStyle: 'long', timeZone }).format(new Date());
  const last = f.hour(view.startDate, view.hours - 1).slice(0, 5);
  return createPortal(
    <div className="fc-report-root" role="dialog" aria-modal="true" aria-labelledby="fc-report-title" data-testid="forecast-report">
      <div className="fc-report-tools">
        {saving && saving.kind !== 'saving' && (
          <p role={saving.kind === 'failed' ? 'alert' : 'status'} className="fc-report-status" data-testid="report-pdf-status" data-state={saving.kind}>
            {saving.kind === 'saved' ? t('forecast.report.saved', { path: saving.path }) : saving.kind === 'cancelled' ? t('forecast.report.cancelled') : t('forecast.report.saveFailed', { message: saving.message })}
          </p>
        )}
        <button type="button" onClick={() => void savePdf()} disabled={saving?.kind === 'saving'} data-testid="report-pdf-save" title={host.kind === 'electron' ? t('forecast.report.savePdfHint') : t('forecast.report.printHint')}>
          {desktopPdf ? t('forecast.report.savePdf') : t('forecast.report.print')}
        </button>
        <button type="button" onClick={onClose}>
          {t('forecast.report.close')}
        </button>
      </div>
      <article className="fc-report">
        <header className="fc-report-head">
          <BrandMark name={brand} logo={logo} size={56} alt={t('forecast.logo.alt', { brand })} testId="report-logo" />
          <div>
            <p className="fc-report-brand">{brand}</p>
            <h1 id="fc-report-title">{planName}</h1>
            <p>{t('forecast.report.period', { from: view.startDate, to: last, days: view.days })}</p>
            <p className="fc-report-meta">{t('forecast.report.generated', { when: generated })}</p>
          </div>
        </header>
        {view.refined.includesUnposted && <p className="fc-flag fc-unposted">{t('forecast.report.unposted')}</p>}
        {whatIfNote && <p className="fc-flag">{whatIfNote}</p>}
        {view.lowConfidence && <p className="fc-flag fc-low">{t('forecast.lowConfidenceShort')}</p>}
        <p className="fc-report-summary">{summary}</p>
        <ForecastCharts view={view} landscape={landscape} dailyBudgetFen={dailyBudgetFen} bidMultiplier={bidMultiplier} theme={PRINT_THEME} prefix="report-" allMetrics />
        <p className="fc-report-meta">{t('forecast.report.method', { market: view.refined.marketVersion, runs: view.refined.runs, seed: view.refined.seed })}</p>
      </article>
    </div>,
    document.body,
  );
}
