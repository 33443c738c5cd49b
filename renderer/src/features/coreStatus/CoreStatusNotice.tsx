import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { host } from '../../host';
import { noticeAfter, RESTARTED_NOTICE_MS, type CoreNotice } from './coreStatus';
import './coreStatus.css';

/**
 * A small, non-blocking notice when the core's worker thread stopped unexpectedly (events
 * `core.restarted` / `core.failed`). After a restart every view reloads: the action that was
 * running may or may not have been saved, and what shows must be what the store holds.
 */
export function CoreStatusNotice() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [notice, setNotice] = useState<CoreNotice>(null);
  useEffect(
    () =>
      host.subscribe((e) => {
        if (e.type === 'core.restarted') void qc.invalidateQueries();
        setNotice((n) => noticeAfter(n, e));
      }),
    [qc],
  );
  useEffect(() => {
    if (notice !== 'restarted') return;
    const timer = setTimeout(() => setNotice(null), RESTARTED_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  if (!notice) return null;
  return (
    <div className={`core-notice core-notice-${notice}`} role={notice === 'failed' ? 'alert' : 'status'} data-testid="core-notice">
      <span>{t(`coreStatus.${notice}`)}</span>
      {notice === 'restarted' && (
        <button type="button" onClick={() => setNotice(null)}>
          {t('coreStatus.dismiss')}
        </button>
      )}
    </div>
  );
}
