import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/call';

/**
 * Undo / redo of the last journal batch (persisted: they survive a restart). Buttons in the top
 * bar plus Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z and Ctrl+Y — except while typing in a field, where
 * the browser's own text undo applies.
 */
export function UndoRedo() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const status = useQuery({ queryKey: ['journal', 'status'], queryFn: () => call('journal.status', { limit: 0 }) });
  const undo = useMutation({ mutationFn: () => call('journal.undo', {}), onSettled: () => qc.invalidateQueries() });
  const redo = useMutation({ mutationFn: () => call('journal.redo', {}), onSettled: () => qc.invalidateQueries() });
  const busy = undo.isPending || redo.isPending;
  const canUndo = !!status.data?.canUndo && !busy;
  const canRedo = !!status.data?.canRedo && !busy;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey && canUndo) {
        e.preventDefault();
        undo.mutate();
      } else if (((key === 'z' && e.shiftKey) || (key === 'y' && e.ctrlKey)) && canRedo) {
        e.preventDefault();
        redo.mutate();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canUndo, canRedo, undo, redo]);

  return (
    <span className="undo-redo">
      <button
        type="button"
        data-testid="undo"
        disabled={!canUndo}
        title={status.data?.undoLabel ? t('journal.undoWhat', { what: status.data.undoLabel }) : t('journal.nothingToUndo')}
        onClick={() => undo.mutate()}
      >
        {t('journal.undo')}
      </button>
      <button
        type="button"
        data-testid="redo"
        disabled={!canRedo}
        title={status.data?.redoLabel ? t('journal.redoWhat', { what: status.data.redoLabel }) : t('journal.nothingToRedo')}
        onClick={() => redo.mutate()}
      >
        {t('journal.redo')}
      </button>
      {(undo.error || redo.error) && <span role="alert">{(undo.error ?? redo.error)?.message}</span>}
    </span>
  );
}
