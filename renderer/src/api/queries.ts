import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { host } from '../host';
import { call } from './call';

export const keys = {
  account: ['account'] as const,
  plans: ['plans'] as const,
  plan: (id: string) => ['plan', id] as const,
  syncStatus: ['sync', 'status'] as const,
};

export const useAccount = () => useQuery({ queryKey: keys.account, queryFn: () => call('account.get', {}) });
export const usePlans = () => useQuery({ queryKey: keys.plans, queryFn: () => call('plans.list', {}) });
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
