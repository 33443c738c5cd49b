import { z } from 'zod';
import { UserText } from '../domain/common';

/**
 * The forecast report as a PDF file. A host capability rather than a core method: only the
 * desktop host can print its own window (Electron's webContents.printToPDF, in the main
 * process) and ask where to save; in browser mode the renderer uses the browser's print to PDF.
 * Both print the same report view with the same print stylesheet.
 */
export const ReportPdfInput = z
  .object({
    /** The report's title (the plan's name): the suggested file name is made from it. */
    title: UserText(200).refine((s) => s.trim().length > 0, 'title must not be empty'),
  })
  .strict();
export type ReportPdfInput = z.infer<typeof ReportPdfInput>;

/** Saved where the user chose, or the save dialog was cancelled (nothing written). */
export type ReportPdfResult = { status: 'saved'; path: string } | { status: 'cancelled' };

export { REPORT_PDF_CHANNEL } from './channels';
