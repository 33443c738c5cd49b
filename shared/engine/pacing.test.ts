import { describe, expect, it } from 'vitest';
import { DualPacer, PACING_MU_MAX } from './pacing';

describe('DualPacer (Balseiro & Gur dual-gradient pacing)', () => {
  it('shades bids after overspending and relaxes after underspending', () => {
    const p = new DualPacer(true);
    expect(p.shade()).toBe(1);
    p.update(200, 100); // spent twice the target
    expect(p.mu).toBeGreaterThan(0);
    const shaded = p.shade();
    expect(shaded).toBeLessThan(1);
    p.update(50, 100);
    expect(p.shade()).toBeGreaterThan(shaded);
  });

  it('keeps mu within [0, mu max]', () => {
    const p = new DualPacer(true);
    p.update(0, 100);
    expect(p.mu).toBe(0);
    for (let i = 0; i < 1000; i++) p.update(1e9, 1);
    expect(p.mu).toBe(PACING_MU_MAX);
  });

  it('does nothing when disabled (accelerated) or without a target', () => {
    const off = new DualPacer(false);
    off.update(1000, 1);
    expect(off.shade()).toBe(1);
    const on = new DualPacer(true);
    on.update(1000, 0);
    on.update(1000, Infinity);
    expect(on.mu).toBe(0);
  });
});
