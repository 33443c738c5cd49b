import fs from 'node:fs';
import path from 'node:path';
import { StoreOpenError } from './openError';

export const LOCK_FILE_NAME = 'lantern.lock';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One Lantern process per data folder: a lock file holding the owner's pid. A lock left by a
 * process that died (crash, SIGKILL) is taken over.
 */
export function acquireLock(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE_NAME);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
        throw new StoreOpenError(
          'store_locked',
          `Another Lantern (process ${pid}) has this data folder open (${dataDir}). Close it first; if none is running, restore the last backup or remove ${file}.`,
        );
      }
      fs.rmSync(file, { force: true }); // stale: its owner is gone (or it is ours)
    }
  }
  throw new StoreOpenError('store_locked', `Cannot lock the data folder ${dataDir}.`);
}
