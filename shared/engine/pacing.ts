/**
 * Budget pacing.
 *
 * STANDARD (even) pacing is adaptive dual-gradient pacing (Balseiro & Gur, Management Science
 * 2019): the plan bids value / (1 + μ) and, after each slice t of the day,
 *
 *     μ ← clamp(μ + ε · (spend_t − ρ_t) / ρ_t, 0, μ̄)
 *
 * where ρ_t = daily budget × (slice t's share of the day's scheduled traffic). That is the
 * paper's μ ← clamp(μ − ε(ρ − spend_t), 0, μ̄) with the error normalised by ρ_t, so one step
 * size works for a ¥50 and a ¥10,000,000 budget and for quiet and busy slices alike. The
 * target curve follows the traffic forecast, so the budget is aimed to finish at the end of
 * the scheduled day. μ carries over from day to day (the platform's pacing state persists).
 *
 * ACCELERATED pacing bids the full value (μ stays 0) until the budget is gone. In both modes
 * the hard stop (no auction once the day's spend reached the budget) lives in the forecast.
 */

/** Step size ε on the normalised error. */
export const PACING_STEP = 0.3;
/** Upper bound μ̄: bids are never shaded below value / (1 + μ̄). */
export const PACING_MU_MAX = 20;
/** A single slice's normalised overspend counts at most this much (one wild slice ≠ one wild μ). */
export const PACING_MAX_ERROR = 3;

export class DualPacer {
  mu = 0;

  constructor(
    readonly enabled: boolean,
    private readonly step = PACING_STEP,
    private readonly muMax = PACING_MU_MAX,
  ) {}

  /** Multiplier applied to the plan's value this slice: 1 / (1 + μ). */
  shade(): number {
    return 1 / (1 + this.mu);
  }

  /** End of a slice: spend and target in the same unit. A slice without a target is skipped. */
  update(spend: number, target: number): void {
    if (!this.enabled || !(target > 0) || !Number.isFinite(target)) return;
    let err = (spend - target) / target;
    if (err > PACING_MAX_ERROR) err = PACING_MAX_ERROR;
    let mu = this.mu + this.step * err;
    if (mu < 0) mu = 0;
    else if (mu > this.muMax) mu = this.muMax;
    this.mu = mu;
  }
}
