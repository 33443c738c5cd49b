import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/call';
import { useDialogs } from '../operations/dialogs';
import { isTyping, shortcutFor } from './keys';
import './shortcuts.css';

/**
 * The global keyboard layer (mounted once): Ctrl/Cmd+F opens find & replace, Ctrl/Cmd+S runs a
 * sync through the contract (the sync panel follows it through sync.progress and sync.status),
 * `?` opens the shortcut sheet. Undo/redo keys stay with the journal's buttons. What a
 * keyboard sync did is announced in a live region.
 */
export function ShortcutLayer() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const show = useDialogs((s) => s.show);
  const open = useDialogs((s) => s.open);
  const sync = useMutation({ mutationFn: () => call('sync.run', {}), onSettled: () => qc.invalidateQueries() });
  const syncing = sync.isPending;
  const runSync = sync.mutate;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor(e, isTyping(e.target));
      if (!action) return;
      // A modal dialog owns the keyboard, except that Ctrl+F/S must not reach the browser.
      e.preventDefault();
      if (open !== null) return;
      if (action === 'find') show('replace');
      else if (action === 'sheet') show('shortcuts');
      else if (action === 'sync' && !syncing) runSync();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, show, syncing, runSync]);

  return (
    <span className="visually-hidden" role="status" aria-live="polite" data-testid="shortcut-sync-status">
      {sync.isPending
        ? t('shortcuts.syncing')
        : sync.isError
          ? t('shortcuts.syncFailed', { message: sync.error.message })
          : sync.data
            ? t('shortcuts.synced', { applied: sync.data.applied, rejected: sync.data.rejected, conflicts: sync.data.conflicts })
            : ''}
    </span>
  );
}
