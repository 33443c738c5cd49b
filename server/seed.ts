import { DEMO_MERCHANT_TOKEN, demoAccount, type DemoAccount } from '../shared/domain/demo';
import { Plan } from '../shared/domain/entities';
import { ALL_HOURS } from '../shared/domain/schedule';
import { hashToken } from './auth';
import type { Db } from './db';
import { uniformFieldVersions } from './store';

/**
 * A second demo merchant, 北峰手机 Northpeak Phones, so that isolation between merchants is
 * testable (and demonstrable): its token must never reach Shanlan Coffee's data, nor the reverse.
 */
export const NORTHPEAK_MERCHANT_ID = 'mc_northpeak';
/** Northpeak's API token on the reference backend (loopback demo only). */
export const NORTHPEAK_MERCHANT_TOKEN = 'lantern-demo-northpeak-token';

export function northpeakAccount(): DemoAccount {
  const base = {
    merchantId: NORTHPEAK_MERCHANT_ID,
    startDate: '2026-10-20',
    endDate: '2026-11-30',
    timeSchema: ALL_HOURS,
    status: 'ENABLED' as const,
  };
  return {
    merchant: {
      id: NORTHPEAK_MERCHANT_ID,
      name: '北峰手机',
      nameEn: 'Northpeak Phones',
      currency: 'CNY',
      timeZone: 'Asia/Shanghai',
      balanceFen: 200_000_000,
    },
    plans: [
      {
        ...base,
        id: 'pl_np_launch',
        name: '全域智投·新机首发 X9 Launch Smart Delivery',
        scene: 'INTELLIGENT',
        objective: 'PURCHASE',
        sellMode: 'RTB',
        chargeType: 'CPC',
        dailyBudgetFen: 1_500_000,
        pacing: 'STANDARD',
      },
      {
        ...base,
        id: 'pl_np_double11_brand',
        name: '品牌宝·双11首页置顶 Double 11 Homepage Top',
        scene: 'BRAND',
        objective: 'FOLLOW',
        sellMode: 'GD',
        chargeType: 'CPM',
        dailyBudgetFen: null,
        pacing: 'STANDARD',
      },
    ],
    units: [
      { id: 'un_np_launch_ocpx', planId: 'pl_np_launch', name: 'X9·高端人群 X9, premium buyers', bidType: 'OCPX', bidFen: null, targetCpaFen: 12_000, targetRoi: null },
      { id: 'un_np_brand_top', planId: 'pl_np_double11_brand', name: '首页置顶GD Homepage top GD', bidType: 'DEFAULT', bidFen: 6_000, targetCpaFen: null, targetRoi: null },
    ],
    creatives: [
      { id: 'cr_np_launch_video', unitId: 'un_np_launch_ocpx', template: 'VIDEO', title: 'X9 影像旗舰', description: 'X9: the camera flagship', reviewStatus: 'APPROVED' },
      { id: 'cr_np_brand_top', unitId: 'un_np_brand_top', template: 'FEED_IMAGE', title: '双11 北峰焕新季', description: 'Double 11 upgrade season', reviewStatus: 'PENDING' },
    ],
    searchWords: [],
  };
}

/** Writes one merchant's account at version 1, its token's hash, and a change-feed row per plan. */
export function seedAccount(db: Db, account: DemoAccount, token: string, at = new Date()): void {
  const now = at.toISOString();
  const m = account.merchant;
  const planOwner = new Map(account.plans.map((p) => [p.id, p.merchantId]));
  const unitPlan = new Map(account.units.map((u) => [u.id, u.planId]));
  db.transaction(() => {
    db.prepare(
      'INSERT INTO merchants (id, name, name_en, currency, time_zone, balance_fen, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(m.id, m.name, m.nameEn, m.currency, m.timeZone, m.balanceFen, now);
    db.prepare('INSERT INTO tokens (token_hash, merchant_id, label, created_at) VALUES (?, ?, ?, ?)').run(
      hashToken(token),
      m.id,
      'demo token',
      now,
    );
    const insertPlan = db.prepare('INSERT INTO plans (id, merchant_id, data, version, field_versions) VALUES (?, ?, ?, 1, ?)');
    const insertChange = db.prepare(
      "INSERT INTO changes (merchant_id, entity, entity_id, version, changed_at) VALUES (?, 'plan', ?, 1, ?)",
    );
    for (const p of account.plans) {
      const plan = Plan.parse(p);
      if (plan.merchantId !== m.id) throw new Error(`seed plan ${plan.id} belongs to ${plan.merchantId}, not ${m.id}`);
      insertPlan.run(plan.id, m.id, JSON.stringify(plan), JSON.stringify(uniformFieldVersions(1)));
      insertChange.run(m.id, plan.id, now);
    }
    const insertUnit = db.prepare('INSERT INTO units (id, merchant_id, plan_id, data, version) VALUES (?, ?, ?, ?, 1)');
    for (const u of account.units) {
      if (planOwner.get(u.planId) !== m.id) throw new Error(`seed unit ${u.id} has no plan in ${m.id}`);
      insertUnit.run(u.id, m.id, u.planId, JSON.stringify(u));
    }
    const insertCreative = db.prepare('INSERT INTO creatives (id, merchant_id, unit_id, data, version) VALUES (?, ?, ?, ?, 1)');
    for (const c of account.creatives) {
      if (!unitPlan.has(c.unitId)) throw new Error(`seed creative ${c.id} has no unit in ${m.id}`);
      insertCreative.run(c.id, m.id, c.unitId, JSON.stringify(c));
    }
    const insertWord = db.prepare('INSERT INTO search_words (id, merchant_id, unit_id, data, version) VALUES (?, ?, ?, ?, 1)');
    for (const w of account.searchWords) {
      if (!unitPlan.has(w.unitId)) throw new Error(`seed search word ${w.id} has no unit in ${m.id}`);
      insertWord.run(w.id, m.id, w.unitId, JSON.stringify(w));
    }
  })();
}

/** Seeds the demo merchant (Shanlan Coffee) and Northpeak Phones when the database has no merchant yet. */
export function seedDemoIfEmpty(db: Db): boolean {
  return db
    .transaction(() => {
      const n = (db.prepare('SELECT count(*) AS n FROM merchants').get() as { n: number }).n;
      if (n > 0) return false;
      seedAccount(db, demoAccount(), DEMO_MERCHANT_TOKEN);
      seedAccount(db, northpeakAccount(), NORTHPEAK_MERCHANT_TOKEN);
      return true;
    })
    .immediate();
}
