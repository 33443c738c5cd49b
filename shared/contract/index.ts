import type { z } from 'zod';
import { editMethods, type EditOutputs } from './edit';
import { forecastMethods, type ForecastOutputs } from './forecast';
import { gridMethods, type GridOutputs } from './grid';
import { planMethods, type PlanOutputs } from './plans';
import { syncMethods, type SyncOutputs } from './sync';
import { inspectMethods, type InspectOutputs } from './inspect';
import { accountMethods, type AccountOutputs } from './accounts';
import { brandingMethods, type BrandingOutputs } from './branding';
import type { ReportPdfInput, ReportPdfResult } from './report';
import type { Envelope } from './errors';
import type { LanternEvent } from './events';

/**
 * The contract: the only way the renderer reaches data. Each method is its input schema
 * (validated by both hosts at the boundary) and an output type.
 */
export const methods = {
  ...planMethods,
  ...forecastMethods,
  ...syncMethods,
  ...editMethods,
  ...inspectMethods,
  ...accountMethods,
  ...gridMethods,
  ...brandingMethods,
};

export type MethodName = keyof typeof methods;
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]>;
export type ParsedInput<M extends MethodName> = z.output<(typeof methods)[M]>;
export type Outputs = PlanOutputs & ForecastOutputs & SyncOutputs & EditOutputs & InspectOutputs & AccountOutputs & GridOutputs & BrandingOutputs;
export type MethodOutput<M extends MethodName> = Outputs[M];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** What a host gives the renderer: `window.lantern` in Electron, an HTTP client in browser mode. */
export interface LanternHost {
  /** Which host this is: the renderer learns it here, never by sniffing the environment. */
  readonly kind: 'electron' | 'browser';
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Envelope<MethodOutput<M>>>;
  subscribe(listener: (event: LanternEvent) => void): () => void;
  /**
   * Desktop only: prints the calling window (the open report view, print stylesheet) to PDF in
   * the main process and saves it where the user picks. Absent in browser mode, where the
   * renderer prints through the browser's own print to PDF.
   */
  saveReportPdf?(input: ReportPdfInput): Promise<Envelope<ReportPdfResult>>;
}

export * from './errors';
export type { LanternEvent } from './events';
export type { PlanRow, PlanDetail, RowState } from './plans';
export type { DiagnoseOutput, ForecastOutput, LandscapeOutput, WhatIf } from './forecast';
export type { ForecastEstimate } from './forecastEstimate';
export { MAX_FORECAST_DAYS } from './forecast';
export type { SyncSummary, SyncStatus, SyncRowResult, SyncConflict, SyncStatsRow, SyncMerchantSummary, SyncRejection, SyncRefreshResult, SyncOutcome, SyncFailureReason } from './sync';
export type { AccountInfo, AccountsList, AccountsServerState } from './accounts';
export type * from './edit';
export type * from './inspect';
export type * from './grid';
export type { Branding, BrandLogo } from './branding';
export { ReportPdfInput, REPORT_PDF_CHANNEL, type ReportPdfResult } from './report';
