import type { QueryClient } from '@tanstack/react-query';
import { accountQuery } from '../../api/queries';
import { useUi } from '../../state/uiStore';
import { firstGridSpec, gridBlockQuery } from './api';

/**
 * Asks for what the edit workspace shows first — the merchant (account.get) and the first block
 * of its plan grid — as the page starts, not once React has rendered and committed the whole
 * window: that first render took ~0.5 s before any query started (bench `ui`,
 * start_to_interactive_ms). The queries are the hooks' own (accountQuery, gridBlockQuery), so the
 * answers land in the cache the components read; a miss costs one duplicate request.
 */
export function prefetchFirstScreen(qc: QueryClient): void {
  const { merchantId: chosen, view } = useUi.getState();
  if (view !== 'edit') return;
  void qc
    .fetchQuery(accountQuery(chosen))
    .then((account) => qc.prefetchQuery(gridBlockQuery(firstGridSpec(chosen ?? account.id), 0)))
    .catch(() => {
      // The components ask again and show the error where it belongs.
    });
}
