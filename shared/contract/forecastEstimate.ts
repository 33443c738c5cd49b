/** The fast first estimate of a forecast, small enough to ride on a progress event. */
export interface ForecastEstimate {
  days: number;
  impressions: number[];
  spendFen: number[];
  /** Hourly p50 of clicks and conversions and the p10–p90 bands, so a dragged slider redraws every curve. */
  clicks?: number[];
  conversions?: number[];
  bands?: Record<'impressions' | 'clicks' | 'conversions' | 'spendFen', { p10: number[]; p90: number[] }>;
  exhaustionHour?: number | null;
  totals: { impressions: number; clicks: number; conversions: number; spendFen: number };
  lowConfidence: boolean;
}
