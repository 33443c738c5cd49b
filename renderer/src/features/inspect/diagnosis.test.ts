import { describe, expect, it } from 'vitest';
import { REASONS, type LossReason } from '../../../../shared/engine/sim';
import { blockingReason } from './diagnosis';

const diagnosis = (lost: Partial<Record<LossReason, number>>, won = 0) => {
  const all = Object.fromEntries(REASONS.map((r) => [r, lost[r] ?? 0])) as Record<LossReason, number>;
  return { requests: 100, won, lost: all, shares: all, top: null };
};

describe('blocking reason', () => {
  it('is the last reason in the engine order with losses: what stops the otherwise eligible requests', () => {
    // Most requests are on other placements, but those that reach the auction lose to the reserve.
    expect(blockingReason(diagnosis({ placement: 60, schedule: 15, belowReserve: 25 }))).toBe('belowReserve');
    expect(blockingReason(diagnosis({ schedule: 100 }))).toBe('schedule');
    expect(blockingReason(diagnosis({ creativeNotApproved: 3, placement: 97 }))).toBe('creativeNotApproved');
    expect(blockingReason(diagnosis({}))).toBeNull();
  });
});
