import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { host } from '../host';
import { useUi } from '../state/uiStore';
import { call } from './call';

export const keys = {
  account: ['account'] as const,
  plans: ['plans'] as const,
  plan: (id: string) => ['plan', id] as const,
  syncStatus: ['sync', 'status'] as const,
};

/**
 * The merchant the window works on, as a contract input (`{}` before one is chosen: the core
 * answers for the store's first). Reads that list an account's rows pass it: a store may hold several.
 */
export function useMerchantScope(): { merchantId?: string } {
  const merchantId = useUi((s) => s.merchantId);
  return merchantId ? { merchantId } : {};
}

/** account.get for the chosen merchant (or, before one is chosen, the store's default). */
export const accountQuery = (merchantId: string | null) => ({
  queryKey: [...keys.account, merchantId] as const,
  queryFn: () => call('account.get', merchantId ? { merchantId } : {}),
});
export const useAccount = () => useQuery(accountQuery(useUi((s) => s.merchantId)));
export const usePlans = () => {
  const scope = useMerchantScope();
  return useQuery({ queryKey: [...keys.plans, scope.merchantId ?? null], queryFn: () => call('plans.list', scope) });
};
export const usePlan = (id: string | null) =>
  useQuery({ queryKey: keys.plan(id ?? ''), queryFn: () => call('plans.get', { id: id ?? '' }), enabled: id !== null });
export const useSyncStatus = () => useQuery({ queryKey: keys.syncStatus, queryFn: () => call('sync.status', {}) });

/** Host events keep every view current: a change anywhere refreshes what shows it. Mount once. */
export function useHostEvents() {
  const qc = useQueryClient();
  useEffect(
    () =>
      host.subscribe((e) => {
        // Forecasts follow their own inputs (features/forecast); an edit re-runs them there.
        if (e.type === 'journal.changed') void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'forecast' });
      }),
    [qc],
  );
}
