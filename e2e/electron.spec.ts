import { _electron as electron, expect, test, type ElectronApplication, type Page, type TestInfo } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { findElectron } from '../electron/launcher/findElectron';
import { DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { startBackend, tempDir, type Proc } from './hosts';
import { editPlan, expectEdited, openPlan, rejectBadBudgets, runForecast, syncAndCheckBackend } from './journey';
import { pdfText } from './pdfText';

const binary = findElectron();
const root = path.resolve(import.meta.dirname, '..');

/**
 * The forecast report as a PDF through the desktop host: the main process prints the window
 * (webContents.printToPDF, print stylesheet) and saves it where the save dialog says. The
 * native dialog is the one thing answered by the test (Playwright cannot click an OS dialog);
 * printing, the IPC round trip, the sender check and the file write are the app's own.
 */
async function saveReportAsPdf(app: ElectronApplication, page: Page, testInfo: TestInfo, dir: string): Promise<void> {
  // The renderer learns its host from the host object.
  expect(
    await page.evaluate(() => {
      const l = (globalThis as { lantern?: { kind?: string; saveReportPdf?: unknown } }).lantern;
      return [l?.kind, typeof l?.saveReportPdf];
    }),
  ).toEqual(['electron', 'function']);
  // Copy summary reaches the OS clipboard (the session grants our page clipboard writes only).
  await page.getByTestId('forecast-copy').click();
  await expect(page.getByText('Summary copied to the clipboard.')).toBeVisible();
  expect(await app.evaluate(({ clipboard }) => clipboard.readText())).toContain('7-day forecast:');

  await page.getByTestId('forecast-pdf').click();
  const report = page.getByTestId('forecast-report');
  const title = (await report.getByRole('heading', { level: 1 }).textContent()) ?? '';
  await expect(report.locator('[data-chart="report-diagnosis"]')).toHaveAttribute('data-drawn', /\d+/);
  const save = report.getByTestId('report-pdf-save');
  await expect(save).toHaveText('Save as PDF…');

  const answer = (result: { canceled: boolean; filePath?: string }) =>
    app.evaluate(({ dialog }, r) => {
      const seen: string[] = [];
      (globalThis as { __defaultPaths?: string[] }).__defaultPaths = seen;
      (dialog as unknown as { showSaveDialog: (...a: unknown[]) => Promise<unknown> }).showSaveDialog = async (...a: unknown[]) => {
        seen.push(String((a.find((x) => x && typeof x === 'object' && 'defaultPath' in x) as { defaultPath?: string } | undefined)?.defaultPath));
        return r;
      };
    }, result);

  // Cancelled: nothing written, and the report says so.
  await answer({ canceled: true });
  await save.click();
  await expect(report.getByTestId('report-pdf-status')).toHaveAttribute('data-state', 'cancelled');
  expect(fs.readdirSync(dir)).toEqual([]);

  // Saved: a real PDF of the report, where the dialog said, ".pdf" added.
  await answer({ canceled: false, filePath: path.join(dir, 'brand-deck') });
  await save.click();
  const status = report.getByTestId('report-pdf-status');
  await expect(status).toHaveAttribute('data-state', 'saved', { timeout: 30_000 });
  const file = path.join(dir, 'brand-deck.pdf');
  await expect(status).toContainText(file);
  const defaults = await app.evaluate(() => (globalThis as { __defaultPaths?: string[] }).__defaultPaths ?? []);
  expect(path.basename(defaults[0] ?? '')).toBe(`${title.trim()}.pdf`);
  const pdf = fs.readFileSync(file);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = pdfText(pdf).replace(/\s+/g, '');
  expect(text).toContain(title.replace(/\s+/g, ''));
  // The print stylesheet printed the report alone, not the app around it.
  expect(text).not.toContain('Whatif');
  fs.copyFileSync(file, testInfo.outputPath('electron-report.pdf'));
  await testInfo.attach('electron-report.pdf', { path: testInfo.outputPath('electron-report.pdf'), contentType: 'application/pdf' });
  await page.keyboard.press('Escape');
  await expect(report).toHaveCount(0);
}

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
    await saveReportAsPdf(app, page, testInfo, tempDir('lantern-e2e-pdf-'));
    await syncAndCheckBackend(page, backend.url);
    await app.close();
  });
});
