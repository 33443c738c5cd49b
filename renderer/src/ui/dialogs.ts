import { create } from 'zustand';

/** Every modal dialog of the app (operations, checks, shortcuts); one is open at a time. */
export const DIALOGS = ['bulk', 'replace', 'copyMove', 'csvImport', 'csvExport', 'backup', 'share', 'checks', 'shortcuts'] as const;
export type DialogName = (typeof DIALOGS)[number];

interface DialogState {
  open: DialogName | null;
  show(d: DialogName): void;
  close(): void;
}

/** Which dialog is open: the menu, the shortcut layer and the check panel all open them. */
export const useDialogs = create<DialogState>()((set) => ({
  open: null,
  show: (open) => set({ open }),
  close: () => set({ open: null }),
}));
