import { formatYuan } from '../../shared/domain/money';
import { locale } from './i18n';

export const money = (fen: number) => formatYuan(fen, locale());
export const count = (n: number) => new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(n);
