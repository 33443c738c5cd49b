import { expect, test } from '@playwright/test';
import path from 'node:path';
import { startBackend, startWeb, tempDir, type Proc } from './hosts';
import { contract, expectAccessible, secondClientEdits, serverEntity, shot, syncFromTopBar } from './syncui';

/**
 * The merchant edits and syncs; a second client (another Lantern of the same merchant, same
 * token, through the backend's API) changes the same fields; the merchant edits again — partly
 * offline — syncs, sees the conflicts side by side, keeps theirs for some and mine for others,
 * and syncs clean. Edits go through the contract the way the editor makes them; every sync
 * step is the UI's.
 */
const PLAN = 'pl_search_delivery';
const UNIT = 'un_search_brand';

let backend: Proc | undefined;
let web: Proc | undefined;
test.afterEach(async () => {
  await web?.stop();
  await backend?.stop();
});

test('edit, sync, conflict with a second client, work offline, resolve per field and row, sync clean', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const dbPath = path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite');
  backend = await startBackend(dbPath);
  web = await startWeb(tempDir('lantern-e2e-data-'), backend.url);
  await page.goto(web.url);
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '0');

  // 1. The merchant edits and posts.
  await contract(page, 'entities.update', { kind: 'plan', id: PLAN, patch: { dailyBudgetFen: 150_000 } });
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '1');
  await syncFromTopBar(page);
  const first = page.getByTestId('sync-result');
  await expect(first).toContainText('Posted 1, rejected 0, conflicts 0');
  await expect(first.locator(`li[data-status="applied"][data-entity-id="${PLAN}"]`)).toContainText('dailyBudgetFen');
  expect((await serverEntity(backend.url, PLAN))?.data.dailyBudgetFen).toBe(150_000);

  // 2. A second client changes the same fields on the server.
  const other = await secondClientEdits(backend.url, 'plan', PLAN, { dailyBudgetFen: 180_000, name: '搜索宝·第二台电脑 Second desk' }, 1);
  expect(other.results[0]).toMatchObject({ status: 'applied' });
  await secondClientEdits(backend.url, 'unit', UNIT, { bidFen: 130 }, 2);

  // 3. The merchant edits the same fields again, without having pulled.
  await contract(page, 'entities.update', { kind: 'plan', id: PLAN, patch: { dailyBudgetFen: 200_000, name: '搜索宝·我的改动 Mine' } });
  await contract(page, 'entities.update', { kind: 'unit', id: UNIT, patch: { bidFen: 140 } });
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '2');

  // 4. Offline: the backend stops. Sync says so and the app keeps working; cancel stops a retrying sync.
  await backend.stop();
  await page.getByTestId('sync-button').click();
  await expect(page.getByTestId('sync-progress')).toBeVisible();
  await page.getByTestId('sync-progress').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('sync-error')).toHaveAttribute('data-code', 'cancelled');
  await expect(page.getByTestId('sync-button')).toHaveText('Sync');
  await page.getByTestId('sync-button').click();
  await expect(page.getByTestId('offline')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('offline')).toContainText('Offline');
  await expect(page.getByTestId('sync-error')).toHaveCount(0);
  // Still working: an edit offline is journaled and counted.
  await contract(page, 'entities.update', { kind: 'plan', id: 'pl_autumn_latte', patch: { pacing: 'ACCELERATED' } });
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '3');
  await page.getByRole('tab', { name: 'Edit' }).click();
  await expect(page.locator('[role="row"].unposted').first()).toBeVisible();
  await shot(page, testInfo, 'sync-offline.png');
  await expectAccessible(page, 'section.sync');

  // 5. Back online (same address): sync posts what does not conflict and shows the conflicts.
  backend = await startBackend(dbPath, backend.port);
  await page.getByTestId('sync-button').click();
  await expect(page.getByTestId('offline')).toHaveCount(0, { timeout: 30_000 });
  const result = page.getByTestId('sync-result');
  await expect(result).toContainText(/conflicts 2/);
  await expect(result.locator(`li[data-status="conflict"][data-entity-id="${PLAN}"]`)).toBeVisible();
  await expect(result.locator(`li[data-status="conflict"][data-entity-id="${UNIT}"]`)).toBeVisible();
  await expect(result.locator('li[data-status="applied"][data-entity-id="pl_autumn_latte"]')).toBeVisible();

  const view = page.getByTestId('conflict-view');
  await expect(view).toBeVisible();
  await expect(page.getByTestId('conflict-count')).toHaveAttribute('data-count', '3');
  const planRow = view.locator(`section.conflict-row[data-entity-id="${PLAN}"]`);
  const unitRow = view.locator(`section.conflict-row[data-entity-id="${UNIT}"]`);
  const budget = planRow.locator('tr.conflicting[data-field="dailyBudgetFen"]');
  await expect(budget.getByTestId('server-value')).toHaveText('¥1,800.00');
  await expect(budget.getByTestId('local-value')).toHaveText('¥2,000.00');
  const name = planRow.locator('tr.conflicting[data-field="name"]');
  await expect(name.getByTestId('server-value')).toHaveText('搜索宝·第二台电脑 Second desk');
  await expect(name.getByTestId('local-value')).toHaveText('搜索宝·我的改动 Mine');
  await expect(unitRow.locator('tr.conflicting[data-field="bidFen"] [data-testid="server-value"]')).toHaveText('¥1.30');
  await expect(unitRow.locator('tr.conflicting[data-field="bidFen"] [data-testid="local-value"]')).toHaveText('¥1.40');
  await shot(page, testInfo, 'sync-conflict-view.png');
  await expectAccessible(page, '[data-testid="conflict-view"]');

  // 6. Keep mine for the budget, take theirs for the name, take theirs for the whole unit row.
  await budget.getByRole('button', { name: 'Keep mine: Daily budget' }).click();
  await expect(budget).toHaveCount(0);
  // Kept: still a local change (posted at the next sync), no longer a conflict.
  await expect(planRow.locator('tr.local-only[data-field="dailyBudgetFen"]')).toContainText('¥2,000.00');
  await expect(page.getByTestId('conflict-count')).toHaveAttribute('data-count', '2');
  await name.getByRole('button', { name: 'Take theirs: Name' }).click();
  await expect(name).toHaveCount(0);
  await unitRow.getByRole('button', { name: 'Take theirs for this row' }).click();
  await expect(view.getByTestId('no-conflicts')).toBeVisible();
  await expect(page.getByTestId('conflict-count')).toHaveCount(0);
  await view.getByRole('button', { name: 'Close' }).click();
  await expect(view).toBeHidden();

  // 7. Sync clean: the kept budget is posted, the server's name and bid stay.
  await syncFromTopBar(page);
  await expect(page.getByTestId('sync-result')).toContainText('rejected 0, conflicts 0');
  await expect(page.getByTestId('sync-result').locator(`li[data-status="applied"][data-entity-id="${PLAN}"]`)).toContainText('dailyBudgetFen');
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '0');
  const onServer = await serverEntity(backend.url, PLAN);
  expect(onServer?.data).toMatchObject({ dailyBudgetFen: 200_000, name: '搜索宝·第二台电脑 Second desk' });
  expect((await serverEntity(backend.url, UNIT))?.data.bidFen).toBe(130);
  expect((await serverEntity(backend.url, 'pl_autumn_latte'))?.data.pacing).toBe('ACCELERATED');
  const local = await contract<{ row: { name: string; dailyBudgetFen: number } }>(page, 'entities.get', { kind: 'plan', id: PLAN });
  expect(local.row).toMatchObject({ dailyBudgetFen: 200_000, name: '搜索宝·第二台电脑 Second desk' });
  expect((await contract<{ row: { bidFen: number } }>(page, 'entities.get', { kind: 'unit', id: UNIT })).row.bidFen).toBe(130);
  await shot(page, testInfo, 'sync-clean.png');
});
