/**
 * Mine → refine → end-use Sankey (d3-sankey layout, drawn as SVG). Widths are shares of each stage's world total
 * (mining links: share of world mine output; refining → use links: share of world refined output), so stages with
 * different units or bases line up; tooltips give tonnes.
 */
import { useMemo, useRef } from 'react';
import { SvgExport } from './SvgExport.tsx';
import { sankey, sankeyLinkHorizontal, type SankeyNode, type SankeyLink } from 'd3-sankey';
import type { MaterialFlows } from '../api.ts';
import { pct, quantity } from '../format.ts';

interface N {
  id: string;
  label: string;
  stage: string;
  tonnes: number;
}
interface L {
  source: string;
  target: string;
  value: number;
  tonnes: number;
}
const COLORS: Record<string, string> = { mining: '#8c510a', refining: '#1f5f8b', end_use: '#35978f' };

export function Sankey({ flows, testId }: { flows: MaterialFlows; testId?: string }) {
  const svgRef = useRef<SVGSVGElement>(null);
  const W = 900;
  const H = Math.max(320, Math.min(620, flows.nodes.length * 26));
  const layout = useMemo(() => {
    const totM = flows.nodes.filter((n) => n.stage === 'mining').reduce((s, n) => s + n.tonnes, 0);
    const totR = flows.nodes.filter((n) => n.stage === 'refining').reduce((s, n) => s + n.tonnes, 0);
    const nodes: N[] = flows.nodes.map((n) => ({ id: n.id, label: n.label, stage: n.stage, tonnes: n.tonnes }));
    const links: L[] = flows.links.map((l) => ({
      source: l.source,
      target: l.target,
      tonnes: l.tonnes,
      value: l.source.startsWith('m:') ? l.tonnes / totM : l.tonnes / totR,
    }));
    const gen = sankey<N, L>()
      .nodeId((d) => d.id)
      .nodeWidth(14)
      .nodePadding(8)
      .nodeSort((a, b) => (b.value ?? 0) - (a.value ?? 0))
      .extent([
        [150, 10],
        [W - 150, H - 26],
      ]);
    return gen({ nodes, links });
  }, [flows, H]);
  const path = sankeyLinkHorizontal<N, L>();
  const unitOf = (stage: string) => (stage === 'mining' ? flows.unit.mining : flows.unit.refining) ?? 't';
  const name = (n: SankeyNode<N, L> | string | number) => (typeof n === 'object' ? n.label : String(n));
  return (
    <>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${W} ${H}`}
        className="sankey"
        role="img"
        data-testid={testId}
        aria-label={`Flows of ${flows.material} in ${flows.year} from mining countries to refining countries${flows.endUse ? ' to end uses' : ''}; the table below lists the largest flows.`}
      >
        <g fill="none">
          {layout.links.map((l: SankeyLink<N, L>, i) => {
            const src = l.source as SankeyNode<N, L>;
            return (
              <path key={i} d={path(l) ?? ''} stroke={COLORS[src.stage]} strokeOpacity={0.28} strokeWidth={Math.max(1, l.width ?? 1)}>
                <title>{`${name(l.source)} → ${name(l.target)}: ${quantity(l.tonnes, unitOf(src.stage))} (${pct(l.value)} of world ${src.stage === 'mining' ? 'mine output' : 'refined output'})`}</title>
              </path>
            );
          })}
        </g>
        {layout.nodes.map((n) => {
          const x0 = n.x0 ?? 0;
          const x1 = n.x1 ?? 0;
          const y0 = n.y0 ?? 0;
          const y1 = n.y1 ?? 0;
          const left = n.stage === 'mining';
          const right = n.stage === 'end_use' || (n.stage === 'refining' && !flows.endUse);
          return (
            <g key={n.id}>
              <rect x={x0} y={y0} width={x1 - x0} height={Math.max(1, y1 - y0)} fill={COLORS[n.stage]}>
                <title>{`${n.label} (${n.stage.replace('_', ' ')}): ${n.stage === 'end_use' ? '' : quantity(n.tonnes, unitOf(n.stage)) + ', '}${pct(n.value)} of world`}</title>
              </rect>
              <text x={left ? x0 - 6 : right ? x1 + 6 : x1 + 6} y={(y0 + y1) / 2} dy="0.35em" textAnchor={left ? 'end' : 'start'} fontSize={12} fill="#222">
                {n.label} {pct(n.value, 0)}
              </text>
            </g>
          );
        })}
        <text x={150} y={H - 1} fontSize={11} fill="#555" textAnchor="middle">
          Mining
        </text>
        <text x={W / 2} y={H - 1} fontSize={11} fill="#555" textAnchor="middle">
          {flows.endUse ? 'Refining' : ''}
        </text>
        <text x={W - 150} y={H - 1} fontSize={11} fill="#555" textAnchor="middle">
          {flows.endUse ? 'End use' : 'Refining'}
        </text>
      </svg>
      <SvgExport
        svgRef={svgRef}
        title={`${flows.material}: mine → refinery${flows.endUse ? ' → end use' : ''} flows, ${flows.year}`}
        units="link widths: share of each stage's world total"
      />
    </>
  );
}
