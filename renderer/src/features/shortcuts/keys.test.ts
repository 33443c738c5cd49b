import { describe, expect, it } from 'vitest';
import { shortcutFor, type KeyLike } from './keys';

const k = (key: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('shortcuts', () => {
  it('Ctrl or Cmd with F finds, with S syncs, also while typing', () => {
    expect(shortcutFor(k('f', { ctrlKey: true }), false)).toBe('find');
    expect(shortcutFor(k('F', { metaKey: true }), true)).toBe('find');
    expect(shortcutFor(k('s', { ctrlKey: true }), true)).toBe('sync');
  });
  it('? opens the sheet, but not while typing', () => {
    expect(shortcutFor(k('?', { shiftKey: true }), false)).toBe('sheet');
    expect(shortcutFor(k('?', { shiftKey: true }), true)).toBeNull();
  });
  it('leaves other combinations alone (undo is the journal buttons\' own)', () => {
    expect(shortcutFor(k('z', { ctrlKey: true }), false)).toBeNull();
    expect(shortcutFor(k('f', { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(shortcutFor(k('f', { ctrlKey: true, altKey: true }), false)).toBeNull();
    expect(shortcutFor(k('f'), false)).toBeNull();
  });
});
