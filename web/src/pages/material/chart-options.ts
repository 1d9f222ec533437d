/** The Material page's chart options: producers by share (bar), concentration over time (top-3 share and HHI) and price history. */
import type { MaterialProfile, ConcentrationRow } from '../../api.ts';
import { pct, stageLabel } from '../../format.ts';
import type { EChartsOption } from '../../components/EChart.tsx';

const STAGE_COLOR: Record<string, string> = { mining: '#8c510a', refining: '#1f5f8b', reserves: '#5e3c99' };

export function barOption(r: ConcentrationRow, n = 10): EChartsOption {
  const top = r.shares.slice(0, n).reverse();
  return {
    grid: { left: 130, right: 70, top: 10, bottom: 30 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => pct(Number(v)) },
    xAxis: {
      type: 'value',
      max: (v: { max: number }) => Math.min(1, Math.ceil(v.max * 5) / 5),
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
    },
    yAxis: { type: 'category', data: top.map((s) => s.country), axisLabel: { width: 120, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        name: 'share of world',
        data: top.map((s) => s.share),
        itemStyle: { color: STAGE_COLOR[r.stage] ?? '#1f5f8b' },
        label: { show: true, position: 'right', formatter: (p: { value: number }) => pct(p.value) },
        barMaxWidth: 22,
      },
    ],
  };
}

export function trendOption(p: MaterialProfile): EChartsOption {
  const stages = p.stages.filter((s) => s.stage !== 'reserves' && s.trend.length);
  const years = [...new Set(stages.flatMap((s) => s.trend.map((r) => r.year)))].sort((a, b) => a - b);
  const projYears = [...new Set(stages.flatMap((s) => s.trend.filter((r) => r.scenario !== null).map((r) => r.year)))].sort((a, b) => a - b);
  const series = stages.flatMap((s) => {
    const at = (y: number) => s.trend.find((r) => r.year === y);
    const pt = (y: number, v: number | undefined, proj: boolean) => (v === undefined ? null : { value: v, symbol: proj ? 'emptyCircle' : 'circle' });
    return [
      {
        name: `${stageLabel(s.stage)} top-3 share`,
        type: 'line',
        yAxisIndex: 0,
        connectNulls: true,
        symbolSize: 7,
        itemStyle: { color: STAGE_COLOR[s.stage] },
        data: years.map((y) => pt(y, at(y)?.top3Share, at(y)?.scenario !== null)),
        ...(s.stage === stages[0].stage && projYears.length
          ? {
              markArea: {
                silent: true,
                itemStyle: { color: 'rgba(120,120,120,0.08)' },
                label: { show: true, position: 'insideBottom', color: '#555', formatter: 'IEA projection' },
                data: [[{ xAxis: String(projYears[0]) }, { xAxis: String(projYears[projYears.length - 1]) }]],
              },
            }
          : {}),
      },
      {
        name: `${stageLabel(s.stage)} HHI`,
        type: 'line',
        yAxisIndex: 1,
        connectNulls: true,
        symbolSize: 6,
        lineStyle: { type: 'dashed' },
        itemStyle: { color: STAGE_COLOR[s.stage] },
        data: years.map((y) => pt(y, at(y)?.hhiPoints, at(y)?.scenario !== null)),
      },
    ];
  });
  return {
    grid: { left: 55, right: 60, top: 40, bottom: 30 },
    legend: { top: 0, type: 'scroll', itemGap: 18 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: years.map(String), boundaryGap: false },
    yAxis: [
      { type: 'value', min: 0, max: 1, name: 'top-3 share', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      { type: 'value', min: 0, max: 10000, name: 'HHI', splitLine: { show: false } },
    ],
    series,
  };
}

type PriceSeries = MaterialProfile['prices'][number];

/** Price history: one line per series in its own unit (a second axis when two units meet), revisions as hollow points. */
export function priceOption(series: PriceSeries[]): EChartsOption {
  const years = [...new Set(series.flatMap((s) => s.years.map((y) => y.year)))].sort((a, b) => a - b);
  const units = [...new Set(series.map((s) => s.unit))].slice(0, 2);
  const shown = series.filter((s) => units.includes(s.unit));
  return {
    grid: { left: 70, right: units.length > 1 ? 70 : 20, top: 40, bottom: 30 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: years.map(String), boundaryGap: false },
    yAxis: units.map((u, i) => ({ type: 'value' as const, name: u, position: i === 0 ? ('left' as const) : ('right' as const), splitLine: { show: i === 0 } })),
    series: shown.flatMap((s) => {
      const at = (y: number) => s.years.find((x) => x.year === y);
      const name = `${s.series === 'average' ? 'price' : s.series} (${s.unit})`;
      return [
        {
          name,
          type: 'line' as const,
          yAxisIndex: units.indexOf(s.unit),
          connectNulls: false,
          symbolSize: 7,
          data: years.map((y) => at(y)?.value ?? null),
        },
        {
          name: `${name}, earlier editions`,
          type: 'scatter' as const,
          yAxisIndex: units.indexOf(s.unit),
          symbol: 'emptyCircle',
          symbolSize: 7,
          data: s.years.flatMap((y) => y.revisions.filter((r) => r.value !== null).map((r) => [String(y.year), r.value as number])),
        },
      ];
    }),
  };
}
