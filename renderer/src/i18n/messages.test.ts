import { describe, expect, it } from 'vitest';
import { MESSAGES, keyPaths, mergeMessageFiles } from './messages';

describe('message files', () => {
  it('load English and Chinese', () => {
    expect(Object.keys(MESSAGES).sort()).toEqual(['en', 'zh']);
    expect(keyPaths(MESSAGES.en!).length).toBeGreaterThan(20);
  });

  it('say the same things in both languages (no key missing from either)', () => {
    const en = keyPaths(MESSAGES.en!);
    const zh = keyPaths(MESSAGES.zh!);
    expect(en.filter((k) => !zh.includes(k))).toEqual([]);
    expect(zh.filter((k) => !en.includes(k))).toEqual([]);
  });

  it('have no empty message', () => {
    for (const lang of ['en', 'zh'] as const) {
      const empty = keyPaths(MESSAGES[lang]!).filter((k) => {
        const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], MESSAGES[lang]);
        return typeof v !== 'string' || v.trim() === '';
      });
      expect(empty, lang).toEqual([]);
    }
  });

  it('refuse two files claiming the same top-level key', () => {
    expect(() =>
      mergeMessageFiles({ './locales/en/a.json': { grid: {} }, './locales/en/b.json': { grid: {} } }),
    ).toThrow(/both .*a\.json and .*b\.json/);
  });
});
