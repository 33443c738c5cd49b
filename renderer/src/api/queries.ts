import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PlanPatch } from '../../../shared/domain/entities';
import { host } from '../host';
import { useUi } from '../state/uiStore';
import { call } from './call';

export const keys = {
  account: ['account'] as const,
  plans: ['plans'] as const,
  plan: (id: string) => ['plan', id] as const,
  syncStatus: ['sync', 'status'] as const,
  forecast: (planId: string, days: number) => ['forecast', planId, days] as const,
};

export const useAccount = () => useQuery({ queryKey: keys.account, queryFn: () => call('account.get', {}) });
export const usePlans = () => useQuery({ queryKey: keys.plans, queryFn: () => call('plans.list', {}) });
export const usePlan = (id: string | null) =>
  useQuery({ queryKey: keys.plan(id ?? ''), queryFn: () => call('plans.get', { id: id ?? '' }), enabled: id !== null });
export const useSyncStatus = () => useQuery({ queryKey: keys.syncStatus, queryFn: () => call('sync.status', {}) });

export function useUpdatePlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; patch: PlanPatch }) => call('plans.update', v),
    onSuccess: () => qc.invalidateQueries(),
  });
}

export function useSync() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: () => call('sync.run', {}), onSettled: () => qc.invalidateQueries() });
}

export function useResolveConflicts() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (choice: 'mine' | 'theirs') => call('sync.resolve', { choice }), onSettled: () => qc.invalidateQueries() });
}

export function useCancelSync() {
  return useMutation({ mutationFn: () => call('sync.cancel', {}) });
}

export function useForecast(planId: string | null, days = 7) {
  return useQuery({
    queryKey: keys.forecast(planId ?? '', days),
    queryFn: () => call('forecast.run', { planId: planId ?? '', days }),
    enabled: planId !== null,
    staleTime: 0,
  });
}

/** Host events keep every view current: a change anywhere refreshes what shows it. Mount once. */
export function useHostEvents() {
  const qc = useQueryClient();
  const setForecastProgress = useUi((s) => s.setForecastProgress);
  useEffect(
    () =>
      host.subscribe((e) => {
        if (e.type === 'journal.changed') void qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'forecast' });
        else if (e.type === 'forecast.progress')
          setForecastProgress({ planId: e.planId, done: e.done, total: e.total, ...(e.estimate ? { estimate: e.estimate } : {}) });
      }),
    [qc, setForecastProgress],
  );
}
