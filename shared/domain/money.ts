/**
 * Money is integer fen (1 yuan = 100 fen) everywhere. Never floating point:
 * user text is parsed digit by digit, and only formatting divides.
 *
 * This module is the one place yuan text becomes fen and back: the grid and detail pane inputs,
 * bulk edit (set, and signed "change by" amounts), the rules editor and CSV cells all use
 * `parseYuan` and `fenToYuanText`; display uses `formatYuan` (and untranslated messages `yuanWords`).
 */
export type Fen = number;

export const FEN_PER_YUAN = 100;

/** Platform limits for a plan's daily budget (fen). */
export const DAILY_BUDGET_MIN_FEN: Fen = 50 * FEN_PER_YUAN;
export const DAILY_BUDGET_MAX_FEN: Fen = 10_000_000 * FEN_PER_YUAN;

export type YuanError = 'empty' | 'not_a_number' | 'negative' | 'too_precise' | 'too_large';
export type ParseYuanResult = { ok: true; fen: Fen } | { ok: false; reason: YuanError };

/**
 * Most digits before the decimal point: 13 keeps every amount's fen a safe integer (CSV files
 * carry amounts up to 9,999,999,999,999.99 yuan); bounds per field are the field's business.
 */
const MAX_WHOLE_DIGITS = 13;

// Thousands separators (comma or space) only between groups of three, so "3,00.00" or "1,2,3"
// (a typo) is refused rather than read as 300 or 123.
const AMOUNT = /^(\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)(?:\.(\d*))?$/;

/**
 * Parses what a user typed as yuan ("3000", "3,000.5", "¥1 200.00") into exact fen. Spaces
 * around, a leading ¥/￥ and thousands separators are allowed; more than two decimals is refused
 * rather than rounded, so the stored value is exactly what the user meant. With `signed`, a
 * leading + or - (before or after the ¥) is read: "change by" amounts and CSV cells may be
 * negative, and the field's own bounds then decide; without it "-5" is refused as negative.
 */
export function parseYuan(text: string, opts: { signed?: boolean } = {}): ParseYuanResult {
  let s = text.trim();
  let sign = '';
  const take = () => {
    if (s[0] === '+' || s[0] === '-') {
      sign = s[0];
      s = s.slice(1).trimStart();
    }
  };
  take();
  if (s[0] === '¥' || s[0] === '￥') s = s.slice(1).trimStart();
  if (sign === '') take();
  if (s === '') return { ok: false, reason: sign ? 'not_a_number' : 'empty' };
  const m = AMOUNT.exec(s);
  if (!m || (sign === '+' && !opts.signed)) return { ok: false, reason: 'not_a_number' };
  if (sign === '-' && !opts.signed) return { ok: false, reason: 'negative' };
  const whole = (m[1] ?? '0').replace(/[, ]/g, '');
  const frac = m[2] ?? '';
  if (frac.length > 2) return { ok: false, reason: 'too_precise' };
  if (whole.length > MAX_WHOLE_DIGITS) return { ok: false, reason: 'too_large' };
  const fen = Number(whole) * FEN_PER_YUAN + Number(frac.padEnd(2, '0'));
  return { ok: true, fen: sign === '-' && fen !== 0 ? -fen : fen };
}

/** Plain decimal yuan text for an input field or a CSV cell: 300000 → "3000.00", -120 → "-1.20". */
export function fenToYuanText(fen: Fen): string {
  // Not whole fen (never stored; a hand-edited row): shown as it is rather than misread.
  if (!Number.isSafeInteger(fen)) return String(fen / FEN_PER_YUAN);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const whole = Math.floor(abs / FEN_PER_YUAN);
  const frac = abs % FEN_PER_YUAN;
  return `${sign}${whole}.${String(frac).padStart(2, '0')}`;
}

/** Yuan in untranslated messages (the shared checks', the server's): 500000 → "5,000 yuan", 5 → "0.05 yuan". */
export function yuanWords(fen: Fen): string {
  return `${(fen / FEN_PER_YUAN).toLocaleString('en-US')} yuan`;
}

/** Formats fen as yuan for display with Intl: ¥3,000.00 in every locale (narrow symbol, not "CN¥"). */
export function formatYuan(fen: Fen, locale = 'zh-CN'): string {
  let f = yuanFormats.get(locale);
  // A formatter costs far more to build than to use (the grid formats every visible cell).
  if (!f) yuanFormats.set(locale, (f = new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2 })));
  return f.format(fen / FEN_PER_YUAN);
}
const yuanFormats = new Map<string, Intl.NumberFormat>();
