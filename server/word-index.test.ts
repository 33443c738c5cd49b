import { describe, expect, it } from 'vitest';
import { emptyIndex, indexWord, matchWords, wordMatches } from './serving';

/**
 * The serving word index must pick, per unit, a word with the same bid as a scan of every word
 * with wordMatches would (EXACT: equal; PHRASE: contained in the query).
 */
describe('search word index', () => {
  it('agrees with a scan of every word on random words and queries', () => {
    let s = 7;
    const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = ['咖', '啡', '拿', '铁', 'a', 'b', 'c', '外', '卖'];
    const str = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('');
    for (let run = 0; run < 50; run++) {
      const words: { k: number; w: number; word: string; matchType: 'EXACT' | 'PHRASE' }[] = [];
      const param = new Float64Array(400);
      for (let w = 0; w < 400; w++) {
        words.push({ k: Math.floor(rand() * 20), w, word: str(1 + Math.floor(rand() * 4)), matchType: rand() < 0.5 ? 'EXACT' : 'PHRASE' });
        param[w] = Math.floor(rand() * 10);
      }
      const idx = emptyIndex(words.length);
      for (const x of words) indexWord(idx, x.matchType, x.word, x.k, x.w);
      for (let qn = 0; qn < 20; qn++) {
        const q = str(1 + Math.floor(rand() * 8));
        const got = matchWords(idx, q, param);
        for (let k = 0; k < 20; k++) {
          let best = -1;
          for (const x of words) if (x.k === k && wordMatches(x, q) && (best < 0 || (param[x.w] as number) > (param[best] as number))) best = x.w;
          const hit = got.get(k);
          expect(hit === undefined ? -1 : param[hit], `${q} unit ${k}`).toBe(best < 0 ? -1 : param[best]);
        }
      }
    }
  });
});
