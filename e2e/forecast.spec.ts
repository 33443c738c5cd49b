import { expect, test, type Page, type TestInfo } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import type { ForecastOutput, LandscapeOutput } from '../shared/contract';
import { startBackend, startWeb, tempDir, type Proc } from './hosts';
import { gridRow } from './journey';
import { pdfText } from './pdfText';
import { brandLogoPng } from './pngFixture';

/**
 * Issue 7's journey: an account manager opens a plan's forecast, checks the charts against the
 * engine, drags the bid slider, compares the posted plan with an unposted edit, presents, and
 * prints the PDF report. Once in each language; screenshots of each step in the test output.
 */
const PLAN_ID = 'pl_autumn_latte';
const PLAN_NAME = '全域智投·秋冬新品拿铁 Autumn Latte Smart Delivery';

const TEXT = {
  en: {
    tab: 'Forecast',
    unposted: 'Includes edits not yet posted',
    editsUnposted: 'With my edits (not posted yet)',
    brand: 'Shanlan Coffee',
    locale: 'en-US',
    whatIf: /What-if: bid ×1\.[5-9]/,
    notPng: 'is not a PNG or JPEG image',
    tooLarge: 'is larger than 512 KB',
    logoSaved: 'Logo saved.',
    copied: 'Summary copied to the clipboard.',
    pacingNote: /What-if: .*accelerated pacing/,
    cpa: 'CPA',
    print: 'Print / save as PDF',
  },
  zh: {
    tab: '预估',
    unposted: '包含尚未提交的修改',
    editsUnposted: '含我的修改（尚未提交）',
    brand: '山岚咖啡',
    locale: 'zh-CN',
    whatIf: /假设：出价 ×1\.[5-9]/,
    notPng: '不是 PNG 或 JPEG 图片',
    tooLarge: '超过 512 KB',
    logoSaved: '标志已保存。',
    copied: '摘要已复制到剪贴板。',
    pacingNote: /假设：.*加速投放/,
    cpa: '转化成本',
    print: '打印 / 存为 PDF',
  },
} as const;
type Lang = keyof typeof TEXT;

async function contract<T>(page: Page, method: string, input: unknown): Promise<T> {
  const res = await page.evaluate(
    async ([m, i]) => {
      const r = await fetch(`/api/call/${m}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lantern-call': '1' }, body: JSON.stringify(i) });
      return (await r.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
    },
    [method, input] as const,
  );
  if (!res.ok) throw new Error(`${method}: ${res.error?.message}`);
  return res.value as T;
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(name);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The page's globals the journey touches (e2e type-checks against Node's library, not the DOM's). */
interface PageGlobals {
  localStorage: { setItem(key: string, value: string): void };
  navigator: { clipboard: { readText(): Promise<string> } };
  print(): void;
  __printed: number;
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void };
  getComputedStyle(el: unknown): { fontSize: string };
  __stages: string[];
}


for (const lang of ['en', 'zh'] as const) {
  test.describe(`forecast workspace (${lang})`, () => {
    let backend: Proc;
    let web: Proc;
    test.afterEach(async () => {
      await web?.stop();
      await backend?.stop();
    });

    test(`open, check against the engine, drag, compare, present and print (${lang})`, async ({ page }, testInfo) => {
      test.setTimeout(180_000);
      const L = TEXT[lang as Lang];
      backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
      web = await startWeb(tempDir('lantern-e2e-data-'), backend.url);
      await page.addInitScript((language) => (globalThis as unknown as PageGlobals).localStorage.setItem('lantern.language', language), lang);
      await page.goto(web.url);

      // 1. Open the plan's forecast: select the plan, then the Forecast tab.
      await expect(page.getByTestId('merchant-name')).toHaveText(L.brand);
      await gridRow(page, PLAN_ID).click();
      await page.getByRole('tab', { name: L.tab }).click();
      const summary = page.getByTestId('forecast-summary');
      await expect(summary).toHaveAttribute('data-stage', 'refined', { timeout: 30_000 });
      await expect(page.getByTestId('forecast-plan')).toHaveValue(PLAN_ID);
      await expect(page.locator('[data-chart="main-landscape"]')).toBeVisible({ timeout: 30_000 });

      // 2. The charts hold the engine's numbers: the same forecast straight from the contract.
      const direct = await contract<ForecastOutput>(page, 'forecast.run', { planId: PLAN_ID, days: 7 });
      await expect(summary).toHaveAttribute('data-impressions', String(direct.totals.impressions));
      await expect(summary).toHaveAttribute('data-spend-fen', String(direct.totals.spendFen));
      const hourly = page.getByTestId('forecast-chart');
      await expect(hourly).toHaveAttribute('data-p50-total', String(Math.round(sum(direct.impressions))));
      await expect(hourly).toHaveAttribute('data-hours', '168');
      // The drawn line really has a point per hour (SVG path segments).
      const segments = await hourly.evaluate((el) => Math.max(...[...el.querySelectorAll('svg path')].map((p) => (p.getAttribute('d')?.match(/[LC]/g) ?? []).length)));
      expect(segments).toBeGreaterThanOrEqual(100);
      const fmt = (n: number) => new Intl.NumberFormat(L.locale, { maximumFractionDigits: 0 }).format(n);
      await expect(page.locator('[data-summary="main-hourly"]')).toContainText(fmt(direct.totals.impressions));
      await expect(page.locator('[data-chart="main-cumulative"]')).toHaveAttribute('data-exhaustion-hour', String(direct.exhaustionHour ?? 'none'));
      await expect(page.locator('[data-chart="main-diagnosis"]')).toHaveAttribute('data-top', String(direct.diagnosis.top ?? 'none'));
      const reachLast = direct.reachCurve[direct.reachCurve.length - 1]!;
      await expect(page.locator('[data-summary="main-reach"]')).toContainText(fmt(reachLast.uniqueUsers));
      const topPlacement = [...direct.perPlacement].sort((a, b) => b.impressions - a.impressions)[0]!;
      await expect(page.locator('[data-summary="main-placement"]')).toContainText(fmt(topPlacement.impressions));
      const landscape = await contract<LandscapeOutput>(page, 'forecast.landscape', { planId: PLAN_ID, days: 7 });
      await expect(page.locator('[data-summary="main-landscape"]')).toContainText(fmt(landscape.points[0]!.impressions));
      // Every chart is an accessible image described by its text summary.
      for (const id of ['main-hourly', 'main-cumulative', 'main-placement', 'main-landscape', 'main-reach', 'main-diagnosis']) {
        const chart = page.locator(`[data-chart="${id}"]`);
        await expect(chart).toHaveAttribute('role', 'img');
        await expect(chart).toHaveAttribute('aria-describedby', `${id}-summary`);
        expect((await page.locator(`#${id}-summary`).textContent())?.length ?? 0).toBeGreaterThan(20);
      }
      await shot(page, testInfo, `01-forecast-${lang}.png`);

      // 3. Drag the bid slider: the curves redraw from the first estimate, then refine.
      await hourly.evaluate((el) => {
        const g = globalThis as unknown as PageGlobals;
        const seen: string[] = [];
        g.__stages = seen;
        new g.MutationObserver(() => seen.push(el.getAttribute('data-stage') ?? '')).observe(el, { attributes: true, attributeFilter: ['data-stage', 'data-drawn'] });
      });
      const before = await hourly.getAttribute('data-p50-total');
      const slider = page.getByTestId('whatif-bid');
      const box = (await slider.boundingBox())!;
      // 0.5 … 2.0: the thumb of ×1 sits a third of the way along.
      await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
      await page.mouse.down();
      for (let i = 1; i <= 12; i++) {
        await page.mouse.move(box.x + box.width / 3 + ((box.width * 0.6) / 3) * (i / 12) * 2, box.y + box.height / 2);
        await page.waitForTimeout(60);
      }
      await page.mouse.up();
      const bid = Number(await slider.inputValue());
      expect(bid).toBeGreaterThanOrEqual(1.5);
      await expect(page.getByTestId('forecast-whatif-note')).toHaveText(L.whatIf);
      await expect(summary).toHaveAttribute('data-stage', 'refined', { timeout: 30_000 });
      await expect(hourly).not.toHaveAttribute('data-p50-total', before ?? '');
      const stages = await page.evaluate(() => (globalThis as unknown as PageGlobals).__stages);
      expect(stages).toContain('first');
      const whatIf = await contract<ForecastOutput>(page, 'forecast.run', { planId: PLAN_ID, days: 7, whatIf: { bidMultiplier: bid } });
      await expect(summary).toHaveAttribute('data-impressions', String(whatIf.totals.impressions));
      await expect(hourly).toHaveAttribute('data-p50-total', String(Math.round(sum(whatIf.impressions))));
      await shot(page, testInfo, `02-bid-slider-${lang}.png`);
      await page.getByRole('button', { name: lang === 'en' ? 'Reset' : '重置' }).click();
      await expect(summary).toHaveAttribute('data-impressions', String(direct.totals.impressions), { timeout: 30_000 });

      // 4. An unposted edit (a lower daily budget), then compare with the posted plan.
      await contract(page, 'plans.update', { id: PLAN_ID, patch: { dailyBudgetFen: 100_000 } });
      await expect(page.getByText(L.unposted)).toBeVisible({ timeout: 30_000 });
      await page.getByTestId('forecast-compare').click();
      const table = page.getByTestId('forecast-compare-table');
      await expect(table).toBeVisible({ timeout: 60_000 });
      const posted = await contract<ForecastOutput>(page, 'forecast.run', { planId: PLAN_ID, days: 7, asPosted: true });
      const edited = await contract<ForecastOutput>(page, 'forecast.run', { planId: PLAN_ID, days: 7 });
      expect(posted.totals).toEqual(direct.totals);
      expect(edited.includesUnposted).toBe(true);
      const spendRow = table.locator('tr[data-metric="spendFen"]');
      await expect(spendRow).toHaveAttribute('data-posted', String(posted.totals.spendFen));
      await expect(spendRow).toHaveAttribute('data-edits', String(edited.totals.spendFen));
      expect(edited.totals.spendFen).toBeLessThan(posted.totals.spendFen);
      // CPA beside them: spend ÷ conversions of each column.
      const cpaRow = table.locator('tr[data-metric="cpaFen"]');
      await expect(cpaRow).toHaveAttribute('data-posted', String(Math.round(posted.totals.spendFen / posted.totals.conversions)));
      await expect(cpaRow).toHaveAttribute('data-edits', String(Math.round(edited.totals.spendFen / edited.totals.conversions)));
      await expect(page.locator('#fc-col-edits')).toHaveText(L.editsUnposted);
      await expect(page.getByTestId('compare-posted').locator('[data-chart="cmp-posted-hourly"]')).toHaveAttribute('data-p50-total', String(Math.round(sum(posted.impressions))));
      await shot(page, testInfo, `03-compare-${lang}.png`);
      await page.getByTestId('forecast-compare').click();
      await expect(page.locator('[data-chart="main-cumulative"]')).toBeVisible();

      // 5. Presentation: the brand, large type, no editing chrome.
      await page.getByTestId('forecast-present').click();
      await expect(page.locator('.forecast.fc-presenting')).toBeVisible();
      await expect(page.getByTestId('present-brand')).toHaveText(L.brand);
      await expect(page.getByTestId('whatif-bid')).toBeHidden();
      await expect(page.getByTestId('forecast-pdf')).toBeHidden();
      const big = await page.getByTestId('forecast-summary').evaluate((el) => parseFloat((globalThis as unknown as PageGlobals).getComputedStyle(el).fontSize));
      expect(big).toBeGreaterThanOrEqual(28);
      await shot(page, testInfo, `04-presentation-${lang}.png`);
      await page.keyboard.press('Escape');
      await expect(page.locator('.forecast.fc-presenting')).toHaveCount(0);

      // 6. Export PNG: a real PNG download.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('forecast-png').click()]);
      const png = fs.readFileSync((await download.path())!);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.length).toBeGreaterThan(20_000);

      // 7. The PDF report, printed with the print stylesheet: a real PDF with the plan's name.
      await page.getByTestId('forecast-pdf').click();
      const report = page.getByTestId('forecast-report');
      await expect(report.getByRole('heading', { level: 1 })).toHaveText(PLAN_NAME);
      await expect(report.locator('[data-chart="report-diagnosis"]')).toHaveAttribute('data-drawn', /\d+/);
      await shot(page, testInfo, `05-report-${lang}.png`);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      fs.writeFileSync(testInfo.outputPath(`06-report-${lang}.pdf`), pdf);
      await testInfo.attach(`06-report-${lang}.pdf`, { path: testInfo.outputPath(`06-report-${lang}.pdf`), contentType: 'application/pdf' });
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdfText(pdf).replace(/\s+/g, '');
      expect(text).toContain(PLAN_NAME.replace(/\s+/g, ''));
      expect(text).toContain(L.brand.replace(/\s+/g, ''));
      // Only the report is printed, not the app around it.
      expect(text).not.toContain((lang === 'en' ? 'What if' : '假设分析').replace(/\s+/g, ''));
    });

    test(`logo, dark theme, copy summary, units, horizon, CPA and pacing (${lang})`, async ({ page }, testInfo) => {
      test.setTimeout(180_000);
      const L = TEXT[lang as Lang];
      backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
      web = await startWeb(tempDir('lantern-e2e-data-'), backend.url);
      // Copy summary writes with navigator.clipboard; the test reads back what was written.
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
      await page.addInitScript(
        ([language]) => {
          const g = globalThis as unknown as PageGlobals;
          g.localStorage.setItem('lantern.language', language!);
          g.localStorage.setItem('lantern.theme', 'dark');
        },
        [lang],
      );
      await page.goto(web.url);
      await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
      await gridRow(page, PLAN_ID).click();
      await page.getByRole('tab', { name: L.tab }).click();
      const summary = page.getByTestId('forecast-summary');
      await expect(summary).toHaveAttribute('data-stage', 'refined', { timeout: 30_000 });
      const hourly = page.getByTestId('forecast-chart');
      const direct = await contract<ForecastOutput>(page, 'forecast.run', { planId: PLAN_ID, days: 7 });
      await expect(summary).toHaveAttribute('data-impressions', String(direct.totals.impressions));
      /** The screen's refined forecast of new inputs is drawn: refined, and no longer `before`. */
      const settledAwayFrom = (before: number) =>
        expect
          // Both attributes read at once: read apart, a first estimate could land between them.
          .poll(() => summary.evaluate((el, b) => el.getAttribute('data-stage') === 'refined' && Number(el.getAttribute('data-impressions')) !== b, before), { timeout: 30_000 })
          .toBe(true);

      // 1. Dark theme: the charts are drawn in the dark palette (what echarts wrote into the SVG), on a dark card.
      const fills = async () =>
        hourly.evaluate((el) => {
          const all = [...el.querySelectorAll('svg text')].map((n) => n.getAttribute('fill'));
          const lines = [...el.querySelectorAll('svg path')].map((n) => n.getAttribute('stroke'));
          return { text: [...new Set(all)], strokes: [...new Set(lines)] };
        });
      const dark = await fills();
      expect(dark.text).toContain('#a8a8b2'); // dark --muted: axis labels
      expect(dark.text).toContain('#ececf1'); // dark --fg: legend
      expect(dark.strokes).toContain('#ff8a4c'); // dark --accent: the p50 line
      expect(dark.text).not.toContain('#5f5f67');
      const card = await page.locator('[data-card="main-hourly"]').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
      expect(card).toBe('rgb(31, 31, 36)');
      await shot(page, testInfo, `07-dark-${lang}.png`);
      // Switching the theme redraws the charts in the light palette without a reload.
      await page.getByTestId('theme-switch').selectOption('light');
      await expect.poll(async () => (await fills()).text).toContain('#5f5f67');
      expect((await fills()).strokes).toContain('#c2410c');
      await page.getByTestId('theme-switch').selectOption('dark');
      await expect.poll(async () => (await fills()).text).toContain('#a8a8b2');

      // 2. Copy summary: the brand, the plan, the totals and every chart's summary on the clipboard.
      await page.getByTestId('forecast-copy').click();
      await expect(page.getByText(L.copied)).toBeVisible();
      const clip = await page.evaluate(() => (globalThis as unknown as PageGlobals).navigator.clipboard.readText());
      expect(clip.split('\n')[0]).toBe(`${L.brand} · ${PLAN_NAME}`);
      expect(clip).toContain((await summary.textContent())!);
      for (const id of ['main-hourly', 'main-cumulative', 'main-placement', 'main-reach', 'main-diagnosis']) {
        expect(clip).toContain((await page.locator(`#${id}-summary`).textContent())!);
      }

      // 3. CPA per hour: the metric picker's CPA is spend ÷ conversions from the engine's numbers.
      const cpa = Math.round(direct.totals.spendFen / direct.totals.conversions);
      await expect(summary).toHaveAttribute('data-cpa-fen', String(cpa));
      await page.getByRole('radio', { name: L.cpa }).click();
      await expect(hourly).toHaveAttribute('data-metric', 'cpaFen');
      await expect(hourly).toHaveAttribute('data-p50-total', String(cpa));
      const money = `¥${new Intl.NumberFormat(L.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cpa / 100)}`;
      await expect(page.locator('[data-summary="main-hourly"]')).toContainText(money);
      await shot(page, testInfo, `08-cpa-${lang}.png`);

      // 4. Horizon: three days is what the engine forecasts for three days.
      await page.getByTestId('forecast-horizon').selectOption('3');
      await expect(hourly).toHaveAttribute('data-hours', '72', { timeout: 30_000 });
      await expect(summary).toHaveAttribute('data-stage', 'refined', { timeout: 30_000 });
      const three = await contract<ForecastOutput>(page, 'forecast.run', { planId: PLAN_ID, days: 3 });
      await expect(summary).toHaveAttribute('data-impressions', String(three.totals.impressions));
      await expect(summary).toHaveAttribute('data-spend-fen', String(three.totals.spendFen));
      expect(three.totals.impressions).toBeLessThan(direct.totals.impressions);

      // 5. Units: only the OCPX unit, as the engine forecasts it.
      await page.locator('.fc-units summary').click();
      await page.locator('.fc-units label', { hasText: 'Latte coupon, max conversions' }).getByRole('checkbox').uncheck();
      await expect(page.locator('.fc-units summary')).toContainText('1/2');
      // The screen's own run first: a contract call for the same plan would supersede (cancel) it.
      await settledAwayFrom(three.totals.impressions);
      const oneUnit = await contract<ForecastOutput>(page, 'forecast.run', { planId: PLAN_ID, days: 3, unitIds: ['un_latte_ocpx'] });
      await expect(summary).toHaveAttribute('data-impressions', String(oneUnit.totals.impressions));
      await page.locator('.fc-units label', { hasText: 'Latte coupon, max conversions' }).getByRole('checkbox').check();
      await page.locator('.fc-units summary').click();
      await expect(summary).toHaveAttribute('data-impressions', String(three.totals.impressions), { timeout: 30_000 });

      // 6. Pacing what-if: the plan's standard pacing switched to accelerated re-runs the engine.
      await expect(page.getByTestId('forecast-simulated')).toBeVisible();
      await page.getByTestId('whatif-pacing').check();
      await expect(page.getByTestId('forecast-whatif-note')).toHaveText(L.pacingNote);
      await settledAwayFrom(three.totals.impressions);
      const accel = await contract<ForecastOutput>(page, 'forecast.run', { planId: PLAN_ID, days: 3, whatIf: { pacing: 'ACCELERATED' } });
      expect(accel.impressions).not.toEqual(three.impressions);
      await expect(summary).toHaveAttribute('data-impressions', String(accel.totals.impressions));
      await expect(page.locator('[data-chart="main-cumulative"]')).toHaveAttribute('data-exhaustion-hour', String(accel.exhaustionHour ?? 'none'));
      await shot(page, testInfo, `09-pacing-whatif-${lang}.png`);
      await page.getByTestId('whatif-pacing').uncheck();
      await expect(summary).toHaveAttribute('data-impressions', String(three.totals.impressions), { timeout: 30_000 });

      // 7. The brand's logo: an SVG and an oversized file are refused with a reason, a PNG is kept.
      const input = page.getByTestId('logo-input');
      await input.setInputFiles(path.join(import.meta.dirname, '..', 'assets', 'icon.svg'));
      await expect(page.getByTestId('logo-message')).toContainText(L.notPng);
      await expect(page.getByTestId('logo-message')).toHaveAttribute('role', 'alert');
      const big = Buffer.concat([brandLogoPng(), Buffer.alloc(520 * 1024)]);
      await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: big });
      await expect(page.getByTestId('logo-message')).toContainText(L.tooLarge);
      // A PNG named .jpg is still a PNG: the bytes decide.
      const logo = brandLogoPng();
      await input.setInputFiles({ name: 'shanlan-logo.jpg', mimeType: 'image/jpeg', buffer: logo });
      await expect(page.getByTestId('logo-message')).toHaveText(L.logoSaved);
      const dataUrl = `data:image/png;base64,${logo.toString('base64')}`;
      const stored = await contract<{ logo: { dataUrl: string; type: string; bytes: number } | null }>(page, 'branding.get', { merchantId: 'mc_shanlan' });
      expect(stored.logo).toMatchObject({ dataUrl, type: 'image/png', bytes: logo.length });
      // Decoded by the browser (the CSP allows data: images), not a broken image.
      const preview = page.getByTestId('logo-preview');
      await expect(preview).toHaveAttribute('src', dataUrl);
      await expect.poll(() => preview.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(180);

      // 8. Presentation mode shows it instead of the monogram.
      await page.getByTestId('forecast-present').click();
      const presentLogo = page.getByTestId('present-logo');
      await expect(presentLogo).toHaveAttribute('src', dataUrl);
      await expect(page.getByTestId('present-logo-monogram')).toHaveCount(0);
      expect(await presentLogo.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth)).toBe(180);
      await expect(page.getByTestId('logo-pick')).toBeHidden();
      await shot(page, testInfo, `10-presentation-logo-${lang}.png`);
      await page.keyboard.press('Escape');
      await expect(page.locator('.forecast.fc-presenting')).toHaveCount(0);

      // 9. The report shows it and the printed PDF carries it as an image (the charts are vector).
      await page.getByTestId('forecast-pdf').click();
      const report = page.getByTestId('forecast-report');
      await expect(report.getByTestId('report-logo')).toHaveAttribute('src', dataUrl);
      await expect(report.locator('[data-chart="report-diagnosis"]')).toHaveAttribute('data-drawn', /\d+/);
      await expect(report.locator('[data-chart="report-hourly-cpaFen"]')).toHaveAttribute('data-p50-total', /\d+/);
      await shot(page, testInfo, `11-report-logo-${lang}.png`);
      // Browser mode has no desktop PDF capability: the button prints through the browser (recorded, not opened).
      const save = page.getByTestId('report-pdf-save');
      await expect(save).toHaveText(L.print);
      await page.evaluate(() => {
        const g = globalThis as unknown as PageGlobals;
        g.__printed = 0;
        g.print = () => void (g.__printed += 1);
      });
      await save.click();
      expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).__printed)).toBe(1);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      fs.writeFileSync(testInfo.outputPath(`12-report-logo-${lang}.pdf`), pdf);
      await testInfo.attach(`12-report-logo-${lang}.pdf`, { path: testInfo.outputPath(`12-report-logo-${lang}.pdf`), contentType: 'application/pdf' });
      expect(pdf.toString('latin1').match(/\/Subtype\s*\/Image/g)?.length ?? 0).toBeGreaterThanOrEqual(1);
      expect(pdfText(pdf).replace(/\s+/g, '')).toContain(PLAN_NAME.replace(/\s+/g, ''));
      await page.keyboard.press('Escape');

      // 10. Kept in the store: after a reload it is still there; removed, the monogram is back.
      await page.reload();
      // The window reopens where it was (the workspace and plan are remembered).
      await page.getByRole('tab', { name: L.tab }).click();
      await expect(page.getByTestId('logo-preview')).toHaveAttribute('src', dataUrl, { timeout: 30_000 });
      await page.getByTestId('logo-remove').click();
      await expect(page.getByTestId('logo-preview-monogram')).toBeVisible();
      expect((await contract<{ logo: unknown }>(page, 'branding.get', { merchantId: 'mc_shanlan' })).logo).toBeNull();
    });
  });
}
