import { z } from 'zod';
import { ENTITY_KINDS, type EntityKind } from '../kinds';
import type { CheckIssue } from './types';
import { charCount } from '../text';

/**
 * User-defined check rules: a small declarative format stored with the account and evaluated
 * with the built-in checks. Examples: "daily budget under 5,000 yuan" =
 * { entity: 'plan', field: 'dailyBudgetFen', op: 'lt', value: 500000 }; "name must start with
 * the city" = { entity: 'plan', field: 'name', op: 'startsWithOneOf', value: ['上海', '杭州'] }.
 * A rule states what must hold; a row where it does not hold gets an issue.
 */
export const RuleOp = z.enum(['lt', 'lte', 'gt', 'gte', 'eq', 'neq', 'oneOf', 'startsWithOneOf', 'contains', 'notContains', 'matches', 'notEmpty', 'maxLength']);
export type RuleOp = z.infer<typeof RuleOp>;

export const UserRule = z
  .object({
    id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'rule id: 1–40 of a-z 0-9 _ -'),
    name: z.string().min(1).max(100),
    entity: z.enum(ENTITY_KINDS),
    field: z.string().regex(/^[A-Za-z][A-Za-z0-9.]{0,60}$/, 'field must be a field name'),
    op: RuleOp,
    value: z.union([z.number().finite(), z.string().max(500), z.array(z.union([z.string().max(200), z.number().finite()])).max(200), z.null()]),
    severity: z.enum(['error', 'warning']),
    message: z.string().max(300).optional(),
    /** Only rows whose plan has this scene (optional). */
    scene: z.enum(['INTELLIGENT', 'SEARCH', 'BRAND', 'DISPLAY']).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const numeric = ['lt', 'lte', 'gt', 'gte', 'maxLength'].includes(r.op);
    if (numeric && typeof r.value !== 'number') ctx.addIssue({ code: 'custom', path: ['value'], message: `${r.op} needs a number` });
    if ((r.op === 'oneOf' || r.op === 'startsWithOneOf') && !Array.isArray(r.value)) ctx.addIssue({ code: 'custom', path: ['value'], message: `${r.op} needs a list` });
    if (r.op === 'matches') {
      if (typeof r.value !== 'string') ctx.addIssue({ code: 'custom', path: ['value'], message: 'matches needs a pattern' });
      else {
        try {
          new RegExp(r.value, 'u');
        } catch {
          ctx.addIssue({ code: 'custom', path: ['value'], message: 'not a valid regular expression' });
        }
      }
    }
  });
export type UserRule = z.infer<typeof UserRule>;

function readPath(row: Record<string, unknown>, path: string): unknown {
  let cur: unknown = row;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** True when `row` satisfies the rule. Missing/null values satisfy every rule except notEmpty. */
export function ruleHolds(rule: UserRule, row: Record<string, unknown>): boolean {
  const v = readPath(row, rule.field);
  const target = rule.value;
  if (rule.op === 'notEmpty') return v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '') && !(Array.isArray(v) && v.length === 0);
  if (v === null || v === undefined) return true;
  switch (rule.op) {
    case 'lt':
      return typeof v === 'number' && v < (target as number);
    case 'lte':
      return typeof v === 'number' && v <= (target as number);
    case 'gt':
      return typeof v === 'number' && v > (target as number);
    case 'gte':
      return typeof v === 'number' && v >= (target as number);
    case 'eq':
      return JSON.stringify(v) === JSON.stringify(target);
    case 'neq':
      return JSON.stringify(v) !== JSON.stringify(target);
    case 'oneOf':
      return (target as (string | number)[]).some((t) => t === v);
    case 'startsWithOneOf':
      return typeof v === 'string' && (target as (string | number)[]).some((t) => v.startsWith(String(t)));
    case 'contains':
      return typeof v === 'string' && v.includes(String(target));
    case 'notContains':
      return typeof v === 'string' && !v.includes(String(target));
    case 'matches':
      return typeof v === 'string' && new RegExp(String(target), 'u').test(v);
    case 'maxLength':
      return (typeof v === 'string' ? charCount(v) : Array.isArray(v) ? v.length : 0) <= (target as number);
  }
}

export function evaluateRules(rules: readonly UserRule[], entity: EntityKind, row: { id: string } & Record<string, unknown>, scene?: string): CheckIssue[] {
  const out: CheckIssue[] = [];
  for (const r of rules) {
    if (r.entity !== entity) continue;
    if (r.scene && r.scene !== scene) continue;
    if (ruleHolds(r, row)) continue;
    out.push({
      severity: r.severity,
      code: `rule:${r.id}`,
      entity,
      entityId: row.id,
      field: r.field,
      message: r.message ?? `${r.name}: ${r.field} ${r.op} ${JSON.stringify(r.value)}`,
    });
  }
  return out;
}
