import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import { useMerchantScope } from '../../api/queries';
import type { Selection } from '../../state/uiStore';
import { CSV_KINDS } from './CsvImportDialog';
import { Dialog } from '../../ui/Dialog';
import { ErrorNote } from '../../ui/ErrorNote';
import { download } from './shared';
import { stampedName } from './values';

/** CSV export of the selection (or every row of a kind), in the columns the import reads. */
export function CsvExportDialog({ target, onClose }: { target: Selection | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<EntityKind>(target && CSV_KINDS.includes(target.kind) ? target.kind : 'plan');
  const canUseSelection = !!target && target.kind === kind;
  const [scope, setScope] = useState<'selection' | 'all'>(canUseSelection ? 'selection' : 'all');
  const useSelection = canUseSelection && scope === 'selection';
  const merchant = useMerchantScope();
  const exp = useMutation({
    // "Every row of a kind" is the current account's rows.
    mutationFn: () => call('csv.export', { kind, ...(useSelection ? { ids: target.ids } : merchant) }),
    onSuccess: (out) => download(stampedName(`lantern-${kind}`, 'csv'), out.text, 'text/csv;charset=utf-8'),
  });
  return (
    <Dialog title={t('ops.csv.exportTitle')} onClose={onClose} testId="csv-export-dialog">
      <div className="op-form">
        <label>
          {t('ops.csv.kind')}
          <select data-testid="csv-export-kind" value={kind} onChange={(e) => setKind(e.target.value as EntityKind)}>
            {CSV_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`ops.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="op-modes">
          <legend>{t('ops.csv.scope')}</legend>
          <label>
            <input type="radio" name="csv-scope" checked={useSelection} disabled={!canUseSelection} onChange={() => setScope('selection')} />{' '}
            {canUseSelection ? t('ops.target', { count: target.ids.length, kind: t(`ops.kind.${kind}`) }) : t('ops.csv.noSelection')}
          </label>
          <label>
            <input type="radio" name="csv-scope" checked={!useSelection} onChange={() => setScope('all')} /> {t('ops.csv.all', { kind: t(`ops.kind.${kind}`) })}
          </label>
        </fieldset>
        <div className="actions">
          <button type="submit" data-testid="csv-export" disabled={exp.isPending} onClick={() => exp.mutate()}>
            {t('ops.csv.export')}
          </button>
        </div>
        {exp.isSuccess && (
          <p role="status" data-testid="csv-exported" data-rows={exp.data.rows}>
            {t('ops.csv.exported', { count: exp.data.rows })}
          </p>
        )}
        <ErrorNote error={exp.error} />
      </div>
    </Dialog>
  );
}
