import { useTranslation } from 'react-i18next';
import type { PlanRow } from '../../../../shared/contract';
import { usePlans } from '../../api/queries';
import { money } from '../../format';
import { useUi } from '../../state/uiStore';

/** The merchant's plans: scene, status, daily budget, bid type; unposted rows in bold. */
export function PlanList() {
  const { t } = useTranslation();
  const plans = usePlans();
  const selected = useUi((s) => s.selectedPlanId);
  const select = useUi((s) => s.select);

  if (plans.isPending) return <p>{t('app.loading')}</p>;
  if (plans.isError) return <p role="alert">{t('error.generic', { message: plans.error.message })}</p>;
  if (plans.data.length === 0) return <p>{t('plans.empty')}</p>;

  return (
    <table className="grid" aria-label={t('plans.heading')}>
      <thead>
        <tr>
          <th scope="col">{t('plans.name')}</th>
          <th scope="col">{t('plans.scene')}</th>
          <th scope="col">{t('plans.status')}</th>
          <th scope="col" className="num">{t('plans.budget')}</th>
          <th scope="col">{t('plans.bidType')}</th>
        </tr>
      </thead>
      <tbody>
        {plans.data.map((row) => (
          <PlanListRow key={row.plan.id} row={row} selected={row.plan.id === selected} onSelect={() => select(row.plan.id)} />
        ))}
      </tbody>
    </table>
  );
}

function PlanListRow({ row, selected, onSelect }: { row: PlanRow; selected: boolean; onSelect: () => void }) {
  const { t } = useTranslation();
  const { plan, state } = row;
  return (
    <tr
      data-plan-id={plan.id}
      aria-selected={selected}
      className={[selected ? 'selected' : '', state.unposted ? 'unposted' : ''].join(' ')}
      tabIndex={0}
      onClick={onSelect}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onSelect();
        }
      }}
    >
      <td className="name">
        {state.unposted && <span className="marker" title={t('plans.edited')} aria-label={t('plans.edited')}>Δ</span>}
        {plan.name}
      </td>
      <td>{t(`scene.${plan.scene}`)}</td>
      <td>{t(`status.${plan.status}`)}</td>
      <td className="num budget">{plan.dailyBudgetFen === null ? t('plans.unlimited') : money(plan.dailyBudgetFen)}</td>
      <td>{row.bidTypes.map((b) => t(`bidType.${b}`)).join(' / ')}</td>
    </tr>
  );
}
