import { useTranslation } from 'react-i18next';
import { useForecast } from '../../api/queries';
import { count, money } from '../../format';
import { useUi } from '../../state/uiStore';
import { ForecastChart } from './ForecastChart';
import { hourLabel } from './hours';

const DAYS = 7;

export function ForecastView() {
  const { t } = useTranslation();
  const planId = useUi((s) => s.selectedPlanId);
  const forecast = useForecast(planId, DAYS);
  const allProgress = useUi((s) => s.forecastProgress);
  const progress = allProgress?.planId === planId ? allProgress : null;

  if (planId === null) return <p className="hint">{t('forecast.nothingSelected')}</p>;
  return (
    <section className="forecast" aria-labelledby="forecast-heading">
      <header className="row">
        <h2 id="forecast-heading">{t('forecast.heading', { days: DAYS })}</h2>
        <button type="button" onClick={() => void forecast.refetch()} disabled={forecast.isFetching}>
          {t('forecast.run')}
        </button>
      </header>
      {forecast.isFetching && (
        <p role="status">
          <progress max={progress?.total ?? DAYS * 24} value={progress?.done ?? 0} />{' '}
          {t('forecast.running', { done: progress?.done ?? 0, total: progress?.total ?? DAYS * 24 })}
        </p>
      )}
      {forecast.isFetching && progress?.estimate && (
        <p className="hint" data-testid="forecast-estimate">
          {t('forecast.estimate', { impressions: count(progress.estimate.totals.impressions), spend: money(progress.estimate.totals.spendFen) })}
        </p>
      )}
      {forecast.isError && <p role="alert">{t('forecast.failed', { message: forecast.error.message })}</p>}
      {forecast.data && (
        <>
          {forecast.data.includesUnposted && <p className="badge">{t('forecast.unposted')}</p>}
          <p className="summary" data-testid="forecast-summary" data-impressions={forecast.data.totals.impressions} data-spend-fen={forecast.data.totals.spendFen}>
            {t('forecast.summary', {
              days: forecast.data.days,
              impressions: count(forecast.data.totals.impressions),
              clicks: count(forecast.data.totals.clicks),
              conversions: count(forecast.data.totals.conversions),
              spend: money(forecast.data.totals.spendFen),
            })}
          </p>
          {forecast.data.confidence.low && (
            <p role="note" className="badge" data-testid="forecast-low-confidence" data-reason={forecast.data.confidence.reason}>
              {t('forecast.lowConfidence', {
                reason: t(`forecast.reason.${forecast.data.confidence.reason ?? 'THIN_SAMPLE'}`, {
                  top: t(`forecast.loss.${forecast.data.diagnosis.top ?? 'none'}`),
                }),
              })}
            </p>
          )}
          <p className="hint" data-testid="forecast-band">
            {t('forecast.bandNote', { p10: count(forecast.data.totalBands.impressions.p10), p90: count(forecast.data.totalBands.impressions.p90) })}
            {forecast.data.exhaustionHour !== null && ` ${t('forecast.exhausted', { when: hourLabel(forecast.data.startDate, forecast.data.exhaustionHour + 1) })}`}
          </p>
          {/* Never a curve of zeros: a plan that cannot deliver gets the reason above instead. */}
          {forecast.data.confidence.reason !== 'NO_DELIVERY' && <ForecastChart forecast={forecast.data} />}
        </>
      )}
    </section>
  );
}
