import { create } from 'zustand';
import type { ForecastEstimate } from '../../../shared/contract';
import { createJSONStorage, persist } from 'zustand/middleware';

export type View = 'edit' | 'forecast';

interface UiState {
  selectedPlanId: string | null;
  view: View;
  select(id: string): void;
  setView(v: View): void;
  /** Progress of the running forecast, from host events; `estimate` is the engine's fast first estimate. */
  forecastProgress: { planId: string; done: number; total: number; estimate?: ForecastEstimate } | null;
  setForecastProgress(p: UiState['forecastProgress']): void;
}

/**
 * UI-only state (what is selected, which view); data lives in react-query. The selection and
 * view are remembered, so the app reopens where the user left it.
 */
export const useUi = create<UiState>()(
  persist(
    (set) => ({
      selectedPlanId: null,
      view: 'edit',
      select: (id) => set({ selectedPlanId: id }),
      setView: (view) => set({ view }),
      forecastProgress: null,
      // A later progress event of the same plan keeps the first estimate it does not repeat.
      setForecastProgress: (p) =>
        set((s) => {
          const prev = s.forecastProgress;
          const estimate = p?.estimate ?? (prev && p && prev.planId === p.planId ? prev.estimate : undefined);
          return { forecastProgress: p ? { ...p, ...(estimate ? { estimate } : {}) } : null };
        }),
    }),
    {
      name: 'lantern.ui',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ selectedPlanId: s.selectedPlanId, view: s.view }),
    },
  ),
);
