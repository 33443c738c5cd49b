/**
 * Seeded pseudo-random numbers for the engine: xoshiro128** (Blackman & Vigna) seeded through
 * splitmix32, so any uint32 seed (0 included) gives a well-mixed, non-zero state.
 *
 * Everything here is allocation-free once constructed: the state lives in four number fields,
 * kept as int32 (`| 0`) so V8 stores them unboxed; `normal()` keeps its Box–Muller spare in a
 * field. Same seed → same stream.
 */

const TWO_POW_32 = 4294967296;

/** splitmix32 step: the next output (as int32) for a running 32-bit state. */
function splitmix32(state: number): number {
  let z = state | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return z ^ (z >>> 16);
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    let x = seed >>> 0;
    x = (x + 0x9e3779b9) | 0;
    this.s0 = splitmix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.s1 = splitmix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.s2 = splitmix32(x);
    x = (x + 0x9e3779b9) | 0;
    this.s3 = splitmix32(x);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // all-zero state is a fixed point
  }

  /** Next uint32. */
  nextU32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ (s1 << 9);
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /** Uniform in [0, 1), 32 bits of resolution. */
  float(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /**
   * Fills out[0..n) with uniforms in [0, 1): the same values, in the same order, as n calls of
   * `float()`. The hot loop draws a block at a time, which keeps its own code small.
   */
  fill(out: Float64Array, n: number): void {
    for (let i = 0; i < n; i++) out[i] = this.nextU32() / TWO_POW_32;
  }

  /** Uniform in (0, 1]: safe for Math.log. */
  floatOpen0(): number {
    return (this.nextU32() + 1) / TWO_POW_32;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = Math.sqrt(-2 * Math.log(this.floatOpen0()));
    const theta = 2 * Math.PI * this.float();
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }

  /** exp(N(mu, sigma²)). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error below
 * 1.2e-9 over (0, 1)). Returns ±Infinity at 0 and 1.
 */
export function normInv(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const pLow = 0.02425;
  if (p < pLow) return normInvTail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - pLow) return -normInvTail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r + 1.38357751867269e2) * r -
      3.066479806614716e1) *
      r +
      2.506628277459239) *
      q) /
    (((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r + 6.680131188771972e1) * r -
      1.328068155288572e1) *
      r +
      1)
  );
}

/** Acklam's rational approximation in the lower tail, for q = sqrt(-2 ln p); the upper tail is its negative. */
function normInvTail(q: number): number {
  return (
    (((((-7.784894002430293e-3 * q - 3.223964580411365e-1) * q - 2.400758277161838) * q - 2.549732539343734) * q +
      4.374664141464968) *
      q +
      2.938163982698783) /
    ((((7.784695709041462e-3 * q + 3.224671290700398e-1) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1)
  );
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 via erf, absolute error below 1.5e-7). */
export function normCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf =
    1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Inverse-transform sampling from a tabulated quantile function: `sample(u)` maps a uniform
 * u ∈ [0, 1) to quantile(u) by linear interpolation between `size` + 1 precomputed points, and
 * calls the exact quantile in the tails (u < 1/256 or u ≥ 1 − 1/256, under 1 % of samples),
 * where the curve is too steep to interpolate. Built once per forecast; a sample is then one
 * multiply, two loads and a lerp instead of log/exp/pow. With the default 4096 cells the
 * relative error of a lognormal quantile with sigma ≤ 1 is below 2.5e-4 (prng.test.ts).
 */
export class QuantileTable {
  private readonly table: Float64Array;
  private readonly size: number;
  /** First interpolated cell; cells [0, lo) and [size − lo, size) are computed exactly. */
  private readonly lo: number;
  private readonly hi: number;

  constructor(
    private readonly quantile: (p: number) => number,
    size = 4096,
  ) {
    this.size = size;
    this.lo = Math.max(1, Math.ceil(size / 256));
    this.hi = size - this.lo;
    this.table = new Float64Array(size + 1);
    for (let i = this.lo; i <= this.hi; i++) this.table[i] = quantile(i / size);
  }

  sample(u: number): number {
    const x = u * this.size;
    const i = x | 0;
    // unary + keeps both returns typed as numbers, so the JIT does not box every result
    if (i < this.lo || i >= this.hi) return +this.quantile(u);
    const t = this.table;
    const a = t[i] as number;
    return a + ((t[i + 1] as number) - a) * (x - i);
  }
}

/** Quantile of exp(N(mu, sigma²)) at p. */
export function lognormalQuantile(p: number, mu: number, sigma: number): number {
  return Math.exp(mu + sigma * normInv(p));
}
