import type { LanternHost } from '../../../shared/contract';
import { httpHost } from './httpHost';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in browser mode. */
    lantern?: LanternHost;
  }
}

/**
 * The one host of this window: Electron's preload when it set `window.lantern`, else browser
 * mode's HTTP client. Both carry the same contract; where the hosts really differ (saving the
 * report as a PDF) the renderer asks the host, through `kind` and `saveReportPdf`, rather than
 * sniffing its environment.
 */
export const host: LanternHost = window.lantern ?? httpHost();
