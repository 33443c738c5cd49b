import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import path from 'node:path';
import { startBackend, startWeb, tempDir, type Proc } from './hosts';
import { gridRow } from './journey';
import { planRows, selectRows } from './operations';

/**
 * axe-core over every workspace and every dialog of the operations layer, in both languages and
 * both themes: no serious or critical violation. Each finding is printed with its nodes, so a
 * failure says what to fix and where.
 */
const SERIOUS = new Set(['serious', 'critical']);

async function audit(page: Page, testInfo: TestInfo, what: string, scope?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (scope) builder = builder.include(scope);
  const results = await builder.analyze();
  // axe really looked: a scope that matched nothing would pass vacuously.
  expect(results.passes.length, `${what}: axe checked nothing`).toBeGreaterThan(5);
  const bad = results.violations.filter((v) => SERIOUS.has(v.impact ?? ''));
  const lines = bad.map((v) => `${what}: [${v.impact}] ${v.id} — ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} ${n.failureSummary?.split('\n').slice(1).join(' ') ?? ''}`).join('\n')}`);
  await testInfo.attach(`axe-${what.replace(/[^a-z0-9]+/gi, '-')}.json`, { body: JSON.stringify(results.violations, null, 1), contentType: 'application/json' });
  return lines;
}

const DIALOGS = ['bulk', 'replace', 'copyMove', 'csvImport', 'csvExport', 'backup', 'share'] as const;

test.describe('accessibility (axe-core)', () => {
  let backend: Proc;
  let web: Proc;
  test.afterEach(async () => {
    await web?.stop();
    await backend?.stop();
  });

  // Each language once, each theme once (a full pass takes ~2 min on a busy 2-core machine).
  for (const [lang, theme] of [['en', 'light'], ['zh', 'dark']] as const) {
    {
      test(`workspaces and dialogs have no serious or critical violations (${lang}, ${theme})`, async ({ page }, testInfo) => {
        test.setTimeout(300_000);
        backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
        web = await startWeb(tempDir('lantern-e2e-data-'), backend.url);
        await page.addInitScript(
          ([l, th]) => {
            // Runs in the page (e2e is type-checked without the DOM library).
            const storage = (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage;
            storage.setItem('lantern.language', l);
            storage.setItem('lantern.theme', th);
          },
          [lang, theme] as const,
        );
        await page.goto(web.url);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        await expect(planRows(page)).toHaveCount(4);
        const found: string[] = [];

        const tabs = page.getByRole('tablist').first().getByRole('tab');
        const tabCount = await tabs.count();
        for (let i = 0; i < tabCount; i++) {
          await tabs.nth(i).click();
          await page.waitForTimeout(300);
          found.push(...(await audit(page, testInfo, `workspace ${i} ${lang} ${theme}`)));
        }
        await tabs.first().click();
        // The operations act on the grid's selection (the grid starts empty when its workspace mounts).
        await selectRows(page, ['pl_autumn_latte', 'pl_member_feed']);

        for (const d of DIALOGS) {
          await page.getByTestId('ops-menu').click();
          if (d === DIALOGS[0]) found.push(...(await audit(page, testInfo, `ops menu ${lang} ${theme}`, '.ops-menu')));
          await page.getByTestId(`ops-open-${d}`).click();
          await expect(page.locator('dialog[open]')).toBeVisible();
          // The bulk dialog with a preview shown: the state a user reads before applying.
          if (d === 'bulk') {
            await page.getByTestId('bulk-value').fill('3500');
            await page.getByTestId('op-preview-button').click();
            await expect(page.getByTestId('op-preview')).toBeVisible();
          }
          found.push(...(await audit(page, testInfo, `dialog ${d} ${lang} ${theme}`, 'dialog[open]')));
          await page.keyboard.press('Escape');
          await expect(page.locator('dialog[open]')).toHaveCount(0);
        }
        await page.getByTestId('open-checks').click();
        await expect(page.getByTestId('checks-summary')).toBeVisible();
        found.push(...(await audit(page, testInfo, `check panel ${lang} ${theme}`, 'dialog[open]')));
        await page.getByTestId('checks-panel').getByRole('tab').nth(1).click();
        found.push(...(await audit(page, testInfo, `rules ${lang} ${theme}`, 'dialog[open]')));
        await page.keyboard.press('Escape');
        await page.locator('body').press('?');
        await expect(page.getByTestId('shortcut-sheet')).toBeVisible();
        found.push(...(await audit(page, testInfo, `shortcut sheet ${lang} ${theme}`, 'dialog[open]')));
        await page.keyboard.press('Escape');

        // The forecast workspace with a plan: charts, what-if (pacing switch), the logo picker with
        // a refusal showing, presentation mode and the report view.
        await tabs.first().click();
        await gridRow(page, 'pl_autumn_latte').click();
        await tabs.nth(1).click();
        await expect(page.getByTestId('forecast-summary')).toHaveAttribute('data-stage', 'refined', { timeout: 60_000 });
        await page.getByTestId('logo-input').setInputFiles(path.join(import.meta.dirname, '..', 'assets', 'icon.svg'));
        await expect(page.getByTestId('logo-message')).toBeVisible();
        found.push(...(await audit(page, testInfo, `forecast ${lang} ${theme}`, '.forecast')));
        await page.getByTestId('forecast-present').click();
        await expect(page.locator('.forecast.fc-presenting')).toBeVisible();
        found.push(...(await audit(page, testInfo, `presentation ${lang} ${theme}`, '.forecast')));
        await page.keyboard.press('Escape');
        await page.getByTestId('forecast-pdf').click();
        await expect(page.getByTestId('forecast-report')).toBeVisible();
        found.push(...(await audit(page, testInfo, `report ${lang} ${theme}`, '[data-testid="forecast-report"]')));
        await page.keyboard.press('Escape');

        if (found.length) console.log(found.join('\n'));
        expect(found, found.join('\n')).toEqual([]);
      });
    }
  }

  test('dialogs are keyboard-reachable, trap focus and close on Esc', async ({ page }) => {
    backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
    web = await startWeb(tempDir('lantern-e2e-data-'), backend.url);
    await page.goto(web.url);
    await expect(planRows(page)).toHaveCount(4);
    // Reach the operations menu with Tab alone.
    let reached = false;
    for (let i = 0; i < 30 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.getByTestId('ops-menu').evaluate((el) => el === el.ownerDocument.activeElement);
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('ops-menu')).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('ops-open-replace')).toBeFocused();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('replace-dialog');
    await expect(dialog).toBeVisible();
    // Tab 40 times: focus never leaves the dialog.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press(i % 7 === 6 ? 'Shift+Tab' : 'Tab');
      expect(await dialog.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    // Focus goes back to where the user was.
    await expect(page.getByTestId('ops-menu')).toBeFocused();
  });
});
