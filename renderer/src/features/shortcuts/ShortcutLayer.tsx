import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSyncScope } from '../../state/useAccounts';
import { useDialogs } from '../../ui/dialogs';
import { startSync, useSyncRun } from '../../state/syncStore';
import { isTyping, shortcutFor } from './keys';
import './shortcuts.css';

/**
 * The global keyboard layer (mounted once): Ctrl/Cmd+F opens find & replace, Ctrl/Cmd+S starts
 * the same sync run as the sync button (the accounts chosen for sync; the panel shows its progress),
 * `?` opens the shortcut sheet. Undo/redo keys stay with the journal's buttons. What a
 * keyboard sync did is announced in a live region.
 */
export function ShortcutLayer() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const show = useDialogs((s) => s.show);
  const open = useDialogs((s) => s.open);
  const scope = useSyncScope();
  const run = useSyncRun();
  const syncing = run.running;
  const merchantIds = scope.merchantIds;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e, isTyping(e.target));
      if (!action) return;
      // A modal dialog owns the keyboard, except that Ctrl+F/S must not reach the browser.
      e.preventDefault();
      if (open !== null) return;
      if (action === 'find') show('replace');
      else if (action === 'sheet') show('shortcuts');
      else if (action === 'sync' && !syncing) void startSync(merchantIds, () => void qc.invalidateQueries());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, show, syncing, merchantIds, qc]);

  return (
    <span className="visually-hidden" role="status" aria-live="polite" data-testid="shortcut-sync-status">
      {run.running
        ? t('shortcuts.syncing')
        : run.error
          ? t('shortcuts.syncFailed', { message: run.error.message })
          : run.result
            ? t('shortcuts.synced', { applied: run.result.applied, rejected: run.result.rejected, conflicts: run.result.conflicts })
            : ''}
    </span>
  );
}
