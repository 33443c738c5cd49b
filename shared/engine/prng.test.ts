import { describe, expect, it } from 'vitest';
import { QuantileTable, Rng, lognormalQuantile, normCdf, normInv } from './prng';

function stats(xs: Float64Array): { mean: number; sd: number } {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let v = 0;
  for (const x of xs) v += (x - mean) * (x - mean);
  return { mean, sd: Math.sqrt(v / (xs.length - 1)) };
}

describe('Rng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 100 }, () => a.nextU32());
    const sb = Array.from({ length: 100 }, () => b.nextU32());
    const sc = Array.from({ length: 100 }, () => c.nextU32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    expect(sa.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
  });

  it('accepts seed 0 and large seeds', () => {
    for (const seed of [0, 1, 0xffffffff]) {
      const r = new Rng(seed);
      const xs = Array.from({ length: 10 }, () => r.nextU32());
      expect(new Set(xs).size).toBeGreaterThan(5);
    }
  });

  it('fill() draws the same stream as float()', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const buf = new Float64Array(50);
    a.fill(buf, 50);
    for (let i = 0; i < 50; i++) expect(buf[i]).toBe(b.float());
  });

  it('draws uniforms in [0, 1) with the right moments and no empty bins', () => {
    const r = new Rng(1);
    const n = 200_000;
    const xs = new Float64Array(n);
    const bins = new Array<number>(20).fill(0);
    for (let i = 0; i < n; i++) {
      const x = r.float();
      xs[i] = x;
      bins[Math.floor(x * 20)]!++;
    }
    const { mean, sd } = stats(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(sd).toBeCloseTo(Math.sqrt(1 / 12), 2);
    // chi-square with 19 degrees of freedom: 43.8 is the 0.999 quantile
    const expected = n / 20;
    const chi2 = bins.reduce((acc, b) => acc + ((b - expected) * (b - expected)) / expected, 0);
    expect(chi2).toBeLessThan(43.8);
  });

  it('draws standard normals and lognormals', () => {
    const r = new Rng(2);
    const n = 200_000;
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = r.normal();
    const { mean, sd } = stats(z);
    expect(mean).toBeCloseTo(0, 2);
    expect(sd).toBeCloseTo(1, 2);
    const within1 = z.filter((x) => Math.abs(x) < 1).length / n;
    expect(within1).toBeCloseTo(0.6827, 2);

    const ln = new Float64Array(n);
    for (let i = 0; i < n; i++) ln[i] = r.lognormal(Math.log(600), 0.6);
    const sorted = Array.from(ln).sort((a, b) => a - b);
    expect(sorted[n / 2]! / 600).toBeCloseTo(1, 1);
    expect(stats(ln).mean / (600 * Math.exp(0.18))).toBeCloseTo(1, 1);
  });
});

describe('normInv / normCdf', () => {
  it('inverts the normal CDF', () => {
    for (const p of [1e-6, 0.001, 0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98, 0.999, 1 - 1e-6]) {
      expect(normCdf(normInv(p))).toBeCloseTo(p, 6);
    }
    expect(normInv(0.5)).toBeCloseTo(0, 9);
    expect(normInv(0.975)).toBeCloseTo(1.959964, 5);
    expect(normInv(0)).toBe(-Infinity);
    expect(normInv(1)).toBe(Infinity);
  });
});

describe('QuantileTable', () => {
  it('matches the exact quantile within 2.5e-4 relative error', () => {
    for (const sigma of [0.3, 0.6, 1]) {
      const exact = (p: number): number => lognormalQuantile(p, 6, sigma);
      const table = new QuantileTable(exact);
      let worst = 0;
      for (let i = 1; i < 100_000; i++) {
        const u = i / 100_000;
        const rel = Math.abs(table.sample(u) / exact(u) - 1);
        if (rel > worst) worst = rel;
      }
      expect(worst).toBeLessThan(2.5e-4);
    }
  });

  it('samples the distribution it tabulates', () => {
    const r = new Rng(3);
    const table = new QuantileTable((p) => lognormalQuantile(p, 0, 0.5));
    const n = 100_000;
    let below = 0;
    for (let i = 0; i < n; i++) if (table.sample(r.float()) < 1) below++;
    expect(below / n).toBeCloseTo(0.5, 2);
  });
});
