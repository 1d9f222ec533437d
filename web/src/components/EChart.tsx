/** ECharts, imported modularly (only the charts and components used), rendered as SVG (crisp, printable, small). */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TitleComponent, AriaComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { downloadBlob, slug, stampSvg, svgToPng, unitsOf } from './chart-export.ts';

echarts.use([
  BarChart,
  LineChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TitleComponent,
  AriaComponent,
  SVGRenderer,
]);

// ECharts measures text on a canvas, so it needs a concrete font list ('inherit' would be measured as 10px sans-serif).
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

export type EChartsOption = echarts.EChartsCoreOption;

/**
 * Every chart carries PNG and SVG export buttons. The stamp: `title` (default: the chart's text alternative), `units`
 * (default: the axis names) and `source` (default: the source line of the panel the chart sits in, so pages need not
 * repeat it).
 */
export function EChart({
  option,
  height = 320,
  label,
  testId,
  title,
  units,
  source,
}: {
  option: EChartsOption;
  height?: number;
  label: string;
  testId?: string;
  title?: string;
  units?: string;
  source?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current, undefined, { renderer: 'svg' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, aria: { enabled: true, label: { description: label } }, textStyle: { fontFamily: FONT }, ...option }, true);
  }, [option, label]);
  const exportAs = async (kind: 'png' | 'svg') => {
    const c = chart.current;
    const el = ref.current;
    if (!c || !el) return;
    const width = el.clientWidth;
    const panel = el.closest('.panel, section, .fig');
    const sourceText = source ?? panel?.querySelector('.source')?.textContent?.trim() ?? null;
    const svg = stampSvg(c.renderToSVGString(), width, height, {
      title: title ?? label,
      units: units ?? unitsOf(option as Record<string, unknown>),
      source: sourceText,
      date: new Date().toISOString().slice(0, 10),
    });
    const name = slug(title ?? label);
    if (kind === 'svg') downloadBlob(new Blob([svg], { type: 'image/svg+xml' }), `${name}.svg`);
    else {
      const h = Number(/height="(\d+(?:\.\d+)?)"/.exec(svg)?.[1] ?? height);
      downloadBlob(await svgToPng(svg, width, h), `${name}.png`);
    }
  };
  return (
    <div className="chart-box">
      <div ref={ref} className="chart" style={{ height }} role="img" aria-label={label} data-testid={testId} />
      <div className="chart-export">
        <button type="button" className="btn small" onClick={() => void exportAs('png')} aria-label={`Download the chart “${title ?? label}” as PNG`}>
          PNG
        </button>
        <button type="button" className="btn small" onClick={() => void exportAs('svg')} aria-label={`Download the chart “${title ?? label}” as SVG`}>
          SVG
        </button>
      </div>
    </div>
  );
}
