import { expect, test } from '@playwright/test';
import path from 'node:path';
import { startBackend, startWeb, tempDir, type Proc } from './hosts';
import { editPlan, expectEdited, openPlan, rejectBadBudgets, runForecast, syncAndCheckBackend } from './journey';

test.describe('browser mode', () => {
  let backend: Proc;
  let web: Proc;
  test.afterEach(async () => {
    await web?.stop();
    await backend?.stop();
  });

  test('edit a budget, keep it across a restart, forecast it, sync it', async ({ page }, testInfo) => {
    // Two host starts, two forecasts and a sync: on a loaded 2-core machine this needs more than the default.
    test.setTimeout(180_000);
    backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
    const dataDir = tempDir('lantern-e2e-data-');
    web = await startWeb(dataDir, backend.url);
    const health = await (await fetch(`${web.url}/healthz`)).json();
    expect(health).toEqual({ ok: true });

    await page.goto(web.url);
    await openPlan(page);
    await rejectBadBudgets(page);
    await editPlan(page);

    // Restart the host on the same data folder: the edit is still there.
    await web.stop();
    web = await startWeb(dataDir, backend.url, web.port);
    await page.reload();
    await expectEdited(page);

    const forecast = await runForecast(page, testInfo, 'forecast-chart.png');
    await page.screenshot({ path: testInfo.outputPath('forecast-view.png'), fullPage: true });
    // The chart shows what the engine computed: the same numbers straight from the contract.
    const direct = await page.evaluate(async () => {
      const res = await fetch('/api/call/forecast.run', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-lantern-call': '1' },
        body: JSON.stringify({ planId: 'pl_autumn_latte', days: 7 }),
      });
      return (await res.json()) as { ok: boolean; value: { totals: { impressions: number; spendFen: number } } };
    });
    expect(direct.ok).toBe(true);
    expect(direct.value.totals).toMatchObject({ impressions: forecast.impressions, spendFen: forecast.spendFen });

    await syncAndCheckBackend(page, backend.url);
  });

  test('switches between English and Chinese at run time', async ({ page }) => {
    backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
    web = await startWeb(tempDir('lantern-e2e-data-'), backend.url);
    await page.goto(web.url);
    await expect(page.getByRole('columnheader', { name: 'Daily budget' })).toBeVisible();
    await page.getByRole('button', { name: 'Switch language' }).click();
    await expect(page.getByRole('columnheader', { name: '日预算' })).toBeVisible();
    await expect(page.getByTestId('merchant-name')).toHaveText('山岚咖啡');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    // The choice survives a reload.
    await page.reload();
    await expect(page.getByRole('columnheader', { name: '日预算' })).toBeVisible();
  });

  test('the host refuses cross-site calls and foreign Host headers', async () => {
    backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
    web = await startWeb(tempDir('lantern-e2e-data-'), backend.url);
    const noHeader = await fetch(`${web.url}/api/call/plans.list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noHeader.status).toBe(403);
    const crossOrigin = await fetch(`${web.url}/api/call/plans.list`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lantern-call': '1', origin: 'https://evil.example' },
      body: '{}',
    });
    expect(crossOrigin.status).toBe(403);
    const bad = await fetch(`${web.url}/api/call/plans.update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lantern-call': '1' },
      body: JSON.stringify({ id: 'pl_autumn_latte', patch: { dailyBudgetFen: 'lots' } }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'invalid_input', issues: [{ path: 'patch.dailyBudgetFen' }] } });
  });
});
