import type { TFunction } from 'i18next';
import { money } from '../../format';

/** A field's value as the user reads it: money as ¥, empty as a dash, lists and objects as JSON. */
export function valueText(t: TFunction, field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return t('sync.value.empty');
  if (typeof v === 'number' && /Fen$/.test(field) && Number.isInteger(v)) return money(v);
  if (typeof v === 'boolean') return field === 'deleted' ? (v ? t('sync.value.deleted') : t('sync.value.live')) : v ? t('sync.value.yes') : t('sync.value.no');
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** A field's label: a translated name where the sync messages have one, else the field itself. */
export function fieldLabel(t: TFunction, field: string): string {
  return t(`sync.field.${field}`, { defaultValue: field });
}
