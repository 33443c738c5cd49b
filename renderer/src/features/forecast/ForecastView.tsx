import { useTranslation } from 'react-i18next';
import { useForecast } from '../../api/queries';
import { count, money } from '../../format';
import { useUi } from '../../state/uiStore';
import { ForecastChart } from './ForecastChart';

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
          <ForecastChart forecast={forecast.data} />
        </>
      )}
    </section>
  );
}
