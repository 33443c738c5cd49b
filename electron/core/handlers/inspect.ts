import type { inspectMethods } from '../../../shared/contract/inspect';
import type { CoreContext } from '../context';
import { inspector } from '../inspect';
import type { AreaHandlers } from './types';

export function inspectHandlers(ctx: CoreContext): AreaHandlers<typeof inspectMethods> {
  const inspect = inspector({ db: ctx.db, repo: ctx.repo, journal: ctx.journal, state: ctx.syncStore, settings: ctx.settings });
  return {
    'inspect.search': (input) => {
      if (input.merchantId) ctx.scope.merchantFor(input.merchantId);
      return inspect.search(input);
    },
    'inspect.entity': (input) => inspect.entity(input),
  };
}
