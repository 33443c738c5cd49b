import { DAILY_BUDGET_MAX_FEN, DAILY_BUDGET_MIN_FEN, parseYuan, type Fen } from '../../../../shared/domain/money';

export type BudgetCheck =
  | { ok: true; fen: Fen | null }
  | { ok: false; error: 'not_a_number' | 'negative' | 'too_precise' | 'too_large' | 'below_min' | 'above_max' };

/**
 * What the budget field accepts: empty = unlimited, otherwise yuan with up to two decimals
 * within the platform limits. The core checks the same limits again at the boundary.
 */
export function checkBudgetText(text: string): BudgetCheck {
  if (text.trim() === '') return { ok: true, fen: null };
  const parsed = parseYuan(text);
  if (!parsed.ok) return { ok: false, error: parsed.reason === 'empty' ? 'not_a_number' : parsed.reason };
  if (parsed.fen < DAILY_BUDGET_MIN_FEN) return { ok: false, error: 'below_min' };
  if (parsed.fen > DAILY_BUDGET_MAX_FEN) return { ok: false, error: 'above_max' };
  return { ok: true, fen: parsed.fen };
}
