import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { startBackend, startWeb, tempDir, type Proc } from './hosts';
import { csvFile, openOperation } from './operations';
import { contract, expectAccessible, shot } from './syncui';

/**
 * An agency with two merchants in one store: sharing for review exports only the open account's
 * changes; the reviewer, with the other account open, is told whose proposal it is and switches
 * to it; applying changes that account only. A CSV line naming the other account's row is an error, and
 * Inspect searches the open account unless told to search every one.
 */
const GROUP_AGENCY_TOKEN = 'lantern-demo-group-token';
const SHANLAN = 'mc_shanlan';
const NORTHPEAK = 'mc_northpeak';

let backend: Proc | undefined;
let web: Proc | undefined;
test.afterEach(async () => {
  await web?.stop();
  await backend?.stop();
});

type Row = { row: Record<string, unknown> };
const budget = async (page: Page, id: string) => (await contract<Row>(page, 'entities.get', { kind: 'plan', id })).row.dailyBudgetFen;

test('agency: share and review one account’s changes, CSV and Inspect keep to the open account', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
  web = await startWeb(tempDir('lantern-e2e-data-'), backend.url, undefined, GROUP_AGENCY_TOKEN);
  await page.goto(web.url);
  await expect(page.getByTestId('merchant-name')).toHaveText('Shanlan Coffee');
  await contract(page, 'sync.run', { merchantIds: [SHANLAN, NORTHPEAK] });
  await page.reload();
  await expect(page.getByTestId('account-select')).toBeVisible();

  // One unposted edit in each account; Northpeak's is the one to share.
  const npBudget = await budget(page, 'pl_np_launch');
  await contract(page, 'entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { dailyBudgetFen: 310_000 } });
  await contract(page, 'entities.update', { kind: 'plan', id: 'pl_np_launch', patch: { dailyBudgetFen: 654_300 } });
  await page.getByTestId('account-select').selectOption(NORTHPEAK);
  await expect(page.getByTestId('merchant-name')).toHaveText('Northpeak Phones');

  let dialog = await openOperation(page, 'share');
  await expect(dialog.getByTestId('share-scope')).toContainText('Northpeak Phones');
  await dialog.getByTestId('share-author').fill('小王 Wang');
  const downloading = page.waitForEvent('download');
  await dialog.getByTestId('share-export').click();
  const content = fs.readFileSync(await (await downloading).path(), 'utf8');
  await expect(dialog.getByTestId('share-exported')).toHaveAttribute('data-changes', '1');
  const file = JSON.parse(content) as { merchantId: string; changes: { entityId: string }[] };
  expect(file.merchantId).toBe(NORTHPEAK);
  expect(file.changes.map((c) => c.entityId)).toEqual(['pl_np_launch']);
  await page.keyboard.press('Escape');

  // The reviewer's side: Northpeak's edit undone, Shanlan open.
  await contract(page, 'journal.undo', {});
  expect(await budget(page, 'pl_np_launch')).toBe(npBudget);
  await page.getByTestId('account-select').selectOption(SHANLAN);
  await expect(page.getByTestId('merchant-name')).toHaveText('Shanlan Coffee');
  dialog = await openOperation(page, 'share');
  await dialog.getByRole('tab', { name: 'Review a proposal' }).click();
  await dialog.getByTestId('share-file').setInputFiles({ name: 'proposal.json', mimeType: 'application/json', buffer: Buffer.from(content) });
  const refused = dialog.getByTestId('op-error');
  await expect(refused).toHaveAttribute('data-reason', 'other_account');
  await expect(refused).toContainText('This proposal is for Northpeak Phones, not the account you have open.');
  await expect(dialog.getByTestId('proposal-preview')).toHaveCount(0);
  await shot(page, testInfo, 'proposal-other-account.png');
  await expectAccessible(page, 'dialog[open]');
  await refused.getByTestId('scope-switch').click();
  await expect(page.getByTestId('merchant-name')).toHaveText('Northpeak Phones');
  const review = dialog.getByTestId('proposal-preview');
  await expect(review.getByTestId('proposal-account')).toHaveAttribute('data-merchant-id', NORTHPEAK);
  await expect(review.getByTestId('proposal-account')).toHaveText('For the account Northpeak Phones.');
  await expect(review.locator('tbody tr')).toHaveCount(1);
  await dialog.getByTestId('op-apply').click();
  await expect(dialog.getByTestId('op-applied')).toContainText('Changed 1 row');
  await page.keyboard.press('Escape');
  expect(await budget(page, 'pl_np_launch')).toBe(654_300);
  // Shanlan's own unposted edit is as it was, and still the only one of its outbox.
  expect(await budget(page, 'pl_autumn_latte')).toBe(310_000);
  const shOutbox = await contract<{ rows: { entityId: string }[] }>(page, 'outbox.list', { merchantId: SHANLAN });
  expect(shOutbox.rows.map((r) => r.entityId)).toEqual(['pl_autumn_latte']);

  // A CSV of Shanlan's plan while Northpeak is open: an error on its line, nothing imported.
  dialog = await openOperation(page, 'csvImport');
  await expect(dialog.getByTestId('csv-scope')).toContainText('Northpeak Phones');
  await dialog.getByTestId('csv-kind').selectOption('plan');
  await dialog.getByTestId('csv-file').setInputFiles(csvFile('shanlan.csv', ['id,dailyBudgetYuan', 'pl_autumn_latte,1234']));
  await expect(dialog.getByTestId('csv-preview')).toHaveAttribute('data-error-rows', '1');
  await expect(dialog.getByTestId('csv-row-error')).toContainText('another account');
  await expect(dialog.getByTestId('op-apply')).toBeDisabled();
  await page.keyboard.press('Escape');
  expect(await budget(page, 'pl_autumn_latte')).toBe(310_000);

  // Inspect: the open account's rows, unless "only" is unticked.
  await page.getByRole('tab', { name: 'Inspect' }).click();
  await page.locator('#inspect-query').fill('pl_');
  await page.locator('#inspect-query').press('Enter');
  const hits = page.getByTestId('inspect-hits');
  await expect(hits.locator('tr[data-hit-id="pl_np_launch"]')).toBeVisible();
  await expect(hits.locator('tr[data-hit-id="pl_autumn_latte"]')).toHaveCount(0);
  await expect(page.getByTestId('inspect-only')).toBeChecked();
  await page.getByTestId('inspect-only').uncheck();
  await expect(hits.locator('tr[data-hit-id="pl_autumn_latte"]')).toBeVisible();
  await expect(hits.locator('tr[data-hit-id="pl_np_launch"]')).toBeVisible();
  await shot(page, testInfo, 'inspect-every-account.png');
  await expectAccessible(page, '.inspect');
});
