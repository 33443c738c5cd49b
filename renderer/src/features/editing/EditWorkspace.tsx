import { useTranslation } from 'react-i18next';
import { PlanEditor } from '../plans/PlanEditor';
import { PlanList } from '../plans/PlanList';

/** The edit workspace: what a marketing team works in all day. */
export function EditWorkspace() {
  const { t } = useTranslation();
  return (
    <div className="layout">
      <section className="plans" aria-label={t('plans.heading')}>
        <h2>{t('plans.heading')}</h2>
        <PlanList />
      </section>
      <section className="detail">
        <PlanEditor />
      </section>
    </div>
  );
}
