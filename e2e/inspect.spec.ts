import { expect, test, type Page } from '@playwright/test';
import path from 'node:path';
import { startBackend, startWeb, tempDir, type Proc } from './hosts';
import { contract, expectAccessible, serveTraffic, shot, syncFromTopBar } from './syncui';

/**
 * Support's journey: a merchant says "my Member Day feed does not deliver". Support finds the
 * unit by name, reads the engine's diagnosis (its bid is under the reserve price), sees the
 * state, history and review, compares a delivering plan's stats with its forecast, and copies
 * everything as JSON. Run in English and in Chinese.
 */
const LANGS = {
  en: { sync: 'Sync', inspect: 'Inspect', search: 'Member day', reserve: 'Bid below the reserve price', approved: 'Approved', noDelivery: 'It wins no impressions.' },
  zh: { sync: '同步', inspect: '排查', search: '会员日', reserve: '出价低于底价', approved: '已通过', noDelivery: '没有赢得任何曝光。' },
} as const;

let backend: Proc | undefined;
let web: Proc | undefined;
test.afterEach(async () => {
  await web?.stop();
  await backend?.stop();
});

/** The merchant's side, done before support looks: enable the plan, bid ¥1.50 CPM (valid, but under every reserve), sync. */
async function merchantBreaksTheUnit(page: Page, syncLabel: string): Promise<void> {
  await contract(page, 'entities.update', { kind: 'plan', id: 'pl_member_feed', patch: { status: 'ENABLED' } });
  await contract(page, 'entities.update', { kind: 'unit', id: 'un_member_feed', patch: { bidFen: 150 } });
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '2');
  await syncFromTopBar(page, syncLabel);
  await expect(page.getByTestId('sync-result').locator('li[data-status="applied"]')).toHaveCount(2);
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '0');
}

for (const lang of ['en', 'zh'] as const) {
  const L = LANGS[lang];
  test(`support finds a unit that does not deliver and reads why (${lang})`, async ({ page, context }, testInfo) => {
    test.setTimeout(120_000);
    backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
    web = await startWeb(tempDir('lantern-e2e-data-'), backend.url);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
    await page.addInitScript(`localStorage.setItem('lantern.language', '${lang}')`);
    await page.goto(web.url);
    // The backend serves the delivering latte plan, so the sync brings real stats.
    expect(await serveTraffic(backend.url, 120)).toBeGreaterThan(0);
    await merchantBreaksTheUnit(page, L.sync);

    await page.getByRole('tab', { name: L.inspect }).click();
    await page.locator('#inspect-query').fill(L.search);
    await page.locator('#inspect-query').press('Enter');
    const hits = page.getByTestId('inspect-hits');
    await expect(hits.locator('tr[data-hit-id="pl_member_feed"]')).toBeVisible();
    await hits.locator('tr[data-hit-id="un_member_feed"] button.hit-name').click();

    const report = page.getByTestId('inspect-report');
    await expect(report).toHaveAttribute('data-id', 'un_member_feed');
    // The diagnosis: nothing won, and what stops the eligible requests is the reserve price.
    const diagnosis = report.getByTestId('diagnosis');
    await expect(diagnosis).toBeVisible({ timeout: 60_000 });
    await expect(diagnosis).toHaveAttribute('data-won', '0');
    await expect(diagnosis).toHaveAttribute('data-blocking', 'belowReserve');
    await expect(diagnosis.getByTestId('diagnosis-blocking')).toHaveText(L.reserve);
    await expect(diagnosis).toContainText(L.noDelivery);
    await expect(diagnosis.locator('tr[data-reason="belowReserve"]')).toBeVisible();
    // Review, state (posted: local = server), history of the posted bid change.
    await expect(report.locator('li[data-creative-id="cr_member_feed"]')).toHaveAttribute('data-review', 'APPROVED');
    await expect(report.locator('li[data-creative-id="cr_member_feed"]')).toContainText(L.approved);
    const bidRow = report.getByTestId('inspect-state').locator('tr[data-field="bidFen"] td');
    await expect(bidRow).toHaveText(['¥1.50', '¥1.50']);
    const history = report.getByTestId('inspect-history');
    await expect(history.locator('tbody tr')).toHaveCount(1);
    await expect(history.locator('tbody tr').first()).toContainText('¥22.00');
    await expect(history.locator('tbody tr').first()).toContainText('¥1.50');
    await expect(report.getByTestId('stats-empty')).toBeVisible();
    await shot(page, testInfo, `inspect-diagnosis-${lang}.png`);
    await expectAccessible(page, '.inspect');

    // Copy all of it as JSON: what lands on the clipboard is the whole report.
    await report.getByTestId('copy-json').click();
    await expect(page.getByTestId('copy-status')).toBeVisible();
    const text = await page.getByTestId('inspect-json').inputValue();
    const json = JSON.parse(text) as {
      entity: { id: string; kind: string; local: { bidFen: number }; server: { row: { bidFen: number }; version: number }; history: unknown[]; reviews: { status: string }[] };
      diagnosis: { won: number; lost: { belowReserve: number } };
    };
    expect(json.entity).toMatchObject({ id: 'un_member_feed', kind: 'unit', local: { bidFen: 150 }, server: { row: { bidFen: 150 } } });
    expect(json.entity.server.version).toBeGreaterThan(1);
    expect(json.entity.history).toHaveLength(1);
    expect(json.diagnosis.won).toBe(0);
    expect(json.diagnosis.lost.belowReserve).toBeGreaterThan(0);
    const copiedOk = (await page.getByTestId('copy-status').getAttribute('data-copied')) === 'ok';
    if (copiedOk) expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(text);

    // A delivering plan, found by its id: delivered hours beside the forecast for the same hours.
    await page.locator('#inspect-query').fill('pl_autumn_latte');
    await page.locator('#inspect-query').press('Enter');
    await expect(report).toHaveAttribute('data-id', 'pl_autumn_latte');
    const stats = report.getByTestId('inspect-stats-table');
    await expect(stats.locator('tbody tr').first()).toBeVisible();
    const delivered = await stats.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(delivered.map((s) => Number(s.replace(/[^\d]/g, ''))).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // The forecast column fills in once the engine has run (every hour of a week has a pair).
    await expect(stats.locator('tbody tr td:nth-child(3)').first()).not.toHaveText('—', { timeout: 60_000 });
    await expect(report.getByTestId('diagnosis')).toBeVisible({ timeout: 60_000 });
    await shot(page, testInfo, `inspect-stats-vs-forecast-${lang}.png`);
  });
}
