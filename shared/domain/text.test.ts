import { describe, expect, it } from 'vitest';
import { charCount } from './text';

describe('charCount', () => {
  it('counts code points as the spread operator does', () => {
    const samples = ['', 'a', 'coffee', '咖啡 上海', '😀', 'a😀b', '𠮷野家', '\ud800', 'x\udc00y', '\ud800\ud800\udc00', '😀😀😀', 'é\u0301'];
    for (const s of samples) expect(charCount(s), JSON.stringify(s)).toBe([...s].length);
  });
  it('counts an emoji as one character, not two UTF-16 units', () => {
    expect('😀'.length).toBe(2);
    expect(charCount('😀')).toBe(1);
  });
  it('agrees with the spread operator on random UTF-16 text, surrogates included', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const units = [0x41, 0x4e2d, 0xd83d, 0xde00, 0xd800, 0xdfff, 0x20];
    for (let k = 0; k < 500; k++) {
      const s = String.fromCharCode(...Array.from({ length: Math.floor(next() * 12) }, () => units[Math.floor(next() * units.length)] as number));
      expect(charCount(s)).toBe([...s].length);
    }
  });
});
