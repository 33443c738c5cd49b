import { openApp } from './bench/suites/ui/app';
const PLAN_ROWS = '[role="row"][data-row-id^="pl_"]';
const app = await openApp();
try {
  for (let i = 0; i < 3; i++) {
    const page = await app.newPage();
    const reqs: string[] = [];
    const t0 = Date.now();
    page.on('request', (r) => { if (r.url().includes('/api') || r.url().includes('/call') || r.method() === 'POST') reqs.push(`${Date.now() - t0} ${r.method()} ${r.url().replace(app.url, '')} ${(r.postData() ?? '').slice(0, 60)}`); });
    await page.addInitScript(() => {
      const log: string[] = ((globalThis as any).__log = []);
      new MutationObserver((ms) => {
        for (const m of ms) {
          for (const n of m.addedNodes) if ((n as any).querySelectorAll?.('[data-row-id^="pl_"]').length) log.push(`${performance.now().toFixed(0)} +rows(${(n as any).querySelectorAll('[data-row-id^="pl_"]').length}) in ${(n as any).className}`);
          for (const n of m.removedNodes) if ((n as any).querySelectorAll?.('[data-row-id^="pl_"]').length) log.push(`${performance.now().toFixed(0)} -rows in ${(n as any).className}`);
        }
      }).observe(document, { subtree: true, childList: true });
      document.addEventListener('click', () => log.push(`${performance.now().toFixed(0)} click`), true);
    });
    await page.goto(app.url, { waitUntil: 'commit' });
    await page.waitForFunction((sel) => document.querySelectorAll(sel).length >= 4, PLAN_ROWS, { timeout: 30_000 });
    const drawn = await page.evaluate(() => performance.now());
    await page.locator(`${PLAN_ROWS} [data-field="name"]`).first().click();
    const clicked = await page.evaluate(() => performance.now());
    await page.waitForFunction((sel) => document.querySelector(`${sel}[aria-selected="true"]`) !== null, PLAN_ROWS, { timeout: 30_000 });
    const ms = await page.evaluate(() => performance.now());
    console.log(`run ${i}: drawn ${drawn.toFixed(0)} click-returned ${clicked.toFixed(0)} selected ${ms.toFixed(0)}`);
    console.log(await page.evaluate(() => { const n = performance.getEntriesByType('navigation')[0] as any; const r = performance.getEntriesByType('resource').map((e: any) => `${e.name.replace(location.origin, '').slice(0, 50)} start ${e.startTime.toFixed(0)} end ${e.responseEnd.toFixed(0)}`); return [`nav responseEnd ${n.responseEnd.toFixed(0)} domInteractive ${n.domInteractive.toFixed(0)} dcl ${n.domContentLoadedEventEnd.toFixed(0)} load ${n.loadEventEnd.toFixed(0)}`, ...r].join('\n'); }));
    await page.context().close();
  }
} finally { await app.close(); }
