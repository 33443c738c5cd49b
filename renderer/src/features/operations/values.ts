import { parseYuan } from '../../../../shared/domain/money';

/** How a field's value reads in previews: money as ¥, lists and objects as compact JSON. */
export function showValue(field: string, v: unknown, money: (fen: number) => string, empty: string): string {
  if (v === null || v === undefined || v === '') return empty;
  if (typeof v === 'number' && /Fen$/.test(field)) return money(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export type AmountParse = { ok: true; fen: number } | { ok: false; reason: string };

/**
 * A signed amount of yuan for "change by": "+50", "-12.5", "¥ -1,000". Exact fen, like
 * parseYuan (which refuses a sign: budgets are never negative, but a change may be).
 */
export function parseSignedYuan(text: string): AmountParse {
  const trimmed = text.trim().replace(/^[¥￥]\s*/, '');
  const negative = trimmed.startsWith('-');
  const body = trimmed.replace(/^[+-]/, '');
  const r = parseYuan(body);
  if (!r.ok) return { ok: false, reason: r.reason };
  return { ok: true, fen: negative ? -r.fen : r.fen };
}

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
