import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CheckIssue } from '../../../../shared/domain/checks';
import { isEntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import { useMerchantScope, usePlans } from '../../api/queries';
import { useUi } from '../../state/uiStore';
import { Dialog } from '../../ui/Dialog';
import { ErrorNote } from '../../ui/ErrorNote';
import { IssueText } from '../../ui/IssueText';
import { RulesEditor } from './RulesEditor';
import './checks.css';

type Filter = 'all' | 'error' | 'warning';

/**
 * "Check changes": every error and warning across the account (built-in checks and the
 * account's rules), each a link that selects its row in the edit workspace; and the rules.
 */
export function ChecksPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<'issues' | 'rules'>('issues');
  return (
    <Dialog title={t('checks.title')} onClose={onClose} wide testId="checks-panel">
      <div role="tablist" aria-label={t('checks.title')}>
        {(['issues', 'rules'] as const).map((x) => (
          <button key={x} type="button" role="tab" id={`checks-tab-${x}`} aria-controls={`checks-panel-${x}`} aria-selected={tab === x} onClick={() => setTab(x)}>
            {t(`checks.tab.${x}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`checks-panel-${tab}`} aria-labelledby={`checks-tab-${tab}`}>
        {tab === 'issues' ? <IssuesList onGo={onClose} /> : <RulesEditor />}
      </div>
    </Dialog>
  );
}

function IssuesList({ onGo }: { onGo: () => void }) {
  const { t } = useTranslation();
  const focusOn = useUi((s) => s.focusOn);
  const [filter, setFilter] = useState<Filter>('all');
  const scope = useMerchantScope();
  const checks = useQuery({ queryKey: ['checks', 'all', scope.merchantId ?? null], queryFn: () => call('checks.run', scope), staleTime: 0 });
  const plans = usePlans();
  const planName = new Map((plans.data ?? []).map((p) => [p.plan.id, p.plan.name]));

  if (checks.isPending) return <p role="status">{t('checks.running')}</p>;
  if (checks.isError) return <ErrorNote error={checks.error} />;
  const { issues, errorCount, warningCount } = checks.data;
  const shown = issues.filter((i) => filter === 'all' || i.severity === filter);
  // Errors first: they block posting.
  shown.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const go = (i: CheckIssue) => {
    if (!isEntityKind(i.entity)) return;
    focusOn({ kind: i.entity, id: i.entityId });
    onGo();
  };

  return (
    <div className="checks">
      <p role="status" data-testid="checks-summary" data-errors={errorCount} data-warnings={warningCount}>
        {errorCount + warningCount === 0 ? t('checks.clean') : t('checks.summary', { errors: errorCount, warnings: warningCount })}
        {errorCount > 0 && <> {t('checks.blocks')}</>}
      </p>
      <fieldset className="op-modes">
        <legend>{t('checks.show')}</legend>
        {(['all', 'error', 'warning'] as const).map((f) => (
          <label key={f}>
            <input type="radio" name="checks-filter" checked={filter === f} onChange={() => setFilter(f)} /> {t(`checks.filter.${f}`)}
          </label>
        ))}
        <button type="button" onClick={() => void checks.refetch()} disabled={checks.isFetching}>
          {t('checks.rerun')}
        </button>
      </fieldset>
      {issues.length < errorCount + warningCount && <p className="hint">{t('checks.truncated', { shown: issues.length })}</p>}
      <ul className="checks-list" data-testid="checks-list">
        {shown.map((i, n) => (
          <li key={`${i.entity}:${i.entityId}:${i.code}:${i.field ?? ''}:${n}`} data-severity={i.severity} data-entity={i.entity} data-entity-id={i.entityId}>
            <span className={`sev sev-${i.severity}`}>{t(`ops.severity.${i.severity}`)}</span>
            <button type="button" className="link" data-testid="check-link" onClick={() => go(i)}>
              {t(`ops.kind.${i.entity}`)} {i.entity === 'plan' && planName.get(i.entityId) ? planName.get(i.entityId) : i.entityId}
              {i.field ? ` · ${i.field}` : ''}
            </button>
            <IssueText issue={i} />
          </li>
        ))}
      </ul>
    </div>
  );
}
