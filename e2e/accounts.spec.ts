import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import path from 'node:path';
import { startBackend, startWeb, tempDir, type Proc } from './hosts';
import { contract, expectAccessible, serverEntity, shot, syncFromTopBar } from './syncui';

/**
 * An agency's sign-in manages two merchants: the agency downloads the second one, switches
 * between them, chooses which to sync, is stopped from posting a check error in one account
 * while the other posts, gets a full account again — asked first, with the unposted count and a
 * backup kept — and, when the server no longer lets it reach one account, still syncs the other.
 */
const GROUP_AGENCY_TOKEN = 'lantern-demo-group-token';
const NORTHPEAK = { id: 'mc_northpeak', token: 'lantern-demo-northpeak-token' };

let backend: Proc | undefined;
let web: Proc | undefined;
test.afterEach(async () => {
  await web?.stop();
  await backend?.stop();
});

test('agency: download a second account, switch, choose what to sync, blocked by errors, get full account safely, one account unreachable', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const serverDb = path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite');
  backend = await startBackend(serverDb);
  web = await startWeb(tempDir('lantern-e2e-data-'), backend.url, undefined, GROUP_AGENCY_TOKEN);
  await page.goto(web.url);
  await expect(page.getByTestId('merchant-name')).toHaveText('Shanlan Coffee');

  // The accounts panel: Shanlan is here, Northpeak is reachable with this sign-in but not downloaded.
  await page.getByTestId('accounts-button').click();
  const dialog = page.getByTestId('accounts-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('accounts-server')).toHaveAttribute('data-server', 'ok');
  await expect(dialog).toContainText('signed in as agency ag_group');
  const northpeak = dialog.locator('tr[data-account-id="mc_northpeak"]');
  await expect(northpeak).toContainText('not downloaded');
  await northpeak.getByTestId('download-account').click();
  await expect(northpeak).not.toContainText('not downloaded', { timeout: 30_000 });
  await expect(northpeak.getByRole('button', { name: 'Open', exact: true })).toBeVisible();

  // Switch: the window now works on Northpeak.
  await northpeak.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('merchant-name')).toHaveText('Northpeak Phones');
  await shot(page, testInfo, 'accounts-panel.png');
  await expectAccessible(page, '[data-testid="accounts-dialog"]');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('account-select')).toHaveValue('mc_northpeak');
  await page.getByTestId('account-select').selectOption('mc_shanlan');
  await expect(page.getByTestId('merchant-name')).toHaveText('Shanlan Coffee');

  // Choose a subset: only Shanlan syncs; Northpeak's unposted edit stays unposted.
  await contract(page, 'entities.update', { kind: 'plan', id: 'pl_np_launch', patch: { dailyBudgetFen: 654_300 } });
  await contract(page, 'entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { dailyBudgetFen: 310_000 } });
  await page.getByTestId('accounts-button').click();
  await northpeak.getByTestId('sync-choice').uncheck();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('sync-scope')).toHaveText('1 of 2 accounts');
  await syncFromTopBar(page);
  await expect(page.getByTestId('sync-result').locator('li[data-entity-id="pl_autumn_latte"]')).toHaveAttribute('data-status', 'applied');
  await expect(page.getByTestId('sync-result').locator('li[data-entity-id="pl_np_launch"]')).toHaveCount(0);
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '1');
  expect((await serverEntity(backend.url, 'pl_autumn_latte'))?.data.dailyBudgetFen).toBe(310_000);

  // Back to all; a check error blocks posting Shanlan, with the reason and a link to the row.
  await page.getByTestId('accounts-button').click();
  await northpeak.getByTestId('sync-choice').check();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('sync-scope')).toHaveCount(0);
  await contract(page, 'entities.update', { kind: 'unit', id: 'un_search_brand', patch: { bidFen: 5 } });
  await syncFromTopBar(page);
  const result = page.getByTestId('sync-result');
  const blocked = result.getByTestId('sync-outcomes').locator('li[data-merchant-id="mc_shanlan"]');
  await expect(blocked).toHaveAttribute('data-outcome', 'blocked_by_errors');
  await expect(blocked).toContainText('Shanlan Coffee Posting is blocked: 1 check error must be fixed first.');
  await expect(blocked).toContainText('un_search_brand');
  await expect(blocked.getByRole('button', { name: 'Show' })).toBeVisible();
  // Only the account with the error is held back: Northpeak's edit was posted, and its row result shows beside it.
  await expect(result.locator('li[data-entity-id="pl_np_launch"]')).toHaveAttribute('data-status', 'applied');
  await expect(result.getByTestId('sync-outcomes').locator('li[data-outcome]')).toHaveCount(1);
  await expect(page.getByTestId('sync-result-toggle')).toHaveText('1 account not synced');
  await shot(page, testInfo, 'sync-blocked-by-errors.png');
  await expectAccessible(page, '[data-testid="sync-result"]');
  expect((await serverEntity(backend.url, 'un_search_brand'))?.data.bidFen).toBe(120);
  expect((await serverEntity(backend.url, 'pl_np_launch', NORTHPEAK))?.data.dailyBudgetFen).toBe(654_300);
  await result.getByRole('button', { name: 'Close' }).click();

  // Get full account of Shanlan: it asks, saying how much unposted work it would discard and that a backup is kept.
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '1');
  await page.getByTestId('accounts-button').click();
  const shanlan = dialog.locator('tr[data-account-id="mc_shanlan"]');
  await expect(shanlan.locator('td.num').first()).toHaveText('1');
  await shanlan.getByTestId('full-refresh').click();
  const confirm = page.getByTestId('refresh-confirm');
  await expect(confirm).toBeVisible();
  await expect(confirm.getByTestId('refresh-unposted')).toHaveAttribute('data-count', '1');
  await expect(confirm).toContainText('Shanlan Coffee has 1 row with unposted changes.');
  await expect(confirm).toContainText('A backup of everything on this computer is written first');
  // The safe choice is the focused one; cancelling changes nothing.
  await expect(confirm.getByRole('button', { name: 'Keep my changes' })).toBeFocused();
  await shot(page, testInfo, 'full-refresh-confirm.png');
  await expectAccessible(page, '[data-testid="refresh-confirm"]');
  await confirm.getByRole('button', { name: 'Keep my changes' }).click();
  await expect(confirm).toHaveCount(0);
  expect((await contract<{ row: { bidFen: number } }>(page, 'entities.get', { kind: 'unit', id: 'un_search_brand' })).row.bidFen).toBe(5);

  await shanlan.getByTestId('full-refresh').click();
  await confirm.getByTestId('refresh-confirm-button').click();
  const done = dialog.getByTestId('refresh-done');
  await expect(done).toBeVisible({ timeout: 30_000 });
  await expect(done).toContainText('1 unposted change was discarded');
  await expect(done).toContainText(/Backup kept: .+/);
  // Shanlan is the server's again; Northpeak is untouched.
  expect((await contract<{ row: { bidFen: number } }>(page, 'entities.get', { kind: 'unit', id: 'un_search_brand' })).row.bidFen).toBe(120);
  expect((await contract<{ row: { dailyBudgetFen: number } }>(page, 'entities.get', { kind: 'plan', id: 'pl_np_launch' })).row.dailyBudgetFen).toBe(654_300);
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '0');
  const backups = await contract<{ file: string }[]>(page, 'backup.list', {});
  expect(backups.length).toBeGreaterThan(0);
  await shot(page, testInfo, 'full-refresh-done.png');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The server no longer lets this agency reach Northpeak: Shanlan still syncs; Northpeak shows
  // as not synced with the reason, its edit kept for later.
  const db = new Database(serverDb);
  try {
    expect(db.prepare("DELETE FROM agency_merchants WHERE agency_id = 'ag_group' AND merchant_id = 'mc_northpeak'").run().changes).toBe(1);
  } finally {
    db.close();
  }
  await contract(page, 'entities.update', { kind: 'plan', id: 'pl_np_launch', patch: { dailyBudgetFen: 777_700 } });
  await contract(page, 'entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { dailyBudgetFen: 320_000 } });
  await syncFromTopBar(page);
  const failed = result.getByTestId('sync-outcomes').locator('li[data-merchant-id="mc_northpeak"]');
  await expect(failed).toHaveAttribute('data-outcome', 'failed');
  await expect(failed).toHaveAttribute('data-code', 'not_found');
  await expect(failed).toContainText('Northpeak Phones not synced: this sign-in can no longer reach the account');
  await expect(result.locator('li[data-entity-id="pl_autumn_latte"]')).toHaveAttribute('data-status', 'applied');
  await expect(page.getByTestId('sync-result-toggle')).toHaveText('1 account not synced');
  await shot(page, testInfo, 'sync-one-account-failed.png');
  expect((await serverEntity(backend.url, 'pl_autumn_latte'))?.data.dailyBudgetFen).toBe(320_000);
  expect((await serverEntity(backend.url, 'pl_np_launch', NORTHPEAK))?.data.dailyBudgetFen).toBe(654_300);
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '1');
  // 中文 too (switching closes the popover: open it again).
  await page.getByRole('button', { name: 'Switch language' }).click();
  await page.getByTestId('sync-result-toggle').click();
  await expect(failed).toContainText('北峰手机 未同步：此登录已无法访问该账户');
  await expect(page.getByTestId('sync-result-toggle')).toHaveText('1 个账户未同步');
});
