import { parseArgs } from 'node:util';

export const USAGE = `usage: server --port PORT --db URL [--host HOST] [--log] [--no-seed] [--no-auto-approve]

  --port PORT   TCP port to listen on (0 picks a free one)
  --db URL      the server's database: a SQLite file path or sqlite:PATH (created if missing),
                or postgres://user:pass@host:port/db (PostgreSQL, migrated on start)
  --host HOST   interface to bind (default 127.0.0.1)
  --log         log requests to stdout
  --no-seed     do not seed the demo merchants into an empty database
  --no-auto-approve
                leave changed creatives in review until an admin decides (the demo
                approves them after 3 s; benchmarks turn that off so nothing changes
                on the server between two syncs)`;

export interface CliOptions {
  port: number;
  host: string;
  dbPath: string;
  log: boolean;
  seedDemo: boolean;
  /** null: no auto-approve rule (--no-auto-approve); absent: the demo's default. */
  autoApproveAfterMs?: null;
}

export type CliParse = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'error'; message: string };

/** Turns a --db value into a SQLite path, or explains why it cannot be used. */
export function parseDbUrl(value: string): { ok: true; path: string } | { ok: false; message: string } {
  if (/^postgres(?:ql)?:\/\//i.test(value)) return { ok: true, path: value };
  const path = value.startsWith('sqlite:') ? value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : value;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    return { ok: false, message: `unsupported database "${value}": use a file path, sqlite:PATH or postgres://…` };
  }
  if (path.trim() === '') return { ok: false, message: '--db needs a file path' };
  return { ok: true, path };
}

export function parseCliArgs(argv: readonly string[]): CliParse {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        db: { type: 'string' },
        host: { type: 'string' },
        log: { type: 'boolean' },
        'no-seed': { type: 'boolean' },
        'no-auto-approve': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
  }
  if (values.help) return { kind: 'help' };
  if (values.port === undefined) return { kind: 'error', message: 'missing --port' };
  if (!/^\d{1,5}$/.test(values.port) || Number(values.port) > 65535) {
    return { kind: 'error', message: `--port must be a whole number from 0 to 65535, got "${values.port}"` };
  }
  if (values.db === undefined) return { kind: 'error', message: 'missing --db' };
  const db = parseDbUrl(values.db);
  if (!db.ok) return { kind: 'error', message: db.message };
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') return { kind: 'error', message: '--host must not be empty' };
  return {
    kind: 'run',
    options: {
      port: Number(values.port),
      host,
      dbPath: db.path,
      log: values.log ?? false,
      seedDemo: !values['no-seed'],
      ...(values['no-auto-approve'] ? { autoApproveAfterMs: null } : {}),
    },
  };
}
