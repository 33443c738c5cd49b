import type { LanternEvent } from '../../../../shared/contract';

export type CoreNotice = 'restarted' | 'failed' | null;

/**
 * The notice the window shows after a host event. The core's worker thread restarting is worth
 * a short word (the last action may not have finished); its failing for good stays shown,
 * since nothing works until Lantern restarts. Other events leave the notice as it was.
 */
export function noticeAfter(current: CoreNotice, e: LanternEvent): CoreNotice {
  if (e.type === 'core.restarted') return current === 'failed' ? current : 'restarted';
  if (e.type === 'core.failed') return 'failed';
  return current;
}

/** How long the "restarted" notice stays before it hides itself. */
export const RESTARTED_NOTICE_MS = 10_000;
