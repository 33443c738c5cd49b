import os from 'node:os';
import path from 'node:path';

/**
 * Where Lantern keeps its data when no --data-dir is given: the same folder Electron's
 * app.getPath('userData') gives for productName "Lantern", so both hosts share one store.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LANTERN_DATA_DIR) return env.LANTERN_DATA_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Lantern');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Lantern');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Lantern');
}
