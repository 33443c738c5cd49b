import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodInput, PreviewOut } from '../../../../shared/contract';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { call } from '../../api/call';
import type { Selection } from '../../state/uiStore';
import { Dialog } from '../../ui/Dialog';
import { ErrorNote } from '../../ui/ErrorNote';
import { Applied, PreviewView } from './shared';

type Spec = MethodInput<'replace.preview'>;
/** Where find & replace looks: names of plans and units, creative titles and descriptions, search words. */
const SCOPES: EntityKind[] = ['plan', 'unit', 'creative', 'searchWord'];

/** Checks a pattern before the store does, so a typo shows under the field as you type. */
export function regexError(find: string, regex: boolean, caseSensitive: boolean): string | null {
  if (!regex) return null;
  try {
    new RegExp(find, `gu${caseSensitive ? '' : 'i'}`);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export function FindReplaceDialog({ target, onClose }: { target: Selection | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [find, setFind] = useState('');
  const [replace, setReplace] = useState('');
  const [regex, setRegex] = useState(false);
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [kinds, setKinds] = useState<EntityKind[]>(['plan', 'unit', 'creative']);
  const [onlySelection, setOnlySelection] = useState(false);
  const [preview, setPreview] = useState<{ spec: Spec; out: PreviewOut } | null>(null);
  const reset = () => setPreview(null);
  const patternError = regexError(find, regex, caseSensitive);

  const spec = (): Spec => {
    const inSelection = onlySelection && target;
    return {
      kinds: inSelection ? [target.kind] : kinds,
      ...(inSelection ? { ids: target.ids } : {}),
      find,
      replace,
      regex,
      caseSensitive,
    };
  };
  const previewM = useMutation({ mutationFn: (s: Spec) => call('replace.preview', s), onSuccess: (out, s) => setPreview({ spec: s, out }) });
  const apply = useMutation({ mutationFn: (s: Spec) => call('replace.apply', s), onSettled: () => qc.invalidateQueries() });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (find !== '' && !patternError) previewM.mutate(spec());
  };

  return (
    <Dialog title={t('ops.replace.title')} onClose={onClose} wide testId="replace-dialog">
      {apply.isSuccess ? (
        <Applied changed={apply.data.changed} />
      ) : (
        <form className="op-form" onSubmit={onSubmit}>
          <label>
            {t('ops.replace.find')}
            <input
              data-testid="replace-find"
              value={find}
              data-autofocus
              aria-invalid={!!patternError}
              aria-describedby="replace-find-error"
              onChange={(e) => {
                setFind(e.target.value);
                reset();
              }}
            />
          </label>
          <p id="replace-find-error" className="field-error">{patternError ? t('ops.replace.badPattern', { message: patternError }) : ''}</p>
          <label>
            {t('ops.replace.replace')}
            <input
              data-testid="replace-with"
              value={replace}
              onChange={(e) => {
                setReplace(e.target.value);
                reset();
              }}
            />
          </label>
          <div className="op-checks">
            <label>
              <input type="checkbox" checked={regex} onChange={(e) => { setRegex(e.target.checked); reset(); }} /> {t('ops.replace.regex')}
            </label>
            <label>
              <input type="checkbox" checked={caseSensitive} onChange={(e) => { setCaseSensitive(e.target.checked); reset(); }} /> {t('ops.replace.caseSensitive')}
            </label>
            {target && (
              <label>
                <input type="checkbox" checked={onlySelection} onChange={(e) => { setOnlySelection(e.target.checked); reset(); }} />{' '}
                {t('ops.replace.onlySelection', { count: target.ids.length, kind: t(`ops.kind.${target.kind}`) })}
              </label>
            )}
          </div>
          {!(onlySelection && target) && (
            <fieldset className="op-modes">
              <legend>{t('ops.replace.where')}</legend>
              {SCOPES.map((k) => (
                <label key={k}>
                  <input
                    type="checkbox"
                    checked={kinds.includes(k)}
                    onChange={(e) => {
                      setKinds(e.target.checked ? [...kinds, k] : kinds.filter((x) => x !== k));
                      reset();
                    }}
                  />{' '}
                  {t(`ops.replace.scope.${k}`)}
                </label>
              ))}
            </fieldset>
          )}
          <div className="actions">
            <button type="submit" data-testid="op-preview-button" disabled={find === '' || !!patternError || kinds.length === 0 || previewM.isPending}>
              {t('ops.previewButton')}
            </button>
            <button type="button" data-testid="op-apply" disabled={!preview || preview.out.changed === 0 || apply.isPending} onClick={() => preview && apply.mutate(preview.spec)}>
              {preview ? t('ops.applyCount', { count: preview.out.changed }) : t('ops.apply')}
            </button>
          </div>
          <ErrorNote error={previewM.error ?? apply.error} />
          {preview && <PreviewView preview={preview.out} />}
        </form>
      )}
    </Dialog>
  );
}
