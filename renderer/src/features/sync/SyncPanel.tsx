import { useTranslation } from 'react-i18next';
import { useSync, useSyncStatus } from '../../api/queries';

export function SyncPanel() {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const sync = useSync();
  const pending = status.data?.pending ?? 0;
  return (
    <section className="sync" aria-label={t('sync.button')}>
      <button type="button" onClick={() => sync.mutate()} disabled={sync.isPending}>
        {sync.isPending ? t('sync.running') : t('sync.button')}
      </button>
      <span className="pending" data-testid="pending-count" data-count={pending}>
        {pending > 0 ? t('sync.pending', { count: pending }) : t('sync.none')}
      </span>
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
              <li key={`${r.entityId}:${r.status}`} data-status={r.status}>
                <strong>{t(`sync.row.${r.status}`)}</strong> {r.entityId} {r.fields.join(', ')} {r.message ?? ''}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
