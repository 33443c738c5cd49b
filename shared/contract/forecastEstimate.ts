/** The fast first estimate of a forecast, small enough to ride on a progress event. */
export interface ForecastEstimate {
  days: number;
  impressions: number[];
  spendFen: number[];
  totals: { impressions: number; clicks: number; conversions: number; spendFen: number };
  lowConfidence: boolean;
}
