import { checkRow, type AccountRule, type AnyEntity, type CheckIssue } from '../../../shared/domain/checks';
import type { EntityKind } from '../../../shared/domain/kinds';
import type { EntityRepo, Row } from './entityRepo';
import type { Journal } from './journal';
import type { PlanRepo } from './planRepo';

export interface AccountChecksDeps {
  plans: PlanRepo;
  repo: EntityRepo;
  journal: Journal;
  rules: () => AccountRule[];
  today: () => string;
}

/** Built-in checks and user rules over the live accounts (or one merchant's, or some plans). */
export function runAccountChecks({ plans, repo, journal, rules: loadRules, today: todayInZone }: AccountChecksDeps, planIds?: string[], merchantId?: string): CheckIssue[] {
  const rules = loadRules();
  const today = todayInZone();
  const markers = journal.markers();
  const planFilter = planIds ? new Set(planIds) : undefined;
  const livePlans = new Map<string, Row>();
  for (const p of plans.listPlans()) {
    if (p.status !== 'DELETED' && (!planFilter || planFilter.has(p.id)) && (!merchantId || p.merchantId === merchantId)) livePlans.set(p.id, p as unknown as Row);
  }
  const unitPlan = new Map<string, string>();
  const out: CheckIssue[] = [];
  const ctx = (kind: EntityKind, row: Row, planId: string | undefined) => {
    const m = markers.get(`${kind}:${row.id}`);
    let before: Row | undefined;
    // A creative's review rules compare with what was posted: its outbox holds the old values.
    if (kind === 'creative' && m && !m.added) {
      before = { ...row };
      for (const o of journal.outboxOf('creative', [row.id])) before[o.field] = o.oldValue;
    }
    return { today, isNew: m?.added ?? false, rules, ...(planId ? { plan: livePlans.get(planId) } : {}), ...(before ? { before } : {}) } as never;
  };
  for (const [, p] of livePlans) out.push(...checkRow('plan', p as unknown as AnyEntity, ctx('plan', p, undefined)));
  for (const u of repo.all('unit')) {
    if (!livePlans.has(String(u.planId))) continue;
    unitPlan.set(u.id, String(u.planId));
    out.push(...checkRow('unit', u as unknown as AnyEntity, ctx('unit', u, String(u.planId))));
  }
  for (const kind of ['creative', 'searchWord', 'negativeWord'] as const) {
    for (const r of repo.all(kind)) {
      const pid = unitPlan.get(String(r.unitId));
      if (pid) out.push(...checkRow(kind, r as unknown as AnyEntity, ctx(kind, r, pid)));
    }
  }
  for (const g of repo.all('gdBooking')) if (livePlans.has(String(g.planId))) out.push(...checkRow('gdBooking', g as unknown as AnyEntity, ctx('gdBooking', g, String(g.planId))));
  if (!planFilter) {
    for (const a of repo.all('audiencePack')) if (!merchantId || a.merchantId === merchantId) out.push(...checkRow('audiencePack', a as unknown as AnyEntity, ctx('audiencePack', a, undefined)));
  }
  return out;
}
