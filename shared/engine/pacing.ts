/**
 * Budget pacing behind one interface, so the simulation does not care which is used.
 *
 * - `DualGradientPacer` (the default) is adaptive dual-gradient pacing (Balseiro & Gur,
 *   Management Science 2019): bid = value / (1 + μ), and after each slice t
 *       μ ← clamp(μ + ε · (spend_t − ρ_t) / ρ_t, 0, μ̄)
 *   i.e. the paper's μ ← clamp(μ − ε(ρ − spend_t), 0, μ̄) with the error normalised by ρ_t, so
 *   one step size fits a ¥50 and a ¥10,000,000 budget, quiet and busy slices alike.
 * - `ThrottlePacer` is LinkedIn-style probabilistic throttling (KDD 2014): the plan enters an
 *   auction with probability r; r ×1.1 after a slice at or under its target spend, ×0.9 over.
 *
 * Targets ρ_t follow the plan's traffic forecast over its scheduled hours, so the budget is
 * aimed to last to the end of the scheduled day. Accelerated pacing uses `NoPacer`. Pacing
 * state carries over from day to day, as a serving platform's does.
 */
export interface Pacer {
  /** Multiplier on the plan's value this slice. */
  shade(): number;
  /** Probability of entering an auction this slice. */
  passRate(): number;
  /** End of a slice: spend and target in the same unit. A slice without a target is skipped. */
  update(spend: number, target: number): void;
}

export const PACING_STEP = 0.3;
export const PACING_MU_MAX = 20;
/** A single slice's normalised overspend counts at most this much (one wild slice ≠ one wild μ). */
export const PACING_MAX_ERROR = 3;

export class DualGradientPacer implements Pacer {
  mu = 0;
  constructor(
    private readonly step = PACING_STEP,
    private readonly muMax = PACING_MU_MAX,
  ) {}
  shade(): number {
    return 1 / (1 + this.mu);
  }
  passRate(): number {
    return 1;
  }
  update(spend: number, target: number): void {
    if (!(target > 0) || !Number.isFinite(target)) return;
    let err = (spend - target) / target;
    if (err > PACING_MAX_ERROR) err = PACING_MAX_ERROR;
    let mu = this.mu + this.step * err;
    if (mu < 0) mu = 0;
    else if (mu > this.muMax) mu = this.muMax;
    this.mu = mu;
  }
}

/** Lowest pass-through rate: never fully off, so the pacer can see traffic again and recover. */
export const THROTTLE_MIN_RATE = 0.001;

export class ThrottlePacer implements Pacer {
  rate = 1;
  shade(): number {
    return 1;
  }
  passRate(): number {
    return this.rate;
  }
  update(spend: number, target: number): void {
    if (!(target > 0) || !Number.isFinite(target)) return;
    const r = spend <= target ? this.rate * 1.1 : this.rate * 0.9;
    this.rate = r > 1 ? 1 : r < THROTTLE_MIN_RATE ? THROTTLE_MIN_RATE : r;
  }
}

/** Accelerated delivery, or no budget to pace: bid the full value as long as budget is left. */
export class NoPacer implements Pacer {
  shade(): number {
    return 1;
  }
  passRate(): number {
    return 1;
  }
  update(): void {}
}

export type PacerKind = 'DUAL_GRADIENT' | 'THROTTLE';

export function makePacer(kind: PacerKind, paced: boolean): Pacer {
  if (!paced) return new NoPacer();
  return kind === 'THROTTLE' ? new ThrottlePacer() : new DualGradientPacer();
}
