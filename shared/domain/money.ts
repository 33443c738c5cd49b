/**
 * Money is integer fen (1 yuan = 100 fen) everywhere. Never floating point:
 * user text is parsed digit by digit, and only formatting divides.
 */
export type Fen = number;

export const FEN_PER_YUAN = 100;

/** Platform limits for a plan's daily budget (fen). */
export const DAILY_BUDGET_MIN_FEN: Fen = 50 * FEN_PER_YUAN;
export const DAILY_BUDGET_MAX_FEN: Fen = 10_000_000 * FEN_PER_YUAN;

export type ParseYuanResult = { ok: true; fen: Fen } | { ok: false; reason: 'empty' | 'not_a_number' | 'negative' | 'too_precise' | 'too_large' };

/**
 * Parses what a user typed as yuan ("3000", "3,000.5", "¥1 200.00") into exact fen.
 * Thousands separators, spaces and a leading ¥ are allowed; more than two decimals is refused
 * rather than rounded, so the stored value is exactly what the user meant.
 */
export function parseYuan(text: string): ParseYuanResult {
  const cleaned = text.trim().replace(/^[¥￥]/, '').replace(/[,\s]/g, '');
  if (cleaned === '') return { ok: false, reason: 'empty' };
  if (/^-\d+(?:\.\d*)?$/.test(cleaned)) return { ok: false, reason: 'negative' };
  const m = /^(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!m) return { ok: false, reason: 'not_a_number' };
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  if (frac.length > 2) return { ok: false, reason: 'too_precise' };
  if (whole.length > 12) return { ok: false, reason: 'too_large' };
  const fen = Number(whole) * FEN_PER_YUAN + Number(frac.padEnd(2, '0'));
  return { ok: true, fen };
}

/** Plain decimal yuan text for an input field: 300000 → "3000.00". */
export function fenToYuanText(fen: Fen): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / FEN_PER_YUAN);
  const frac = abs % FEN_PER_YUAN;
  return `${sign}${whole}.${String(frac).padStart(2, '0')}`;
}

/** Formats fen as yuan for display with Intl: ¥3,000.00 in every locale (narrow symbol, not "CN¥"). */
export function formatYuan(fen: Fen, locale = 'zh-CN'): string {
  let f = yuanFormats.get(locale);
  // A formatter costs far more to build than to use (the grid formats every visible cell).
  if (!f) yuanFormats.set(locale, (f = new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2 })));
  return f.format(fen / FEN_PER_YUAN);
}
const yuanFormats = new Map<string, Intl.NumberFormat>();
