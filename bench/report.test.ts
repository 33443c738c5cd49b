import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, formatTable, measured, median, passes, validateReport, writeReport } from './report';

describe('median', () => {
  it('takes the middle of unsorted samples, the mean of the two middles for an even count', () => {
    expect(median([5])).toBe(5);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 1, 1000, 7, 8])).toBe(8);
    expect(() => median([])).toThrow(RangeError);
  });

  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
});

describe('reports', () => {
  const metrics = [
    measured('forecast_7d_ms', [90.04, 80.01, 120.3, 85.5, 81.2], { unit: 'ms', target: 200, better: 'lower' }),
    measured('auctions_per_sec', [2e7, 1.9e7, 2.1e7], { unit: 'auctions/s', target: 1e6, better: 'higher' }),
    measured('rss_mb', [300], { unit: 'MB', target: 256, better: 'lower' }),
  ];

  it('measures the median after the warm-up, with the spread for the table', () => {
    expect(metrics[0]).toMatchObject({ value: 85.5, runs: 5, min: 80, max: 120.3 });
    expect(metrics.map(passes)).toEqual([true, true, false]);
  });

  it('builds exactly the JSON shape of benchmarks.md', () => {
    const report = buildReport('engine', metrics, { node: 'v20.20.2', cpus: 2 });
    expect(report).toEqual({
      suite: 'engine',
      node: 'v20.20.2',
      cpus: 2,
      metrics: [
        { name: 'forecast_7d_ms', value: 85.5, unit: 'ms', target: 200, better: 'lower', runs: 5 },
        { name: 'auctions_per_sec', value: 2e7, unit: 'auctions/s', target: 1e6, better: 'higher', runs: 3 },
        { name: 'rss_mb', value: 300, unit: 'MB', target: 256, better: 'lower', runs: 1 },
      ],
    });
    expect(Object.keys(report)).toEqual(['suite', 'node', 'cpus', 'metrics']);
    expect(Object.keys(report.metrics[0]!)).toEqual(['name', 'value', 'unit', 'target', 'better', 'runs']);
    expect(validateReport(report)).toEqual([]);
    // the real environment fills node and cpus
    expect(validateReport(buildReport('engine', metrics))).toEqual([]);
  });

  it('accepts the example of benchmarks.md and rejects malformed reports', () => {
    const example = {
      suite: 'store',
      node: 'v20.20.2',
      cpus: 2,
      metrics: [
        { name: 'bulk_edit_100k_ms', value: 212.4, unit: 'ms', target: 300, better: 'lower', runs: 5 },
        { name: 'bulk_edit_vs_sqlite_cli', value: 1.6, unit: 'ratio', target: 2, better: 'lower', runs: 5 },
      ],
    };
    expect(validateReport(example)).toEqual([]);
    expect(validateReport(null)).not.toEqual([]);
    expect(validateReport({ ...example, metrics: [] })).not.toEqual([]);
    expect(validateReport({ ...example, cpus: 0 })).not.toEqual([]);
    expect(validateReport({ ...example, metrics: [{ ...example.metrics[0], better: 'more' }] })).not.toEqual([]);
    expect(validateReport({ ...example, metrics: [{ ...example.metrics[0], min: 1 }] })).not.toEqual([]);
    expect(validateReport({ ...example, metrics: [example.metrics[0], example.metrics[0]] })).not.toEqual([]);
  });

  it('writes <dir>/<suite>.json that reads back valid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lantern-bench-'));
    try {
      const file = writeReport(join(dir, 'bench', 'results'), buildReport('engine', metrics));
      expect(file).toBe(join(dir, 'bench', 'results', 'engine.json'));
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      expect(validateReport(parsed)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('formats a table with median, min–max, target and pass/fail', () => {
    const table = formatTable('engine', metrics);
    const lines = table.split('\n');
    expect(lines[1]).toMatch(/^metric\s+median\s+min–max\s+target\s+result$/);
    expect(table).toContain('forecast_7d_ms');
    expect(table).toMatch(/85\.5 ms\s+80–120\.3\s+≤ 200\s+pass/);
    expect(table).toMatch(/rss_mb .*FAIL/);
  });
});
