import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export type View = 'edit' | 'forecast';

interface UiState {
  selectedPlanId: string | null;
  view: View;
  select(id: string): void;
  setView(v: View): void;
  /** Progress of the running forecast, from host events. */
  forecastProgress: { planId: string; done: number; total: number } | null;
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
      setForecastProgress: (forecastProgress) => set({ forecastProgress }),
    }),
    {
      name: 'lantern.ui',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ selectedPlanId: s.selectedPlanId, view: s.view }),
    },
  ),
);
