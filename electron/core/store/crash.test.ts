import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../core';
import { tempDir } from '../testing';
import { DB_FILE_NAME } from './db';
import { entityRepo } from './entityRepo';
import type { EntityKind } from '../../../shared/domain/kinds';

const KILLS = Number(process.env.LANTERN_CRASH_KILLS ?? '50');

async function buildChild(): Promise<string> {
  // Inside the repo so the child resolves better-sqlite3 & co. from node_modules.
  const out = path.join(import.meta.dirname, '..', '..', '..', 'node_modules', '.cache', 'lantern-test', `crash-child-${process.pid}.mjs`);
  await build({ entryPoints: [path.join(import.meta.dirname, 'crashChild.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: out, logLevel: 'silent' });
  return out;
}

/**
 * Every field the child edits has, as its newest journal value, exactly the stored value: no
 * half batch is visible. (Indexed lookups per field, so the check stays fast as the journal grows.)
 */
function assertJournalMatchesStore(file: string): number {
  const db = new Database(file);
  try {
    const repo = entityRepo(db);
    const keys: [EntityKind, string, string][] = [
      ['plan', 'pl_search_delivery', 'name'],
      ['plan', 'pl_search_delivery', 'dailyBudgetFen'],
    ];
    for (const id of db.prepare('SELECT id FROM search_words').pluck().all() as string[]) keys.push(['searchWord', id, 'bidFen'], ['searchWord', id, '_row']);
    for (const id of db.prepare("SELECT id FROM creatives WHERE unit_id = 'un_search_brand'").pluck().all() as string[]) keys.push(['creative', id, '_row']);
    // The newest journal value of every field: one-entity rows by the outbox index; set entries
    // newest first, until every field they can hold (not rows, not plans) is found.
    const single = db.prepare('SELECT id, new_value FROM journal WHERE posted_at IS NULL AND items IS NULL AND entity = ? AND entity_id = ? AND field = ? ORDER BY id DESC LIMIT 1').raw(true);
    const newest = new Map<string, [number, string]>();
    for (const [e, id, f] of keys) {
      const r = single.get(e, id, f) as [number, string] | undefined;
      if (r) newest.set(`${e}\t${id}\t${f}`, r);
    }
    const inSets = new Set(keys.filter(([e, , f]) => f !== '_row' && e !== 'plan').map(([e, id, f]) => `${e}\t${id}\t${f}`));
    const found = new Set<string>();
    // A swapped set entry (an undo) holds [id, new, old].
    for (const [sid, e, f, items, swapped] of db.prepare('SELECT id, entity, field, items, swapped FROM journal WHERE posted_at IS NULL AND items IS NOT NULL ORDER BY id DESC').raw(true).iterate() as Iterable<[number, string, string, string, number]>) {
      for (const [id, a, b] of JSON.parse(items) as [string, unknown, unknown][]) {
        const nv = swapped ? a : b;
        const k = `${e}\t${id}\t${f}`;
        if (found.has(k)) continue;
        found.add(k);
        if ((newest.get(k)?.[0] ?? 0) < sid) newest.set(k, [sid, JSON.stringify(nv)]);
      }
      if ([...inSets].every((k) => found.has(k))) break;
    }
    let checked = 0;
    for (const [entity, id, field] of keys) {
      const v = newest.get(`${entity}\t${id}\t${field}`);
      if (v === undefined) continue;
      checked++;
      const want = JSON.parse(v[1]) as unknown;
      const got = repo.get(entity, id);
      if (field === '_row') expect(got === undefined ? null : 'row').toBe(want === null ? null : 'row');
      else expect([entity, id, field, got?.row[field] ?? null]).toEqual([entity, id, field, want]);
    }
    return checked;
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs during random edits and bulk edits`, async () => {
    const child = await buildChild();
    const dir = tempDir('lantern-crash-');
    const file = path.join(dir, DB_FILE_NAME);
    let acked = 0;
    let maxAck = 0;
    for (let k = 0; k < KILLS; k++) {
      const acks: { batch: number; rows: number }[] = [];
      const proc = spawn(process.execPath, [child, dir, String(k + 1)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      await new Promise<void>((resolve) => {
        // The kill comes at a random moment after the child's first acknowledged edit since
        // READY, so every run kills a child that is editing (a loaded machine can otherwise
        // kill it before it has done anything).
        const onData = (d: Buffer) => {
          out += d.toString();
          const ready = out.indexOf('READY');
          if (ready >= 0 && out.indexOf('ACK', ready) >= 0) {
            proc.stdout.off('data', onData);
            setTimeout(() => proc.kill('SIGKILL'), 5 + Math.random() * 150);
            resolve();
          }
        };
        proc.stdout.on('data', onData);
        void exited.then(resolve);
      });
      proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
      await exited;
      expect(out, err).not.toContain('FAIL');
      for (const m of out.matchAll(/ACK (\d+) (\d+)/g)) acks.push({ batch: Number(m[1]), rows: Number(m[2]) });
      acked += acks.length;

      // 1. integrity; 2. every acknowledged batch is there, whole
      const db = new Database(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const a of acks) expect(db.prepare('SELECT COUNT(*) FROM journal_rows WHERE batch_id = ?').pluck().get(a.batch)).toBe(a.rows);
      maxAck = Math.max(maxAck, ...acks.map((a) => a.batch));
      expect(db.prepare('SELECT COALESCE(MAX(id), 0) FROM batches').pluck().get() as number).toBeGreaterThanOrEqual(maxAck);
      // every batch has journal rows (no batch header without its rows)
      expect(db.prepare('SELECT COUNT(*) FROM batches b WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.batch_id = b.id)').pluck().get()).toBe(0);
      db.close();
      // 3. no half batch: the store equals the journal's newest values
      assertJournalMatchesStore(file);
      // 4. undo still works (every few kills, to keep the test fast), and leaves a consistent store
      if (k % 5 === 4) {
        const core = createCore({ dataDir: dir, engineWorkerFile: 'unused.js' });
        const u = await core.call('journal.undo', {});
        expect(u.ok).toBe(true);
        await core.close();
        assertJournalMatchesStore(file);
      }
    }
    console.log(`crash test: ${KILLS} SIGKILLs, ${acked} acknowledged batches, all present; integrity ok after each`);
    expect(acked).toBeGreaterThan(KILLS);
    fs.rmSync(child, { force: true });
  }, 420_000); // ~50 s on an idle 2-core machine; a shared, loaded one needs far longer
});
