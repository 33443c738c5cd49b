import { expect, type Page, type TestInfo } from '@playwright/test';
import { DEMO_MERCHANT_ID, DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { SCHEMA_HEADER, SCHEMA_VERSION, type VersionedPlan } from '../shared/sync/wire';

/** The user journey, step by step, shared by the browser-mode and Electron runs. */
export const PLAN_ID = 'pl_autumn_latte';
export const NEW_BUDGET_TEXT = '4321.50';
export const NEW_BUDGET_FEN = 432_150;
export const NEW_BUDGET_SHOWN = '¥4,321.50';
/** User text is data: SQL- and markup-looking names are stored and shown verbatim. */
export const NEW_NAME = `秋冬拿铁 Autumn Latte '); DROP TABLE plans;-- <b>bold?</b>`;

/** A row of the edit workspace's grid, and one of its cells. */
export const gridRow = (page: Page, id = PLAN_ID) => page.locator(`[role="row"][data-row-id="${id}"]`);
const row = gridRow;
const cell = (page: Page, field: string, id = PLAN_ID) => row(page, id).locator(`[data-field="${field}"]`);
const BUDGET = '#plan-dailyBudgetFen';

export async function openPlan(page: Page): Promise<void> {
  await expect(page.getByTestId('merchant-name')).toHaveText('Shanlan Coffee');
  await expect(page.locator('[role="row"][data-row-id^="pl_"]')).toHaveCount(4);
  await expect(cell(page, 'dailyBudgetFen')).toHaveText('¥3,000.00');
  await cell(page, 'name').click();
  await expect(page.locator(BUDGET)).toHaveValue('3000.00');
}

/** Invalid budgets show a field error, cannot be saved, and change nothing. */
export async function rejectBadBudgets(page: Page): Promise<void> {
  const budget = page.locator(BUDGET);
  const save = page.getByRole('button', { name: 'Save' });
  const cases: [string, RegExp][] = [
    ['-5', /cannot be negative/],
    ['abc', /Enter a number/],
    ['99999999', /platform maximum/],
    ['12.345', /two decimals/],
  ];
  for (const [text, message] of cases) {
    await budget.fill(text);
    await expect(page.locator(`${BUDGET}-error`)).toHaveText(message);
    await expect(budget).toHaveAttribute('aria-invalid', 'true');
    await expect(save).toBeDisabled();
  }
  await expect(cell(page, 'dailyBudgetFen')).toHaveText('¥3,000.00');
  await expect(row(page)).not.toHaveClass(/unposted/);
}

export async function editPlan(page: Page): Promise<void> {
  await page.locator('#plan-name').fill(NEW_NAME);
  await page.locator(BUDGET).fill(NEW_BUDGET_TEXT);
  await expect(page.locator(`${BUDGET}-error`)).toHaveCount(0);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await expectEdited(page);
  // Undo and redo the save from the top bar (one journal batch each way).
  await page.getByTestId('undo').click();
  await expect(cell(page, 'dailyBudgetFen')).toHaveText('¥3,000.00');
  await expect(row(page)).not.toHaveClass(/unposted/);
  await page.getByTestId('redo').click();
  await expectEdited(page);
}

export async function expectEdited(page: Page): Promise<void> {
  await expect(cell(page, 'dailyBudgetFen')).toHaveText(NEW_BUDGET_SHOWN);
  await expect(row(page)).toHaveClass(/unposted/);
  // Shown as text: the markup-looking part is characters, not an element.
  await expect(cell(page, 'name')).toContainText(NEW_NAME);
  await expect(cell(page, 'name').locator('b')).toHaveCount(0);
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '1');
}

/** Runs the forecast and checks the chart drew the engine's numbers, not just a div. */
export async function runForecast(page: Page, testInfo: TestInfo, screenshotName: string): Promise<{ impressions: number; spendFen: number }> {
  await cell(page, 'scene').click();
  await page.getByRole('tab', { name: 'Forecast' }).click();
  const summary = page.getByTestId('forecast-summary');
  await expect(summary).toBeVisible({ timeout: 30_000 });
  const impressions = Number(await summary.getAttribute('data-impressions'));
  const spendFen = Number(await summary.getAttribute('data-spend-fen'));
  expect(impressions).toBeGreaterThan(1000);
  expect(spendFen).toBeGreaterThan(0);
  // Seven days of standard pacing never spend more than seven budgets (plus one auction's price a day).
  expect(spendFen).toBeLessThanOrEqual(7 * NEW_BUDGET_FEN + 7 * 100_000);
  await expect(summary).toContainText(/7-day forecast: [\d,]+ impressions/);
  await expect(page.getByText('Includes edits not yet posted')).toBeVisible();

  // The SVG chart: an impressions line through 168 hourly points and a spend bar per hour.
  const chart = page.getByTestId('forecast-chart');
  const drawn = await chart.evaluate((el) => {
    const paths = [...el.querySelectorAll('svg path')].map((p) => p.getAttribute('d') ?? '');
    const longest = paths.reduce((a, b) => (b.length > a.length ? b : a), '');
    return { paths: paths.length, lineSegments: (longest.match(/[LC]/g) ?? []).length };
  });
  expect(drawn.lineSegments).toBeGreaterThanOrEqual(100);
  expect(drawn.paths).toBeGreaterThan(150);
  await chart.screenshot({ path: testInfo.outputPath(screenshotName) });
  await testInfo.attach(screenshotName, { path: testInfo.outputPath(screenshotName), contentType: 'image/png' });
  return { impressions, spendFen };
}

export async function syncAndCheckBackend(page: Page, backendUrl: string): Promise<void> {
  await page.getByRole('button', { name: 'Sync' }).click();
  const result = page.getByTestId('sync-result');
  await expect(result).toContainText('Posted 1, rejected 0, conflicts 0');
  await expect(result.locator('li[data-status="applied"]')).toContainText(PLAN_ID);
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '0');
  await page.getByRole('tab', { name: 'Edit' }).click();
  await expect(row(page)).not.toHaveClass(/unposted/);

  const res = await fetch(`${backendUrl}/v1/accounts/${DEMO_MERCHANT_ID}/plans/${PLAN_ID}`, {
    headers: { authorization: `Bearer ${DEMO_MERCHANT_TOKEN}`, [SCHEMA_HEADER]: String(SCHEMA_VERSION) },
  });
  expect(res.status).toBe(200);
  const onServer = (await res.json()) as VersionedPlan;
  expect(onServer.plan.dailyBudgetFen).toBe(NEW_BUDGET_FEN);
  expect(onServer.plan.name).toBe(NEW_NAME);
}
