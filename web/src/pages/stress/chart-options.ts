/** The Stress page's chart option: the month-by-month recovery (replaced, extra recycling, drawn from stockpile, unmet). */
import { type StressReport } from '../../api.ts';
import { quantity } from '../../format.ts';
import { type EChartsOption } from '../../components/EChart.tsx';

export function recoveryOption(r: StressReport): EChartsOption {
  const m = r.stockpile.months;
  return {
    grid: { left: 70, right: 20, top: 40, bottom: 35 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => quantity(Number(v), 't') },
    xAxis: { type: 'category', name: 'month', nameLocation: 'middle', nameGap: 24, data: m.map((x) => String(x.month)) },
    yAxis: { type: 'value', name: 'tonnes', axisLabel: { formatter: (v: number) => (v >= 1000 ? `${Math.round(v / 1000)}k` : String(v)) } },
    series: [
      { name: 'replaced by other suppliers', type: 'bar', stack: 'loss', data: m.map((x) => x.replacedTonnes), itemStyle: { color: '#35978f' } },
      // Extra recycling appears only when the scenario gives a ramp-up rate (none is assumed by default).
      ...(r.stockpile.totalRecycledTonnes > 0
        ? [{ name: 'extra recycling', type: 'bar' as const, stack: 'loss', data: m.map((x) => x.recycledTonnes), itemStyle: { color: '#80cdc1' } }]
        : []),
      { name: 'drawn from stockpile', type: 'bar', stack: 'loss', data: m.map((x) => x.drawdownTonnes), itemStyle: { color: '#5e3c99' } },
      { name: 'unmet', type: 'bar', stack: 'loss', data: m.map((x) => x.unmetTonnes), itemStyle: { color: '#b2182b' } },
    ],
  };
}
