/** What a key press asks for; the layer maps it to an action. Pure, so it is unit-tested. */
export type ShortcutAction = 'find' | 'sync' | 'sheet' | null;

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

/**
 * Ctrl/Cmd+F find & replace, Ctrl/Cmd+S sync, `?` the sheet. `?` is a typed character inside
 * a field, so it only counts outside one; the Ctrl/Cmd shortcuts work everywhere (the browser's
 * own find and save page are never what the user of Lantern means).
 */
export function shortcutFor(e: KeyLike, typing: boolean): ShortcutAction {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey && !e.shiftKey) {
    const k = e.key.toLowerCase();
    if (k === 'f') return 'find';
    if (k === 's') return 'sync';
    return null;
  }
  if (!mod && !e.altKey && e.key === '?' && !typing) return 'sheet';
  return null;
}

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

/** The sheet's rows: keys (per platform) and the message key saying what they do. */
export const SHEET: { keys: string[]; what: string }[] = [
  { keys: ['Mod', 'Z'], what: 'undo' },
  { keys: ['Mod', 'Shift', 'Z'], what: 'redo' },
  { keys: ['Mod', 'F'], what: 'find' },
  { keys: ['Mod', 'S'], what: 'sync' },
  { keys: ['?'], what: 'sheet' },
  { keys: ['Esc'], what: 'close' },
  { keys: ['Tab'], what: 'tab' },
];
