import { startServer } from './app';
import { parseCliArgs, USAGE } from './cli-args';
import { capHeapGrowth } from './heapPolicy';

/** Entry of `node dist/node/server.js --port P --db PATH`: prints one line with the URL. */
async function main(): Promise<void> {
  const parsed = parseCliArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    console.log(USAGE);
    return;
  }
  if (parsed.kind === 'error') {
    console.error(`lantern server: ${parsed.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { options } = parsed;
  // Before the serving tables are first built: see heapPolicy.ts.
  capHeapGrowth();
  let server;
  try {
    server = await startServer(options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`lantern server: cannot start: ${message}`);
    process.exitCode = 1;
    return;
  }
  console.log(`Lantern server listening on ${server.url} (database ${options.dbPath})`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      console.error(`lantern server: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`lantern server: error while closing: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
