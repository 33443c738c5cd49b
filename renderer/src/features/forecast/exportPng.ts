import { chartRegistry } from './chartRegistry';

export interface PngHeader {
  brand: string;
  /** The brand's logo (a checked data: URL), drawn before the title; null: none. */
  logo: string | null;
  title: string;
  subtitle: string;
  background: string;
  foreground: string;
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('a chart could not be drawn for export'));
    img.src = src;
  });
}

/**
 * One PNG of the charts on screen (two per row, the hourly one full width) under a header with
 * the brand and plan: each chart's own SVG export (echarts getDataURL) drawn on a canvas.
 */
export async function composePng(header: PngHeader, ids: string[]): Promise<string> {
  const charts = chartRegistry.entries().filter(([id]) => ids.includes(id));
  const ratio = 2;
  const width = 1600;
  const pad = 24;
  const colW = (width - pad * 3) / 2;
  const headerH = 96;
  const titleH = 28;
  const layout: { x: number; y: number; w: number; h: number; title: string; src: string }[] = [];
  let y = headerH;
  let col = 0;
  for (const [id, chart] of charts) {
    const dom = chart.getDom();
    const title = dom.getAttribute('aria-label') ?? id;
    const full = dom.closest('.fc-wide') !== null;
    if (full && col === 1) {
      y += layout[layout.length - 1]!.h + titleH + pad;
      col = 0;
    }
    const w = full ? width - pad * 2 : colW;
    const h = Math.round((w * dom.clientHeight) / Math.max(1, dom.clientWidth));
    layout.push({ x: pad + (full ? 0 : col * (colW + pad)), y: y + titleH, w, h, title, src: chart.getDataURL({ type: 'svg' }) });
    if (full || col === 1) {
      y += h + titleH + pad;
      col = 0;
    } else col = 1;
  }
  if (col === 1) y += layout[layout.length - 1]!.h + titleH + pad;
  const canvas = document.createElement('canvas');
  canvas.width = width * ratio;
  canvas.height = Math.max(y, headerH + pad) * ratio;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('this browser cannot draw a canvas');
  g.scale(ratio, ratio);
  g.fillStyle = header.background;
  g.fillRect(0, 0, width, y);
  let textX = pad;
  if (header.logo) {
    // Fitted into a 64 px tall box, at most three times as wide, beside the title.
    const img = await loadImage(header.logo);
    const h = 64;
    const w = Math.min(h * 3, (img.naturalWidth / Math.max(1, img.naturalHeight)) * h);
    g.drawImage(img, pad, (headerH - h) / 2, w, h);
    textX += w + 16;
  }
  g.fillStyle = header.foreground;
  g.font = 'bold 28px system-ui, "PingFang SC", "Noto Sans CJK SC", sans-serif';
  g.fillText(`${header.brand} · ${header.title}`, textX, 44);
  g.font = '18px system-ui, "PingFang SC", "Noto Sans CJK SC", sans-serif';
  g.fillText(header.subtitle, textX, 76);
  const images = await Promise.all(layout.map((l) => loadImage(l.src)));
  layout.forEach((l, i) => {
    g.font = 'bold 18px system-ui, "PingFang SC", "Noto Sans CJK SC", sans-serif';
    g.fillText(l.title, l.x, l.y - 8);
    g.drawImage(images[i]!, l.x, l.y, l.w, l.h);
  });
  return canvas.toDataURL('image/png');
}

export function download(dataUrl: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
}
