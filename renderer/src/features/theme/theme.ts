/**
 * Light and dark themes: "system" follows prefers-color-scheme (styles.css does that with a
 * media query), "light"/"dark" override it. The choice is remembered per machine.
 */
export const THEMES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEMES)[number];

const STORAGE_KEY = 'lantern.theme';

export function isThemeChoice(x: unknown): x is ThemeChoice {
  return typeof x === 'string' && (THEMES as readonly string[]).includes(x);
}

export function savedTheme(storage: Pick<Storage, 'getItem'> = localStorage): ThemeChoice {
  const v = storage.getItem(STORAGE_KEY);
  return isThemeChoice(v) ? v : 'system';
}

/** `data-theme` on <html> is absent for "system", so the stylesheet's media query decides. */
export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
}

export function saveTheme(choice: ThemeChoice, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(STORAGE_KEY, choice);
}

/** The theme in effect: the override, else what the system prefers. */
export function effectiveTheme(choice: ThemeChoice, prefersDark: boolean): 'light' | 'dark' {
  return choice === 'system' ? (prefersDark ? 'dark' : 'light') : choice;
}
