import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing';
import { BACKUP_DIR_NAME, DB_FILE_NAME, openStore } from './db';
import { LOCK_FILE_NAME } from './lock';
import { StoreOpenError } from './openError';
import { MIGRATIONS } from './migrations';

function openError(dir: string): StoreOpenError {
  try {
    openStore(dir).close();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreOpenError);
    return err as StoreOpenError;
  }
  throw new Error('expected openStore to fail');
}

describe('store safety at startup', () => {
  it('refuses a data folder another live Lantern holds, and takes over a stale lock', async () => {
    const dir = tempDir();
    const other = spawn('sleep', ['30']);
    try {
      fs.writeFileSync(path.join(dir, LOCK_FILE_NAME), String(other.pid));
      const e = openError(dir);
      expect(e.code).toBe('store_locked');
      expect(e.message).toContain('restore the last backup');
      expect(fs.existsSync(path.join(dir, DB_FILE_NAME))).toBe(false); // nothing created
    } finally {
      other.kill('SIGKILL');
    }
    await new Promise((r) => other.once('exit', r));
    const db = openStore(dir); // its owner is gone: a stale lock
    (db as { releaseLock?: () => void }).releaseLock?.();
    db.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
  });

  it('refuses a damaged file with "restore the last backup" and never replaces it with an empty store', () => {
    const dir = tempDir();
    const file = path.join(dir, DB_FILE_NAME);
    fs.writeFileSync(file, 'this is not a database'.repeat(300));
    const before = fs.readFileSync(file);
    const e = openError(dir);
    expect(e.code).toBe('store_damaged');
    expect(e.message).toMatch(/Restore the last backup/i);
    expect(fs.readFileSync(file).equals(before)).toBe(true);

    // A real store with a page overwritten in the middle.
    const dir2 = tempDir();
    const db = openStore(dir2);
    db.exec('CREATE TABLE filler (x TEXT)');
    const ins = db.prepare('INSERT INTO filler VALUES (?)');
    for (let i = 0; i < 2000; i++) ins.run(`row ${i} ${'x'.repeat(200)}`);
    db.pragma('wal_checkpoint(TRUNCATE)');
    (db as { releaseLock?: () => void }).releaseLock?.();
    db.close();
    const f2 = path.join(dir2, DB_FILE_NAME);
    const buf = fs.readFileSync(f2);
    buf.fill(0x5a, 4096 * 5, 4096 * 7);
    fs.writeFileSync(f2, buf);
    expect(openError(dir2).code).toBe('store_damaged');
  });

  it('backs the store up before running a migration', () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, DB_FILE_NAME));
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const m1 = MIGRATIONS[0];
    if (!m1) throw new Error('no migration 1');
    db.exec(m1.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (1, ?, ?)').run(m1.name, new Date().toISOString());
    db.prepare("INSERT INTO merchants VALUES ('mc_x', 'x', 'x', 'CNY', 'Asia/Shanghai', 0)").run();
    db.close();
    const opened = openStore(dir);
    expect(opened.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(MIGRATIONS.length);
    (opened as { releaseLock?: () => void }).releaseLock?.();
    opened.close();
    const backups = fs.readdirSync(path.join(dir, BACKUP_DIR_NAME));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^lantern-before-v2-/);
    const b = new Database(path.join(dir, BACKUP_DIR_NAME, backups[0] as string), { readonly: true });
    expect(b.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(1);
    expect(b.prepare('SELECT name FROM merchants').pluck().get()).toBe('x');
    b.close();
  });

  it('refuses a store from a newer Lantern and migration drift', () => {
    const dir = tempDir();
    const db = openStore(dir);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'now')").run();
    (db as { releaseLock?: () => void }).releaseLock?.();
    db.close();
    expect(openError(dir).code).toBe('store_newer');
    const dir2 = tempDir();
    const db2 = openStore(dir2);
    db2.prepare("UPDATE schema_migrations SET name = 'renamed' WHERE version = 1").run();
    (db2 as { releaseLock?: () => void }).releaseLock?.();
    db2.close();
    expect(openError(dir2).code).toBe('store_drift');
  });
});
