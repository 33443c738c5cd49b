import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isEntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import { useUi } from '../../state/uiStore';
import { fieldLabel } from '../../ui/fieldValues';

/**
 * Rows the server rejected stay rejected (and are not resent) until edited again: a count in
 * the top bar, and the list with the server's reasons and a link to each row.
 */
export function Rejections({ count }: { count: number }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const focusOn = useUi((s) => s.focusOn);
  const list = useQuery({ queryKey: ['sync', 'rejections'], queryFn: () => call('sync.rejections', {}), enabled: open && count > 0 });
  if (count === 0) return null;
  return (
    <>
      <button type="button" className="rejections" data-testid="rejected-count" data-count={count} aria-expanded={open} onClick={() => setOpen((v) => !v)}>
        {t('sync.rejectedCount', { count })}
      </button>
      {open && (
        <div className="sync-rejections" data-testid="rejections" role="region" aria-label={t('sync.rejectedTitle')}>
          <div className="row">
            <p>{t('sync.rejectedExplain')}</p>
            <button type="button" onClick={() => setOpen(false)}>
              {t('sync.close')}
            </button>
          </div>
          {list.isError && <p role="alert">{t('sync.failed', { message: list.error.message })}</p>}
          <ul>
            {(list.data ?? []).map((r) => {
              const kind = r.entity;
              return (
              <li key={`${r.entity}:${r.entityId}`} data-entity-id={r.entityId}>
                {t(`sync.kind.${r.entity}`, { defaultValue: r.entity })} {r.entityId}
                {r.fields.filter(Boolean).length > 0 && <span className="hint"> · {r.fields.filter(Boolean).map((f) => fieldLabel(t, f)).join(', ')}</span>}
                <span className="reason"> — {r.message}</span>{' '}
                {isEntityKind(kind) && (
                  <button type="button" className="link" onClick={() => focusOn({ kind, id: r.entityId })}>
                    {t('sync.show')}
                  </button>
                )}
              </li>
              );
            })}
          </ul>
        </div>
      )}
    </>
  );
}
