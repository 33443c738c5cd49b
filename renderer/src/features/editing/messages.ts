import type { TFunction } from 'i18next';
import { money } from '../../format';
import type { ParseResult } from './fields';

/** A parse failure of a typed value as a sentence in the user's language. */
export function errorText(t: TFunction, r: Extract<ParseResult, { ok: false }>): string {
  const p = r.params ?? {};
  return t(`edit.input.${r.error}`, {
    ...p,
    ...(typeof p.minFen === 'number' ? { min: money(p.minFen) } : {}),
    ...(typeof p.maxFen === 'number' ? { max: money(p.maxFen) } : {}),
  });
}
