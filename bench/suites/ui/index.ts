import type { MeasuredMetric } from '../../report';
import type { Suite, SuiteOptions } from '../../suite';
import { gridScrollFps } from './grid_scroll_fps';
import { startToInteractive } from './start_to_interactive';
import { sliderRedrawMs } from './slider_redraw_ms';

/**
 * The ui suite (shared/docs/benchmarks.md): the renderer in a real headless Chromium through
 * browser mode. Metric names are fixed by the issues that ask for them:
 * start_to_interactive_ms and grid_scroll_fps (issue 6), slider_redraw_ms (issue 7).
 *
 * Each metric lives in its own module (`./<metric>.ts`) exporting a UiMetric and opens its own
 * app with `openApp` from ./app, so the metrics stay independent.
 */
export interface UiMetric {
  name: string;
  measure(opts: SuiteOptions): Promise<MeasuredMetric>;
}

const UI_METRICS: readonly UiMetric[] = [startToInteractive, gridScrollFps, sliderRedrawMs];

export const uiSuite: Suite = {
  name: 'ui',
  description: 'the renderer in headless Chromium through browser mode: start, grid scroll, forecast slider redraw',
  async run(opts) {
    const out: MeasuredMetric[] = [];
    for (const metric of UI_METRICS) {
      opts.log(`ui: ${metric.name}`);
      out.push(await metric.measure(opts));
    }
    return out;
  },
};
