import { demoAccount } from '../../../shared/domain/demo';
import type { Db } from './db';

/** Seeds the demo merchant into an empty store; a store that has a merchant is left alone. */
export function seedDemoIfEmpty(db: Db): boolean {
  const has = db.prepare('SELECT COUNT(*) AS n FROM merchants').get() as { n: number };
  if (has.n > 0) return false;
  const a = demoAccount();
  db.transaction(() => {
    db.prepare('INSERT INTO merchants (id, name, name_en, currency, time_zone, balance_fen) VALUES (?, ?, ?, ?, ?, ?)').run(
      a.merchant.id, a.merchant.name, a.merchant.nameEn, a.merchant.currency, a.merchant.timeZone, a.merchant.balanceFen,
    );
    const plan = db.prepare(`INSERT INTO plans (id, merchant_id, name, scene, objective, sell_mode, charge_type, daily_budget_fen,
      start_date, end_date, time_schema, pacing, status, server_version)
      VALUES (@id, @merchantId, @name, @scene, @objective, @sellMode, @chargeType, @dailyBudgetFen, @startDate, @endDate, @timeSchema, @pacing, @status, 1)`);
    for (const p of a.plans) plan.run(p);
    const unit = db.prepare('INSERT INTO units (id, plan_id, data) VALUES (?, ?, ?)');
    for (const u of a.units) unit.run(u.id, u.planId, JSON.stringify(u));
    const creative = db.prepare('INSERT INTO creatives (id, unit_id, data) VALUES (?, ?, ?)');
    for (const c of a.creatives) creative.run(c.id, c.unitId, JSON.stringify(c));
    const word = db.prepare('INSERT INTO search_words (id, unit_id, data) VALUES (?, ?, ?)');
    for (const w of a.searchWords) word.run(w.id, w.unitId, JSON.stringify(w));
  })();
  return true;
}
