import { resolve } from 'node:path';
import { BUILD_ACCOUNT_COMMAND, buildAccount, type Shape } from './fixtures/bigAccount';
import { buildReport, formatTable, writeReport } from './report';
import { SUITES } from './suites';

/**
 * Benchmark runner: `npm run bench -- <suite|all> [--quick]` (bundled to dist/node/bench.js).
 * Prints a table per suite and writes bench/results/<suite>.json relative to the working
 * directory. Exit code 0 whatever the numbers (the report judges, not the command); 2 for a
 * bad command line; 1 if a suite crashes.
 */

const USAGE = `usage: bench <suite> [--quick]
  suites: ${SUITES.map((s) => s.name).join(', ')}, all
  --quick  few iterations (smoke run for npm test)`;

async function main(argv: readonly string[]): Promise<number> {
  // Internal: a suite builds its fixture account in a child process (fixtures/bigAccount.ts).
  if (argv[0] === BUILD_ACCOUNT_COMMAND) {
    buildAccount(argv[1] as string, JSON.parse(argv[2] as string) as Shape);
    return 0;
  }
  const flags = argv.filter((a) => a.startsWith('-'));
  const names = argv.filter((a) => !a.startsWith('-'));
  if (flags.includes('--help') || flags.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const unknownFlags = flags.filter((f) => f !== '--quick');
  if (unknownFlags.length > 0) {
    console.error(`bench: unknown option ${unknownFlags.join(', ')}\n${USAGE}`);
    return 2;
  }
  if (names.length !== 1) {
    console.error(`bench: name one suite\n${USAGE}`);
    return 2;
  }
  const name = names[0] as string;
  const selected = name === 'all' ? SUITES : SUITES.filter((s) => s.name === name);
  if (selected.length === 0) {
    console.error(`bench: unknown suite "${name}". Known suites: ${SUITES.map((s) => s.name).join(', ')}, all`);
    return 2;
  }
  const quick = flags.includes('--quick');
  const resultsDir = resolve(process.cwd(), 'bench', 'results');

  for (const suite of selected) {
    console.log(`\n== ${suite.name}${quick ? ' (quick)' : ''}: ${suite.description}`);
    const t0 = Date.now();
    const metrics = await suite.run({ quick, log: (m) => console.log(`  ${m}`) });
    console.log('\n' + formatTable(suite.name, metrics));
    const file = writeReport(resultsDir, buildReport(suite.name, metrics));
    console.log(`\nwrote ${file} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
