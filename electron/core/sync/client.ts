// Temporary: core.ts imports these from here; removed when the core split lands (core.ts then
// imports each from the file that holds it). The sync itself is split beside this file:
// runSync.ts orchestrates transport.ts, push.ts, pull.ts, market.ts and stats.ts.
export { adoptLegacySyncKeys, MARKET_SNAPSHOT_KEY, merchantKey } from './settingsKeys';
export { newTally } from './progress';
export { runSync } from './runSync';
export { whoAmI } from './me';
export type { RetryPolicy } from './transport';
