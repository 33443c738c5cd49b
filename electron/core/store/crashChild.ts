import fs from 'node:fs';
import { createCore } from '../core';

/**
 * The crash test's child (crash.test.ts): random edits and bulk edits through the contract on
 * the store in argv[2], printing "ACK <batch>" after each one the store acknowledged, until the
 * test SIGKILLs it.
 */
const dir = process.argv[2] as string;
const seed = Number(process.argv[3] ?? '1');
let state = seed >>> 0 || 1;
const rand = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
};
const say = (line: string) => fs.writeSync(1, `${line}\n`);

async function main() {
  const core = createCore({ dataDir: dir, engineWorkerFile: 'unused.js' });
  const call = async (m: string, input: unknown) => {
    const e = await core.call(m, input);
    if (!e.ok) throw new Error(`${m}: ${e.error.message}`);
    return e.value as Record<string, unknown> | null;
  };
  const last = async () => ((await call('journal.status', { limit: 1 })) as { history: { id: number; rows: number }[] }).history[0];
  const words = (await call('entities.list', { kind: 'searchWord', limit: 5000 })) as { rows: { row: { id: string } }[]; total: number };
  if (words.total < 500) {
    const lines = ['Plan,Unit,Word,Match type,Bid fen'];
    for (let i = 0; i < 500; i++) lines.push(`搜索宝·咖啡外卖关键词 Coffee Delivery Keywords,通用词 Generic coffee terms,crash词${i},BROAD,60`);
    const p = (await call('csv.preview', { kind: 'searchWord', text: lines.join('\n') })) as { token: string };
    await call('csv.apply', { token: p.token });
    const b = await last();
    say(`ACK ${b?.id} ${b?.rows}`);
  }
  const ids = ((await call('entities.list', { kind: 'searchWord', limit: 5000 })) as { rows: { row: { id: string } }[] }).rows.map((r) => r.row.id);
  say('READY');
  for (let i = 0; ; i++) {
    const r = rand();
    if (r < 0.3) await call('bulk.apply', { kind: 'searchWord', ids, op: { type: 'set', field: 'bidFen', value: 10 + Math.floor(rand() * 9000) } });
    else if (r < 0.45) await call('bulk.apply', { kind: 'searchWord', ids, op: { type: 'percent', field: 'bidFen', percent: 1 } });
    else if (r < 0.65) await call('entities.update', { kind: 'plan', id: 'pl_search_delivery', patch: { name: `crash ${seed} ${i}`, dailyBudgetFen: 5_000 + Math.floor(rand() * 100_000) } });
    else if (r < 0.75) await call('entities.create', { kind: 'creative', data: { unitId: 'un_search_brand', template: 'SEARCH_TEXT', title: `t${i}`, description: 'd', reviewStatus: 'PENDING' } });
    else if (r < 0.9) {
      if (!(await call('journal.undo', {}))) continue;
    } else if (!(await call('journal.redo', {}))) continue;
    const b = await last();
    say(`ACK ${b?.id} ${b?.rows}`);
  }
}

main().catch((err: unknown) => {
  say(`FAIL ${(err as Error).message}`);
  process.exit(1);
});
