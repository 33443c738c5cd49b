import type { ChargeType } from '../plan';

/** Platform limits (fen unless named otherwise). */
export const LIMITS = {
  bidFen: { CPC: [10, 10_000], CPM: [100, 100_000], CPD: [100_000, 100_000_000] } as Record<ChargeType, [number, number]>,
  targetCpaFen: [100, 500_000] as [number, number],
  targetRoi: [0.1, 100] as [number, number],
  unitBudgetFen: [5_000, 100_000_000] as [number, number],
  totalBudgetFen: [5_000, 10_000_000_000] as [number, number],
  boostBudgetMinFen: 10_000,
  searchWordBidFen: [10, 10_000] as [number, number],
  searchWordMaxChars: 20,
  negativeWordMaxChars: 20,
  frequencyCap: { maxImpressions: 50, maxPeriodDays: 30 },
};
