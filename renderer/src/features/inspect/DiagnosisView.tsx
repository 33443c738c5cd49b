import { useTranslation } from 'react-i18next';
import type { DiagnoseOutput } from '../../../../shared/contract';
import { blockingReason } from './diagnosis';
import { count } from '../../format';
import { locale } from '../../i18n';

type Diagnosis = DiagnoseOutput['diagnosis'];

/** The engine's "why not delivering": the main reason with what to do, and every reason's share. */
export function DiagnosisView({ diagnosis }: { diagnosis: Diagnosis }) {
  const { t } = useTranslation();
  const pct = (x: number) => new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(x);
  const reasons = (Object.entries(diagnosis.shares) as [keyof Diagnosis['shares'], number][]).filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]);
  const winRate = diagnosis.requests > 0 ? diagnosis.won / diagnosis.requests : 0;
  const blocking = diagnosis.won === 0 ? blockingReason(diagnosis) : null;
  return (
    <div className="diagnosis" data-testid="diagnosis" data-top={diagnosis.top ?? ''} data-blocking={blocking ?? ''} data-won={diagnosis.won}>
      {diagnosis.won === 0 ? (
        <p className="diagnosis-top">
          <strong>{t('inspect.diagnosis.noDelivery')}</strong>{' '}
          {blocking && (
            <>
              {t('inspect.diagnosis.blocking')} <strong data-testid="diagnosis-blocking">{t(`inspect.reason.${blocking}.label`)}</strong> — {t(`inspect.reason.${blocking}.fix`)}
            </>
          )}
        </p>
      ) : (
        <p className="diagnosis-top">
          {t('inspect.diagnosis.delivers', { won: count(diagnosis.won), rate: pct(winRate) })}{' '}
          {diagnosis.top && (
            <>
              {t('inspect.diagnosis.main')} <strong data-testid="diagnosis-top">{t(`inspect.reason.${diagnosis.top}.label`)}</strong> — {t(`inspect.reason.${diagnosis.top}.fix`)}
            </>
          )}
        </p>
      )}
      <p className="hint">{t('inspect.diagnosis.requests', { requests: count(diagnosis.requests), won: count(diagnosis.won) })}</p>
      {reasons.length > 0 && (
        <table className="inspect-table diagnosis-table">
          <thead>
            <tr>
              <th scope="col">{t('inspect.diagnosis.reason')}</th>
              <th scope="col" className="num">{t('inspect.diagnosis.lost')}</th>
              <th scope="col">{t('inspect.diagnosis.share')}</th>
            </tr>
          </thead>
          <tbody>
            {reasons.map(([reason, share]) => (
              <tr key={reason} data-reason={reason}>
                <th scope="row">{t(`inspect.reason.${reason}.label`)}</th>
                <td className="num">{count(diagnosis.lost[reason])}</td>
                <td>
                  <span className="share-bar" style={{ width: `${Math.max(2, Math.round(share * 160))}px` }} aria-hidden="true" /> {pct(share)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
