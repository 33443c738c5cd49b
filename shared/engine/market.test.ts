import { describe, expect, it } from 'vitest';
import { MarketSnapshotSchema, demoMarket, parseMarketSnapshot } from './market';
import { PLACEMENTS } from './model';

describe('market snapshot', () => {
  it('the demo snapshot is valid, versioned, and covers every placement of product.md', () => {
    const m = parseMarketSnapshot(JSON.parse(JSON.stringify(demoMarket())));
    expect(m.schemaVersion).toBe(2);
    expect(m.version).toMatch(/^demo-/);
    for (const p of PLACEMENTS) expect(m.placements[p], p).toBeDefined();
    expect(m.hourOfWeekShare).toHaveLength(168);
    expect(m.placements.HOME_FEED?.slots).toEqual([1, 0.8, 0.6]);
  });

  it('rejects what the engine cannot use, saying where', () => {
    const bad = demoMarket();
    expect(() => parseMarketSnapshot({ ...bad, hourOfWeekShare: [1, 2] })).toThrow(/hourOfWeekShare/);
    expect(() => parseMarketSnapshot({ ...bad, placements: { ...bad.placements, SPLASH: { ...bad.placements.SPLASH, slots: [0.6, 1] } } })).toThrow(/slot exposures/);
    expect(() => parseMarketSnapshot({ ...bad, schemaVersion: 1 })).toThrow(/schemaVersion/);
    expect(MarketSnapshotSchema.safeParse({ ...bad, ctrByTemplate: { ...bad.ctrByTemplate, VIDEO: 2 } }).success).toBe(false);
  });

  it('accepts a snapshot with fewer placements (the missing ones have no traffic)', () => {
    const m = demoMarket();
    expect(() => parseMarketSnapshot({ ...m, placements: { HOME_FEED: m.placements.HOME_FEED } })).not.toThrow();
  });
});
