import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { AccountInfo } from '../../../shared/contract';
import { call } from '../api/call';
import { useUi } from './uiStore';
import { useAccountsUi } from './accountsStore';

export const accountsKey = ['accounts', 'list'] as const;

/** The accounts of this store and of the saved token (accounts.list). */
export function useAccounts() {
  return useQuery({ queryKey: accountsKey, queryFn: () => call('accounts.list', {}) });
}

/**
 * The merchant being worked on: `useUi().merchantId` when it names an account in this store,
 * else the first one (and the choice is written back, so every workspace agrees).
 */
export function useCurrentMerchant(): AccountInfo | null {
  const accounts = useAccounts();
  const merchantId = useUi((s) => s.merchantId);
  const setMerchant = useUi((s) => s.setMerchant);
  const local = (accounts.data?.accounts ?? []).filter((a) => a.local);
  const current = local.find((a) => a.id === merchantId) ?? local[0] ?? null;
  useEffect(() => {
    if (current && current.id !== merchantId) setMerchant(current.id);
  }, [current, merchantId, setMerchant]);
  return current;
}

/** The ids the Sync button syncs: the chosen subset (still known accounts only), else undefined = all in this store; `total`: every account listed. */
export function useSyncScope(): { merchantIds: string[] | undefined; chosen: number; total: number } {
  const accounts = useAccounts();
  const subset = useAccountsUi((s) => s.syncSubset);
  const all = accounts.data?.accounts ?? [];
  const local = all.filter((a) => a.local);
  if (!subset) return { merchantIds: undefined, chosen: local.length, total: all.length };
  const known = subset.filter((id) => all.some((a) => a.id === id));
  return { merchantIds: known.length > 0 ? known : undefined, chosen: known.length || local.length, total: all.length };
}
