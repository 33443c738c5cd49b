import { _electron as electron, expect, test } from '@playwright/test';
import path from 'node:path';
import { findElectron } from '../electron/launcher/findElectron';
import { DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { startBackend, tempDir, type Proc } from './hosts';
import { editPlan, expectEdited, openPlan, rejectBadBudgets, runForecast, syncAndCheckBackend } from './journey';

const binary = findElectron();
const root = path.resolve(import.meta.dirname, '..');

test.describe('Electron desktop window', () => {
  let backend: Proc | undefined;
  test.afterEach(async () => {
    await backend?.stop();
  });

  // eslint-disable-next-line no-empty-pattern -- Playwright needs a destructured fixtures argument; this test uses none
  test('the same journey through the desktop app', async ({}, testInfo) => {
    if ('missing' in binary) {
      // Printed so the run log says why this variant did not run (toolchain.md: no binary here).
      console.log(`[e2e] Electron journey skipped: ${binary.missing}`);
      test.skip(true, `no Electron binary: ${binary.missing}`);
      return;
    }
    backend = await startBackend(path.join(tempDir('lantern-e2e-backend-'), 'server.sqlite'));
    const env = {
      ...process.env,
      LANTERN_DATA_DIR: tempDir('lantern-e2e-electron-'),
      LANTERN_SERVER_URL: backend.url,
      LANTERN_SERVER_TOKEN: DEMO_MERCHANT_TOKEN,
    } as Record<string, string>;
    const launch = () => electron.launch({ executablePath: binary.path, args: [root, '--no-sandbox'], env });

    let app = await launch();
    let page = await app.firstWindow();
    await expect(page).toHaveTitle('Lantern');
    // The sandboxed renderer sees the preload's bridge and nothing of Node.
    expect(
      await page.evaluate(() => {
        const g = globalThis as { lantern?: { call?: unknown }; require?: unknown; process?: unknown };
        return [typeof g.lantern?.call, typeof g.require, typeof g.process];
      }),
    ).toEqual(['function', 'undefined', 'undefined']);
    await openPlan(page);
    await rejectBadBudgets(page);
    await editPlan(page);
    await app.close();

    app = await launch();
    page = await app.firstWindow();
    await expectEdited(page);
    await runForecast(page, testInfo, 'electron-forecast-chart.png');
    await syncAndCheckBackend(page, backend.url);
    await app.close();
  });
});
