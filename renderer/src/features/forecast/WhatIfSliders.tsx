import { useTranslation } from 'react-i18next';
import type { Pacing } from '../../../../shared/domain/plan';
import type { Formats } from './formats';

export interface WhatIfState {
  bid: number;
  budget: number;
  /** Forecast with the plan's pacing switched to the other mode (standard ↔ accelerated). */
  flipPacing: boolean;
}

export const NO_WHAT_IF: WhatIfState = { bid: 1, budget: 1, flipPacing: false };

export const otherPacing = (p: Pacing): Pacing => (p === 'STANDARD' ? 'ACCELERATED' : 'STANDARD');

/** Bid and budget multipliers and a pacing switch; each change re-forecasts (first estimate while dragging). */
export function WhatIfSliders({
  value,
  onChange,
  baseBudgetFen,
  planPacing,
  f,
  disabled,
}: {
  value: WhatIfState;
  onChange: (v: WhatIfState) => void;
  baseBudgetFen: number | null;
  /** The plan's own pacing; null while the plan loads. */
  planPacing: Pacing | null;
  f: Formats;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const untouched = value.bid === 1 && value.budget === 1 && !value.flipPacing;
  return (
    <fieldset className="fc-whatif fc-chrome" disabled={disabled}>
      <legend>{t('forecast.whatIf.title')}</legend>
      <label>
        <span>{t('forecast.whatIf.bid')}</span>
        <input
          type="range"
          data-testid="whatif-bid"
          min={0.5}
          max={2}
          step={0.05}
          value={value.bid}
          onChange={(e) => onChange({ ...value, bid: Number(e.currentTarget.value) })}
          aria-valuetext={t('forecast.whatIf.times', { m: f.decimal(value.bid) })}
        />
        <output>{t('forecast.whatIf.times', { m: f.decimal(value.bid) })}</output>
      </label>
      <label>
        <span>{t('forecast.whatIf.budget')}</span>
        <input
          type="range"
          data-testid="whatif-budget"
          min={0.25}
          max={3}
          step={0.05}
          value={value.budget}
          disabled={baseBudgetFen === null}
          onChange={(e) => onChange({ ...value, budget: Number(e.currentTarget.value) })}
          aria-valuetext={baseBudgetFen === null ? t('forecast.whatIf.unlimited') : f.money(Math.round(baseBudgetFen * value.budget))}
        />
        <output>{baseBudgetFen === null ? t('forecast.whatIf.unlimited') : t('forecast.whatIf.budgetValue', { m: f.decimal(value.budget), budget: f.money(Math.round(baseBudgetFen * value.budget)) })}</output>
      </label>
      {planPacing && (
        <label className="fc-pacing">
          <input type="checkbox" data-testid="whatif-pacing" checked={value.flipPacing} onChange={(e) => onChange({ ...value, flipPacing: e.currentTarget.checked })} />
          <span>
            {t('forecast.whatIf.pacing', {
              other: t(`forecast.pacing.${otherPacing(planPacing)}`),
              plan: t(`forecast.pacing.${planPacing}`),
            })}
          </span>
        </label>
      )}
      <button type="button" onClick={() => onChange(NO_WHAT_IF)} disabled={untouched}>
        {t('forecast.whatIf.reset')}
      </button>
    </fieldset>
  );
}
