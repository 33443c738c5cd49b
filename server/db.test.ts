import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_MERCHANT_TOKEN } from '../shared/domain/demo';
import { hashToken } from './auth';
import { DatabaseOpenError, migrate, openDatabase } from './db';
import { MIGRATIONS } from './migrations';
import { seedDemoIfEmpty } from './seed';
import { toPgPlaceholders } from './sql';
import { tempDir, testBackends } from './test-helpers';

const tmp = tempDir();
afterAll(() => tmp.remove());

for (const backend of testBackends(tmp)) {
  describe(`server database on ${backend.name}`, () => {
    it('records every migration once, and migrating again does nothing', async () => {
      const loc = await backend.newDb();
      const db = await openDatabase(loc);
      const rows = await db.all('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      expect(await migrate(db)).toEqual([]);
      await db.close();
      const again = await openDatabase(loc);
      expect(await again.get('SELECT CAST(count(*) AS INTEGER) AS n FROM schema_migrations')).toEqual({ n: MIGRATIONS.length });
      await again.close();
    });

    it('refuses a database written by a newer server, and one whose migrations drifted', async () => {
      const loc = await backend.newDb();
      const db = await openDatabase(loc);
      await db.run("INSERT INTO schema_migrations VALUES (999, 'from_the_future', 'x', 'now')");
      await db.close();
      await expect(openDatabase(loc)).rejects.toThrow(/newer Lantern server/);

      const loc2 = await backend.newDb();
      const db2 = await openDatabase(loc2);
      await db2.run("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
      await db2.close();
      await expect(openDatabase(loc2)).rejects.toThrow(/drift/);
    });

    it('seeds once; stores token hashes only; a transaction that throws leaves nothing behind', async () => {
      const db = await openDatabase(await backend.newDb());
      expect(await seedDemoIfEmpty(db)).toBe(true);
      expect(await seedDemoIfEmpty(db)).toBe(false);
      const tokens = await db.all('SELECT token_hash, merchant_id FROM tokens ORDER BY merchant_id');
      expect(tokens).toContainEqual({ token_hash: hashToken(DEMO_MERCHANT_TOKEN), merchant_id: 'mc_shanlan' });
      await expect(
        db.transaction(async (tx) => {
          await tx.run("UPDATE merchants SET name = 'changed'");
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await db.all("SELECT id FROM merchants WHERE name = 'changed'")).toEqual([]);
      await db.close();
    });
  });
}

describe('server database on SQLite only', () => {
  it('opens in WAL mode', async () => {
    const path = tmp.dbPath();
    (await openDatabase(path)).close();
    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('refuses a file that is not SQLite with a clear error', async () => {
    const path = tmp.dbPath();
    writeFileSync(path, 'this is not a database, just some text that is long enough to be read '.repeat(20));
    await expect(openDatabase(path)).rejects.toThrow(DatabaseOpenError);
    await expect(openDatabase(path)).rejects.toThrow(/cannot open database/);
  });

  it('never writes the plain token to the file', async () => {
    const path = tmp.dbPath();
    const db = await openDatabase(path);
    await seedDemoIfEmpty(db);
    await db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    await db.close();
    expect(readFileSync(path).includes(Buffer.from(DEMO_MERCHANT_TOKEN))).toBe(false);
  });

  it('keeps the checksums of migrations shipped before PostgreSQL support', async () => {
    // Databases in the field recorded these: changing them would make every one look drifted.
    const { checksum } = await import('./db');
    expect(MIGRATIONS.slice(0, 2).map((m) => checksum(m))).toEqual([
      '09baa3ad3a4401b1c34b1e24a8616b304e69e6df0e9e1f10c8973de6faac93df',
      '4400dd2f9798f202960267b914cc57db1fc16fbc6dd246508f02bd04c5cac18e',
    ]);
  });
});

describe('PostgreSQL placeholders and reachability', () => {
  it('rewrites ? to $n', () => {
    expect(toPgPlaceholders('SELECT a FROM t WHERE b = ? AND c = ?')).toBe('SELECT a FROM t WHERE b = $1 AND c = $2');
  });

  it('fails with one clear line when the server is unreachable, without the password', async () => {
    await expect(openDatabase('postgres://u:secret@127.0.0.1:1/nope')).rejects.toThrow(/cannot open database postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/nope/);
  });
});
