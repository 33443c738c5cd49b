import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ContractError } from '../../../shared/contract/errors';
import { backupDir, cached, migrate, type Db } from './db';

/** Tables that make up an account's local state (settings are handled field by field). */
const DATA_TABLES = ['merchants', 'plans', 'audience_packs', 'units', 'creatives', 'search_words', 'negative_words', 'gd_bookings', 'batches', 'journal', 'user_rules'];
/**
 * Sync bookkeeping that belongs with the rows it describes (base versions, conflicts, shadows,
 * rejections, stats): restored together with them, so the next push sends the snapshot's bases
 * and the next pull starts from the snapshot's cursor — never the current ones over old rows.
 */
const SYNC_TABLES = ['sync_base', 'sync_conflicts', 'sync_shadow', 'sync_rejections', 'sync_stats'];
/** Per-merchant sync settings restored with the snapshot ("sync.<name>" or "sync.<name>@<merchant>"). */
const SYNC_SETTINGS = ['sync.cursor', 'sync.feedCursor', 'sync.orphans', 'sync.lastSyncAt', 'sync.statsRange'];
const SYNC_DROPPED = [...SYNC_SETTINGS, 'sync.inflight'];
const keyMatch = (col: string, names: readonly string[]) => names.map((n) => `${col} = '${n}' OR ${col} LIKE '${n}@%'`).join(' OR ');

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** Snapshot of the whole account (campaigns, journal, outbox, rules) into one SQLite file. */
export function createSnapshot(db: Db, dataDir: string, file?: string): { file: string; bytes: number } {
  const out = file ?? path.join(backupDir(dataDir), `lantern-snapshot-${stamp()}.sqlite`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  if (fs.existsSync(out)) throw new ContractError('invalid_input', `${out} already exists`, [{ path: 'file', message: 'already exists' }]);
  cached(db, 'VACUUM INTO ?').run(out);
  return { file: out, bytes: fs.statSync(out).size };
}

export function listSnapshots(dataDir: string): { file: string; bytes: number; createdAt: string }[] {
  const dir = backupDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite'))
    .map((f) => {
      const st = fs.statSync(path.join(dir, f));
      return { file: path.join(dir, f), bytes: st.size, createdAt: st.mtime.toISOString() };
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/**
 * Restores a snapshot in one transaction: the current state is first saved as a safety copy,
 * the snapshot is checked (integrity, schema) and brought up to date on a scratch copy, then
 * every data table is replaced. Sync identity (client id, mutation counter, server, token) is kept.
 */
export function restoreSnapshot(db: Db, dataDir: string, file: string): { restoredFrom: string; safetyCopy: string } {
  if (!fs.existsSync(file)) throw new ContractError('not_found', `no snapshot at ${file}`);
  const scratch = path.join(backupDir(dataDir), `.restore-${stamp()}.sqlite`);
  fs.mkdirSync(backupDir(dataDir), { recursive: true });
  fs.copyFileSync(file, scratch);
  try {
    let check: Db;
    try {
      check = new Database(scratch, { fileMustExist: true });
      const ok = String(check.pragma('integrity_check', { simple: true }));
      if (ok !== 'ok') throw new Error(ok);
      migrate(check);
      check.close();
    } catch (err) {
      throw new ContractError('invalid_input', `${file} is not a usable Lantern snapshot: ${(err as Error).message}`, [{ path: 'file', message: 'not a Lantern snapshot' }]);
    }
    const safetyCopy = path.join(backupDir(dataDir), `lantern-before-restore-${stamp()}.sqlite`);
    cached(db, 'VACUUM INTO ?').run(safetyCopy);
    cached(db, 'ATTACH DATABASE ? AS snap').run(scratch);
    try {
      db.pragma('foreign_keys = OFF');
      db.transaction(() => {
        for (const t of [...DATA_TABLES, ...SYNC_TABLES].reverse()) db.exec(`DELETE FROM main.${t}`);
        for (const t of [...DATA_TABLES, ...SYNC_TABLES]) db.exec(`INSERT INTO main.${t} SELECT * FROM snap.${t}`);
        // The client id and the mutation counter are kept (ids must keep increasing); a push in
        // flight is dropped (what it applied comes back with the pull).
        db.exec(`DELETE FROM main.settings WHERE ${keyMatch('key', SYNC_DROPPED)};
          INSERT INTO main.settings (key, value) SELECT key, value FROM snap.settings WHERE ${keyMatch('key', SYNC_SETTINGS)};`);
        const bad = db.pragma('foreign_key_check') as unknown[];
        if (bad.length) throw new ContractError('invalid_input', `${file} has ${bad.length} broken references`);
      })();
    } finally {
      db.pragma('foreign_keys = ON');
      db.exec('DETACH DATABASE snap');
    }
    return { restoredFrom: file, safetyCopy };
  } finally {
    fs.rmSync(scratch, { force: true });
  }
}
