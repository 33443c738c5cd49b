import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { LanternEvent, LanternHost } from '../../shared/contract';
import { REPORT_PDF_CHANNEL } from '../../shared/contract/channels';

/**
 * The only bridge between the sandboxed renderer and the app: `window.lantern`, the same
 * LanternHost the browser-mode client implements. Inputs are validated in the main process.
 */
const api: LanternHost = {
  kind: 'electron',
  call: (method, input) => ipcRenderer.invoke('lantern:call', method, input),
  subscribe(listener) {
    const handler = (_e: IpcRendererEvent, event: LanternEvent) => listener(event);
    ipcRenderer.on('lantern:event', handler);
    return () => {
      ipcRenderer.removeListener('lantern:event', handler);
    };
  },
  saveReportPdf: (input) => ipcRenderer.invoke(REPORT_PDF_CHANNEL, input),
};

contextBridge.exposeInMainWorld('lantern', api);
