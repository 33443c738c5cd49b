import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from '../core/dataDir';
import { startCoreWorker } from '../core/worker/coreHost';
import { startWebHost } from './host';

/**
 * `npm run web -- --port 4800 --data-dir DIR [--server URL --token T]`: browser mode alone.
 */
const usage = 'usage: npm run web -- [--port 4800] [--data-dir DIR] [--server URL] [--token TOKEN]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '4800' },
        'data-dir': { type: 'string' },
        server: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, got "${values.port}"\n${usage}`);
    process.exit(2);
  }
  const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
  const here = path.dirname(fileURLToPath(import.meta.url));
  // The core runs in its own worker thread (core-worker.js beside this bundle): this thread
  // only serves HTTP and forwards calls, answers and events.
  const core = await startCoreWorker({
    dataDir,
    ...(values.server ? { serverUrl: values.server } : {}),
    ...(values.token ? { token: values.token } : {}),
  });
  const host = await startWebHost({ core, port, rendererDir: path.join(here, '..', 'renderer') });
  console.log(`Lantern (browser mode) at ${host.url}  — data in ${dataDir}`);

  // Exit only once the core has closed the store and released the data folder's lock.
  const stop = async () => {
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`Lantern could not start: ${(err as Error).message}`);
  process.exit(1);
});
