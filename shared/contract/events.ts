/** Events a host pushes to the renderer (IPC in Electron, SSE in browser mode). */
export type LanternEvent =
  | { type: 'journal.changed'; entity: string; entityId: string }
  | { type: 'sync.progress'; phase: 'push' | 'pull'; done: number; total: number }
  | { type: 'forecast.progress'; planId: string; done: number; total: number };
