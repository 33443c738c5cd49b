import { demoAccount } from '../../../shared/domain/demo';
import type { Db } from './db';
import { entityRepo, type Row } from './entityRepo';

/** Seeds the demo merchant into an empty store; a store that has a merchant is left alone. */
export function seedDemoIfEmpty(db: Db): boolean {
  const has = db.prepare('SELECT COUNT(*) AS n FROM merchants').get() as { n: number };
  if (has.n > 0) return false;
  const a = demoAccount();
  const repo = entityRepo(db);
  db.transaction(() => {
    db.prepare('INSERT INTO merchants (id, name, name_en, currency, time_zone, balance_fen) VALUES (?, ?, ?, ?, ?, ?)').run(
      a.merchant.id, a.merchant.name, a.merchant.nameEn, a.merchant.currency, a.merchant.timeZone, a.merchant.balanceFen,
    );
    for (const p of a.plans) repo.insert('plan', p as unknown as Row);
    // The seed is the server's state: version 1, nothing to post.
    db.prepare('UPDATE plans SET server_version = 1').run();
    for (const x of a.audiencePacks ?? []) repo.insert('audiencePack', x as unknown as Row);
    for (const x of a.units) repo.insert('unit', x as unknown as Row);
    for (const x of a.creatives) repo.insert('creative', x as unknown as Row);
    for (const x of a.searchWords) repo.insert('searchWord', x as unknown as Row);
    for (const x of a.negativeWords ?? []) repo.insert('negativeWord', x as unknown as Row);
    for (const x of a.gdBookings ?? []) repo.insert('gdBooking', x as unknown as Row);
  })();
  return true;
}
