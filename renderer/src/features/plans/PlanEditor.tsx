import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError } from '../../../../shared/contract';
import { DAILY_BUDGET_MAX_FEN, DAILY_BUDGET_MIN_FEN, fenToYuanText } from '../../../../shared/domain/money';
import type { Plan } from '../../../../shared/domain/entities';
import { usePlan, useUpdatePlan } from '../../api/queries';
import { money } from '../../format';
import { useUi } from '../../state/uiStore';
import { checkBudgetText } from './budgetInput';

export function PlanEditor() {
  const { t } = useTranslation();
  const id = useUi((s) => s.selectedPlanId);
  const detail = usePlan(id);
  // Owned here, not by the form: saving remounts the form with the saved values, and the
  // outcome ("Saved", or the core's field errors) must survive that.
  const update = useUpdatePlan();
  if (id === null) return <p className="hint">{t('editor.nothingSelected')}</p>;
  if (detail.isPending) return <p>{t('app.loading')}</p>;
  if (detail.isError) return <p role="alert">{t('error.generic', { message: detail.error.message })}</p>;
  // Keyed by plan and its saved values: switching plans or a sync resets the form.
  const p = detail.data.plan;
  return <PlanForm key={`${p.id}:${p.name}:${p.dailyBudgetFen}`} plan={p} update={update} />;
}

function PlanForm({ plan, update }: { plan: Plan; update: ReturnType<typeof useUpdatePlan> }) {
  const { t } = useTranslation();
  const mine = update.variables?.id === plan.id;
  const [name, setName] = useState(plan.name);
  const [budget, setBudget] = useState(plan.dailyBudgetFen === null ? '' : fenToYuanText(plan.dailyBudgetFen));
  const [touched, setTouched] = useState(false);

  const budgetCheck = checkBudgetText(budget);
  const nameError = name.trim() === '' ? t('editor.errors.name_empty') : name.length > 100 ? t('editor.errors.name_long') : null;
  const limits = { min: money(DAILY_BUDGET_MIN_FEN), max: money(DAILY_BUDGET_MAX_FEN) };
  const budgetError = budgetCheck.ok ? null : t(`editor.errors.${budgetCheck.error}`, limits);
  // Errors the core returned for a field (it re-checks everything at the boundary).
  const serverIssues = mine && update.error instanceof ContractError ? (update.error.issues ?? []) : [];
  const serverError = (field: string) => serverIssues.find((i) => i.path.endsWith(field))?.message ?? null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!budgetCheck.ok || nameError) return;
    update.mutate({ id: plan.id, patch: { name, dailyBudgetFen: budgetCheck.fen } });
  };

  const showBudgetError = (touched || budget !== '') && (budgetError ?? serverError('dailyBudgetFen'));
  const showNameError = nameError ?? serverError('name');

  return (
    <form className="editor" onSubmit={onSubmit} noValidate aria-label={t('editor.heading')}>
      <h2>{t('editor.heading')}</h2>
      <label htmlFor="plan-name">{t('editor.name')}</label>
      <input
        id="plan-name"
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        aria-invalid={showNameError ? true : undefined}
        aria-describedby={showNameError ? 'plan-name-error' : undefined}
      />
      {showNameError && (
        <p id="plan-name-error" className="field-error" role="alert">
          {showNameError}
        </p>
      )}
      <label htmlFor="plan-budget">{t('editor.budget')}</label>
      <input
        id="plan-budget"
        name="dailyBudget"
        inputMode="decimal"
        value={budget}
        placeholder={t('editor.unlimitedHint')}
        onChange={(e) => setBudget(e.target.value)}
        aria-invalid={showBudgetError ? true : undefined}
        aria-describedby={showBudgetError ? 'plan-budget-error' : undefined}
      />
      {showBudgetError && (
        <p id="plan-budget-error" className="field-error" role="alert">
          {showBudgetError}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={update.isPending || !!nameError || !budgetCheck.ok}>
          {update.isPending ? t('editor.saving') : t('editor.save')}
        </button>
        {mine && update.isSuccess && <span role="status">{t('editor.saved')}</span>}
        {mine && update.isError && serverIssues.length === 0 && <span role="alert">{t('error.generic', { message: update.error.message })}</span>}
      </div>
    </form>
  );
}
