/** The Criticality page's charts: the EU matrix (EI × SR with thresholds and SR bands) and the DOE matrix. */
import * as echarts from 'echarts/core';
import { LabelLayout } from 'echarts/features';
import type { EChartsOption } from '../../components/EChart.tsx';
import { fixed } from '../../format.ts';
import type { Band } from '../../../../src/engine/criticality/index.ts';
import { CLASS_COLOR, EI_T, SR_T, bandText, esc, stageName, yesNo } from './common.ts';

// Label layout (hideOverlap) for the matrix labels: not registered by EChart.tsx, registered here (global, idempotent).
echarts.use([LabelLayout]);
// ---------------------------------------------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------------------------------------------

export interface EuPoint {
  id: string;
  name: string;
  ei: number;
  sr: number;
  critical: boolean | null;
  bottleneck: string | null;
  srBand: Band | null;
  eiBand: Band | null;
  group: boolean;
  official: string | null; // "yes", "no", "via HREE"; null when there is no official list for this view
}

export function euOption(pts: EuPoint[], sampled: boolean): EChartsOption {
  const xMax = Math.ceil(Math.max(EI_T + 1, ...pts.map((p) => p.ei)) + 0.3);
  const yMax = Math.ceil(Math.max(SR_T + 1, ...pts.map((p) => Math.max(p.sr, p.srBand?.p95 ?? 0))) + 0.2);
  const by = new Map(pts.map((p) => [p.id, p]));
  const item = (p: EuPoint) => ({ value: [p.ei, p.sr], name: p.name, id: p.id });
  const label = { show: true, formatter: '{b}', position: 'right', fontSize: 11, color: '#1b1f24' };
  const crit = pts.filter((p) => !p.group && p.critical === true);
  const rest = pts.filter((p) => !p.group && p.critical !== true);
  const groups = pts.filter((p) => p.group);
  const series: unknown[] = [
    {
      name: 'thresholds',
      type: 'scatter',
      data: [],
      silent: true,
      markArea: {
        silent: true,
        itemStyle: { color: 'rgba(178, 24, 43, 0.08)' },
        label: { position: 'insideTopRight', color: '#8a1020', fontWeight: 600 },
        data: [
          [
            { name: `critical: SR ≥ ${SR_T.toFixed(1)} and EI ≥ ${EI_T.toFixed(1)}`, xAxis: EI_T, yAxis: SR_T },
            { xAxis: xMax, yAxis: yMax },
          ],
        ],
      },
      markLine: {
        silent: true,
        symbol: ['none', 'none'],
        lineStyle: { type: 'dashed', color: '#3d444c', width: 1.5 },
        label: { color: '#1b1f24', fontWeight: 600 },
        data: [
          { xAxis: EI_T, label: { formatter: `EI = ${EI_T.toFixed(1)}`, position: 'end' } },
          { yAxis: SR_T, label: { formatter: `SR = ${SR_T.toFixed(1)}`, position: 'insideEndTop' } },
        ],
      },
    },
    {
      name: 'critical',
      type: 'scatter',
      data: crit.map(item),
      symbolSize: 9,
      itemStyle: { color: CLASS_COLOR.critical },
      label,
      labelLayout: { hideOverlap: true },
      z: 3,
    },
    { name: 'not critical', type: 'scatter', data: rest.map(item), symbolSize: 8, itemStyle: { color: CLASS_COLOR['not critical'], opacity: 0.85 }, z: 2 },
  ];
  if (groups.length)
    series.push({
      name: 'group (mean of members)',
      type: 'scatter',
      symbol: 'diamond',
      symbolSize: 13,
      data: groups.map(item),
      itemStyle: { color: '#5e3c99' },
      label,
      labelLayout: { hideOverlap: true },
      z: 4,
    });
  if (sampled)
    series.push({
      name: 'SR p5–p95',
      type: 'scatter',
      data: [],
      itemStyle: { color: '#7a8591' },
      markLine: {
        silent: true,
        symbol: ['none', 'none'],
        label: { show: false },
        lineStyle: { color: '#7a8591', width: 1.2, type: 'solid', opacity: 0.8 },
        data: pts.filter((p) => p.srBand).map((p) => [{ coord: [p.ei, p.srBand!.p5] }, { coord: [p.ei, p.srBand!.p95] }]),
      },
    });
  return {
    grid: { left: 62, right: 40, top: 56, bottom: 56 },
    legend: { top: 0, data: ['critical', 'not critical', ...(groups.length ? ['group (mean of members)'] : []), ...(sampled ? ['SR p5–p95'] : [])] },
    tooltip: {
      trigger: 'item',
      formatter: (p: { data?: { id?: string } }) => {
        const x = p.data?.id ? by.get(p.data.id) : undefined;
        if (!x) return '';
        return [
          `<b>${esc(x.name)}</b>${x.group ? ' (mean of members)' : ''}`,
          `SR ${fixed(x.sr)}${x.srBand ? ` (p5–p95 ${bandText(x.srBand)})` : ''}`,
          `EI ${fixed(x.ei)}${x.eiBand ? ` (p5–p95 ${bandText(x.eiBand)})` : ''}`,
          `bottleneck stage: ${stageName(x.bottleneck)}`,
          `critical: ${yesNo(x.critical)}${x.official ? ` · official EU 2023 list: ${esc(x.official)}` : ''}`,
        ].join('<br>');
      },
    },
    xAxis: { type: 'value', name: 'Economic importance (EI)', nameLocation: 'middle', nameGap: 30, min: 0, max: xMax },
    yAxis: { type: 'value', name: 'Supply risk (SR)', nameLocation: 'middle', nameGap: 40, min: 0, max: yMax },
    series,
  };
}

export interface Bubble {
  imp: number;
  sr: number;
  cls: string;
  names: string[];
}

/** DOE matrix zones, our reading of the figure (docs/criticality.md §4); the point colours are the API's classes. */
export function doeOption(bubbles: Bubble[], term: string): EChartsOption {
  const fill = { critical: 'rgba(178, 24, 43, 0.10)', near: 'rgba(217, 95, 2, 0.10)' };
  const zone = (x0: number, y0: number, x1: number, y1: number, color: string, name = '') => [
    { name, xAxis: x0, yAxis: y0, itemStyle: { color } },
    { xAxis: x1, yAxis: y1 },
  ];
  const classes = ['critical', 'near-critical', 'not critical'];
  return {
    grid: { left: 62, right: 30, top: 40, bottom: 56 },
    legend: { top: 0, data: classes },
    tooltip: {
      trigger: 'item',
      formatter: (p: { data?: { b?: Bubble } }) => {
        const b = p.data?.b;
        if (!b) return '';
        const names = b.names.length > 24 ? [...b.names.slice(0, 24), `… and ${b.names.length - 24} more`] : b.names;
        return `<b>${esc(b.cls)}</b> (${term} term): importance ${fixed(b.imp, 1)}, supply risk ${fixed(b.sr, 1)}<br>${names.map(esc).join(', ')}`;
      },
    },
    xAxis: {
      type: 'value',
      name: 'Importance to energy (1–4)',
      nameLocation: 'middle',
      nameGap: 30,
      min: 0.5,
      max: 4.5,
      interval: 0.5,
      axisLabel: { formatter: (v: number) => (Number.isInteger(v) ? String(v) : '') },
    },
    yAxis: {
      type: 'value',
      name: 'Supply risk (1–4)',
      nameLocation: 'middle',
      nameGap: 36,
      min: 0.5,
      max: 4.5,
      interval: 0.5,
      axisLabel: { formatter: (v: number) => (Number.isInteger(v) ? String(v) : '') },
    },
    series: [
      {
        name: 'zones',
        type: 'scatter',
        data: [],
        silent: true,
        markArea: {
          silent: true,
          label: { position: 'insideTopRight', color: '#3d444c', fontSize: 11 },
          data: [
            zone(3, 3, 4.5, 4.5, fill.critical, 'critical'),
            zone(2.5, 2.5, 3, 4.5, fill.near, 'near-critical'),
            zone(2, 3, 2.5, 4.5, fill.near),
            zone(3, 2, 4.5, 3, fill.near),
          ],
        },
      },
      ...classes.map((cls) => ({
        name: cls,
        type: 'scatter',
        itemStyle: { color: CLASS_COLOR[cls], opacity: 0.9 },
        symbolSize: (_: unknown, p: { data: { b: Bubble } }) => 9 + 5 * Math.sqrt(p.data.b.names.length),
        label: {
          show: true,
          formatter: (p: { data: { b: Bubble } }) => (p.data.b.names.length > 1 ? String(p.data.b.names.length) : p.data.b.names[0]),
          position: 'right',
          fontSize: 11,
          color: '#1b1f24',
        },
        data: bubbles.filter((b) => b.cls === cls).map((b) => ({ value: [b.imp, b.sr], b })),
      })),
    ],
  };
}
