import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/call';
import { count } from '../../format';
import { Dialog } from '../../ui/Dialog';
import { ErrorNote } from '../../ui/ErrorNote';
import './operations.css';

const baseName = (file: string) => file.split(/[\\/]/).pop() ?? file;

/**
 * Backups: take a snapshot, list them, restore one after a confirmation. A restore replaces
 * the whole account (it is not a journal step); the store first saves the current state as a
 * safety copy, so the undo of a restore is restoring that copy — offered right after.
 */
export function BackupDialog({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: ['backups'], queryFn: () => call('backup.list', {}) });
  const [confirming, setConfirming] = useState<string | null>(null);
  const create = useMutation({ mutationFn: () => call('backup.create', {}), onSettled: () => qc.invalidateQueries({ queryKey: ['backups'] }) });
  const restore = useMutation({
    mutationFn: (file: string) => call('backup.restore', { file }),
    onSettled: () => qc.invalidateQueries(),
    onSuccess: () => setConfirming(null),
  });
  const when = (iso: string) => new Intl.DateTimeFormat(i18n.language === 'zh' ? 'zh-CN' : 'en-US', { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
  const kb = (bytes: number) => t('ops.backup.size', { kb: count(Math.ceil(bytes / 1024)) });

  return (
    <Dialog title={t('ops.backup.title')} onClose={onClose} wide testId="backup-dialog">
      <div className="op-form">
        <div className="actions">
          <button type="button" data-testid="backup-create" onClick={() => create.mutate()} disabled={create.isPending}>
            {t('ops.backup.create')}
          </button>
          {create.isSuccess && <span role="status">{t('ops.backup.created', { name: baseName(create.data.file) })}</span>}
        </div>
        {restore.isSuccess && (
          <div role="status" className="op-applied" data-testid="backup-restored">
            <p>{t('ops.backup.restored', { name: baseName(restore.data.restoredFrom), safety: baseName(restore.data.safetyCopy) })}</p>
            <button type="button" data-testid="backup-undo" onClick={() => restore.mutate(restore.data.safetyCopy)}>
              {t('ops.backup.undo')}
            </button>
          </div>
        )}
        <ErrorNote error={create.error ?? restore.error ?? list.error} />
        {list.data && list.data.length === 0 && <p className="hint">{t('ops.backup.none')}</p>}
        {list.data && list.data.length > 0 && (
          <table className="op-table" data-testid="backup-list">
            <thead>
              <tr>
                <th scope="col">{t('ops.backup.file')}</th>
                <th scope="col">{t('ops.backup.when')}</th>
                <th scope="col" className="num">{t('ops.backup.bytes')}</th>
                <th scope="col"><span className="visually-hidden">{t('ops.backup.restore')}</span></th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((b) => (
                <tr key={b.file}>
                  <td>
                    <code>{baseName(b.file)}</code>
                  </td>
                  <td>{when(b.createdAt)}</td>
                  <td className="num">{kb(b.bytes)}</td>
                  <td>
                    {confirming === b.file ? (
                      <span className="op-confirm" role="group" aria-label={t('ops.backup.confirmLabel')}>
                        <span>{t('ops.backup.confirm')}</span>{' '}
                        <button type="button" data-testid="backup-confirm" autoFocus onClick={() => restore.mutate(b.file)} disabled={restore.isPending}>
                          {t('ops.backup.confirmYes')}
                        </button>{' '}
                        <button type="button" onClick={() => setConfirming(null)}>
                          {t('ops.cancel')}
                        </button>
                      </span>
                    ) : (
                      <button type="button" data-testid="backup-restore" aria-label={t('ops.backup.restoreNamed', { name: baseName(b.file) })} onClick={() => setConfirming(b.file)}>
                        {t('ops.backup.restore')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Dialog>
  );
}
