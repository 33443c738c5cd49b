import type { ECharts } from 'echarts/core';

/** The mounted charts by id, in mount order: the PNG export composes them. */
class ChartRegistry {
  private readonly charts = new Map<string, ECharts>();
  add(id: string, chart: ECharts): () => void {
    this.charts.set(id, chart);
    return () => {
      if (this.charts.get(id) === chart) this.charts.delete(id);
    };
  }
  entries(): [string, ECharts][] {
    return [...this.charts.entries()];
  }
}

export const chartRegistry = new ChartRegistry();
