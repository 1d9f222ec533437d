/** Concentration over time on the Material page: top-3 share and HHI by year per stage (chart, table, sources). */
import type { MaterialProfile } from '../../api.ts';
import { pct, int, stageLabel } from '../../format.ts';
import { SourceLine } from '../../components/SourceLine.tsx';
import { Downloads } from '../../components/Downloads.tsx';
import { EChart, type EChartsOption } from '../../components/EChart.tsx';

export function TrendPanel({ p, trendOpt, trendStages }: { p: MaterialProfile; trendOpt: EChartsOption; trendStages: MaterialProfile['stages'] }) {
  return (
    <section aria-labelledby="trend-title" className="panel">
      <div className="table-head">
        <h2 id="trend-title">Concentration over time</h2>
        <Downloads params={{ table: 'trend', material: p.materialId }} label={`${p.name} trend`} />
      </div>
      <EChart option={trendOpt} label={`${p.name}: top-3 share and HHI by year, mining and refining`} height={320} testId="trend-chart" />
      <details>
        <summary>Trend as a table</summary>
        <div className="table-wrap" tabIndex={0} role="region" aria-label="trend table">
          <table>
            <caption>{p.name}: HHI and top-3 share by year (hollow points in the chart are projections)</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Year</th>
                <th scope="col">Scenario</th>
                <th scope="col" className="num">
                  HHI
                </th>
                <th scope="col" className="num">
                  Top-3
                </th>
                <th scope="col" className="num">
                  China
                </th>
                <th scope="col">Source</th>
              </tr>
            </thead>
            <tbody>
              {trendStages.flatMap((s) =>
                s.trend.map((r) => (
                  <tr key={`${s.stage}-${r.year}`}>
                    <th scope="row">{stageLabel(s.stage)}</th>
                    <td>{r.year}</td>
                    <td>{r.scenario ?? 'historical'}</td>
                    <td className="num">{int(r.hhiPoints)}</td>
                    <td className="num">{pct(r.top3Share)}</td>
                    <td className="num">{pct(r.chinaShare)}</td>
                    <td>{r.source.edition}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      </details>
      <SourceLine sources={trendStages.flatMap((s) => s.trend.map((r) => r.source))} />
    </section>
  );
}
