import { describe, expect, it } from 'vitest';
import type { SyncStatsRow } from '../../../../shared/contract';
import { compareWithForecast, localHour } from './compare';

const stat = (hour: string, impressions: number): SyncStatsRow => ({
  hour,
  planId: 'pl_x',
  unitId: 'un_x',
  creativeId: 'cr_x',
  impressions,
  clicks: 1,
  conversions: 0,
  costFen: 50,
  cpmFen: null,
  ctr: null,
  cpcFen: null,
  cvr: null,
  cpaFen: null,
  tradeAmountFen: 0,
  tradeCount: 0,
});

describe('stats against the forecast', () => {
  it('reads a UTC stats hour in the merchant zone (Shanghai is UTC+8, across midnight)', () => {
    // 2026-11-24 is a Tuesday; 20:00 UTC is Wednesday 04:00 in Shanghai.
    expect(localHour('2026-11-24T20', 'Asia/Shanghai')).toEqual({ weekday: 3, hour: 4, label: '11-25 04:00' });
    expect(localHour('2026-11-24T20', 'UTC')).toEqual({ weekday: 2, hour: 20, label: '11-24 20:00' });
    expect(() => localHour('2026-11-24 20:00', 'UTC')).toThrow(/not a stats hour/);
  });

  it('pairs each delivered hour with the forecast for the same local weekday and hour', () => {
    // Forecast from Thursday 2026-11-26 00:00 local, 7 days: hour index = the hour's value, so pairs are checkable.
    const hours = 168;
    const forecast = { startDate: '2026-11-26', impressions: Array.from({ length: hours }, (_, h) => h), clicks: Array(hours).fill(0), spendFen: Array(hours).fill(7) };
    const rows = compareWithForecast([stat('2026-11-24T20', 9), stat('2026-11-25T01', 3)], forecast, 'Asia/Shanghai');
    // Wed 04:00 local: Thursday is index 0, so the next Wednesday is day 6 → 6*24 + 4.
    expect(rows[0]).toMatchObject({ local: '11-25 04:00', delivered: { impressions: 9, costFen: 50 }, forecast: { impressions: 6 * 24 + 4, spendFen: 7 } });
    // Wed 09:00 local.
    expect(rows[1]).toMatchObject({ local: '11-25 09:00', forecast: { impressions: 6 * 24 + 9 } });
  });

  it('a forecast shorter than a week has no pair for some hours; no forecast gives none', () => {
    const forecast = { startDate: '2026-11-26', impressions: Array(24).fill(5), clicks: Array(24).fill(0), spendFen: Array(24).fill(0) };
    expect(compareWithForecast([stat('2026-11-24T20', 1)], forecast, 'Asia/Shanghai')[0]!.forecast).toBeNull();
    expect(compareWithForecast([stat('2026-11-25T20', 1)], forecast, 'Asia/Shanghai')[0]!.forecast).toEqual({ impressions: 5, clicks: 0, spendFen: 0 });
    expect(compareWithForecast([stat('2026-11-25T20', 1)], null, 'UTC')[0]!.forecast).toBeNull();
  });
});
