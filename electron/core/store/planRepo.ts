import type { BidType, Creative, Merchant, Plan, SearchWord, Unit } from '../../../shared/domain/entities';
import type { Db } from './db';
import { JSON_TABLES, rowSql } from './entityRepo';

interface PlanRowDb {
  id: string;
  merchant_id: string;
  name: string;
  scene: Plan['scene'];
  objective: Plan['objective'];
  sell_mode: Plan['sellMode'];
  charge_type: Plan['chargeType'];
  daily_budget_fen: number | null;
  start_date: string;
  end_date: string | null;
  time_schema: string;
  pacing: Plan['pacing'];
  status: Plan['status'];
  server_version: number;
  extra: string;
}

export interface PlanSummary {
  unitCount: number;
  creativeCount: number;
  bidTypes: BidType[];
}

/** Plan fields and their columns; the only place that maps one to the other. */
export const PLAN_COLUMNS = {
  name: 'name',
  dailyBudgetFen: 'daily_budget_fen',
} as const;
export type EditablePlanField = keyof typeof PLAN_COLUMNS;

function toPlan(r: PlanRowDb): Plan {
  return {
    ...(JSON.parse(r.extra || '{}') as Partial<Plan>),
    id: r.id,
    merchantId: r.merchant_id,
    name: r.name,
    scene: r.scene,
    objective: r.objective,
    sellMode: r.sell_mode,
    chargeType: r.charge_type,
    dailyBudgetFen: r.daily_budget_fen,
    startDate: r.start_date,
    endDate: r.end_date,
    timeSchema: r.time_schema,
    pacing: r.pacing,
    status: r.status,
  };
}

/** Prepared statements over the campaign tables, created once per store. */
export function planRepo(db: Db) {
  const stmts = {
    merchant: db.prepare('SELECT * FROM merchants LIMIT 1'),
    allPlans: db.prepare('SELECT * FROM plans ORDER BY rowid'),
    plan: db.prepare('SELECT * FROM plans WHERE id = ?'),
    counts: db.prepare(`SELECT p.id AS plan_id,
        (SELECT COUNT(*) FROM units u WHERE u.plan_id = p.id AND u.deleted = 0) AS units,
        (SELECT COUNT(*) FROM creatives c JOIN units u ON c.unit_id = u.id WHERE u.plan_id = p.id AND u.deleted = 0 AND c.deleted = 0) AS creatives
      FROM plans p`),
    bidTypes: db.prepare("SELECT plan_id, json_extract(data, '$.bidType') AS bid_type FROM units WHERE deleted = 0 ORDER BY rowid"),
    units: db.prepare('SELECT data FROM units WHERE plan_id = ? AND deleted = 0 ORDER BY rowid'),
    creatives: db.prepare('SELECT c.data FROM creatives c JOIN units u ON c.unit_id = u.id WHERE u.plan_id = ? AND u.deleted = 0 AND c.deleted = 0 ORDER BY c.rowid'),
    searchWords: db.prepare(`SELECT ${rowSql(JSON_TABLES.searchWord, 'w')} AS data FROM search_words w JOIN units u ON w.unit_id = u.id WHERE u.plan_id = ? AND u.deleted = 0 AND w.deleted = 0 ORDER BY w.rowid`),
    setName: db.prepare('UPDATE plans SET name = ? WHERE id = ?'),
    setBudget: db.prepare('UPDATE plans SET daily_budget_fen = ? WHERE id = ?'),
    setServerVersion: db.prepare('UPDATE plans SET server_version = ? WHERE id = ?'),
    replaceFromServer: db.prepare(
      'UPDATE plans SET name = @name, daily_budget_fen = @dailyBudgetFen, status = @status, server_version = @version WHERE id = @id',
    ),
  };
  const parseAll = <T>(rows: unknown[]): T[] => (rows as { data: string }[]).map((r) => JSON.parse(r.data) as T);

  return {
    merchant(): Merchant | undefined {
      const r = stmts.merchant.get() as
        | { id: string; name: string; name_en: string; currency: 'CNY'; time_zone: string; balance_fen: number }
        | undefined;
      return r && { id: r.id, name: r.name, nameEn: r.name_en, currency: r.currency, timeZone: r.time_zone, balanceFen: r.balance_fen };
    },
    listPlans(): Plan[] {
      return (stmts.allPlans.all() as PlanRowDb[]).map(toPlan);
    },
    getPlan(id: string): Plan | undefined {
      const r = stmts.plan.get(id) as PlanRowDb | undefined;
      return r && toPlan(r);
    },
    serverVersion(id: string): number {
      const r = stmts.plan.get(id) as PlanRowDb | undefined;
      return r?.server_version ?? 0;
    },
    /** Per plan: unit and creative counts and the distinct bid types of its units. */
    summaries(): Map<string, PlanSummary> {
      const out = new Map<string, PlanSummary>();
      for (const r of stmts.counts.all() as { plan_id: string; units: number; creatives: number }[]) {
        out.set(r.plan_id, { unitCount: r.units, creativeCount: r.creatives, bidTypes: [] });
      }
      for (const r of stmts.bidTypes.all() as { plan_id: string; bid_type: BidType }[]) {
        const s = out.get(r.plan_id);
        if (s && !s.bidTypes.includes(r.bid_type)) s.bidTypes.push(r.bid_type);
      }
      return out;
    },
    units: (planId: string) => parseAll<Unit>(stmts.units.all(planId)),
    creatives: (planId: string) => parseAll<Creative>(stmts.creatives.all(planId)),
    searchWords: (planId: string) => parseAll<SearchWord>(stmts.searchWords.all(planId)),
    setField(id: string, field: EditablePlanField, value: unknown): void {
      if (field === 'name') stmts.setName.run(value, id);
      else stmts.setBudget.run(value, id);
    },
    setServerVersion(id: string, version: number): void {
      stmts.setServerVersion.run(version, id);
    },
    replaceFromServer(plan: Plan, version: number): void {
      stmts.replaceFromServer.run({ id: plan.id, name: plan.name, dailyBudgetFen: plan.dailyBudgetFen, status: plan.status, version });
    },
  };
}

export type PlanRepo = ReturnType<typeof planRepo>;
