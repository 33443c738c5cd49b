import type { Db } from './db';

/** Small key/value settings kept in the store itself, so one data folder is the whole state. */
export function settings(db: Db) {
  const get = db.prepare('SELECT value FROM settings WHERE key = ?');
  const del = db.prepare('DELETE FROM settings WHERE key = ?');
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  return {
    get(key: string): string | undefined {
      return (get.get(key) as { value: string } | undefined)?.value;
    },
    set(key: string, value: string): void {
      put.run(key, value);
    },
    remove(key: string): void {
      del.run(key);
    },
  };
}
export type Settings = ReturnType<typeof settings>;
