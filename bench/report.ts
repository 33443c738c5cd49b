import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/**
 * Benchmark reports (shared/docs/benchmarks.md): a human table on stdout and
 * bench/results/<suite>.json in the documented shape. Metric names are an interface: issues
 * name the ones they need, so suites keep them stable.
 */

export type Better = 'lower' | 'higher';

/** One metric as written to the JSON report. */
export interface Metric {
  name: string;
  /** Median of `runs` measurements taken after a warm-up. */
  value: number;
  unit: string;
  target: number;
  better: Better;
  runs: number;
}

/** A metric as a suite measures it: the report's fields plus the spread for the table. */
export interface MeasuredMetric extends Metric {
  min: number;
  max: number;
}

export interface Report {
  suite: string;
  node: string;
  cpus: number;
  metrics: Metric[];
}

/** Median of the samples (mean of the two middle ones for an even count). */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError('median of no samples');
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Rounds a reported value: one decimal, like the examples in benchmarks.md. */
export function roundValue(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Builds a metric from raw samples (median as the value, min and max for the table). */
export function measured(
  name: string,
  samples: readonly number[],
  spec: { unit: string; target: number; better: Better },
): MeasuredMetric {
  return {
    name,
    value: roundValue(median(samples)),
    unit: spec.unit,
    target: spec.target,
    better: spec.better,
    runs: samples.length,
    min: roundValue(Math.min(...samples)),
    max: roundValue(Math.max(...samples)),
  };
}

export function passes(m: Metric): boolean {
  return m.better === 'lower' ? m.value <= m.target : m.value >= m.target;
}

export function buildReport(suite: string, metrics: readonly Metric[], env?: { node: string; cpus: number }): Report {
  return {
    suite,
    node: env?.node ?? process.version,
    cpus: env?.cpus ?? cpus().length,
    // exactly the documented fields, in the documented order
    metrics: metrics.map((m) => ({
      name: m.name,
      value: m.value,
      unit: m.unit,
      target: m.target,
      better: m.better,
      runs: m.runs,
    })),
  };
}

/** Problems with a parsed report (empty when it has the shape of benchmarks.md). */
export function validateReport(x: unknown): string[] {
  const errors: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(x)) return ['report is not an object'];
  if (typeof x.suite !== 'string' || x.suite === '') errors.push('suite must be a non-empty string');
  if (typeof x.node !== 'string' || !/^v\d+\.\d+\.\d+/.test(x.node)) errors.push('node must be a version like v20.20.2');
  if (typeof x.cpus !== 'number' || !Number.isInteger(x.cpus) || x.cpus < 1) errors.push('cpus must be a positive integer');
  if (!Array.isArray(x.metrics) || x.metrics.length === 0) {
    errors.push('metrics must be a non-empty array');
    return errors;
  }
  const names = new Set<string>();
  x.metrics.forEach((m: unknown, i: number) => {
    const at = `metrics[${i}]`;
    if (!isObj(m)) {
      errors.push(`${at} is not an object`);
      return;
    }
    const keys = Object.keys(m).sort().join(',');
    if (keys !== 'better,name,runs,target,unit,value') errors.push(`${at} has fields ${keys}`);
    if (typeof m.name !== 'string' || !/^[a-z0-9_]+$/.test(m.name)) errors.push(`${at}.name must be snake_case`);
    else if (names.has(m.name)) errors.push(`${at}.name ${m.name} is repeated`);
    else names.add(m.name);
    if (typeof m.value !== 'number' || !Number.isFinite(m.value)) errors.push(`${at}.value must be a finite number`);
    if (typeof m.unit !== 'string' || m.unit === '') errors.push(`${at}.unit must be a non-empty string`);
    if (typeof m.target !== 'number' || !Number.isFinite(m.target)) errors.push(`${at}.target must be a finite number`);
    if (m.better !== 'lower' && m.better !== 'higher') errors.push(`${at}.better must be "lower" or "higher"`);
    if (typeof m.runs !== 'number' || !Number.isInteger(m.runs) || m.runs < 1) errors.push(`${at}.runs must be a positive integer`);
  });
  return errors;
}

/** Writes <dir>/<suite>.json (creating dir) and returns its path. */
export function writeReport(dir: string, report: Report): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${report.suite}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(v);
}

/** The human table: metric, median, min–max, target, pass/fail. */
export function formatTable(suite: string, metrics: readonly MeasuredMetric[]): string {
  const header = ['metric', 'median', 'min–max', 'target', 'result'];
  const rows = metrics.map((m) => [
    m.name,
    `${fmt(m.value)} ${m.unit}`,
    `${fmt(m.min)}–${fmt(m.max)}`,
    `${m.better === 'lower' ? '≤' : '≥'} ${fmt(m.target)}`,
    passes(m) ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  return [`suite ${suite}`, line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
