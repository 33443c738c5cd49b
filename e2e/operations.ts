import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';

/** Steps of the operations journeys, shared by the English and Chinese runs. */

/** A row of the edit workspace's grid, and its daily budget cell. */
export const planRow = (page: Page, id: string): Locator => page.locator(`[role="row"][data-row-id="${id}"]`);
export const budgetCell = (page: Page, id: string): Locator => planRow(page, id).locator('[data-field="dailyBudgetFen"]');
export const planRows = (page: Page): Locator => page.locator('[role="row"][data-row-id^="pl_"]');

/** Selects grid rows like a user: a click on the first, Ctrl+click on the others. */
export async function selectRows(page: Page, ids: string[]): Promise<void> {
  for (const [i, id] of ids.entries()) await planRow(page, id).locator('[data-field="name"]').click(i === 0 ? {} : { modifiers: ['ControlOrMeta'] });
  for (const id of ids) await expect(planRow(page, id)).toHaveAttribute('aria-selected', 'true');
}

export async function shot(page: Page, testInfo: TestInfo, name: string, target?: Locator): Promise<void> {
  const file = testInfo.outputPath(name);
  if (target) await target.screenshot({ path: file });
  else await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

export async function openOperation(page: Page, op: 'bulk' | 'replace' | 'copyMove' | 'csvImport' | 'csvExport' | 'backup' | 'share'): Promise<Locator> {
  await page.getByTestId('ops-menu').click();
  await page.getByTestId(`ops-open-${op}`).click();
  const dialog = page.locator('dialog[open]');
  await expect(dialog).toBeVisible();
  return dialog;
}

/** A CSV file for the file picker (UTF-8 with a BOM, as Excel writes it). */
export const csvFile = (name: string, lines: string[]) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(`\ufeff${lines.join('\r\n')}\r\n`, 'utf8') });

/** The core answers the same thing the UI shows: read it straight from the contract. */
export async function contract<T>(page: Page, method: string, input: unknown): Promise<T> {
  const out = await page.evaluate(
    async ([m, i]) => {
      const res = await fetch(`/api/call/${m}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-lantern-call': '1' }, body: JSON.stringify(i) });
      return (await res.json()) as { ok: boolean; value: unknown; error?: { message: string } };
    },
    [method, input] as const,
  );
  if (!out.ok) throw new Error(`${method}: ${out.error?.message}`);
  return out.value as T;
}

export const planBudget = async (page: Page, id: string): Promise<number | null> =>
  (await contract<{ row: { dailyBudgetFen: number | null } }>(page, 'entities.get', { kind: 'plan', id })).row.dailyBudgetFen;
