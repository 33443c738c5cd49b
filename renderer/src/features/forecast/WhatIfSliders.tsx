import { useTranslation } from 'react-i18next';
import type { Formats } from './formats';

export interface WhatIfState {
  bid: number;
  budget: number;
}

export const NO_WHAT_IF: WhatIfState = { bid: 1, budget: 1 };

/** Bid and budget multipliers; each change re-forecasts (first estimate while dragging). */
export function WhatIfSliders({ value, onChange, baseBudgetFen, f, disabled }: { value: WhatIfState; onChange: (v: WhatIfState) => void; baseBudgetFen: number | null; f: Formats; disabled?: boolean }) {
  const { t } = useTranslation();
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
      <button type="button" onClick={() => onChange(NO_WHAT_IF)} disabled={value.bid === 1 && value.budget === 1}>
        {t('forecast.whatIf.reset')}
      </button>
    </fieldset>
  );
}
