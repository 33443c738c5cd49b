import type { MeasuredMetric } from './report';

export interface SuiteOptions {
  /** Few iterations: a smoke run for `npm test` (the whole quick run stays under 15 s). */
  quick: boolean;
  log: (message: string) => void;
}

/** A benchmark suite: `npm run bench -- <name>`. Its metric names are part of the interface. */
export interface Suite {
  name: string;
  description: string;
  run(opts: SuiteOptions): Promise<MeasuredMetric[]>;
}
