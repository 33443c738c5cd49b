import type { TFunction } from 'i18next';
import { fieldLabelKey, isMoneyField } from '../../../shared/domain/fields';
import { money } from '../format';

const ENUM_FIELDS: Record<string, string> = { status: 'status', scene: 'scene', bidType: 'bidType' };

/**
 * A field's value as the user reads it: money (a money field of the registry) as ¥, empty as a
 * dash, lists and objects as JSON.
 */
export function valueText(t: TFunction, field: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return t('sync.value.empty');
  if (typeof v === 'number' && isMoneyField(field) && Number.isInteger(v)) return money(v);
  if (typeof v === 'boolean') return field === 'deleted' ? (v ? t('sync.value.deleted') : t('sync.value.live')) : v ? t('sync.value.yes') : t('sync.value.no');
  if (field === 'timeSchema' && typeof v === 'string' && /^[01]{168}$/.test(v)) return t('sync.value.hours', { count: [...v].filter((c) => c === '1').length });
  // Enumerations the app already names (common messages): status, scene, bid type.
  if (typeof v === 'string' && ENUM_FIELDS[field]) return t(`${ENUM_FIELDS[field]}.${v}`, { defaultValue: v });
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** A field's label (the registry's label key): a translated name where the sync messages have one, else the field itself. */
export function fieldLabel(t: TFunction, field: string): string {
  return t(`sync.field.${fieldLabelKey(field)}`, { defaultValue: field });
}
