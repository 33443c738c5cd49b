import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkRow, type AnyEntity, type CheckIssue } from '../../../../shared/domain/checks';
import type { Plan } from '../../../../shared/domain/entities';
import { call } from '../../api/call';
import { useMerchantScope, usePlans } from '../../api/queries';
import type { Selection } from '../../state/uiStore';
import { Dialog } from '../../ui/Dialog';
import { ErrorNote } from '../../ui/ErrorNote';
import { Applied, IssueList } from './shared';

type Movable = 'unit' | 'creative';
const PREVIEW_ROWS = 50;

/**
 * Copy or move units between plans, creatives between units. The preview lists the rows, the
 * side effects the store applies (copies of creatives go back to review; a unit is copied with
 * its creatives and words) and the checks the destination breaks (a NO_BID unit moved into a
 * search plan), evaluated with the same rules the store uses.
 */
export function CopyMoveDialog({ target, onClose }: { target: Selection | null; onClose: () => void }) {
  const { t } = useTranslation();
  const movable = target && (target.kind === 'unit' || target.kind === 'creative') ? (target as Selection & { kind: Movable }) : null;
  return (
    <Dialog title={t('ops.copyMove.title')} onClose={onClose} wide testId="copymove-dialog">
      {movable ? <CopyMoveForm target={movable} /> : <p className="hint">{t('ops.copyMove.needSelection')}</p>}
    </Dialog>
  );
}

function CopyMoveForm({ target }: { target: Selection & { kind: Movable } }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [mode, setMode] = useState<'copy' | 'move'>('copy');
  const [dest, setDest] = useState('');
  const [previewed, setPreviewed] = useState(false);
  const scope = useMerchantScope();
  const plans = usePlans();
  const units = useQuery({
    queryKey: ['entities', 'unit', 'all', scope.merchantId ?? null],
    queryFn: () => call('entities.list', { kind: 'unit', limit: 5000, ...scope }),
    enabled: target.kind === 'creative',
  });
  const rows = useQuery({
    queryKey: ['copyMove', 'rows', target.kind, target.ids.slice(0, PREVIEW_ROWS)],
    queryFn: () => Promise.all(target.ids.slice(0, PREVIEW_ROWS).map((id) => call('entities.get', { kind: target.kind, id }))),
  });
  const rules = useQuery({ queryKey: ['rules', scope.merchantId ?? null], queryFn: () => call('rules.list', scope) });

  const destinations =
    target.kind === 'unit'
      ? (plans.data ?? []).filter((p) => p.plan.status !== 'DELETED').map((p) => ({ id: p.plan.id, name: p.plan.name }))
      : (units.data?.rows ?? []).map((u) => ({ id: String(u.row.id), name: String(u.row.name) }));
  const destPlan = target.kind === 'unit' ? plans.data?.find((p) => p.plan.id === dest)?.plan : undefined;

  const issues: CheckIssue[] = [];
  if (previewed && destPlan && rows.data) {
    const planById = new Map((plans.data ?? []).map((p) => [p.plan.id, p.plan as Plan]));
    for (const r of rows.data) {
      const ctx = { today: '', isNew: mode === 'copy', rules: rules.data ?? [] };
      const source = planById.get(String(r.row.planId));
      // Only what the destination breaks: a row already failing a check where it is says so in the check panel.
      const before = new Set(checkRow('unit', r.row as unknown as AnyEntity, { ...ctx, ...(source ? { plan: source } : {}) }).map((i) => i.code));
      for (const i of checkRow('unit', { ...r.row, planId: destPlan.id } as unknown as AnyEntity, { ...ctx, plan: destPlan as Plan })) if (!before.has(i.code)) issues.push(i);
    }
  }

  const apply = useMutation({
    mutationFn: async (): Promise<number> =>
      mode === 'copy'
        ? (await call('entities.copy', { kind: target.kind, ids: target.ids, toParentId: dest })).ids.length
        : (await call('entities.move', { kind: target.kind, ids: target.ids, toParentId: dest })).changed,
    onSettled: () => qc.invalidateQueries(),
  });
  if (apply.isSuccess) return <Applied changed={apply.data} />;

  const nameField = target.kind === 'unit' ? 'name' : 'title';
  const destName = destinations.find((d) => d.id === dest)?.name ?? '';
  return (
    <div className="op-form">
      <p className="op-target" data-testid="op-target">
        {t('ops.target', { count: target.ids.length, kind: t(`ops.kind.${target.kind}`) })}
      </p>
      <fieldset className="op-modes">
        <legend>{t('ops.copyMove.how')}</legend>
        {(['copy', 'move'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name="copy-mode" value={m} checked={mode === m} onChange={() => { setMode(m); setPreviewed(false); }} /> {t(`ops.copyMove.${m}`)}
          </label>
        ))}
      </fieldset>
      <label>
        {t(target.kind === 'unit' ? 'ops.copyMove.toPlan' : 'ops.copyMove.toUnit')}
        <select data-testid="copymove-dest" value={dest} onChange={(e) => { setDest(e.target.value); setPreviewed(false); }}>
          <option value="">{t('ops.copyMove.choose')}</option>
          {destinations.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <div className="actions">
        <button type="button" data-testid="op-preview-button" disabled={!dest || !rows.data} onClick={() => setPreviewed(true)}>
          {t('ops.previewButton')}
        </button>
        <button type="button" data-testid="op-apply" disabled={!previewed || apply.isPending} onClick={() => apply.mutate()}>
          {t(`ops.copyMove.apply.${mode}`, { count: target.ids.length })}
        </button>
      </div>
      <ErrorNote error={rows.error ?? apply.error} />
      {previewed && rows.data && (
        <section className="op-preview" data-testid="op-preview" aria-label={t('ops.preview')}>
          <p role="status">{t(`ops.copyMove.summary.${mode}`, { count: target.ids.length, kind: t(`ops.kind.${target.kind}`), dest: destName })}</p>
          <ul>
            {rows.data.map((r) => (
              <li key={String(r.row.id)}>
                {String(r.row[nameField] ?? '')} <code className="muted">{String(r.row.id)}</code>
              </li>
            ))}
          </ul>
          {target.ids.length > rows.data.length && <p className="hint">{t('ops.moreRows', { count: target.ids.length - rows.data.length })}</p>}
          <ul className="op-effects" data-testid="op-effects">
            {mode === 'copy' && target.kind === 'unit' && <li>{t('ops.copyMove.effect.unitChildren')}</li>}
            {mode === 'copy' && <li>{t('ops.copyMove.effect.review')}</li>}
            {mode === 'move' && <li>{t('ops.copyMove.effect.move')}</li>}
          </ul>
          <IssueList issues={issues} testId="op-preview-issues" />
        </section>
      )}
    </div>
  );
}
