import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PreviewOut } from '../../../../shared/contract';
import type { CheckIssue } from '../../../../shared/domain/checks';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import { money } from '../../format';
import { useUi, type Selection } from '../../state/uiStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { IssueText } from '../../ui/IssueText';
import { showValue } from './values';
import './operations.css';

/** What the operations act on: the grid's selection (kind and ids). */
export function useTarget(): Selection | null {
  const selection = useUi((s) => s.selection);
  return selection && selection.ids.length > 0 ? selection : null;
}

export function useValueText() {
  const { t } = useTranslation();
  return (field: string, v: unknown, kind?: EntityKind) => showValue(field, v, money, t('ops.empty'), kind);
}

/** The checks a change would break: errors block posting, warnings (e.g. back to review) don't. */
export function IssueList({ issues, testId }: { issues: CheckIssue[]; testId?: string }) {
  const { t } = useTranslation();
  if (issues.length === 0) return null;
  return (
    <ul className="op-issues" data-testid={testId}>
      {issues.map((i, n) => (
        <li key={`${i.entityId}:${i.code}:${i.field ?? ''}:${n}`} data-severity={i.severity}>
          <span className={`sev sev-${i.severity}`}>{t(`ops.severity.${i.severity}`)}</span> <code>{i.entityId}</code> <IssueText issue={i} />
        </li>
      ))}
    </ul>
  );
}

/** A preview from the store: what changes (old → new) and what it would break. */
export function PreviewView({ preview }: { preview: PreviewOut }) {
  const { t } = useTranslation();
  const value = useValueText();
  return (
    <section className="op-preview" data-testid="op-preview" data-changed={preview.changed} aria-label={t('ops.preview')}>
      <p role="status">
        {t('ops.previewSummary', { changed: preview.changed, unchanged: preview.unchanged })}
        {preview.errorCount + preview.warningCount > 0 && <> {t('ops.previewIssues', { errors: preview.errorCount, warnings: preview.warningCount })}</>}
      </p>
      {preview.rows.length > 0 && (
        <div className="op-table-wrap">
          <table className="op-table">
            <thead>
              <tr>
                <th scope="col">{t('ops.col.row')}</th>
                <th scope="col">{t('ops.col.field')}</th>
                <th scope="col">{t('ops.col.old')}</th>
                <th scope="col">{t('ops.col.new')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r) => (
                <tr key={`${r.entity}:${r.id}:${r.field}`}>
                  <td>
                    {r.name} <code className="muted">{r.id}</code>
                  </td>
                  <td>{r.field}</td>
                  <td className="old">{value(r.field, r.oldValue, r.entity)}</td>
                  <td className="new">{value(r.field, r.newValue, r.entity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {preview.changed > preview.rows.length && <p className="hint">{t('ops.moreRows', { count: preview.changed - preview.rows.length })}</p>}
      <IssueList issues={preview.issues} testId="op-preview-issues" />
    </section>
  );
}

/** After an operation applied: how much changed, and its one undo step. */
export function Applied({ changed, onUndone }: { changed: number; onUndone?: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const undo = useMutation({
    mutationFn: () => call('journal.undo', {}),
    onSettled: () => qc.invalidateQueries(),
    onSuccess: () => onUndone?.(),
  });
  return (
    <div className="op-applied" role="status" data-testid="op-applied" data-changed={changed}>
      {undo.isSuccess ? (
        <p>{t('ops.undone')}</p>
      ) : (
        <p>
          {t('ops.applied', { count: changed })}{' '}
          {changed > 0 && (
            <button type="button" data-testid="op-undo" onClick={() => undo.mutate()} disabled={undo.isPending}>
              {t('ops.undo')}
            </button>
          )}
        </p>
      )}
      <ErrorNote error={undo.error} />
    </div>
  );
}

/** Saves text as a file: an <a download> click works in browser mode and in Electron. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A chosen file's bytes as base64 (the store detects UTF-8 or GBK from the bytes). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
