/**
 * Chart export with the title, units and source stamped on the image (issue 17): the chart's own SVG (ECharts' SVG
 * renderer, `renderToSVGString`) is placed inside a larger SVG with a title above and units, source and date below; the
 * PNG is that SVG drawn on a canvas at twice the size. A figure pasted into a note keeps its provenance.
 */
export interface ChartStamp {
  title: string;
  units: string | null;
  source: string | null;
  date: string;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** Greedy word wrap at about `chars` characters a line (12 px text is about 6.4 px a character). */
export function wrap(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (line && (line + ' ' + w).length > chars) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

/** The chart SVG with a title above and units, source and date below, as one standalone SVG document. */
export function stampSvg(chartSvg: string, width: number, height: number, s: ChartStamp): string {
  const pad = 12;
  const chars = Math.max(40, Math.floor((width - 2 * pad) / 6.4));
  const titleLines = wrap(s.title, Math.floor(chars * 0.8));
  const foot = [
    ...(s.units ? wrap(`Units: ${s.units}`, chars) : []),
    ...wrap(`Source: ${s.source ?? 'not recorded on the page'}`, chars),
    `Chokepoint, exported ${s.date}`,
  ];
  const top = pad + titleLines.length * 20;
  const total = top + height + pad + foot.length * 16 + pad;
  // The chart's own <svg> root is nested as is (its width/height attributes keep its size), shifted below the title.
  const inner = chartSvg.replace(/^<\?xml[^>]*>/, '').replace(/<svg\b/, `<svg x="0" y="${top}"`);
  const text = (lines: string[], y0: number, dy: number, attrs: string) =>
    lines.map((l, i) => `<text x="${pad}" y="${y0 + i * dy}" ${attrs}>${esc(l)}</text>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" viewBox="0 0 ${width} ${total}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif">` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    text(titleLines, pad + 15, 20, 'font-size="16" font-weight="700" fill="#1b1f24"') +
    inner +
    text(foot, top + height + pad + 12, 16, 'font-size="12" fill="#444c55"') +
    `</svg>`
  );
}

/** Rasterise a standalone SVG to a PNG blob at `scale` × its size. */
export function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) return reject(new Error('no 2D canvas'));
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0, width, height);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png');
    };
    img.onerror = () => reject(new Error('the chart SVG could not be drawn'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  });
}

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Axis names of an ECharts option, as the units line ("x: date; y: share of world supply (%)"). */
export function unitsOf(option: Record<string, unknown>): string | null {
  const names = (axis: unknown): string[] =>
    (Array.isArray(axis) ? axis : axis ? [axis] : []).map((a) => (a as { name?: unknown }).name).filter((n): n is string => typeof n === 'string' && !!n);
  const parts = [...names(option.xAxis).map((n) => `x: ${n}`), ...names(option.yAxis).map((n) => `y: ${n}`)];
  return parts.length ? parts.join('; ') : null;
}

export const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'chart';
