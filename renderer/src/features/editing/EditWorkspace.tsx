import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GridRow } from '../../../../shared/contract';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import { useAccount } from '../../api/queries';
import { useUi } from '../../state/uiStore';
import { useMerchantId } from './api';
import { DataGrid } from './DataGrid';
import { DetailPane } from './DetailPane';
import { levelKey, Tree, type Level } from './Tree';
import './EditWorkspace.css';

const TOP: Level = { node: 'merchant', kind: 'plan' };

const KINDS_AT: Record<Level['node'], EntityKind[]> = {
  merchant: ['plan', 'unit', 'creative', 'searchWord', 'negativeWord', 'audiencePack', 'gdBooking'],
  plan: ['unit', 'gdBooking'],
  unit: ['creative', 'searchWord', 'negativeWord'],
};

/** Where a row lives: the tree level whose grid lists it. */
async function levelOf(kind: EntityKind, id: string): Promise<Level> {
  if (kind === 'plan' || kind === 'audiencePack') return { node: 'merchant', kind };
  const got = await call('entities.get', { kind, id });
  if (kind === 'unit' || kind === 'gdBooking') {
    const planId = String(got.row.planId);
    const plan = await call('entities.get', { kind: 'plan', id: planId });
    return { node: 'plan', id: planId, name: String(plan.row.name), kind };
  }
  const unitId = String(got.row.unitId);
  const unit = await call('entities.get', { kind: 'unit', id: unitId });
  return { node: 'unit', id: unitId, planId: String(unit.row.planId), name: String(unit.row.name), kind };
}

/**
 * The edit workspace: what a marketing team works in all day. The tree picks a level, the grid
 * lists one kind under it (sorted and filtered in SQLite), the detail pane edits the row under
 * the grid's cursor.
 */
export function EditWorkspace() {
  const { t, i18n } = useTranslation();
  const account = useAccount();
  const merchantId = useMerchantId();
  const merchantName = account.data && account.data.id === merchantId ? (i18n.language === 'zh' ? account.data.name : account.data.nameEn) : (merchantId ?? '');
  // Both belong to one merchant: switching merchants starts again at its plans.
  const [at, setAt] = useState<{ merchantId: string | undefined; level: Level; detail: { kind: EntityKind; id: string } | null }>({
    merchantId,
    level: TOP,
    detail: null,
  });
  // A choice made while the merchant was still loading (undefined) belongs to the one that loads.
  const current = at.merchantId === merchantId || at.merchantId === undefined;
  const level: Level = current ? at.level : TOP;
  const detail = current ? at.detail : null;
  const same = (a: { merchantId: string | undefined }) => a.merchantId === merchantId || a.merchantId === undefined;
  const setLevel = (l: Level) => setAt((a) => ({ merchantId, level: l, detail: same(a) ? a.detail : null }));
  const setDetail = (d: { kind: EntityKind; id: string } | null) => setAt((a) => ({ merchantId, level: same(a) ? a.level : TOP, detail: d }));
  const selectPlan = useUi((s) => s.select);
  const focus = useUi((s) => s.focus);
  const focusOn = useUi((s) => s.focusOn);
  const [focusId, setFocusId] = useState<string | null>(null);
  const [focusError, setFocusError] = useState<string | null>(null);

  useEffect(() => {
    if (!focus) return;
    let live = true;
    levelOf(focus.kind, focus.id).then(
      (l) => {
        if (!live) return;
        setFocusError(null);
        setAt({ merchantId, level: l, detail: { kind: focus.kind, id: focus.id } });
        setFocusId(focus.id);
      },
      (e: Error) => {
        if (!live) return;
        setFocusError(e.message);
        focusOn(null);
      },
    );
    return () => {
      live = false;
    };
  }, [focus, focusOn, merchantId]);

  const onOpen = (r: GridRow) => {
    const id = String(r.row.id);
    if (level.kind === 'plan') setLevel({ node: 'plan', id, name: String(r.row.name), kind: 'unit' });
    else if (level.kind === 'unit') setLevel({ node: 'unit', id, planId: String(r.row.planId), name: String(r.row.name), kind: 'creative' });
  };
  const onCursor = (r: GridRow | null) => {
    if (!r) return;
    const id = String(r.row.id);
    setDetail({ kind: level.kind, id });
    if (level.kind === 'plan') selectPlan(id);
    else if (level.kind === 'unit' || level.kind === 'gdBooking') selectPlan(String(r.row.planId));
  };
  const choose = (l: Level) => {
    setLevel(l);
    if (l.node === 'plan') selectPlan(l.id);
    if (l.node === 'unit') selectPlan(l.planId);
  };

  const parentId = level.node === 'merchant' ? undefined : level.id;
  const gridLabel = t('edit.workspace.gridLabel', { kind: t(`edit.kindPlural.${level.kind}`), where: level.node === 'merchant' ? merchantName : level.name });

  return (
    <div className="edit-workspace">
      <nav className="edit-tree" aria-label={t('edit.tree.heading')}>
        <Tree merchantId={merchantId} merchantName={merchantName} level={level} onSelect={choose} />
      </nav>
      <section className="edit-grid" aria-label={gridLabel}>
        <div className="crumbs">
          <button type="button" className="link" onClick={() => choose({ node: 'merchant', kind: 'plan' })}>
            {merchantName}
          </button>
          {level.node !== 'merchant' && (
            <>
              <span aria-hidden="true"> › </span>
              {level.node === 'unit' ? (
                <button type="button" className="link" onClick={() => void levelOf('unit', level.id).then(choose)}>
                  {t('edit.workspace.planOfUnit')}
                </button>
              ) : (
                <span>{level.name}</span>
              )}
              {level.node === 'unit' && (
                <>
                  <span aria-hidden="true"> › </span>
                  <span>{level.name}</span>
                </>
              )}
            </>
          )}
        </div>
        <div role="tablist" aria-label={t('edit.workspace.kinds')} className="kind-tabs">
          {KINDS_AT[level.node].map((k) => (
            <button key={k} type="button" role="tab" aria-selected={level.kind === k} data-kind={k} onClick={() => setLevel({ ...level, kind: k })}>
              {t(`edit.kindPlural.${k}`)}
            </button>
          ))}
        </div>
        {focusError && (
          <p role="alert" className="field-error">
            {t('error.generic', { message: focusError })}
          </p>
        )}
        <DataGrid
          key={levelKey(level)}
          kind={level.kind}
          parentId={parentId}
          merchantId={merchantId}
          onOpen={level.kind === 'plan' || level.kind === 'unit' ? onOpen : undefined}
          onCursor={onCursor}
          focusId={focusId}
          onFocused={() => {
            setFocusId(null);
            focusOn(null);
          }}
          label={gridLabel}
        />
      </section>
      <section className="edit-detail" aria-label={t('edit.detail.pane')}>
        {detail ? <DetailPane kind={detail.kind} id={detail.id} /> : <p className="hint">{t('edit.detail.nothing')}</p>}
      </section>
    </div>
  );
}
