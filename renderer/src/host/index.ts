import type { LanternHost } from '../../../shared/contract';
import { httpHost } from './httpHost';

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in browser mode. */
    lantern?: LanternHost;
  }
}

/** The renderer never knows which host it runs in: Electron's preload or browser mode's HTTP. */
export const host: LanternHost = window.lantern ?? httpHost();
