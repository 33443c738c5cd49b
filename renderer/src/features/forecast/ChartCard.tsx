import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { EChart, type EChartProps } from './EChart';

/** A chart with its title, its "low confidence" / "first estimate" flags and its text summary. */
export function ChartCard({
  id,
  title,
  summary,
  option,
  lowConfidence,
  estimate,
  tools,
  testId,
  data,
  wide,
}: {
  id: string;
  title: string;
  summary: string;
  option: EChartProps['option'];
  lowConfidence?: boolean;
  estimate?: boolean;
  tools?: ReactNode;
  testId?: string;
  data?: EChartProps['data'];
  wide?: boolean;
}) {
  const { t } = useTranslation();
  const summaryId = `${id}-summary`;
  return (
    <figure className={`fc-card${wide ? ' fc-wide' : ''}`} data-card={id}>
      <div className="fc-card-head">
        <h3>{title}</h3>
        {lowConfidence && <span className="fc-flag fc-low">{t('forecast.lowConfidenceShort')}</span>}
        {estimate && <span className="fc-flag">{t('forecast.firstEstimate')}</span>}
        {tools}
      </div>
      <EChart id={id} option={option} label={title} describedBy={summaryId} {...(testId ? { testId } : {})} {...(data ? { data } : {})} />
      <figcaption id={summaryId} className="fc-summary" data-summary={id}>
        {summary}
      </figcaption>
    </figure>
  );
}
