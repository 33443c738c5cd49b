import { expect, test, type Page, type TestInfo } from '@playwright/test';
import path from 'node:path';
import { startBackend, startWeb, tempDir, type Proc } from './hosts';
import { gridRow } from './journey';

/**
 * The merchant's editing journey in the edit workspace: navigate the tree, edit in the grid
 * (a bad value shows its error and changes nothing), see the markers and check badges, delete
 * a row and undo it, paint the schedule. Once in English, once in Chinese.
 */
const TEXT = {
  en: {
    merchant: 'Shanlan Coffee',
    searchWords: 'Search words',
    badNumber: /Enter a number/,
    edited: 'Edited, not posted',
    deleted: 'Deleted, not posted',
    bidError: /word bid is outside/,
    save: 'Save',
    saved: 'Saved',
    plans: 'Plans',
  },
  zh: {
    merchant: '山岚咖啡',
    searchWords: '搜索词',
    badNumber: /请输入数字/,
    edited: '已修改，未提交',
    deleted: '已删除，未提交',
    bidError: /关键词出价超出/,
    save: '保存',
    saved: '已保存',
    plans: '计划',
  },
} as const;

const cell = (page: Page, id: string, field: string) => gridRow(page, id).locator(`[data-field="${field}"]`);

async function shot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(name), fullPage: true });
  await testInfo.attach(name, { path: testInfo.outputPath(name), contentType: 'image/png' });
}

for (const lang of ['en', 'zh'] as const) {
  test.describe(`edit workspace (${lang})`, () => {
    let backend: Proc;
    let web: Proc;
    test.afterEach(async () => {
      await web?.stop();
      await backend?.stop();
    });

    test('tree, inline edit with errors, markers and badges, delete + undo, schedule painting', async ({ page }, testInfo) => {
      test.setTimeout(150_000);
      const T = TEXT[lang];
      backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
      web = await startWeb(tempDir('lantern-e2e-data-'), backend.url);
      await page.addInitScript(`localStorage.setItem('lantern.language', '${lang}')`);
      await page.goto(web.url);

      // The tree: merchant › plans (with unit counts) › units › search words, by mouse and keyboard.
      const tree = page.getByRole('tree');
      await expect(tree.getByRole('treeitem').first()).toContainText(T.merchant);
      const searchPlan = page.locator('[data-tree-key="p:pl_search_delivery"]');
      await expect(searchPlan).toContainText('2');
      await searchPlan.click();
      await expect(page.locator('[role="row"][data-row-id^="un_"]')).toHaveCount(2);
      // Showing a plan opens its branch; ← closes it, → opens it again.
      await expect(searchPlan).toHaveAttribute('aria-expanded', 'true');
      await searchPlan.press('ArrowLeft');
      await expect(searchPlan).toHaveAttribute('aria-expanded', 'false');
      await page.keyboard.press('ArrowRight');
      const unit = page.locator('[data-tree-key="u:un_search_generic"]');
      await expect(unit).toBeVisible();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await expect(unit).toBeFocused();
      await page.keyboard.press('ArrowRight');
      await page.locator('[data-tree-key="u:un_search_generic:searchWord"]').click();
      await expect(page.getByRole('tab', { name: T.searchWords, selected: true })).toBeVisible();
      await expect(page.locator('[role="row"][data-row-id^="sw_"]')).toHaveCount(2);
      await shot(page, testInfo, `edit-tree-${lang}.png`);

      // Inline edit: a bad value shows its error and saves nothing.
      const bid = cell(page, 'sw_latte', 'bidFen');
      await expect(bid).toHaveText('¥0.80');
      await bid.dblclick();
      const input = page.getByTestId('cell-input');
      await input.fill('abc');
      await input.press('Enter');
      await expect(page.getByTestId('cell-error')).toHaveText(T.badNumber);
      await expect(input).toHaveAttribute('aria-invalid', 'true');
      await shot(page, testInfo, `edit-inline-error-${lang}.png`);
      await input.press('Escape');
      await expect(bid).toHaveText('¥0.80');
      await expect(gridRow(page, 'sw_latte')).not.toHaveClass(/unposted/);

      // A good value: saved, the row bold with its Δ marker, the cell marked edited.
      await bid.dblclick();
      await page.getByTestId('cell-input').fill('1.20');
      await page.getByTestId('cell-input').press('Enter');
      await expect(bid).toHaveText('¥1.20');
      await expect(gridRow(page, 'sw_latte')).toHaveClass(/unposted/);
      await expect(bid).toHaveClass(/edited/);
      await expect(gridRow(page, 'sw_latte').getByLabel(T.edited)).toHaveText('Δ');

      // A value the platform refuses to serve: stored, flagged with an error badge that says why and how to fix it.
      await bid.dblclick();
      await page.getByTestId('cell-input').fill('0.05');
      await page.getByTestId('cell-input').press('Enter');
      const badge = page.getByTestId('errors-sw_latte');
      await expect(badge).toBeVisible();
      await expect(badge).toHaveAttribute('aria-label', T.bidError);
      await badge.hover();
      await shot(page, testInfo, `edit-badge-${lang}.png`);

      // Multi-select with shift, then Delete: one undo step brings the rows back.
      await cell(page, 'sw_coffee_delivery', 'word').click();
      await cell(page, 'sw_latte', 'word').click({ modifiers: ['Shift'] });
      await expect(gridRow(page, 'sw_coffee_delivery')).toHaveAttribute('aria-selected', 'true');
      await expect(gridRow(page, 'sw_latte')).toHaveAttribute('aria-selected', 'true');
      await page.getByTestId('grid-scroll').press('Delete');
      for (const id of ['sw_coffee_delivery', 'sw_latte']) {
        await expect(gridRow(page, id)).toHaveClass(/deleted/);
        await expect(gridRow(page, id).getByLabel(T.deleted)).toHaveText('−');
      }
      await shot(page, testInfo, `edit-deleted-${lang}.png`);
      await page.getByTestId('grid-scroll').press('Control+z');
      await expect(gridRow(page, 'sw_coffee_delivery')).not.toHaveClass(/deleted/);
      await expect(gridRow(page, 'sw_latte')).not.toHaveClass(/deleted/);
      await expect(bid).toHaveText('¥0.05');

      // Paint the schedule of a plan in its form, save, and see it in the grid.
      await tree.getByRole('treeitem').first().click();
      await expect(page.getByRole('tab', { name: T.plans, selected: true })).toBeVisible();
      await cell(page, 'pl_autumn_latte', 'name').click();
      const schedule = page.getByTestId('schedule-hours');
      await expect(schedule).toHaveAttribute('data-hours', '168');
      const from = page.locator('#plan-schedule-0-0');
      const to = page.locator('#plan-schedule-1-5');
      await from.hover();
      await page.mouse.down();
      await page.locator('#plan-schedule-1-2').hover();
      await to.hover();
      await page.mouse.up();
      await expect(schedule).toHaveAttribute('data-hours', String(168 - 12));
      await expect(from).toHaveAttribute('aria-selected', 'false');
      // The keyboard paints too: Space toggles the cursor's hour back on.
      await page.locator('#plan-schedule').focus();
      await page.keyboard.press('Home');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Space');
      await expect(schedule).toHaveAttribute('data-hours', String(168 - 11));
      await shot(page, testInfo, `edit-schedule-${lang}.png`);
      await page.getByRole('button', { name: T.save, exact: true }).click();
      await expect(page.getByRole('status').filter({ hasText: T.saved })).toBeVisible();
      await expect(cell(page, 'pl_autumn_latte', 'timeSchema')).toContainText('157');
      await expect(gridRow(page, 'pl_autumn_latte')).toHaveClass(/unposted/);
      await shot(page, testInfo, `edit-markers-${lang}.png`);
    });
  });
}
