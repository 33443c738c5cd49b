/**
 * IPC channel names shared by the Electron preload and main process. No imports here: the
 * sandboxed preload bundles this file and should not pull zod in with it.
 */
/** The desktop host's "save the report as PDF" capability (LanternHost.saveReportPdf). */
export const REPORT_PDF_CHANNEL = 'lantern:report-pdf';
