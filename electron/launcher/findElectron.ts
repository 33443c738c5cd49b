import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The Electron binary's path, or why there is none — found without loading the electron
 * package, whose entry point downloads the binary on first use (that fails, noisily, offline).
 * Mirrors the electron package's own lookup: ELECTRON_OVERRIDE_DIST_PATH, else
 * node_modules/electron/dist/<path.txt>.
 */
export function findElectron(env: NodeJS.ProcessEnv = process.env): { path: string } | { missing: string } {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const relative = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override
    ? path.join(override, relative ?? (process.platform === 'win32' ? 'electron.exe' : 'electron'))
    : relative && path.join(pkgDir, 'dist', relative);
  if (candidate && fs.existsSync(candidate)) return { path: candidate };
  return {
    missing: override
      ? `ELECTRON_OVERRIDE_DIST_PATH has no Electron binary at ${candidate}`
      : 'it was never downloaded (Electron fetches it from GitHub on first use; ELECTRON_OVERRIDE_DIST_PATH can point at one you have)',
  };
}
