/**
 * IEA outlook on the Material page: demand by sector under the IEA scenarios the loaded data holds, with a switch among
 * them (STEPS, APS, NZE). Scenarios the data does not hold are named as a gap, never drawn; and the supply projections
 * (the concentration chart) are said to be the IEA base case only when that is all that is loaded.
 */
import { useMemo } from 'react';
import type { MaterialProfile } from '../../api.ts';
import { quantity } from '../../format.ts';
import { EChart, type EChartsOption } from '../../components/EChart.tsx';
import { SourceLine } from '../../components/SourceLine.tsx';

/** The IEA's demand scenarios (GCMO 2025): Stated Policies, Announced Pledges, Net Zero Emissions by 2050. */
export const IEA_SCENARIOS: Array<[string, string]> = [
  ['STEPS', 'Stated Policies'],
  ['APS', 'Announced Pledges'],
  ['NZE', 'Net Zero Emissions by 2050'],
];
const SECTOR_ORDER = ['Total', 'Total clean technologies', 'Electric vehicles', 'Grid battery storage', 'Other uses'];

type Demand = MaterialProfile['demand'][number];

export function IeaOutlook({ p, scenario, onScenario }: { p: MaterialProfile; scenario: string | null; onScenario: (s: string) => void }) {
  const loaded = IEA_SCENARIOS.filter(([s]) => p.demand.some((d) => d.scenario === s));
  const other = [...new Set(p.demand.map((d) => d.scenario).filter((s): s is string => s !== null && !IEA_SCENARIOS.some(([k]) => k === s)))];
  const missing = IEA_SCENARIOS.filter(([s]) => !loaded.some(([k]) => k === s));
  const supplyScenarios = [...new Set(p.stages.flatMap((s) => s.trend.map((r) => r.scenario)).filter((s): s is string => s !== null))];
  const current = scenario && loaded.some(([s]) => s === scenario) ? scenario : (loaded[0]?.[0] ?? null);

  const rows = useMemo(() => {
    if (!current) return [] as Demand[];
    const proj = p.demand.filter((d) => d.scenario === current);
    const first = Math.min(...proj.map((d) => d.year));
    // The base year (scenario null) before the first projected year starts every scenario's line.
    const base = p.demand.filter((d) => d.scenario === null && d.year < first && proj.some((x) => x.sector === d.sector));
    const baseYear = Math.max(...base.map((d) => d.year));
    return [...base.filter((d) => d.year === baseYear), ...proj];
  }, [p, current]);
  const years = [...new Set(rows.map((d) => d.year))].sort((a, b) => a - b);
  const sectors = [...new Set(rows.map((d) => d.sector))].sort(
    (a, b) => (SECTOR_ORDER.indexOf(a) + 1 || 99) - (SECTOR_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
  const unit = rows[0]?.unit ?? 't';
  const at = (sector: string, y: number) => rows.find((d) => d.sector === sector && d.year === y)?.value ?? null;

  const option: EChartsOption = useMemo(
    () => ({
      grid: { left: 80, right: 24, top: 40, bottom: 40 },
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => quantity(Number(v), unit) },
      xAxis: { type: 'category', data: years.map(String) },
      yAxis: { type: 'value', name: unit, axisLabel: { formatter: (v: number) => v.toLocaleString('en-US') } },
      series: sectors.map((s) => ({
        name: s,
        type: 'line',
        symbolSize: 6,
        lineStyle: s === 'Total' ? { width: 3 } : undefined,
        data: years.map((y) => at(s, y)),
      })),
    }),
    [rows], // eslint-disable-line react-hooks/exhaustive-deps
  );

  if (!p.demand.some((d) => d.scenario !== null)) return null;
  const total = sectors.includes('Total') ? 'Total' : sectors[0];
  const label =
    `${p.name}: IEA demand outlook by sector, ${current} scenario, ${years[0]}–${years[years.length - 1]}, in ${unit}. ` +
    `${total}: ${years.map((y) => `${y} ${quantity(at(total, y), unit)}`).join(', ')}.`;
  return (
    <section aria-labelledby="outlook-title" className="panel" data-testid="outlook-panel">
      <div className="panel-head">
        <h2 id="outlook-title">IEA demand outlook by scenario</h2>
        <div className="seg" role="group" aria-label="IEA scenario" data-testid="scenario-switch">
          {loaded.map(([s, name]) => (
            <button key={s} type="button" aria-pressed={current === s} title={name} onClick={() => onScenario(s)}>
              {s}
            </button>
          ))}
        </div>
      </div>
      <p className="muted small" data-testid="scenario-note">
        Showing {current} ({loaded.find(([s]) => s === current)?.[1]}). Loaded: {loaded.map(([s]) => s).join(', ') || 'none'}
        {other.length ? `; other cases: ${other.join(', ')}` : ''}.
        {missing.length > 0 && ` Not loaded (gap): ${missing.map(([s, n]) => `${s} (${n})`).join(', ')}.`}{' '}
        {supplyScenarios.length > 0 &&
          !supplyScenarios.some((s) => loaded.some(([k]) => k === s)) &&
          `Supply projections (the concentration chart above) are the IEA ${supplyScenarios.map((s) => (s === 'base' ? 'base case' : s)).join(', ')} only: the loaded IEA data has no supply by STEPS, APS or NZE, so they do not switch.`}
      </p>
      <EChart option={option} label={label} height={320} testId="outlook-chart" />
      <SourceLine sources={rows.map((d) => d.source)} />
    </section>
  );
}
