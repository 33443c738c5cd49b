import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildAccount, STORE_BENCH_QUICK, STORE_BENCH_SHAPE, type Shape } from '../../fixtures/bigAccount';
import { measured } from '../../report';
import type { UiMetric } from './index';
import { openApp } from './app';

/** The store suite's account with 200,000 search words: one grid of 200,000 rows. */
const FULL: Shape = { ...STORE_BENCH_SHAPE, words: 200_000 };
const QUICK: Shape = { ...STORE_BENCH_QUICK, words: 20_000 };
/** Pixels per frame: about 10 rows a frame, 600 rows a second — a fast, steady scroll. */
const STEP_PX = 320;

/** What the in-page functions touch (this bundle is type-checked without the DOM library). */
interface ScrollEl {
  scrollTop: number;
  querySelector(s: string): unknown;
}
interface InPage {
  document: { querySelector(s: string): unknown };
  performance: { now(): number };
  requestAnimationFrame(f: (now: number) => void): void;
}
interface ScrollResult {
  fps: number;
  frames: number;
  loadingFrames: number;
  top: number;
}

/** Runs in the page: scrolls the grid one step per animation frame for `ms` and counts the frames. */
function scrollFor({ ms, step }: { ms: number; step: number }): Promise<ScrollResult> {
  const w = globalThis as unknown as InPage;
  const el = w.document.querySelector('[data-testid="grid-scroll"]') as ScrollEl;
  return new Promise((resolve) => {
    let frames = 0;
    let loadingFrames = 0;
    const start = w.performance.now();
    const tick = (now: number) => {
      const elapsed = now - start;
      if (elapsed >= ms) return resolve({ fps: (frames * 1000) / elapsed, frames, loadingFrames, top: el.scrollTop });
      frames++;
      if (el.querySelector('.placeholder')) loadingFrames++;
      el.scrollTop += step;
      w.requestAnimationFrame(tick);
    };
    w.requestAnimationFrame(tick);
  });
}

/**
 * grid_scroll_fps: the merchant's search-word grid (200,000 rows, fetched from SQLite block by
 * block as they come into view) scrolled for 3 s, one step per animation frame; frames are
 * counted in the page with requestAnimationFrame. Also logs how many frames showed rows still
 * loading (placeholders), so a fast number with an empty grid would not pass unnoticed.
 */
export const gridScrollFps: UiMetric = {
  name: 'grid_scroll_fps',
  async measure({ quick, log }) {
    const shape = quick ? QUICK : FULL;
    const root = mkdtempSync(join(tmpdir(), 'lantern-bench-grid-'));
    const dataDir = join(root, 'data');
    const t0 = performance.now();
    buildAccount(dataDir, shape);
    log(`ui: built a store with ${shape.words.toLocaleString('en-US')} search words in ${Math.round(performance.now() - t0)} ms`);
    const app = await openApp({ dataDir });
    try {
      const page = await app.newPage();
      await page.goto(app.url);
      // The level tabs reset once the account's merchant is known; click after the first grid is drawn.
      await page.waitForSelector('[role="row"][data-row-id^="pl_"]', { timeout: 60_000 });
      await page.locator('[role="tab"][data-kind="searchWord"]').click({ timeout: 60_000 });
      await page.waitForFunction((n) => (globalThis as unknown as InPage).document.querySelector(`[data-testid="grid-count"][data-count="${n}"]`) !== null, shape.words, { timeout: 60_000 });
      await page.waitForSelector('[role="row"][data-row-id^="sw_"]', { timeout: 60_000 });
      const runs = quick ? 1 : 5;
      const seconds = quick ? 1 : 3;
      const samples: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const r = await page.evaluate(scrollFor, { ms: seconds * 1000, step: STEP_PX });
        log(`ui: scroll ${i === 0 ? '(warm-up) ' : ''}${r.fps.toFixed(1)} fps, ${r.frames} frames, ${r.loadingFrames} with rows loading, at row ${Math.round(r.top / 32)}`);
        if (i > 0) samples.push(r.fps);
      }
      return measured('grid_scroll_fps', samples, { unit: 'fps', target: 50, better: 'higher' });
    } finally {
      await app.close();
      rmSync(root, { recursive: true, force: true });
    }
  },
};
