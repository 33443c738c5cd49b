import { create } from 'zustand';
import type { EntityKind } from '../../../shared/domain/kinds';
import { createJSONStorage, persist } from 'zustand/middleware';

/** The workspaces of the window: edit (tree, grids, forms), forecast, inspect (support). */
export type View = 'edit' | 'forecast' | 'inspect';


/** What the grid has selected: the operations (bulk edit, copy, delete, export) act on it. */
export interface Selection {
  kind: EntityKind;
  ids: string[];
}

/** A row to bring into view and select: the check panel, inspect and search link here. */
export interface FocusTarget {
  kind: EntityKind;
  id: string;
}

interface UiState {
  /** The merchant being edited (several in one store; an agency login manages many). */
  merchantId: string | null;
  setMerchant(id: string | null): void;
  selection: Selection | null;
  setSelection(s: Selection | null): void;
  focus: FocusTarget | null;
  /** Ask the edit workspace to show and select a row; it clears `focus` once shown. */
  focusOn(target: FocusTarget | null): void;
  selectedPlanId: string | null;
  view: View;
  select(id: string): void;
  setView(v: View): void;
}

/**
 * UI-only state (what is selected, which view); data lives in react-query. The selection and
 * view are remembered, so the app reopens where the user left it.
 */
export const useUi = create<UiState>()(
  persist(
    (set) => ({
      merchantId: null,
      // Switching merchants drops the selection; the first resolution (none → the store's
      // first account, while the screen already shows it) keeps what the user picked meanwhile.
      setMerchant: (merchantId) => set((s) => ({ merchantId, selection: s.merchantId === null || s.merchantId === merchantId ? s.selection : null })),
      selection: null,
      setSelection: (selection) => set({ selection }),
      focus: null,
      focusOn: (focus) => set(focus ? { focus, view: 'edit' } : { focus }),
      selectedPlanId: null,
      view: 'edit',
      select: (id) => set({ selectedPlanId: id }),
      setView: (view) => set({ view }),
    }),
    {
      name: 'lantern.ui',
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ merchantId: s.merchantId, selectedPlanId: s.selectedPlanId, view: s.view }),
    },
  ),
);
