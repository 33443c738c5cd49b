import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CsvPreviewOut } from '../../../../shared/contract';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import { useMerchantScope } from '../../api/queries';
import { useCurrentMerchant } from '../../state/useAccounts';
import type { Selection } from '../../state/uiStore';
import { Dialog } from '../../ui/Dialog';
import { ScopeErrorNote } from './ScopeError';
import { Applied, fileToBase64, useValueText } from './shared';

export const CSV_KINDS: EntityKind[] = ['plan', 'unit', 'creative', 'searchWord', 'negativeWord'];

/**
 * CSV import: choose a file, read the store's preview (per-row errors and warnings, what each
 * row changes), apply only on confirm. Rows with errors block the import: fix the file and
 * choose it again. Blank cells change nothing; `[]` clears.
 */
export function CsvImportDialog({ target, onClose }: { target: Selection | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  // The file is imported into the open account: rows of another one are refused by the store.
  const scope = useMerchantScope();
  const current = useCurrentMerchant();
  const qc = useQueryClient();
  const fileId = useId();
  const [kind, setKind] = useState<EntityKind>(target && CSV_KINDS.includes(target.kind) ? target.kind : 'plan');
  const [fileName, setFileName] = useState('');
  const preview = useMutation({
    mutationFn: async (file: File) => call('csv.preview', { kind, base64: await fileToBase64(file), ...scope }),
  });
  const apply = useMutation({ mutationFn: (token: string) => call('csv.apply', { token }), onSettled: () => qc.invalidateQueries() });

  return (
    <Dialog title={t('ops.csv.importTitle')} onClose={onClose} wide testId="csv-import-dialog">
      {apply.isSuccess ? (
        <Applied changed={apply.data.changed} />
      ) : (
        <div className="op-form">
          <p className="hint">{t('ops.csv.rules')}</p>
          {current && (
            <p className="hint" data-testid="csv-scope">
              {t('scope.csvInto', { name: i18n.language === 'zh' ? current.name : current.nameEn })}
            </p>
          )}
          <label>
            {t('ops.csv.kind')}
            <select
              data-testid="csv-kind"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as EntityKind);
                preview.reset();
              }}
            >
              {CSV_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`ops.kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label htmlFor={fileId}>{t('ops.csv.file')}</label>
          <input
            id={fileId}
            type="file"
            accept=".csv,text/csv"
            data-testid="csv-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              // Cleared so choosing the fixed file under the same name reads it again.
              e.target.value = '';
              if (!file) return;
              setFileName(file.name);
              preview.mutate(file);
            }}
          />
          {preview.isPending && <p role="status">{t('ops.csv.reading', { name: fileName })}</p>}
          <ScopeErrorNote error={preview.error ?? apply.error} what="csv" />
          {preview.data && <CsvPreview out={preview.data} fileName={fileName} />}
          <div className="actions">
            <button
              type="button"
              data-testid="op-apply"
              disabled={!preview.data || preview.data.errorRows > 0 || preview.data.creates + preview.data.updates === 0 || apply.isPending}
              onClick={() => preview.data && apply.mutate(preview.data.token)}
            >
              {preview.data ? t('ops.csv.apply', { count: preview.data.creates + preview.data.updates }) : t('ops.apply')}
            </button>
            {preview.data && preview.data.errorRows > 0 && <span className="field-error">{t('ops.csv.fixFirst')}</span>}
          </div>
        </div>
      )}
    </Dialog>
  );
}

function CsvPreview({ out, fileName }: { out: CsvPreviewOut; fileName: string }) {
  const { t } = useTranslation();
  const value = useValueText();
  return (
    <section className="op-preview" data-testid="csv-preview" data-error-rows={out.errorRows} aria-label={t('ops.preview')}>
      <p role="status">
        {t('ops.csv.summary', { name: fileName, rows: out.rows, creates: out.creates, updates: out.updates, unchanged: out.unchanged, errors: out.errorRows, warnings: out.warningRows })}
      </p>
      {out.ignoredHeaders.length > 0 && <p className="hint">{t('ops.csv.ignored', { headers: out.ignoredHeaders.join(', ') })}</p>}
      <div className="op-table-wrap">
        <table className="op-table">
          <thead>
            <tr>
              <th scope="col">{t('ops.csv.line')}</th>
              <th scope="col">{t('ops.csv.action')}</th>
              <th scope="col">{t('ops.csv.row')}</th>
              <th scope="col">{t('ops.csv.details')}</th>
            </tr>
          </thead>
          <tbody>
            {out.sample
              .filter((r) => r.action !== 'unchanged' || r.warnings.length > 0)
              .map((r) => (
                <tr key={r.line} data-line={r.line} data-action={r.action} className={r.action === 'error' ? 'row-error' : ''}>
                  <td>{r.line}</td>
                  <td>{t(`ops.csv.act.${r.action}`)}</td>
                  <td>
                    <code>{r.id ?? ''}</code>
                  </td>
                  <td>
                    {r.errors.map((e) => (
                      <p key={e} className="sev-error" data-testid="csv-row-error">
                        {t('ops.severity.error')}: {e}
                      </p>
                    ))}
                    {r.warnings.map((w) => (
                      <p key={w} className="sev-warning">
                        {t('ops.severity.warning')}: {w}
                      </p>
                    ))}
                    {r.changes.map((c) => (
                      <p key={c.field}>
                        {c.field}: {value(c.field, c.oldValue)} → {value(c.field, c.newValue)}
                      </p>
                    ))}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
