import { ContractError } from '../../../shared/contract/errors';
import type { planMethods } from '../../../shared/contract/plans';
import type { Plan } from '../../../shared/domain/entities';
import type { CoreContext } from '../context';
import { planRow, rowState } from '../store/planRows';
import type { AreaHandlers } from './types';

export function planHandlers(ctx: CoreContext): AreaHandlers<typeof planMethods> {
  const { plans, journal, ops, scope, emit } = ctx;
  const requirePlan = (id: string): Plan => {
    const p = plans.getPlan(id);
    if (!p) throw new ContractError('not_found', `no plan with id "${id}"`);
    return p;
  };
  return {
    'account.get': ({ merchantId }) => scope.merchantFor(merchantId),
    'plans.list': ({ merchantId }) => {
      if (merchantId) scope.merchantFor(merchantId);
      const pending = journal.pendingByEntity();
      const summaries = plans.summaries();
      const listed = plans.listPlans();
      return (merchantId ? listed.filter((p) => p.merchantId === merchantId) : listed).map((p) => planRow(p, pending, summaries));
    },
    'plans.get': ({ id }) => {
      const plan = requirePlan(id);
      return {
        plan,
        units: plans.units(id),
        creatives: plans.creatives(id),
        searchWords: plans.searchWords(id),
        state: rowState(journal.pendingByEntity(), id),
      };
    },
    'plans.update': ({ id, patch }) => {
      requirePlan(id);
      const n = ops.update('plan', id, patch);
      if (n > 0) emit({ type: 'journal.changed', entity: 'plan', entityId: id });
      return planRow(requirePlan(id), journal.pendingByEntity(), plans.summaries());
    },
  };
}
