import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage } from 'electron';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPORT_PDF_CHANNEL } from '../../shared/contract/channels';
import { ReportPdfInput } from '../../shared/contract/report';
import type { Core } from '../core/core';
import { startCoreWorker } from '../core/worker/coreHost';
import { zodIssues } from '../core/validate';
import { isStoreOpenError } from '../core/store/db';
import { REPORT_PDF_OPTIONS, saveReportPdf } from './reportPdf';
import { APP_ORIGIN, APP_SCHEME, hardenApp, hardenSession, isTrustedSender } from './security';

/**
 * Electron main process: lifecycle, the window, security, and IPC registration. All data
 * work happens in the plain-Node core, in its own worker thread; this file only wires it to
 * the window and does what only main can (safeStorage, dialogs, printToPDF).
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
]);

let core: Core | undefined;
let win: BrowserWindow | undefined;

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1360,
    height: 860,
    title: 'Lantern',
    icon: path.join(rendererDir, 'icon.svg'),
    show: false,
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  w.once('ready-to-show', () => w.show());
  void w.loadURL(`${APP_ORIGIN}/index.html`);
  return w;
}

async function start(): Promise<void> {
  hardenApp();
  await app.whenReady();
  hardenSession();

  // Serve the built renderer from app://lantern/, never file://, and nothing outside it.
  protocol.handle(APP_SCHEME, (req) => {
    const { pathname } = new URL(req.url);
    const file = path.normalize(path.join(rendererDir, decodeURIComponent(pathname)));
    if (!file.startsWith(rendererDir + path.sep)) return new Response('not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });

  try {
    // Packaged, the workers sit in app.asar.unpacked (electron-builder.yml): worker_threads reads real files.
    const unpacked = (file: string) => path.join(here, file).replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
    core = await startCoreWorker({
      dataDir: process.env.LANTERN_DATA_DIR ?? app.getPath('userData'),
      workerFile: unpacked('core-worker.mjs'),
      engineWorkerFile: unpacked('engine-worker.mjs'),
      // Tokens at rest are sealed with the OS keychain where it is available; the core's worker
      // asks this thread to seal and open them (safeStorage is main's alone).
      ...(safeStorage.isEncryptionAvailable()
        ? {
            secretBox: {
              seal: (plain: string) => safeStorage.encryptString(plain).toString('base64'),
              open: (sealed: string) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
            },
          }
        : {}),
      ...(process.env.LANTERN_SERVER_URL ? { serverUrl: process.env.LANTERN_SERVER_URL } : {}),
      ...(process.env.LANTERN_SERVER_TOKEN ? { token: process.env.LANTERN_SERVER_TOKEN } : {}),
    });
  } catch (err) {
    // A damaged or locked store: say so and stop; never open a new empty one in its place.
    dialog.showErrorBox('Lantern cannot open its data', isStoreOpenError(err) ? err.message : `Lantern could not start: ${(err as Error).message}`);
    app.exit(1);
    return;
  }

  ipcMain.handle('lantern:call', async (event, method: unknown, input: unknown) => {
    if (!isTrustedSender(event.senderFrame?.url)) {
      return { ok: false, error: { code: 'unauthorized', message: 'call from an untrusted frame refused' } };
    }
    if (typeof method !== 'string') return { ok: false, error: { code: 'unknown_method', message: 'method must be a string' } };
    return core!.call(method, input);
  });
  core.subscribe((e) => win?.webContents.send('lantern:event', e));

  // The forecast report as PDF: the calling window (its report view, print stylesheet) printed
  // here in the main process, then saved where the user picks (LanternHost.saveReportPdf).
  ipcMain.handle(REPORT_PDF_CHANNEL, async (event, raw: unknown) => {
    const frame = event.senderFrame;
    // Only our own page's top frame may print its window; an iframe never.
    if (!frame || !isTrustedSender(frame.url) || frame.parent !== null) {
      return { ok: false, error: { code: 'unauthorized', message: 'print request from an untrusted frame refused' } };
    }
    const parsed = ReportPdfInput.safeParse(raw);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      return { ok: false, error: { code: 'invalid_input', message: `invalid report: ${issues.map((i) => `${i.path || 'input'}: ${i.message}`).join('; ')}`, issues } };
    }
    const owner = BrowserWindow.fromWebContents(event.sender);
    if (!owner) return { ok: false, error: { code: 'not_found', message: 'the window to print is gone' } };
    return saveReportPdf(
      {
        print: () => event.sender.printToPDF(REPORT_PDF_OPTIONS),
        ask: (defaultPath) => dialog.showSaveDialog(owner, { defaultPath, filters: [{ name: 'PDF', extensions: ['pdf'] }], properties: ['createDirectory', 'showOverwriteConfirmation'] }),
        write: (file, bytes) => fs.writeFile(file, bytes),
      },
      parsed.data.title,
      app.getPath('documents'),
    );
  });

  win = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win = createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
// Quit only once the core's worker has closed the store and released the data folder's lock.
let coreClosed = false;
app.on('will-quit', (event) => {
  if (!core || coreClosed) return;
  event.preventDefault();
  void core
    .close()
    .catch((err: unknown) => console.error('Lantern could not close its data cleanly:', err))
    .finally(() => {
      coreClosed = true;
      app.quit();
    });
});

start().catch((err: unknown) => {
  console.error('Lantern failed to start:', err);
  app.exit(1);
});
