import type { gridMethods } from '../../../shared/contract/grid';
import type { CoreContext } from '../context';
import type { AreaHandlers } from './types';

export function gridHandlers({ grid }: CoreContext): AreaHandlers<typeof gridMethods> {
  return {
    'grid.query': (input) => grid.query(input),
    'grid.ids': (input) => grid.ids(input),
    'grid.tree': (input) => grid.tree(input),
  };
}
