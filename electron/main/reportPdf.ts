import path from 'node:path';
import type { PrintToPDFOptions } from 'electron';
import type { Envelope } from '../../shared/contract/errors';
import type { ReportPdfResult } from '../../shared/contract/report';

/**
 * The desktop host's "save the forecast report as PDF": the pure parts (options, file name,
 * path choice, the order of the steps), kept free of Electron's runtime so they run under
 * vitest. main.ts wires them to webContents.printToPDF, dialog.showSaveDialog and the disk.
 */

/**
 * A4 with the background (the report's coloured flags), the page size and 12 mm margins the
 * print stylesheet's `@page` rule sets (forecast.css): the same layout the browser prints.
 */
export const REPORT_PDF_OPTIONS = {
  pageSize: 'A4',
  printBackground: true,
  preferCSSPageSize: true,
  landscape: false,
  margins: { top: 12 / 25.4, bottom: 12 / 25.4, left: 12 / 25.4, right: 12 / 25.4 },
} as const satisfies PrintToPDFOptions;

// Reserved on Windows (and / everywhere); control characters nowhere.
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f\u007f]+/g;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
/** Most file systems allow 255 bytes per name; leave room for ".pdf" in UTF-8 (CJK is 3 bytes). */
const MAX_NAME_BYTES = 200;

/**
 * A file name every desktop OS accepts, made from user text (the plan's name, stored verbatim):
 * separators and reserved characters become "-", no leading/trailing dots or spaces, no
 * reserved device names, bounded in bytes without cutting a character in half.
 */
export function pdfFileName(title: string, fallback = 'forecast'): string {
  let name = title.normalize('NFC').replace(UNSAFE, '-').replace(/\s+/g, ' ').replace(/-{2,}/g, '-');
  name = name.replace(/^[\s.-]+|[\s.-]+$/g, '');
  let bytes = 0;
  let cut = '';
  for (const ch of name) {
    bytes += new TextEncoder().encode(ch).length;
    if (bytes > MAX_NAME_BYTES) break;
    cut += ch;
  }
  name = cut.replace(/[\s.-]+$/, '');
  if (!name || WINDOWS_RESERVED.test(name)) name = name ? `${name}-${fallback}` : fallback;
  return `${name}.pdf`;
}

/** Where the save dialog starts: the user's documents folder, the plan's name as the file name. */
export function defaultPdfPath(documentsDir: string, title: string): string {
  return path.join(documentsDir, pdfFileName(title));
}

/** The save dialog's answer as a path to write, or null when cancelled; ".pdf" added when typed without it. */
export function chosenPdfPath(answer: { canceled: boolean; filePath?: string | undefined }): string | null {
  if (answer.canceled || !answer.filePath) return null;
  return /\.pdf$/i.test(answer.filePath) ? answer.filePath : `${answer.filePath}.pdf`;
}

export interface SavePdfSteps {
  /** The sender window printed with REPORT_PDF_OPTIONS. */
  print(): Promise<Uint8Array>;
  /** The native save dialog, starting at `defaultPath`. */
  ask(defaultPath: string): Promise<{ canceled: boolean; filePath?: string | undefined }>;
  write(file: string, bytes: Uint8Array): Promise<void>;
}

/**
 * Print first (the report as it was when the user clicked), then ask where, then write.
 * Cancelling writes nothing; a failure is a typed error saying which step failed.
 */
export async function saveReportPdf(steps: SavePdfSteps, title: string, documentsDir: string): Promise<Envelope<ReportPdfResult>> {
  let pdf: Uint8Array;
  try {
    pdf = await steps.print();
  } catch (err) {
    return { ok: false, error: { code: 'internal', message: `The report could not be printed to PDF: ${(err as Error).message}` } };
  }
  const target = chosenPdfPath(await steps.ask(defaultPdfPath(documentsDir, title)));
  if (!target) return { ok: true, value: { status: 'cancelled' } };
  try {
    await steps.write(target, pdf);
  } catch (err) {
    return { ok: false, error: { code: 'internal', message: `The PDF could not be saved to ${target}: ${(err as Error).message}` } };
  }
  return { ok: true, value: { status: 'saved', path: target } };
}
