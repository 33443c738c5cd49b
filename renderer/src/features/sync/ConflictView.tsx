import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncConflict } from '../../../../shared/contract';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import { fieldLabel, valueText } from '../../ui/fieldValues';
import './sync.css';
import '../../ui/ink.css';
import { useModal } from '../../ui/useModal';

/** Rows shown at once; "for all" still resolves every conflict. */
const MAX_ROWS = 100;

type Choice = 'mine' | 'theirs';

/**
 * Conflicts side by side, per row and per field: what came in from the server, what is here,
 * and for each field (or the row, or everything) keep mine / take theirs. The row's other
 * unposted fields, not in conflict, are listed so the user sees what will still be posted.
 */
export function ConflictView({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const conflicts = useQuery({ queryKey: ['sync', 'conflicts'], queryFn: () => call('sync.conflicts', {}), enabled: open });
  const resolve = useMutation({
    mutationFn: (input: { choice: Choice; entity?: string; entityId?: string; field?: string }) => call('sync.resolve', input),
    onSettled: () => qc.invalidateQueries(),
  });

  useModal(dialog, open);

  const rows = groupByRow(conflicts.data ?? []);
  const shown = rows.slice(0, MAX_ROWS);
  const details = useQueries({
    queries: shown.map((r) => ({
      queryKey: ['inspect', 'entity', r.entity, r.entityId],
      queryFn: () => call('inspect.entity', { kind: r.entity as EntityKind, id: r.entityId, historyLimit: 1 }),
      enabled: open,
    })),
  });
  const total = conflicts.data?.length ?? 0;

  return (
    <dialog ref={dialog} className="conflicts-dialog" aria-labelledby="conflicts-title" onClose={onClose} data-testid="conflict-view">
      <header className="row">
        <h2 id="conflicts-title">{t('sync.conflict.title', { count: total })}</h2>
        <button type="button" onClick={onClose}>{t('sync.close')}</button>
      </header>
      <p className="hint">{t('sync.conflict.explain')}</p>
      {conflicts.isError && <p role="alert">{t('sync.failed', { message: conflicts.error.message })}</p>}
      {resolve.isError && <p role="alert">{t('sync.conflict.resolveFailed', { message: resolve.error.message })}</p>}
      {total === 0 && conflicts.isSuccess && <p data-testid="no-conflicts">{t('sync.conflict.none')}</p>}
      {total > 0 && (
        <div className="actions">
          <button type="button" data-testid="keep-mine-all" disabled={resolve.isPending} onClick={() => resolve.mutate({ choice: 'mine' })}>
            {t('sync.keepMine')}
          </button>
          <button type="button" data-testid="take-theirs-all" disabled={resolve.isPending} onClick={() => resolve.mutate({ choice: 'theirs' })}>
            {t('sync.takeTheirs')}
          </button>
        </div>
      )}
      {shown.map((r, i) => {
        const d = details[i]?.data;
        const conflictFields = new Set(r.fields.map((f) => f.field));
        const alsoLocal = (d?.pending ?? []).filter((p) => !conflictFields.has(p.field));
        return (
          <section key={`${r.entity}:${r.entityId}`} className="conflict-row" data-entity-id={r.entityId} aria-label={d?.name ?? r.entityId}>
            <div className="row">
              <h3>
                <span className="kind">{t(`sync.kind.${r.entity}`, { defaultValue: r.entity })}</span> {d?.name ?? r.entityId}{' '}
                <span className="hint">{d && d.path.length > 0 ? d.path.map((p) => p.name).join(' › ') : ''}</span>
              </h3>
              <span className="actions">
                <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate({ choice: 'mine', entity: r.entity, entityId: r.entityId })}>
                  {t('sync.conflict.keepMineRow')}
                </button>
                <button type="button" disabled={resolve.isPending} onClick={() => resolve.mutate({ choice: 'theirs', entity: r.entity, entityId: r.entityId })}>
                  {t('sync.conflict.takeTheirsRow')}
                </button>
              </span>
            </div>
            <table className="conflict-table">
              <thead>
                <tr>
                  <th scope="col">{t('sync.conflict.field')}</th>
                  <th scope="col">{t('sync.conflict.incoming')}</th>
                  <th scope="col">{t('sync.conflict.local')}</th>
                  <th scope="col">{t('sync.conflict.choose')}</th>
                </tr>
              </thead>
              <tbody>
                {r.fields.map((c) => (
                  <tr key={c.field} data-field={c.field} className="conflicting">
                    <th scope="row">{fieldLabel(t, c.field)}</th>
                    <td className="theirs" data-testid="server-value">{valueText(t, c.field, c.serverValue)}</td>
                    <td className="mine" data-testid="local-value">{valueText(t, c.field, c.localValue)}</td>
                    <td className="actions">
                      <button
                        type="button"
                        disabled={resolve.isPending}
                        aria-label={t('sync.conflict.keepMineField', { field: fieldLabel(t, c.field) })}
                        onClick={() => resolve.mutate({ choice: 'mine', entity: r.entity, entityId: r.entityId, field: c.field })}
                      >
                        {t('sync.conflict.keepMine')}
                      </button>
                      <button
                        type="button"
                        disabled={resolve.isPending}
                        aria-label={t('sync.conflict.takeTheirsField', { field: fieldLabel(t, c.field) })}
                        onClick={() => resolve.mutate({ choice: 'theirs', entity: r.entity, entityId: r.entityId, field: c.field })}
                      >
                        {t('sync.conflict.takeTheirs')}
                      </button>
                    </td>
                  </tr>
                ))}
                {alsoLocal.map((p) => (
                  <tr key={p.field} data-field={p.field} className="local-only">
                    <th scope="row">{fieldLabel(t, p.field)}</th>
                    <td>{valueText(t, p.field, p.serverValue)}</td>
                    <td className="mine">{valueText(t, p.field, p.localValue)}</td>
                    <td className="hint">{t('sync.conflict.notConflicting')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
      {rows.length > MAX_ROWS && <p className="hint">{t('sync.conflict.more', { count: rows.length - MAX_ROWS })}</p>}
    </dialog>
  );
}

function groupByRow(conflicts: SyncConflict[]): { entity: string; entityId: string; fields: SyncConflict[] }[] {
  const out = new Map<string, { entity: string; entityId: string; fields: SyncConflict[] }>();
  for (const c of conflicts) {
    const key = `${c.entity}:${c.entityId}`;
    const row = out.get(key) ?? { entity: c.entity, entityId: c.entityId, fields: [] };
    row.fields.push(c);
    out.set(key, row);
  }
  return [...out.values()];
}
