import { useTranslation } from 'react-i18next';
import { useCancelSync, useResolveConflicts, useSync, useSyncStatus } from '../../api/queries';

export function SyncPanel() {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const sync = useSync();
  const resolve = useResolveConflicts();
  const cancel = useCancelSync();
  const pending = status.data?.pending ?? 0;
  const conflicts = status.data?.conflicts ?? 0;
  return (
    <section className="sync" aria-label={t('sync.button')}>
      <button type="button" onClick={() => sync.mutate()} disabled={sync.isPending}>
        {sync.isPending ? t('sync.running') : t('sync.button')}
      </button>
      {sync.isPending && (
        <button type="button" onClick={() => cancel.mutate()}>
          {t('sync.cancel')}
        </button>
      )}
      <span className="pending" data-testid="pending-count" data-count={pending}>
        {pending > 0 ? t('sync.pending', { count: pending }) : t('sync.none')}
      </span>
      {conflicts > 0 && (
        <p className="conflicts" data-testid="conflict-count" data-count={conflicts}>
          {t('sync.conflicts', { count: conflicts })}{' '}
          <button type="button" onClick={() => resolve.mutate('mine')} disabled={resolve.isPending}>
            {t('sync.keepMine')}
          </button>{' '}
          <button type="button" onClick={() => resolve.mutate('theirs')} disabled={resolve.isPending}>
            {t('sync.takeTheirs')}
          </button>
        </p>
      )}
      {sync.isError && <p role="alert">{t('sync.failed', { message: sync.error.message })}</p>}
      {sync.data && (
        <div role="status" data-testid="sync-result">
          <p>{t('sync.result', {
              applied: sync.data.applied,
              rejected: sync.data.rejected,
              conflicts: sync.data.conflicts,
              pulled: sync.data.pulled,
            })}</p>
          <ul>
            {sync.data.results.map((r) => (
              <li key={`${r.entity}:${r.entityId}:${r.status}:${r.fields.join(',')}`} data-status={r.status}>
                <strong>{t(`sync.row.${r.status}`)}</strong> {r.entityId} {r.fields.join(', ')} {r.message ?? ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
