import { isMoneyField } from '../../../../shared/domain/fields';
import type { EntityKind } from '../../../../shared/domain/kinds';
import { parseYuan, type ParseYuanResult } from '../../../../shared/domain/money';

/**
 * How a field's value reads in previews: money (a money field of the registry; of `kind` when
 * the row's kind is known) as ¥, lists and objects as compact JSON.
 */
export function showValue(field: string, v: unknown, money: (fen: number) => string, empty: string, kind?: EntityKind): string {
  if (v === null || v === undefined || v === '') return empty;
  if (typeof v === 'number' && isMoneyField(field, kind)) return money(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * A signed amount of yuan for "change by": "+50", "-12.5", "¥ -1,000": the shared parser with
 * signs allowed (budgets are never negative, but a change may be).
 */
export const parseSignedYuan = (text: string): ParseYuanResult => parseYuan(text, { signed: true });

/** A plain number ("12", "-3.5", "1,000"); null when it is not one. */
export function parseNumber(text: string): number | null {
  const cleaned = text.trim().replace(/[,\s]/g, '');
  if (!/^[+-]?\d+(\.\d+)?$/.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isFinite(n) ? n : null;
}

/** File name with a local date stamp, safe on every platform. */
export function stampedName(prefix: string, ext: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}.${ext}`;
}
