import { checkRow, type AnyEntity, type CheckIssue } from '../shared/domain/checks';
import type { Plan } from '../shared/domain/entities';
import type { EntityKind } from '../shared/sync/wire';
import type { Queryable } from './sql';
import type { Store } from './store';

/** One failed built-in check as a push result names it. */
export interface CheckError {
  field: string;
  message: string;
  code: string;
}

/** YYYY-MM-DD of `at` in `timeZone` (one formatter per zone: building one costs about a millisecond). */
export function dateInZone(at: Date, timeZone: string): string {
  let f = zoneFormats.get(timeZone);
  if (!f) zoneFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(at);
}
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The shared built-in checks over the rows one push creates or changes, inside its transaction.
 * Each row is checked as it would be stored, with its plan as the push's earlier mutations left
 * it (a unit created after its plan changed scene in the same push is checked against the new
 * scene): the checker reads through the transaction and is told of every plan and unit written.
 * "Today" is the server's clock in the merchant's time zone. User rules live with the desktop
 * account, not here: only the built-in checks run.
 */
export function batchChecks(store: Store, tx: Queryable, merchantId: string, at: Date) {
  let today: string | undefined;
  const plans = new Map<string, Plan | null>();
  const unitPlan = new Map<string, string | null>();

  const todayHere = async (): Promise<string> => {
    if (today === undefined) {
      const zone = (await tx.get<{ time_zone: string }>('SELECT time_zone FROM merchants WHERE id = ?', [merchantId]))?.time_zone ?? 'Asia/Shanghai';
      today = dateInZone(at, zone);
    }
    return today;
  };
  const plan = async (id: unknown): Promise<Plan | undefined> => {
    if (typeof id !== 'string') return undefined;
    let p = plans.get(id);
    if (p === undefined) {
      const rec = await store.getEntity(tx, 'plan', merchantId, id);
      p = rec && !rec.deleted ? (rec.data as Plan) : null;
      plans.set(id, p);
    }
    return p ?? undefined;
  };
  const planOfUnit = async (unitId: unknown): Promise<Plan | undefined> => {
    if (typeof unitId !== 'string') return undefined;
    let pid = unitPlan.get(unitId);
    if (pid === undefined) {
      // A unit's plan never changes through sync (planId is the server's), so this stays true.
      const rec = await store.getEntity(tx, 'unit', merchantId, unitId);
      pid = rec && !rec.deleted ? String(rec.data.planId) : null;
      unitPlan.set(unitId, pid);
    }
    return pid === null ? undefined : plan(pid);
  };

  return {
    /**
     * The error-level issues of `row` (warnings never reject). `isNew`: a create (only a new
     * plan's start date must not be in the past, as on the desktop). `before`: the stored row of
     * an update.
     */
    async errors(kind: EntityKind, row: Record<string, unknown>, isNew: boolean, before?: Record<string, unknown>): Promise<CheckError[]> {
      let p: Plan | undefined;
      if (kind === 'unit' || kind === 'gdBooking') p = await plan(row.planId);
      else if (kind === 'creative' || kind === 'searchWord' || kind === 'negativeWord') p = await planOfUnit(row.unitId);
      const issues: CheckIssue[] = checkRow(kind, row as unknown as AnyEntity, {
        today: kind === 'plan' ? await todayHere() : '',
        isNew,
        rules: [],
        ...(p ? { plan: p } : {}),
        ...(before ? { before } : {}),
      });
      return issues.filter((i) => i.severity === 'error').map((i) => ({ field: i.field ?? '', message: i.message, code: i.code }));
    },
    /** A row this push wrote (or deleted): later rows of the push are checked against it. */
    wrote(kind: EntityKind, id: string, data: Record<string, unknown> | null): void {
      if (kind === 'plan') plans.set(id, data as Plan | null);
      else if (kind === 'unit') {
        unitPlan.set(id, data ? String(data.planId) : null);
      }
    },
  };
}

export type BatchChecks = ReturnType<typeof batchChecks>;
