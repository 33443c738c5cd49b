import { BarChart, LineChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ForecastOutput } from '../../../../shared/contract';
import { locale } from '../../i18n';
import { hourLabels } from './hours';

// SVG keeps the chart crisp when projected and lets tests read the drawn series.
echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, SVGRenderer]);

export function ForecastChart({ forecast }: { forecast: ForecastOutput }) {
  const { t, i18n } = useTranslation();
  const el = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!el.current) return;
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
    const chart = echarts.init(el.current, dark ? 'dark' : undefined, { renderer: 'svg', locale: i18n.language === 'zh' ? 'ZH' : 'EN' });
    const fmt = new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 });
    const band = forecast.bands.impressions;
    chart.setOption({
      animation: false,
      backgroundColor: 'transparent',
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('forecast.impressions'), t('forecast.band'), t('forecast.spend')] },
      grid: { left: 64, right: 64, top: 36, bottom: 64 },
      dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
      xAxis: { type: 'category', data: hourLabels(forecast.startDate, forecast.hours), name: t('forecast.hour') },
      yAxis: [
        { type: 'value', name: t('forecast.impressions'), axisLabel: { formatter: (v: number) => fmt.format(v) } },
        { type: 'value', name: t('forecast.spend'), axisLabel: { formatter: (v: number) => fmt.format(v) } },
      ],
      series: [
        // p10–p90 band: an invisible p10 line with the band's width stacked on top of it as an area
        { id: 'band-low', type: 'line', stack: 'band', showSymbol: false, silent: true, lineStyle: { opacity: 0 }, tooltip: { show: false }, data: band.p10 },
        {
          id: 'band',
          name: t('forecast.band'),
          type: 'line',
          stack: 'band',
          showSymbol: false,
          silent: true,
          lineStyle: { opacity: 0 },
          areaStyle: { opacity: 0.25 },
          tooltip: { show: false },
          data: band.p90.map((hi, h) => hi - (band.p10[h] ?? 0)),
        },
        { id: 'impressions', name: t('forecast.impressions'), type: 'line', showSymbol: false, data: forecast.impressions },
        { id: 'spend', name: t('forecast.spend'), type: 'bar', yAxisIndex: 1, data: forecast.spendFen.map((f) => f / 100) },
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [forecast, t, i18n.language]);

  return <div ref={el} className="chart" data-testid="forecast-chart" role="img" aria-label={t('forecast.heading', { days: forecast.days })} />;
}
