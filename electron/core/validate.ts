import type { z } from 'zod';
import { ContractError, type FieldIssue } from '../../shared/contract/errors';
import { isMethodName, methods, type MethodName, type ParsedInput } from '../../shared/contract';

export function zodIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Validates a raw input against its method's schema at the host boundary. */
export function parseInput<M extends MethodName>(method: string, raw: unknown): { method: M; input: ParsedInput<M> } {
  if (!isMethodName(method)) throw new ContractError('unknown_method', `unknown method "${String(method).slice(0, 80)}"`);
  const schema = methods[method];
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = zodIssues(parsed.error);
    throw new ContractError('invalid_input', `invalid input for ${method}: ${issues.map((i) => `${i.path || 'input'}: ${i.message}`).join('; ')}`, issues);
  }
  return { method: method as M, input: parsed.data as ParsedInput<M> };
}
