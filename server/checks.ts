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
  /** A child row the change would make fail (a plan change): the child's kind and id. */
  entity?: EntityKind;
  entityId?: string;
}

/** The kinds whose built-in checks read their plan. */
export type PlanChildKind = 'unit' | 'searchWord' | 'negativeWord' | 'gdBooking';

/**
 * The plan fields each child kind's error-level checks read (shared/domain/checks/builtin.ts):
 * a plan change touching none of them cannot make a child fail, so its children are not read.
 * (Warnings read more, dailyBudgetFen; they never reject.) checks.test.ts watches the checks'
 * reads, so a check that starts reading another plan field fails it until it is listed here.
 */
export const PLAN_FIELDS_CHECKED_BY: Record<PlanChildKind, readonly (keyof Plan)[]> = {
  unit: ['scene', 'chargeType'],
  searchWord: ['scene'],
  negativeWord: ['scene'],
  gdBooking: ['scene', 'sellMode', 'startDate', 'endDate'],
};

/** At most this many failing children are named in a plan change's rejection (the scan stops there). */
export const MAX_CHILD_ERRORS = 5;
const CHILD_LABEL: Record<PlanChildKind, string> = { unit: 'unit', searchWord: 'search word', negativeWord: 'negative word', gdBooking: 'GD booking' };
const CHILD_TABLE: Record<PlanChildKind, string> = { unit: 'units', searchWord: 'search_words', negativeWord: 'negative_words', gdBooking: 'gd_bookings' };

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
  /** "kind:id" of every row the push wrote. */
  const written = new Set<string>();
  /** Plans whose checked fields the push changed: as they were before it, the fields, their latest such mutation. */
  const planEdits = new Map<string, { initial: Plan; changed: Set<string>; last: number }>();

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
    /**
     * A plan update this push applied. If it changed a field its children's checks read, the
     * plan's children are checked once the whole push has run (see brokenChildren).
     */
    planEdited(mutationId: number, planId: string, before: Plan, after: Plan): void {
      const changed = changedCheckedFields(before, after);
      if (changed.size === 0) return;
      const edits = planEdits.get(planId);
      if (!edits) planEdits.set(planId, { initial: before, changed, last: mutationId });
      else {
        for (const f of changed) edits.changed.add(f);
        edits.last = mutationId;
      }
    },
    /**
     * After the push's mutations: the plans whose checked fields it changed must not leave a
     * child failing a check (a unit's bid under a new charge type, search words under a scene
     * that is no longer SEARCH). Checked on the rows as the whole push leaves them, so a push that
     * changes a plan and fixes its children together passes whatever its order. Per broken plan:
     * the id of its latest such mutation and the failing children's errors (each naming its
     * child), at most MAX_CHILD_ERRORS children. An error an untouched child had already under
     * the plan as it was before the push is not this push's doing and is not counted.
     */
    async brokenChildren(): Promise<Map<number, CheckError[]>> {
      const out = new Map<number, CheckError[]>();
      for (const [planId, edits] of planEdits) {
        const now = await plan(planId);
        if (!now) continue; // deleted by the push: its children with it
        const errors = await childErrors(tx, merchantId, planId, edits.initial, now, edits.changed, written);
        if (errors.length > 0) out.set(edits.last, errors);
      }
      return out;
    },
    /** A row this push wrote (or deleted): later rows of the push are checked against it. */
    wrote(kind: EntityKind, id: string, data: Record<string, unknown> | null): void {
      written.add(`${kind}:${id}`);
      if (kind === 'plan') plans.set(id, data as Plan | null);
      else if (kind === 'unit') {
        unitPlan.set(id, data ? String(data.planId) : null);
      }
    },
  };
}

export type BatchChecks = ReturnType<typeof batchChecks>;

/** Every plan field some child's checks read. */
export const CHECKED_PLAN_FIELDS: ReadonlySet<string> = new Set(Object.values(PLAN_FIELDS_CHECKED_BY).flat());

function changedCheckedFields(before: Plan, after: Plan): Set<string> {
  const changed = new Set<string>();
  for (const f of CHECKED_PLAN_FIELDS) if (JSON.stringify(before[f as keyof Plan] ?? null) !== JSON.stringify(after[f as keyof Plan] ?? null)) changed.add(f);
  return changed;
}

/**
 * The errors `after` gives the live children of one plan that `before` did not (children the
 * push wrote count every error: they were checked against the plan as it was when written).
 * Only the kinds whose checks read a `changed` field are read (the push may have changed one and
 * changed it back), the words unit by unit; the scan stops at MAX_CHILD_ERRORS failing children.
 */
async function childErrors(
  tx: Queryable,
  merchantId: string,
  planId: string,
  before: Plan,
  after: Plan,
  changed: ReadonlySet<string>,
  written: ReadonlySet<string>,
): Promise<CheckError[]> {
  const reads = (kind: PlanChildKind) => PLAN_FIELDS_CHECKED_BY[kind].some((f) => changed.has(f));
  const out: CheckError[] = [];
  let failing = 0;
  const ctx = { today: '', isNew: false, rules: [] };
  const errorsOf = (kind: PlanChildKind, row: AnyEntity, plan: Plan) => checkRow(kind, row, { ...ctx, plan }).filter((i) => i.severity === 'error');
  /** False once enough failing children are found. */
  const check = (kind: PlanChildKind, rows: readonly { id: string; data: string }[]): boolean => {
    for (const r of rows) {
      const row = JSON.parse(r.data) as AnyEntity;
      let fresh = errorsOf(kind, row, after);
      if (fresh.length === 0) continue;
      if (!written.has(`${kind}:${r.id}`)) {
        const had = new Set(errorsOf(kind, row, before).map((i) => `${i.code}\t${i.field ?? ''}`));
        fresh = fresh.filter((i) => !had.has(`${i.code}\t${i.field ?? ''}`));
        if (fresh.length === 0) continue;
      }
      for (const i of fresh) out.push({ entity: kind, entityId: r.id, field: i.field ?? '', code: i.code, message: `${CHILD_LABEL[kind]} ${r.id} would fail: ${i.message}` });
      if (++failing >= MAX_CHILD_ERRORS) return false;
    }
    return true;
  };
  const rowsOf = (kind: PlanChildKind, column: 'plan_id' | 'unit_id', parentId: string) =>
    tx.all<{ id: string; data: string }>(`SELECT id, data FROM ${CHILD_TABLE[kind]} WHERE merchant_id = ? AND ${column} = ? AND deleted = 0 ORDER BY id`, [merchantId, parentId]);
  for (const kind of ['unit', 'gdBooking'] as const) if (reads(kind) && !check(kind, await rowsOf(kind, 'plan_id', planId))) return out;
  const words = (['searchWord', 'negativeWord'] as const).filter(reads);
  if (words.length > 0) {
    const units = await tx.all<{ id: string }>('SELECT id FROM units WHERE merchant_id = ? AND plan_id = ? AND deleted = 0 ORDER BY id', [merchantId, planId]);
    for (const u of units) for (const kind of words) if (!check(kind, await rowsOf(kind, 'unit_id', u.id))) return out;
  }
  return out;
}
