import { describe, expect, it } from 'vitest';
import type { Settings } from '../store/settings';
import { adoptLegacySyncKeys, forgetMerchantSync, merchantKey } from './settingsKeys';

function memorySettings(initial: Record<string, string>): Settings & { all: () => Record<string, string> } {
  const m = new Map(Object.entries(initial));
  return {
    get: (k) => m.get(k),
    set: (k, v) => void m.set(k, v),
    remove: (k) => void m.delete(k),
    all: () => Object.fromEntries(m),
  };
}

describe('sync settings keys', () => {
  it("moves a single-merchant store's keys to that merchant once, never over its own", () => {
    const s = memorySettings({ 'sync.feedCursor': '42', 'sync.inflight': '{}', [merchantKey('m1', 'inflight')]: '{"mine":1}', 'sync.clientId': 'cl_1' });
    adoptLegacySyncKeys(s, 'm1');
    adoptLegacySyncKeys(s, 'm1');
    expect(s.all()).toEqual({ 'sync.feedCursor@m1': '42', 'sync.inflight@m1': '{"mine":1}', 'sync.clientId': 'cl_1' });
  });

  it('drops legacy keys when the store has no merchant, and forgets one merchant only', () => {
    const s = memorySettings({ 'sync.orphans': '[]', 'sync.lastSyncAt@m1': 'a', 'sync.statsRange@m1': 'b', 'sync.lastSyncAt@m2': 'c' });
    adoptLegacySyncKeys(s, undefined);
    forgetMerchantSync(s, 'm1');
    expect(s.all()).toEqual({ 'sync.lastSyncAt@m2': 'c' });
  });
});
