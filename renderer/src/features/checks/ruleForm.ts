import { UserRule, type RuleOp } from '../../../../shared/domain/checks';
import { fieldsFor, type FieldDef } from '../../../../shared/domain/fields';
import { ENTITY_KINDS, type EntityKind } from '../../../../shared/domain/kinds';
import { parseYuan } from '../../../../shared/domain/money';

export type RuleKind = EntityKind;
export type RuleFieldType = 'money' | 'number' | 'text';

const ruleType = (d: FieldDef): RuleFieldType => (d.type === 'money' ? 'money' : d.type === 'number' || d.type === 'integer' ? 'number' : 'text');

/**
 * The fields a user rule may test (the field registry's `rules`, in its order), per kind that
 * has any, and how the value is typed (money in yuan).
 */
export const RULE_FIELDS: Partial<Record<RuleKind, Record<string, RuleFieldType>>> = Object.fromEntries(
  ENTITY_KINDS.flatMap((k) => {
    const defs = fieldsFor(k, 'rules');
    return defs.length ? [[k, Object.fromEntries(defs.map((d) => [d.field, ruleType(d)]))]] : [];
  }),
);

/** The kinds a rule can be written for, in the kinds' order. */
export const RULE_KINDS = ENTITY_KINDS.filter((k) => RULE_FIELDS[k]);

/** The fields a rule on `kind` may test, in order. */
export const ruleFields = (kind: RuleKind): string[] => Object.keys(RULE_FIELDS[kind] ?? {});

export const OPS_BY_TYPE: Record<RuleFieldType, RuleOp[]> = {
  money: ['lt', 'lte', 'gt', 'gte', 'notEmpty'],
  number: ['lt', 'lte', 'gt', 'gte', 'notEmpty'],
  text: ['startsWithOneOf', 'contains', 'notContains', 'matches', 'maxLength', 'notEmpty'],
};

export function fieldType(kind: RuleKind, field: string): RuleFieldType {
  return RULE_FIELDS[kind]?.[field] ?? 'text';
}

export interface RuleDraft {
  name: string;
  entity: RuleKind;
  field: string;
  op: RuleOp;
  value: string;
  severity: 'error' | 'warning';
}

/** A fresh id no existing rule has: rule-1, rule-2, … */
export function nextRuleId(existing: readonly { id: string }[]): string {
  let n = existing.length + 1;
  const ids = new Set(existing.map((r) => r.id));
  while (ids.has(`rule-${n}`)) n++;
  return `rule-${n}`;
}

/**
 * The form as a stored rule, validated with the store's own schema. Money is typed in yuan
 * and stored in fen; "starts with one of" takes a comma-separated list (，or ,).
 */
export function draftToRule(d: RuleDraft, id: string): { rule: UserRule } | { error: string } {
  if (d.name.trim() === '') return { error: 'name' };
  const type = fieldType(d.entity, d.field);
  let value: UserRule['value'] = null;
  if (d.op === 'notEmpty') value = null;
  else if (d.op === 'startsWithOneOf') {
    const items = d.value.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) return { error: 'list' };
    value = items;
  } else if (d.op === 'maxLength') {
    const n = Number(d.value.trim());
    if (!Number.isInteger(n) || n < 0 || d.value.trim() === '') return { error: 'count' };
    value = n;
  } else if (type === 'money') {
    const r = parseYuan(d.value);
    if (!r.ok) return { error: 'money' };
    value = r.fen;
  } else if (type === 'number') {
    const n = Number(d.value.trim());
    if (d.value.trim() === '' || !Number.isFinite(n)) return { error: 'number' };
    value = n;
  } else {
    if (d.value === '') return { error: 'text' };
    value = d.value;
  }
  const parsed = UserRule.safeParse({ id, name: d.name.trim(), entity: d.entity, field: d.field, op: d.op, value, severity: d.severity });
  if (!parsed.success) return { error: d.op === 'matches' ? 'pattern' : 'invalid' };
  return { rule: parsed.data };
}
