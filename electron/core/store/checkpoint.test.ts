import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing';
import { idleCheckpointer, SAFETY_NET_PAGES } from './checkpoint';
import { openStore, type Db } from './db';

const open: (Db & { releaseLock?: () => void })[] = [];
afterEach(() => {
  for (const db of open.splice(0)) {
    db.close();
    db.releaseLock?.();
  }
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Frames in the WAL and how many of them are already in the database file. */
const walState = (db: Db) => {
  const [r] = db.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
  return r as { log: number; checkpointed: number };
};

describe('idle checkpoints', () => {
  it('leaves commits in the WAL while writes go on, and copies them into the database once idle', async () => {
    const db = openStore(tempDir());
    open.push(db);
    const cp = idleCheckpointer(db, 30);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(SAFETY_NET_PAGES);
    cp.touched(); // nothing written yet: nothing scheduled
    await sleep(60);
    expect(cp.checkpoints).toBe(0);

    const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)');
    for (let i = 0; i < 50; i++) {
      put.run(`k${i}`, 'x'.repeat(2000));
      cp.touched();
    }
    const before = walState(db);
    expect(before.log).toBeGreaterThan(0);
    expect(before.checkpointed).toBeLessThan(before.log);
    await sleep(80);
    expect(cp.checkpoints).toBe(1);
    const after = walState(db);
    expect(after.checkpointed).toBe(after.log);
    cp.close();
  });
});
