import { useEffect, useState } from 'react';
import type { ChartTheme } from './chartOptions';

const cssVar = (style: CSSStyleDeclaration, name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;

/** The app's colours (styles.css variables), so charts follow light / dark like the rest of the UI. */
export function readTheme(scale = 1): ChartTheme {
  const s = getComputedStyle(document.documentElement);
  return {
    fg: cssVar(s, '--fg', '#1d1d1f'),
    muted: cssVar(s, '--muted', '#66666e'),
    line: cssVar(s, '--line', '#e2e2e6'),
    accent: cssVar(s, '--accent', '#d9480f'),
    panel: cssVar(s, '--panel', '#ffffff'),
    palette: ['#3b7ddd', '#2f9e44', '#ae3ec9', '#f08c00'],
    scale,
  };
}

/** Paper is white: the PDF report prints in the light colours whatever the screen's theme. */
export const PRINT_THEME: ChartTheme = { fg: '#1d1d1f', muted: '#55555d', line: '#d0d0d6', accent: '#d9480f', panel: '#ffffff', palette: ['#3b7ddd', '#2f9e44', '#ae3ec9', '#f08c00'], scale: 1, interactive: false };

/** Re-reads the colours when the system scheme flips or the app switches theme on <html>. */
export function useChartTheme(scale = 1): ChartTheme {
  const [theme, setTheme] = useState(() => readTheme(scale));
  useEffect(() => {
    const update = () => setTheme(readTheme(scale));
    update();
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    mq?.addEventListener('change', update);
    const mo = new MutationObserver(update);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });
    return () => {
      mq?.removeEventListener('change', update);
      mo.disconnect();
    };
  }, [scale]);
  return theme;
}
