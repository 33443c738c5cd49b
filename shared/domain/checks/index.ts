import type { AudiencePack } from '../audience';
import type { Creative } from '../creative';
import type { GdBooking } from '../gdBooking';
import type { NegativeWord, SearchWord } from '../keywords';
import type { EntityKind } from '../kinds';
import type { Plan } from '../plan';
import type { Unit } from '../unit';
import { checkCreative, checkGdBooking, checkNegativeWord, checkPlan, checkSearchWord, checkUnit } from './builtin';
import { evaluateRules, type UserRule } from './rules';
import type { CheckIssue } from './types';

export * from './types';
export * from './limits';
export * from './builtin';
export * from './rules';

/** What checking one row needs to know about its surroundings. */
export interface RowContext {
  /** The row's plan (for units and below), or the plan itself. */
  plan?: Plan;
  today: string;
  /** Never posted. */
  isNew: boolean;
  /** The row as last posted (for "back to review"). */
  before?: unknown;
  rules: readonly AccountRule[];
}

/**
 * A user rule as the checks receive it. Rules are stored per merchant account: one tagged with
 * `merchantId` applies only to that merchant's rows (a store may hold several accounts).
 */
export type AccountRule = UserRule & { merchantId?: string };

/** The merchant a row belongs to, as far as the row and its context tell. */
function ownerOf(kind: EntityKind, row: AnyEntity, plan: Plan | undefined): string | undefined {
  if (kind === 'plan' || kind === 'audiencePack') return (row as Plan | AudiencePack).merchantId;
  return plan?.merchantId;
}

export type AnyEntity = Plan | Unit | Creative | SearchWord | NegativeWord | AudiencePack | GdBooking;

/** Built-in checks plus the account's user rules for one row. */
export function checkRow(kind: EntityKind, row: AnyEntity, ctx: RowContext): CheckIssue[] {
  let out: CheckIssue[];
  switch (kind) {
    case 'plan':
      out = checkPlan(row as Plan, { today: ctx.today, isNew: ctx.isNew });
      break;
    case 'unit':
      out = checkUnit(row as Unit, ctx.plan);
      break;
    case 'creative':
      out = checkCreative(row as Creative, ctx.before as Creative | undefined);
      break;
    case 'searchWord':
      out = checkSearchWord(row as SearchWord, ctx.plan);
      break;
    case 'negativeWord':
      out = checkNegativeWord(row as NegativeWord, ctx.plan);
      break;
    case 'gdBooking':
      out = checkGdBooking(row as GdBooking, ctx.plan);
      break;
    case 'audiencePack':
      out = [];
      break;
  }
  if (ctx.rules.length) {
    const owner = ownerOf(kind, row, ctx.plan);
    // A row whose merchant cannot be told (no plan given) keeps every rule, as before rules had owners.
    const rules = owner === undefined ? ctx.rules : ctx.rules.filter((r) => r.merchantId === undefined || r.merchantId === owner);
    // A plan's own scene for a plan row ("only rows whose plan has this scene").
    const scene = kind === 'plan' ? (row as Plan).scene : ctx.plan?.scene;
    if (rules.length) out.push(...evaluateRules(rules, kind, row as unknown as { id: string } & Record<string, unknown>, scene));
  }
  return out;
}
