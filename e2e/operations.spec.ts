import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { startBackend, startWeb, tempDir, type Proc } from './hosts';
import { budgetCell, contract, csvFile, openOperation, planBudget, planRow, planRows, selectRows, shot } from './operations';

/**
 * The merchant's operations journey in browser mode: bulk edit a selection (preview, apply,
 * undo), import a CSV with an error row, fix it, import it, check changes (a real error from a
 * user rule, the link selects the row), export a CSV. Once more in Chinese.
 */
test.describe('operations', () => {
  let backend: Proc;
  let web: Proc;
  test.afterEach(async () => {
    await web?.stop();
    await backend?.stop();
  });
  const start = async () => {
    backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
    web = await startWeb(tempDir('lantern-e2e-data-'), backend.url);
  };

  test('bulk edit, CSV import with an error row, check changes, CSV export', async ({ page }, testInfo) => {
    await start();
    await page.goto(web.url);
    await expect(planRows(page)).toHaveCount(4);
    await selectRows(page, ['pl_autumn_latte', 'pl_search_delivery']);

    // Bulk edit of the two selected plans: +10 % on the daily budget, previewed, applied, undone.
    let dialog = await openOperation(page, 'bulk');
    await expect(dialog.getByTestId('op-target')).toHaveText('2 plan(s) selected');
    await dialog.getByTestId('bulk-field').selectOption('dailyBudgetFen');
    await dialog.getByLabel('Change by a percentage').check();
    await dialog.getByTestId('bulk-value').fill('10');
    await dialog.getByTestId('op-preview-button').click();
    const preview = dialog.getByTestId('op-preview');
    await expect(preview).toHaveAttribute('data-changed', '2');
    await expect(preview.locator('td.old')).toHaveText(['¥3,000.00', '¥1,200.00']);
    await expect(preview.locator('td.new')).toHaveText(['¥3,300.00', '¥1,320.00']);
    // Nothing changed yet: the preview is only a preview.
    expect(await planBudget(page, 'pl_autumn_latte')).toBe(300_000);
    await shot(page, testInfo, 'bulk-edit-preview.png', dialog);
    await dialog.getByTestId('op-apply').click();
    await expect(dialog.getByTestId('op-applied')).toContainText('Changed 2 rows');
    await expect(budgetCell(page, 'pl_autumn_latte')).toHaveText('¥3,300.00');
    await expect(budgetCell(page, 'pl_search_delivery')).toHaveText('¥1,320.00');
    expect(await planBudget(page, 'pl_autumn_latte')).toBe(330_000);
    await dialog.getByTestId('op-undo').click();
    await expect(dialog.getByTestId('op-applied')).toContainText('Undone');
    await expect(budgetCell(page, 'pl_autumn_latte')).toHaveText('¥3,000.00');
    await expect(budgetCell(page, 'pl_search_delivery')).toHaveText('¥1,200.00');
    expect(await planBudget(page, 'pl_autumn_latte')).toBe(300_000);
    await page.keyboard.press('Escape');
    await expect(page.locator('dialog[open]')).toHaveCount(0);

    // CSV import with an error row: the row's error shows, nothing can be applied.
    dialog = await openOperation(page, 'csvImport');
    await dialog.getByTestId('csv-kind').selectOption('plan');
    await dialog.getByTestId('csv-file').setInputFiles(csvFile('budgets.csv', ['id,dailyBudgetYuan', 'pl_autumn_latte,4000', 'pl_no_such_plan,2500']));
    const csvPreview = dialog.getByTestId('csv-preview');
    await expect(csvPreview).toHaveAttribute('data-error-rows', '1');
    await expect(csvPreview.locator('tr[data-line="3"]').getByTestId('csv-row-error')).toContainText('no plan with id "pl_no_such_plan"');
    await expect(csvPreview.locator('tr[data-line="2"]')).toHaveAttribute('data-action', 'update');
    await expect(dialog.getByTestId('op-apply')).toBeDisabled();
    await shot(page, testInfo, 'csv-import-error-row.png', dialog);
    expect(await planBudget(page, 'pl_autumn_latte')).toBe(300_000);

    // Fixed file (the second row names a real plan; a blank cell would change nothing): applied on confirm.
    await dialog.getByTestId('csv-file').setInputFiles(csvFile('budgets-fixed.csv', ['id,dailyBudgetYuan,pacing', 'pl_autumn_latte,4000.00,', 'pl_member_feed,2500,']));
    await expect(csvPreview).toHaveAttribute('data-error-rows', '0');
    await expect(csvPreview).toContainText('2 changed');
    await shot(page, testInfo, 'csv-import-fixed.png', dialog);
    await dialog.getByTestId('op-apply').click();
    await expect(dialog.getByTestId('op-applied')).toContainText('Changed 2 rows');
    await page.keyboard.press('Escape');
    await expect(budgetCell(page, 'pl_autumn_latte')).toHaveText('¥4,000.00');
    await expect(budgetCell(page, 'pl_member_feed')).toHaveText('¥2,500.00');
    await expect(planRow(page, 'pl_autumn_latte')).toHaveClass(/unposted/);

    // Check changes: a user rule "daily budget under 5,000 yuan" makes the 20,000-yuan splash plan a real error.
    await page.getByTestId('open-checks').click();
    const checks = page.getByTestId('checks-panel');
    await expect(checks.getByTestId('checks-summary')).toHaveAttribute('data-errors', '0');
    await checks.getByRole('tab', { name: 'My rules' }).click();
    await checks.getByTestId('rule-name').fill('Daily budget under 5,000 yuan');
    await checks.getByTestId('rule-kind').selectOption('plan');
    await checks.getByTestId('rule-field').selectOption('dailyBudgetFen');
    await checks.getByTestId('rule-op').selectOption('lt');
    await checks.getByTestId('rule-value').fill('5000');
    await checks.getByTestId('rule-severity').selectOption('error');
    await checks.getByTestId('rule-save').click();
    await expect(checks.getByTestId('rules-list')).toContainText('Daily budget under 5,000 yuan');
    expect(await contract<unknown[]>(page, 'rules.list', {})).toEqual([expect.objectContaining({ field: 'dailyBudgetFen', op: 'lt', value: 500_000, severity: 'error' })]);
    await checks.getByRole('tab', { name: 'Errors and warnings' }).click();
    await expect(checks.getByTestId('checks-summary')).toHaveAttribute('data-errors', '1');
    const issue = checks.locator('li[data-entity-id="pl_double11_splash"][data-severity="error"]');
    await expect(issue).toContainText('Daily budget under 5,000 yuan');
    await shot(page, testInfo, 'check-changes.png', checks);
    await issue.getByTestId('check-link').click();
    await expect(page.locator('dialog[open]')).toHaveCount(0);
    await expect(page.getByRole('tab', { name: 'Edit' })).toHaveAttribute('aria-selected', 'true');
    await expect(planRow(page, 'pl_double11_splash')).toHaveAttribute('aria-selected', 'true');

    // Export the selection as CSV: the file holds the row's stored values (money in fen).
    await selectRows(page, ['pl_autumn_latte']);
    dialog = await openOperation(page, 'csvExport');
    const downloading = page.waitForEvent('download');
    await dialog.getByTestId('csv-export').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^lantern-plan-\d{8}-\d{6}\.csv$/);
    const text = fs.readFileSync(await download.path(), 'utf8');
    const lines = text.replace(/^\ufeff/, '').trim().split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^id,/);
    expect(lines[1]).toContain('pl_autumn_latte');
    expect(lines[1]).toContain('4000.00');
    await expect(dialog.getByTestId('csv-exported')).toHaveAttribute('data-rows', '1');
    await shot(page, testInfo, 'operations-done.png');
  });

  test('in Chinese: bulk edit by an amount and the check panel', async ({ page }, testInfo) => {
    await start();
    await page.goto(web.url);
    await page.getByRole('button', { name: 'Switch language' }).click();
    await expect(page.getByTestId('merchant-name')).toHaveText('山岚咖啡');
    await selectRows(page, ['pl_search_delivery']);

    const dialog = await openOperation(page, 'bulk');
    await expect(dialog.getByRole('heading', { name: '批量修改' })).toBeVisible();
    await expect(dialog.getByTestId('op-target')).toHaveText('已选 1 个计划');
    await dialog.getByLabel('按金额增减').check();
    await dialog.getByTestId('bulk-value').fill('-200');
    await dialog.getByTestId('op-preview-button').click();
    await expect(dialog.getByTestId('op-preview')).toContainText('将修改 1 行');
    await expect(dialog.getByTestId('op-preview').locator('td.new')).toHaveText('¥1,000.00');
    await shot(page, testInfo, 'zh-bulk-edit-preview.png', dialog);
    await dialog.getByTestId('op-apply').click();
    await expect(dialog.getByTestId('op-applied')).toContainText('已修改 1 行');
    await page.keyboard.press('Escape');
    expect(await planBudget(page, 'pl_search_delivery')).toBe(100_000);

    // A rule in Chinese: names must start with a city; every demo plan breaks it (warnings).
    await page.getByTestId('open-checks').click();
    const checks = page.getByTestId('checks-panel');
    await checks.getByRole('tab', { name: '自定义规则' }).click();
    await checks.getByTestId('rule-name').fill('名称以城市开头');
    await checks.getByTestId('rule-field').selectOption('name');
    await checks.getByTestId('rule-op').selectOption('startsWithOneOf');
    await checks.getByTestId('rule-value').fill('上海，杭州');
    await checks.getByTestId('rule-severity').selectOption('warning');
    await checks.getByTestId('rule-save').click();
    await expect(checks.getByTestId('rules-list')).toContainText('名称以城市开头');
    await checks.getByRole('tab', { name: '错误与警告' }).click();
    await expect(checks.getByTestId('checks-summary')).toHaveAttribute('data-warnings', '4');
    await expect(checks.getByTestId('checks-summary')).toContainText('0 个错误，4 个警告');
    await expect(checks.locator('li[data-entity-id="pl_member_feed"]')).toContainText('自定义规则');
    await shot(page, testInfo, 'zh-check-changes.png', checks);
    await checks.locator('li[data-entity-id="pl_member_feed"]').getByTestId('check-link').click();
    await expect(planRow(page, 'pl_member_feed')).toHaveAttribute('aria-selected', 'true');
  });

  test('find & replace, copy and move, backup and restore, share for review, keyboard', async ({ page }, testInfo) => {
    await start();
    await page.goto(web.url);
    await expect(planRows(page)).toHaveCount(4);

    // Ctrl+F opens find & replace; a regex over creative texts, previewed with its side effect.
    await page.locator('body').press('Control+f');
    let dialog = page.getByTestId('replace-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('replace-find')).toBeFocused();
    await dialog.getByTestId('replace-find').fill('咖啡(外卖)?');
    await dialog.getByLabel('Regular expression').check();
    await dialog.getByLabel('Plan names').uncheck();
    await dialog.getByLabel('Unit names').uncheck();
    await dialog.getByTestId('replace-with').fill('咖啡馆');
    await dialog.getByTestId('op-preview-button').click();
    const preview = dialog.getByTestId('op-preview');
    await expect(preview).toHaveAttribute('data-changed', '3');
    // Approved creatives go back to review: the store says so before anything changes.
    await expect(dialog.getByTestId('op-preview-issues')).toContainText('sends it back to review');
    await shot(page, testInfo, 'find-replace-preview.png', dialog);
    await dialog.getByTestId('op-apply').click();
    await expect(dialog.getByTestId('op-applied')).toContainText('Changed 3 rows');
    const card = await contract<{ row: { title: string } }>(page, 'entities.get', { kind: 'creative', id: 'cr_search_text' });
    expect(card.row.title).toBe('山岚咖啡馆 外卖30分钟送达');
    await dialog.getByTestId('op-undo').click();
    await expect(dialog.getByTestId('op-applied')).toContainText('Undone');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);

    // A bad pattern is caught under the field; nothing is sent.
    await page.locator('body').press('Control+f');
    await page.getByTestId('replace-find').fill('(');
    await page.getByLabel('Regular expression').check();
    await expect(page.locator('#replace-find-error')).toContainText('Not a valid regular expression');
    await expect(page.getByTestId('op-preview-button')).toBeDisabled();
    await page.keyboard.press('Escape');

    // `?` opens the shortcut sheet; Esc closes it and focus returns.
    await page.locator('body').press('?');
    await expect(page.getByTestId('shortcut-sheet')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcut-sheet')).toHaveCount(0);

    // Backup, then an edit, then restore with a confirmation: the edit is gone; undo the restore brings it back.
    dialog = await openOperation(page, 'backup');
    await dialog.getByTestId('backup-create').click();
    await expect(dialog.getByTestId('backup-list').locator('tbody tr')).toHaveCount(1);
    await page.keyboard.press('Escape');
    await contract(page, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { dailyBudgetFen: 90_000 } });
    await expect(budgetCell(page, 'pl_member_feed')).toHaveText('¥900.00');
    dialog = await openOperation(page, 'backup');
    await dialog.getByTestId('backup-list').locator('tbody tr').filter({ hasText: 'lantern-snapshot' }).getByTestId('backup-restore').click();
    await expect(dialog.getByTestId('backup-confirm')).toBeFocused();
    await shot(page, testInfo, 'backup-confirm.png', dialog);
    await dialog.getByTestId('backup-confirm').click();
    await expect(dialog.getByTestId('backup-restored')).toBeVisible();
    await expect(budgetCell(page, 'pl_member_feed')).toHaveText('¥800.00');
    await dialog.getByTestId('backup-undo').click();
    await expect(budgetCell(page, 'pl_member_feed')).toHaveText('¥900.00');
    await page.keyboard.press('Escape');

    // Share for review: export the outbox (two budget changes) with a comment; the reviewer
    // goes through the file change by change, declines one and applies the other.
    await contract(page, 'entities.update', { kind: 'plan', id: 'pl_search_delivery', patch: { dailyBudgetFen: 150_000 } });
    dialog = await openOperation(page, 'share');
    await dialog.getByTestId('share-author').fill('小王 Wang');
    await dialog.getByTestId('share-comment').fill('会员日预算下调 <b>please check</b>');
    const downloading = page.waitForEvent('download');
    await dialog.getByTestId('share-export').click();
    const download = await downloading;
    await expect(dialog.getByTestId('share-exported')).toHaveAttribute('data-changes', '2');
    const content = fs.readFileSync(await download.path(), 'utf8');
    expect(JSON.parse(content)).toMatchObject({ format: 'lantern-proposal', author: '小王 Wang' });
    // The reviewer's side: the account as it was (both edits undone), then the proposal.
    await contract(page, 'journal.undo', {});
    await contract(page, 'journal.undo', {});
    await expect(budgetCell(page, 'pl_member_feed')).toHaveText('¥800.00');
    await expect(budgetCell(page, 'pl_search_delivery')).toHaveText('¥1,200.00');
    await dialog.getByRole('tab', { name: 'Review a proposal' }).click();
    await dialog.getByTestId('share-file').setInputFiles({ name: 'proposal.json', mimeType: 'application/json', buffer: Buffer.from(content) });
    const review = dialog.getByTestId('proposal-preview');
    await expect(review).toContainText('From 小王 Wang');
    await expect(review.locator('.op-comment')).toHaveText('会员日预算下调 <b>please check</b>');
    await expect(review.locator('tbody tr')).toHaveCount(2);
    await review.locator('tbody tr').filter({ hasText: 'pl_search_delivery' }).getByTestId('proposal-accept').uncheck();
    await expect(dialog.getByTestId('op-apply')).toHaveText('Apply 1 change');
    await shot(page, testInfo, 'proposal-review.png', dialog);
    await dialog.getByTestId('op-apply').click();
    await expect(dialog.getByTestId('op-applied')).toContainText('Changed 1 row');
    await page.keyboard.press('Escape');
    await expect(budgetCell(page, 'pl_member_feed')).toHaveText('¥900.00');
    await expect(budgetCell(page, 'pl_search_delivery')).toHaveText('¥1,200.00');

    // Ctrl+S posts the pending change through the contract's sync; the result is announced.
    await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '1');
    await page.locator('body').press('Control+s');
    await expect(page.getByTestId('shortcut-sync-status')).toContainText('Synced: posted 1, rejected 0, conflicts 0');
    await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '0');

    // The theme: a manual override, remembered across a reload; "system" follows prefers-color-scheme.
    await page.getByTestId('theme-switch').selectOption('dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    // Runs in the page; e2e is type-checked without the DOM library.
    type View = { getComputedStyle(e: unknown): { backgroundColor: string } };
    const bg = () => page.locator('body').evaluate((el) => (el.ownerDocument.defaultView as unknown as View).getComputedStyle(el).backgroundColor);
    expect(await bg()).toBe('rgb(22, 22, 26)');
    await shot(page, testInfo, 'theme-dark.png');
    await page.getByTestId('theme-switch').selectOption('system');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await bg()).toBe('rgb(247, 247, 245)');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await bg()).toBe('rgb(22, 22, 26)');
    await page.emulateMedia({ colorScheme: 'light' });

    // Copy / move needs units or creatives selected: with a plan selected it says so.
    await selectRows(page, ['pl_member_feed']);
    dialog = await openOperation(page, 'copyMove');
    await expect(dialog).toContainText('Select units');
    await page.keyboard.press('Escape');
    // Into the latte plan's units: copy the no-bid unit to the search plan. The preview names the
    // side effects and the check the destination breaks (NO_BID is for smart delivery only).
    await planRow(page, 'pl_autumn_latte').locator('.drill').click();
    await selectRows(page, ['un_latte_nobid']);
    dialog = await openOperation(page, 'copyMove');
    await expect(dialog.getByTestId('op-target')).toHaveText('1 unit(s) selected');
    await dialog.getByTestId('copymove-dest').selectOption('pl_search_delivery');
    await dialog.getByTestId('op-preview-button').click();
    await expect(dialog.getByTestId('op-effects')).toContainText('copied with its creatives and search words');
    await expect(dialog.getByTestId('op-effects')).toContainText('go back to review');
    await expect(dialog.getByTestId('op-preview-issues')).toContainText('NO_BID is only for INTELLIGENT plans');
    await shot(page, testInfo, 'copy-unit-preview.png', dialog);
    await dialog.getByTestId('op-apply').click();
    await expect(dialog.getByTestId('op-applied')).toContainText('Changed 1 row');
    const copies = await contract<{ rows: { row: { name: string; bidType: string } }[] }>(page, 'entities.list', { kind: 'unit', parentId: 'pl_search_delivery' });
    expect(copies.rows.filter((r) => r.row.bidType === 'NO_BID')).toHaveLength(1);
    await dialog.getByTestId('op-undo').click();
    await expect(dialog.getByTestId('op-applied')).toContainText('Undone');
    const after = await contract<{ rows: unknown[] }>(page, 'entities.list', { kind: 'unit', parentId: 'pl_search_delivery' });
    expect(after.rows).toHaveLength(2);
    await page.keyboard.press('Escape');
  });
});
