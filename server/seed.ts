import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN, demoAccount, type DemoAccount } from '../shared/domain/demo';
import { Plan } from '../shared/domain/entities';
import { ALL_HOURS } from '../shared/domain/schedule';
import { hashToken } from './auth';
import type { Queryable, SqlDatabase } from './sql';

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

/** A demo agency that manages Shanlan Coffee only (not Northpeak). */
export const DEMO_AGENCY_ID = 'ag_demo';
export const DEMO_AGENCY_TOKEN = 'lantern-demo-agency-token';
/** A second demo agency that manages both Shanlan and Northpeak: one token, several accounts in one desktop store. */
export const DEMO_GROUP_AGENCY_ID = 'ag_group';
export const DEMO_GROUP_AGENCY_TOKEN = 'lantern-demo-group-token';
/** The review desk's admin token (loopback demo only). */
export const DEMO_ADMIN_TOKEN = 'lantern-demo-admin-token';

/** Writes one merchant's account at version 1, its token's hash, and a change-feed row per entity. */
export async function seedAccount(tx: Queryable, account: DemoAccount, token: string, at = new Date()): Promise<void> {
  const now = at.toISOString();
  const m = account.merchant;
  const planOwner = new Map(account.plans.map((p) => [p.id, p.merchantId]));
  const unitPlan = new Map(account.units.map((u) => [u.id, u.planId]));
  await tx.run('INSERT INTO merchants (id, name, name_en, currency, time_zone, balance_fen, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    m.id,
    m.name,
    m.nameEn,
    m.currency,
    m.timeZone,
    m.balanceFen,
    now,
  ]);
  await tx.run('INSERT INTO tokens (token_hash, merchant_id, label, created_at) VALUES (?, ?, ?, ?)', [hashToken(token), m.id, 'demo token', now]);
  const change = (entity: string, id: string) =>
    tx.run('INSERT INTO changes (merchant_id, entity, entity_id, version, changed_at) VALUES (?, ?, ?, 1, ?)', [m.id, entity, id, now]);
  for (const p of account.plans) {
    const plan = Plan.parse(p);
    if (plan.merchantId !== m.id) throw new Error(`seed plan ${plan.id} belongs to ${plan.merchantId}, not ${m.id}`);
    await tx.run('INSERT INTO plans (id, merchant_id, data, version, field_versions) VALUES (?, ?, ?, 1, ?)', [
      plan.id,
      m.id,
      JSON.stringify(plan),
      '{}', // every field dates from version 1 (store.ts fieldVersion())
    ]);
    await change('plan', plan.id);
  }
  for (const u of account.units) {
    if (planOwner.get(u.planId) !== m.id) throw new Error(`seed unit ${u.id} has no plan in ${m.id}`);
    await tx.run('INSERT INTO units (id, merchant_id, plan_id, data, version) VALUES (?, ?, ?, ?, 1)', [u.id, m.id, u.planId, JSON.stringify(u)]);
    await change('unit', u.id);
  }
  for (const c of account.creatives) {
    if (!unitPlan.has(c.unitId)) throw new Error(`seed creative ${c.id} has no unit in ${m.id}`);
    await tx.run('INSERT INTO creatives (id, merchant_id, unit_id, data, version) VALUES (?, ?, ?, ?, 1)', [c.id, m.id, c.unitId, JSON.stringify(c)]);
    await change('creative', c.id);
  }
  for (const w of account.searchWords) {
    if (!unitPlan.has(w.unitId)) throw new Error(`seed search word ${w.id} has no unit in ${m.id}`);
    await tx.run('INSERT INTO search_words (id, merchant_id, unit_id, data, version) VALUES (?, ?, ?, ?, 1)', [w.id, m.id, w.unitId, JSON.stringify(w)]);
    await change('searchWord', w.id);
  }
  const planIds = new Set(account.plans.map((p) => p.id));
  for (const w of account.negativeWords ?? []) {
    if (!unitPlan.has(w.unitId)) throw new Error(`seed negative word ${w.id} has no unit in ${m.id}`);
    await tx.run('INSERT INTO negative_words (id, merchant_id, unit_id, data, version) VALUES (?, ?, ?, ?, 1)', [w.id, m.id, w.unitId, JSON.stringify(w)]);
    await change('negativeWord', w.id);
  }
  for (const a of account.audiencePacks ?? []) {
    if (a.merchantId !== m.id) throw new Error(`seed audience pack ${a.id} belongs to ${a.merchantId}, not ${m.id}`);
    await tx.run('INSERT INTO audience_packs (id, merchant_id, data, version) VALUES (?, ?, ?, 1)', [a.id, m.id, JSON.stringify(a)]);
    await change('audiencePack', a.id);
  }
  for (const g of account.gdBookings ?? []) {
    if (!planIds.has(g.planId)) throw new Error(`seed GD booking ${g.id} has no plan in ${m.id}`);
    await tx.run('INSERT INTO gd_bookings (id, merchant_id, plan_id, data, version) VALUES (?, ?, ?, ?, 1)', [g.id, m.id, g.planId, JSON.stringify(g)]);
    await change('gdBooking', g.id);
  }
}

/** Seeds Shanlan Coffee, Northpeak Phones, the demo agency and the admin when the database has no merchant yet. */
export async function seedDemoIfEmpty(db: SqlDatabase): Promise<boolean> {
  return db.transaction(
    async (tx) => {
      const n = (await tx.get<{ n: number }>('SELECT CAST(count(*) AS INTEGER) AS n FROM merchants'))?.n ?? 0;
      if (n > 0) return false;
      const now = new Date().toISOString();
      await seedAccount(tx, demoAccount(), DEMO_MERCHANT_TOKEN);
      await seedAccount(tx, northpeakAccount(), NORTHPEAK_MERCHANT_TOKEN);
      await tx.run('INSERT INTO agencies (id, name, created_at) VALUES (?, ?, ?)', [DEMO_AGENCY_ID, '灯塔代理 Lighthouse Agency', now]);
      await tx.run('INSERT INTO agency_merchants (agency_id, merchant_id) VALUES (?, ?)', [DEMO_AGENCY_ID, DEMO_MERCHANT_ID]);
      await tx.run("INSERT INTO principal_tokens (token_hash, kind, principal_id, label, created_at) VALUES (?, 'agency', ?, 'demo agency token', ?)", [
        hashToken(DEMO_AGENCY_TOKEN),
        DEMO_AGENCY_ID,
        now,
      ]);
      await tx.run('INSERT INTO agencies (id, name, created_at) VALUES (?, ?, ?)', [DEMO_GROUP_AGENCY_ID, '群星代理 Constellation Agency', now]);
      for (const mid of [DEMO_MERCHANT_ID, NORTHPEAK_MERCHANT_ID]) {
        await tx.run('INSERT INTO agency_merchants (agency_id, merchant_id) VALUES (?, ?)', [DEMO_GROUP_AGENCY_ID, mid]);
      }
      await tx.run("INSERT INTO principal_tokens (token_hash, kind, principal_id, label, created_at) VALUES (?, 'agency', ?, 'demo group agency token', ?)", [
        hashToken(DEMO_GROUP_AGENCY_TOKEN),
        DEMO_GROUP_AGENCY_ID,
        now,
      ]);
      await tx.run("INSERT INTO principal_tokens (token_hash, kind, principal_id, label, created_at) VALUES (?, 'admin', 'admin', 'demo admin token', ?)", [
        hashToken(DEMO_ADMIN_TOKEN),
        now,
      ]);
      return true;
    },
    { lockKey: 'lantern:seed' },
  );
}
