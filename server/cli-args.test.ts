import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args';

describe('server CLI arguments', () => {
  it('accepts a port, a path or sqlite:PATH, and a host', () => {
    expect(parseCliArgs(['--port', '4900', '--db', '/tmp/a.sqlite'])).toEqual({
      kind: 'run',
      options: { port: 4900, host: '127.0.0.1', dbPath: '/tmp/a.sqlite', log: false, seedDemo: true },
    });
    expect(parseCliArgs(['--port', '0', '--db', 'sqlite:/tmp/b.sqlite', '--host', '0.0.0.0', '--log', '--no-seed'])).toEqual({
      kind: 'run',
      options: { port: 0, host: '0.0.0.0', dbPath: '/tmp/b.sqlite', log: true, seedDemo: false },
    });
    expect(parseCliArgs(['--port=1', '--db=sqlite:///var/x.db'])).toMatchObject({ options: { dbPath: '/var/x.db' } });
    expect(parseCliArgs(['--port', '1', '--db', 'x', '--no-auto-approve'])).toMatchObject({ options: { autoApproveAfterMs: null } });
    for (const url of ['postgres://u:p@127.0.0.1:5432/lantern', 'postgresql://u@h/db']) {
      expect(parseCliArgs(['--port', '1', '--db', url])).toMatchObject({ kind: 'run', options: { dbPath: url } });
    }
  });

  it('explains bad or missing flags', () => {
    const cases: [string[], RegExp][] = [
      [[], /missing --port/],
      [['--port', '4900'], /missing --db/],
      [['--port', 'abc', '--db', 'x'], /--port must be/],
      [['--port', '70000', '--db', 'x'], /--port must be/],
      [['--port', '1', '--db', 'x', '--bogus'], /bogus/],
      [['--port', '1', '--db', 'mysql://h/db'], /unsupported database/],
    ];
    for (const [argv, message] of cases) {
      const r = parseCliArgs(argv);
      expect(r.kind, argv.join(' ')).toBe('error');
      if (r.kind === 'error') expect(r.message).toMatch(message);
    }
    expect(parseCliArgs(['--help'])).toEqual({ kind: 'help' });
  });
});
