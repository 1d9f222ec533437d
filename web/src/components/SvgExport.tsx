/** PNG/SVG export for the hand-drawn SVG charts (world map, Sankey), stamped like the ECharts ones (chart-export.ts). */
import type { RefObject } from 'react';
import { downloadBlob, slug, stampSvg, svgToPng } from './chart-export.ts';

export function SvgExport({ svgRef, title, units }: { svgRef: RefObject<SVGSVGElement | null>; title: string; units: string }) {
  const run = async (kind: 'png' | 'svg') => {
    const el = svgRef.current;
    if (!el) return;
    const width = Math.round(el.clientWidth || el.viewBox.baseVal.width);
    const height = Math.round(el.clientHeight || el.viewBox.baseVal.height);
    const clone = el.cloneNode(true) as SVGSVGElement;
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    clone.setAttribute('width', String(width));
    clone.setAttribute('height', String(height));
    const source = el.closest('.panel, section')?.querySelector('.source')?.textContent?.trim() ?? null;
    const svg = stampSvg(new XMLSerializer().serializeToString(clone), width, height, { title, units, source, date: new Date().toISOString().slice(0, 10) });
    if (kind === 'svg') downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), `${slug(title)}.svg`);
    else downloadBlob(await svgToPng(svg, width, Number(/height="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? height)), `${slug(title)}.png`);
  };
  return (
    <div className="chart-export">
      <button type="button" className="btn small" onClick={() => void run('png')} aria-label={`Download the chart “${title}” as PNG`}>
        PNG
      </button>
      <button type="button" className="btn small" onClick={() => void run('svg')} aria-label={`Download the chart “${title}” as SVG`}>
        SVG
      </button>
    </div>
  );
}
