import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

interface AccountsUi {
  /** Accounts the Sync button syncs; null = every account in this store (the default). */
  syncSubset: string[] | null;
  setSyncSubset(ids: string[] | null): void;
}

/** Which accounts to sync is a standing choice (like Ads Editor's): remembered across restarts. */
export const useAccountsUi = create<AccountsUi>()(
  persist(
    (set) => ({
      syncSubset: null,
      setSyncSubset: (syncSubset) => set({ syncSubset }),
    }),
    { name: 'lantern.accounts', storage: createJSONStorage(() => localStorage) },
  ),
);
