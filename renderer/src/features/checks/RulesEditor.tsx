import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserRule } from '../../../../shared/domain/checks';
import { fieldLabelKey, isMoneyField } from '../../../../shared/domain/fields';
import { call } from '../../api/call';
import { useMerchantScope } from '../../api/queries';
import { money } from '../../format';
import { ErrorNote } from '../../ui/ErrorNote';
import { draftToRule, fieldType, nextRuleId, OPS_BY_TYPE, RULE_KINDS, ruleFields, type RuleDraft, type RuleKind } from './ruleForm';

const KINDS = RULE_KINDS;
const blank = (): RuleDraft => ({ name: '', entity: 'plan', field: 'dailyBudgetFen', op: 'lt', value: '', severity: 'error' });

/** The account's own check rules: a list and a small form to add one. */
export function RulesEditor() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  // Rules are stored with the account: the merchant the window works on.
  const scope = useMerchantScope();
  const rules = useQuery({ queryKey: ['rules', scope.merchantId ?? null], queryFn: () => call('rules.list', scope) });
  const save = useMutation({
    mutationFn: (next: UserRule[]) => call('rules.save', { rules: next, ...scope }),
    onSuccess: () => setDraft(blank()),
    onSettled: () => qc.invalidateQueries(),
  });
  const [draft, setDraft] = useState<RuleDraft>(blank);
  const [tried, setTried] = useState(false);
  const list = rules.data ?? [];
  const built = draftToRule(draft, nextRuleId(list));
  const type = fieldType(draft.entity, draft.field);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if ('rule' in built) {
      save.mutate([...list, built.rule]);
      setTried(false);
    }
  };
  const describe = (r: UserRule) => {
    const v = Array.isArray(r.value) ? r.value.join(', ') : typeof r.value === 'number' && isMoneyField(r.field, r.entity) ? money(r.value) : String(r.value ?? '');
    return t('checks.rules.sentence', { kind: t(`ops.kind.${r.entity}`), field: t(`ops.field.${fieldLabelKey(r.field, r.entity)}`, { defaultValue: r.field }), op: t(`checks.op.${r.op}`), value: v });
  };

  return (
    <div className="rules">
      {rules.isError && <ErrorNote error={rules.error} />}
      {list.length === 0 ? (
        <p className="hint">{t('checks.rules.none')}</p>
      ) : (
        <ul className="rules-list" data-testid="rules-list">
          {list.map((r) => (
            <li key={r.id}>
              <span className={`sev sev-${r.severity}`}>{t(`ops.severity.${r.severity}`)}</span> <strong>{r.name}</strong> <span className="muted">{describe(r)}</span>{' '}
              <button type="button" aria-label={t('checks.rules.removeNamed', { name: r.name })} onClick={() => save.mutate(list.filter((x) => x.id !== r.id))} disabled={save.isPending}>
                {t('checks.rules.remove')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="op-form rule-form" onSubmit={onSubmit} aria-label={t('checks.rules.add')}>
        <h3>{t('checks.rules.add')}</h3>
        <label>
          {t('checks.rules.name')}
          <input data-testid="rule-name" value={draft.name} maxLength={100} placeholder={t('checks.rules.namePlaceholder')} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
        </label>
        <div className="rule-row">
          <label>
            {t('checks.rules.kind')}
            <select
              data-testid="rule-kind"
              value={draft.entity}
              onChange={(e) => {
                const entity = e.target.value as RuleKind;
                const field = ruleFields(entity)[0] ?? 'name';
                setDraft({ ...draft, entity, field, op: OPS_BY_TYPE[fieldType(entity, field)][0] ?? 'notEmpty', value: '' });
              }}
            >
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`ops.kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('checks.rules.field')}
            <select
              data-testid="rule-field"
              value={draft.field}
              onChange={(e) => setDraft({ ...draft, field: e.target.value, op: OPS_BY_TYPE[fieldType(draft.entity, e.target.value)][0] ?? 'notEmpty', value: '' })}
            >
              {ruleFields(draft.entity).map((f) => (
                <option key={f} value={f}>
                  {t(`ops.field.${fieldLabelKey(f, draft.entity)}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('checks.rules.op')}
            <select data-testid="rule-op" value={draft.op} onChange={(e) => setDraft({ ...draft, op: e.target.value as RuleDraft['op'] })}>
              {OPS_BY_TYPE[type].map((o) => (
                <option key={o} value={o}>
                  {t(`checks.op.${o}`)}
                </option>
              ))}
            </select>
          </label>
          {draft.op !== 'notEmpty' && (
            <label>
              {t(`checks.rules.value.${draft.op === 'startsWithOneOf' ? 'list' : draft.op === 'maxLength' ? 'count' : type}`)}
              <input data-testid="rule-value" value={draft.value} aria-invalid={tried && 'error' in built} onChange={(e) => setDraft({ ...draft, value: e.target.value })} />
            </label>
          )}
          <label>
            {t('checks.rules.severity')}
            <select data-testid="rule-severity" value={draft.severity} onChange={(e) => setDraft({ ...draft, severity: e.target.value as RuleDraft['severity'] })}>
              <option value="error">{t('ops.severity.error')}</option>
              <option value="warning">{t('ops.severity.warning')}</option>
            </select>
          </label>
        </div>
        {tried && 'error' in built && (
          <p className="field-error" role="alert">
            {t(`checks.rules.error.${built.error}`)}
          </p>
        )}
        <div className="actions">
          <button type="submit" data-testid="rule-save" disabled={save.isPending}>
            {t('checks.rules.save')}
          </button>
        </div>
        <ErrorNote error={save.error} />
      </form>
    </div>
  );
}
