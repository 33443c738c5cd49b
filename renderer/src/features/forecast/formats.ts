import { formatYuan } from '../../../../shared/domain/money';
import { hourLabel } from './hours';

/** Number, money and time formats of one language (Intl); charts and summaries share them. */
export interface Formats {
  count(n: number): string;
  /** Short form for axes: 12K / 1.2万. */
  compact(n: number): string;
  money(fen: number): string;
  /** Axis money: ¥12K / ¥1.2万. */
  moneyCompact(fen: number): string;
  pct(share: number): string;
  decimal(n: number): string;
  hour(startDate: string, h: number): string;
}

/** Intl locale of an app language (the same mapping as i18n's locale()). */
export const localeOf = (language: string) => (language === 'zh' ? 'zh-CN' : 'en-US');

export function formats(locale: string): Formats {
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const moneyCompact = new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', notation: 'compact', maximumFractionDigits: 1 });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  return {
    count: (n) => count.format(n),
    compact: (n) => compact.format(n),
    money: (fen) => formatYuan(fen, locale),
    moneyCompact: (fen) => moneyCompact.format(fen / 100),
    pct: (s) => pct.format(s),
    decimal: (n) => decimal.format(n),
    hour: hourLabel,
  };
}
