/**
 * World choropleth of country shares (world-atlas countries-110m + d3-geo, Equal Earth projection).
 * world-atlas ids are ISO 3166 numeric codes; countries.json holds them (m49, without leading zeros) for each ISO3.
 */
import { useMemo, useRef } from 'react';
import { SvgExport } from './SvgExport.tsx';
import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import countries from '../../../src/data/countries.json';
import { pct } from '../format.ts';

const W = 960;
const H = 470;
const ISO3_BY_NUM = new Map<number, string>((countries as Array<{ id: string; m49: string | null }>).filter((c) => c.m49).map((c) => [Number(c.m49), c.id]));

interface Shape {
  iso3: string | null;
  name: string;
  d: string;
}
let shapes: Shape[] | null = null;
function worldShapes(): Shape[] {
  if (shapes) return shapes;
  const topo = world as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.countries);
  const projection = geoEqualEarth().fitExtent(
    [
      [4, 4],
      [W - 4, H - 4],
    ],
    { type: 'Sphere' },
  );
  const path = geoPath(projection);
  shapes = fc.features
    .filter((f) => f.properties?.name !== 'Antarctica')
    .map((f) => ({ iso3: f.id !== undefined ? (ISO3_BY_NUM.get(Number(f.id)) ?? null) : null, name: f.properties?.name ?? '', d: path(f) ?? '' }));
  return shapes;
}
const sphere = () =>
  geoPath(
    geoEqualEarth().fitExtent(
      [
        [4, 4],
        [W - 4, H - 4],
      ],
      { type: 'Sphere' },
    ),
  )({ type: 'Sphere' }) ?? '';

export const BINS: Array<{ min: number; color: string; label: string }> = [
  { min: 0.5, color: '#08306b', label: '≥ 50%' },
  { min: 0.25, color: '#2171b5', label: '25–50%' },
  { min: 0.1, color: '#4292c6', label: '10–25%' },
  { min: 0.05, color: '#6baed6', label: '5–10%' },
  { min: 0.01, color: '#9ecae1', label: '1–5%' },
  { min: 0, color: '#c6dbef', label: '< 1%' },
];
const colorOf = (s: number) => BINS.find((b) => s >= b.min)!.color;

export function Choropleth({
  shares,
  title,
  testId,
}: {
  shares: Array<{ countryId: string; country: string; share: number }>;
  title: string;
  testId?: string;
}) {
  const svgRef = useRef<SVGSVGElement>(null);
  const byIso = useMemo(() => new Map(shares.map((s) => [s.countryId, s])), [shares]);
  const list = worldShapes();
  const top = shares
    .slice(0, 3)
    .map((s) => `${s.country} ${pct(s.share)}`)
    .join(', ');
  return (
    <figure className="map" data-testid={testId}>
      <svg ref={svgRef} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}. Largest: ${top}. The table of top producers lists every share.`}>
        <path d={sphere()} className="sphere" />
        {list.map((s, i) => {
          const v = s.iso3 ? byIso.get(s.iso3) : undefined;
          return (
            <path key={i} d={s.d} fill={v ? colorOf(v.share) : '#e4e4e4'} stroke="#fff" strokeWidth={0.5} data-iso3={s.iso3 ?? undefined}>
              <title>{v ? `${v.country}: ${pct(v.share)}` : `${s.name}: no production reported`}</title>
            </path>
          );
        })}
      </svg>
      <figcaption className="legend" aria-label="Map legend: share of world total">
        <span className="legend-title">Share of world:</span>
        {BINS.slice()
          .reverse()
          .map((b) => (
            <span key={b.label} className="legend-item">
              <span className="swatch" style={{ background: b.color }} aria-hidden="true" />
              {b.label}
            </span>
          ))}
        <span className="legend-item">
          <span className="swatch" style={{ background: '#e4e4e4' }} aria-hidden="true" />
          none reported
        </span>
      </figcaption>
      <SvgExport svgRef={svgRef} title={title} units="share of world total (bins: < 1%, 1–5%, 5–10%, 10–25%, 25–50%, ≥ 50%)" />
    </figure>
  );
}
