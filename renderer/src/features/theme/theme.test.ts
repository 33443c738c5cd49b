import { describe, expect, it } from 'vitest';
import { effectiveTheme, isThemeChoice, savedTheme, saveTheme } from './theme';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
}

describe('theme choice', () => {
  it('defaults to the system and remembers an override', () => {
    const s = memoryStorage();
    expect(savedTheme(s)).toBe('system');
    saveTheme('dark', s);
    expect(savedTheme(s)).toBe('dark');
  });
  it('ignores a stored value it does not know', () => {
    const s = memoryStorage();
    s.setItem('lantern.theme', 'sepia');
    expect(savedTheme(s)).toBe('system');
    expect(isThemeChoice('sepia')).toBe(false);
  });
  it('system follows the preference; an override wins', () => {
    expect(effectiveTheme('system', true)).toBe('dark');
    expect(effectiveTheme('system', false)).toBe('light');
    expect(effectiveTheme('light', true)).toBe('light');
    expect(effectiveTheme('dark', false)).toBe('dark');
  });
});
