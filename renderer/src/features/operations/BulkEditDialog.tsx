import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodInput, PreviewOut } from '../../../../shared/contract';
import { fieldsFor, type FieldDef } from '../../../../shared/domain/fields';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { parseYuan } from '../../../../shared/domain/money';
import { call } from '../../api/call';
import type { Selection } from '../../state/uiStore';
import { Dialog } from '../../ui/Dialog';
import { ErrorNote } from '../../ui/ErrorNote';
import { Applied, PreviewView } from './shared';
import { parseNumber, parseSignedYuan } from './values';

type Mode = 'set' | 'add' | 'percent';
type Op = MethodInput<'bulk.preview'>['op'];

/**
 * How bulk edit's value is typed in, from the field registry: money in yuan (stored in fen),
 * ratios and counts as numbers, enums from their list.
 */
export type FieldType = { type: 'money'; nullable: boolean } | { type: 'ratio'; nullable: boolean } | { type: 'text' } | { type: 'enum'; options: readonly string[] } | { type: 'bool' };

export interface FieldInfo {
  field: string;
  /** Message key under `ops.field.`. */
  label: string;
  spec: FieldType;
}

function specOf(d: FieldDef): FieldType {
  switch (d.type) {
    case 'money':
      return { type: 'money', nullable: d.nullable };
    case 'number':
    case 'integer':
      return { type: 'ratio', nullable: d.nullable };
    case 'enum':
      return { type: 'enum', options: d.values ?? [] };
    case 'boolean':
      return { type: 'bool' };
    default:
      return { type: 'text' };
  }
}

/** The fields bulk edit offers for a kind (the registry's `bulk`, in its order). */
export const bulkFields = (kind: EntityKind): FieldInfo[] => fieldsFor(kind, 'bulk').map((d) => ({ field: d.field, label: d.label, spec: specOf(d) }));

/** "Change by" (amount / percent) is offered for the numbers the store changes by amount. */
export const isNumeric = (spec: FieldType) => spec.type === 'money' || spec.type === 'ratio';

/** Turns the form into the store's op, or the reason it cannot (shown under the value). */
export function buildBulkOp(info: FieldInfo, mode: Mode, text: string): { op: Op } | { error: string } {
  const { field, spec } = info;
  if (mode === 'percent') {
    const n = parseNumber(text);
    if (n === null) return { error: 'not_a_number' };
    if (n < -100 || n > 1000) return { error: 'percent_range' };
    return { op: { type: 'percent', field, percent: n } };
  }
  if (mode === 'add') {
    if (spec.type === 'money') {
      const r = parseSignedYuan(text);
      return r.ok ? { op: { type: 'add', field, amount: r.fen } } : { error: r.reason };
    }
    const n = parseNumber(text);
    return n === null ? { error: 'not_a_number' } : { op: { type: 'add', field, amount: n } };
  }
  switch (spec.type) {
    case 'money': {
      if (text.trim() === '' && spec.nullable) return { op: { type: 'set', field, value: null } };
      const r = parseYuan(text);
      return r.ok ? { op: { type: 'set', field, value: r.fen } } : { error: r.reason };
    }
    case 'ratio': {
      if (text.trim() === '' && spec.nullable) return { op: { type: 'set', field, value: null } };
      const n = parseNumber(text);
      return n === null ? { error: 'not_a_number' } : { op: { type: 'set', field, value: n } };
    }
    case 'bool':
      return { op: { type: 'set', field, value: text === 'true' } };
    case 'enum':
      return spec.options.includes(text) ? { op: { type: 'set', field, value: text } } : { error: 'choose' };
    case 'text':
      return text.trim() === '' ? { error: 'empty' } : { op: { type: 'set', field, value: text } };
  }
}

/** Bulk edit the selection: set a field, or change a number by an amount or a percentage. */
export function BulkEditDialog({ target, onClose }: { target: Selection | null; onClose: () => void }) {
  const { t } = useTranslation();
  const fields = target ? bulkFields(target.kind) : [];
  return (
    <Dialog title={t('ops.bulk.title')} onClose={onClose} wide testId="bulk-dialog">
      {!target ? (
        <p className="hint">{t('ops.noSelection')}</p>
      ) : fields.length === 0 ? (
        <p className="hint">{t('ops.bulk.noFields', { kind: t(`ops.kind.${target.kind}`) })}</p>
      ) : (
        <BulkForm target={target} fields={fields} />
      )}
    </Dialog>
  );
}

function BulkForm({ target, fields }: { target: Selection; fields: FieldInfo[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [field, setField] = useState(fields[0]!.field);
  const [mode, setMode] = useState<Mode>('set');
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<{ op: Op; out: PreviewOut } | null>(null);
  const info = fields.find((f) => f.field === field) ?? fields[0]!;
  const numeric = isNumeric(info.spec);
  const effectiveMode: Mode = numeric ? mode : 'set';
  const built = buildBulkOp(info, effectiveMode, info.spec.type === 'enum' && text === '' ? (info.spec.options[0] ?? '') : text);
  const reset = () => setPreview(null);

  const previewM = useMutation({
    mutationFn: (op: Op) => call('bulk.preview', { kind: target.kind, ids: target.ids, op }),
    onSuccess: (out, op) => setPreview({ op, out }),
  });
  const apply = useMutation({
    mutationFn: (op: Op) => call('bulk.apply', { kind: target.kind, ids: target.ids, op }),
    onSettled: () => qc.invalidateQueries(),
  });

  const onPreview = (e: FormEvent) => {
    e.preventDefault();
    if ('op' in built) previewM.mutate(built.op);
  };

  if (apply.isSuccess) return <Applied changed={apply.data.changed} />;

  return (
    <form className="op-form" onSubmit={onPreview}>
      <p className="op-target" data-testid="op-target">
        {t('ops.target', { count: target.ids.length, kind: t(`ops.kind.${target.kind}`) })}
      </p>
      <label>
        {t('ops.bulk.field')}
        <select
          data-testid="bulk-field"
          value={field}
          onChange={(e) => {
            setField(e.target.value);
            setText('');
            reset();
          }}
        >
          {fields.map((f) => (
            <option key={f.field} value={f.field}>
              {t(`ops.field.${f.label}`)}
            </option>
          ))}
        </select>
      </label>
      {numeric && (
        <fieldset className="op-modes">
          <legend>{t('ops.bulk.how')}</legend>
          {(['set', 'add', 'percent'] as const).map((m) => (
            <label key={m}>
              <input
                type="radio"
                name="bulk-mode"
                value={m}
                checked={mode === m}
                onChange={() => {
                  setMode(m);
                  reset();
                }}
              />
              {t(`ops.bulk.mode.${m}`)}
            </label>
          ))}
        </fieldset>
      )}
      <label>
        {t(`ops.bulk.valueLabel.${effectiveMode === 'set' ? info.spec.type : effectiveMode === 'percent' ? 'percent' : info.spec.type === 'money' ? 'addMoney' : 'add'}`)}
        {info.spec.type === 'enum' && effectiveMode === 'set' ? (
          <select
            data-testid="bulk-value"
            value={text || info.spec.options[0]}
            onChange={(e) => {
              setText(e.target.value);
              reset();
            }}
          >
            {info.spec.options.map((o) => (
              <option key={o} value={o}>
                {t(`ops.enum.${o}`)}
              </option>
            ))}
          </select>
        ) : (
          <input
            data-testid="bulk-value"
            value={text}
            aria-invalid={text !== '' && 'error' in built}
            aria-describedby="bulk-value-hint"
            onChange={(e) => {
              setText(e.target.value);
              reset();
            }}
          />
        )}
      </label>
      <p id="bulk-value-hint" className={text !== '' && 'error' in built ? 'field-error' : 'hint'}>
        {text !== '' && 'error' in built ? t(`ops.bulk.error.${built.error}`) : info.spec.type === 'money' || info.spec.type === 'ratio' ? t('ops.bulk.emptyClears') : ''}
      </p>
      <div className="actions">
        <button type="submit" data-testid="op-preview-button" disabled={'error' in built || previewM.isPending}>
          {t('ops.previewButton')}
        </button>
        <button
          type="button"
          data-testid="op-apply"
          disabled={!preview || preview.out.changed === 0 || apply.isPending}
          onClick={() => preview && apply.mutate(preview.op)}
        >
          {preview ? t('ops.applyCount', { count: preview.out.changed }) : t('ops.apply')}
        </button>
      </div>
      <ErrorNote error={previewM.error ?? apply.error} />
      {preview && <PreviewView preview={preview.out} />}
    </form>
  );
}
