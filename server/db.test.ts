import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { hashToken } from './auth';
import { DatabaseOpenError, migrate, openDatabase } from './db';
import { MIGRATIONS } from './migrations';
import { seedDemoIfEmpty } from './seed';
import { tempDir } from './test-helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());

describe('server database', () => {
  it('opens in WAL mode and records every migration once', () => {
    const path = tmp.dbPath();
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    expect(migrate(db)).toEqual([]);
    db.close();
    const again = openDatabase(path);
    expect(again.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: MIGRATIONS.length });
    again.close();
  });

  it('refuses a database written by a newer server', () => {
    const path = tmp.dbPath();
    openDatabase(path).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations VALUES (999, 'from_the_future', 'x', 'now')").run();
    raw.close();
    expect(() => openDatabase(path)).toThrow(/newer Lantern server/);
  });

  it('refuses a database whose applied migration differs from the shipped one (drift)', () => {
    const path = tmp.dbPath();
    openDatabase(path).close();
    const raw = new Database(path);
    raw.prepare("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1").run();
    raw.close();
    expect(() => openDatabase(path)).toThrow(/drift/);
  });

  it('refuses a file that is not SQLite with a clear error', () => {
    const path = tmp.dbPath();
    writeFileSync(path, 'this is not a database, just some text that is long enough to be read '.repeat(20));
    expect(() => openDatabase(path)).toThrow(DatabaseOpenError);
    expect(() => openDatabase(path)).toThrow(/cannot open database/);
  });

  it('seeds once, and stores token hashes, never the plain token', () => {
    const path = tmp.dbPath();
    const db = openDatabase(path);
    expect(seedDemoIfEmpty(db)).toBe(true);
    expect(seedDemoIfEmpty(db)).toBe(false);
    const tokens = db.prepare('SELECT token_hash, merchant_id FROM tokens ORDER BY merchant_id').all();
    expect(tokens).toContainEqual({ token_hash: hashToken(DEMO_MERCHANT_TOKEN), merchant_id: 'mc_shanlan' });
    expect(db.prepare('SELECT count(*) AS n FROM units').get()).toMatchObject({ n: expect.any(Number) });
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(readFileSync(path).includes(Buffer.from(DEMO_MERCHANT_TOKEN))).toBe(false);
  });
});
