/** Baseline vs policy on the Risk page: change of expected and CVaR 95% shortfall by material, and the side-by-side table. */
import { pct, quantity } from '../../format.ts';
import { EChart, type EChartsOption } from '../../components/EChart.tsx';
import type { RiskComparison } from '../../../../src/scenario/risk-run.ts';
import { days } from './common.ts';

export function Comparison({ c }: { c: RiskComparison }) {
  const fmt = (v: number, unit: string) => (!Number.isFinite(v) ? '—' : unit === 'share' ? pct(v) : unit === 'days' ? days(v) : quantity(v, unit));
  const rows = c.rows.filter((r) => ['expected shortfall', 'CVaR 95% shortfall'].includes(r.metric));
  const option: EChartsOption = {
    grid: { left: 120, right: 16, top: 32, bottom: 32 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: 'change vs baseline', axisLabel: { formatter: (v: number) => pct(v, 0) } },
    yAxis: { type: 'category', data: [...new Set(rows.map((r) => r.name))] },
    series: ['expected shortfall', 'CVaR 95% shortfall'].map((metric) => ({
      name: metric,
      type: 'bar',
      data: [...new Set(rows.map((r) => r.name))].map((n) => {
        const r = rows.find((x) => x.name === n && x.metric === metric);
        return r && r.values[0] > 0 ? (r.values[1] - r.values[0]) / r.values[0] : 0;
      }),
    })),
  };
  return (
    <section className="panel" aria-labelledby="cmp-title">
      <h3 id="cmp-title">Baseline vs policy</h3>
      <EChart
        option={option}
        label="Change of expected and CVaR 95% shortfall, policy vs baseline, by material"
        height={60 + 40 * new Set(rows.map((r) => r.name)).size}
      />
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="cmp-title">
        <table data-testid="risk-compare-table">
          <thead>
            <tr>
              <th scope="col">Material</th>
              <th scope="col">Metric</th>
              {c.scenarios.map((s) => (
                <th scope="col" className="num" key={s.name}>
                  {s.name}
                </th>
              ))}
              <th scope="col" className="num">
                Difference
              </th>
            </tr>
          </thead>
          <tbody>
            {c.rows.map((r) => (
              <tr key={`${r.materialId}-${r.metric}`}>
                <th scope="row">{r.name}</th>
                <td>{r.metric}</td>
                {r.values.map((v, i) => (
                  <td className="num" key={i}>
                    {fmt(v, r.unit)}
                  </td>
                ))}
                <td className="num">{Number.isFinite(r.deltas[1]) ? `${r.deltas[1] >= 0 ? '+' : '−'}${fmt(Math.abs(r.deltas[1]), r.unit)}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {c.notes.map((n) => (
        <p className="muted small" key={n}>
          {n}
        </p>
      ))}
    </section>
  );
}
