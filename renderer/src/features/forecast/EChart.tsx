import { BarChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { chartRegistry } from './chartRegistry';

// SVG keeps the charts crisp when projected and printed, and lets tests read what was drawn.
echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent, SVGRenderer]);

export interface EChartProps {
  /** Names the chart for export (PNG) and tests. */
  id: string;
  option: Record<string, unknown>;
  /** The accessible name; the text summary is linked with aria-describedby. */
  label: string;
  describedBy: string;
  testId?: string;
  data?: Record<`data-${string}`, string | number>;
  className?: string;
}

/**
 * One echarts instance per mounted chart: created once per language (echarts' own locale for
 * its built-in texts), then updated in place, so a slider drag is a setOption, not a re-init.
 */
export function EChart({ id, option, label, describedBy, testId, data, className }: EChartProps) {
  const { i18n } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const drawn = useRef(0);

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    const c = echarts.init(node, undefined, { renderer: 'svg', locale: i18n.language === 'zh' ? 'ZH' : 'EN' });
    chart.current = c;
    const unregister = chartRegistry.add(id, c);
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(node);
    return () => {
      ro.disconnect();
      unregister();
      c.dispose();
      chart.current = null;
    };
  }, [id, i18n.language]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !el.current) return;
    // notMerge: a removed series (spend bars when spend is the metric) must go away.
    c.setOption(option, { notMerge: true });
    drawn.current += 1;
    el.current.dataset.drawn = String(drawn.current);
  }, [option, i18n.language]);

  return <div ref={el} className={className ?? 'fc-chart'} role="img" aria-label={label} aria-describedby={describedBy} data-testid={testId} data-chart={id} {...data} />;
}
