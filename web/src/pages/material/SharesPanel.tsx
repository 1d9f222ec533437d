/**
 * Where a material is mined, refined or held in reserves: stage and year switch, world map, top producers chart, shares
 * table, and what each published source says about the same cell.
 */
import type { MaterialProfile, ConcentrationRow } from '../../api.ts';
import { pct, int, quantity, stageLabel } from '../../format.ts';
import { SourceLine } from '../../components/SourceLine.tsx';
import { Downloads } from '../../components/Downloads.tsx';
import { Choropleth } from '../../components/Choropleth.tsx';
import { EChart, type EChartsOption } from '../../components/EChart.tsx';
import { BySource } from './BySource.tsx';

export function SharesPanel({
  p,
  stage,
  row,
  st,
  available,
  barOpt,
  set,
}: {
  p: MaterialProfile;
  stage: string;
  row: ConcentrationRow;
  st: MaterialProfile['stages'][number] | undefined;
  available: readonly string[];
  barOpt: EChartsOption | null;
  set: (patch: Record<string, string | number | null>) => void;
}) {
  return (
    <section aria-labelledby="map-title" className="panel">
      <div className="panel-head">
        <h2 id="map-title">
          Where {p.name} is {stage === 'reserves' ? 'held in reserves' : stage === 'mining' ? 'mined' : 'refined'}, {row.year}
          {row.scenario ? ` (${row.scenario === 'base' ? 'IEA projection' : row.scenario})` : ''}
        </h2>
        <div className="controls" role="group" aria-label="Stage and year">
          <span className="seg" role="group" aria-label="Stage">
            {available.map((s) => (
              <button key={s} type="button" aria-pressed={s === stage} onClick={() => set({ stage: s, year: null })}>
                {stageLabel(s)}
              </button>
            ))}
          </span>
          <label htmlFor="year-select">Year</label>
          <select id="year-select" value={row.year} onChange={(e) => set({ year: Number(e.target.value) })}>
            {st!.trend.map((r) => (
              <option key={r.year} value={r.year}>
                {r.year}
                {r.scenario ? ' (projection)' : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="grid-2">
        <Choropleth shares={row.shares} title={`${p.name} ${stage} share of world by country, ${row.year}`} testId="choropleth" />
        <div>
          <h3>Top producers</h3>
          {barOpt && (
            <EChart
              option={barOpt}
              label={`${p.name} ${stage} ${row.year}: top producers by share of world`}
              height={Math.max(200, Math.min(10, row.shares.length) * 30 + 40)}
              testId="producers-chart"
            />
          )}
        </div>
      </div>
      <div className="table-head">
        <h3 id="shares-title">Shares by country</h3>
        <Downloads params={{ table: 'shares', material: p.materialId, stage, year: row.year }} label={`${p.name} ${stage} shares`} />
      </div>
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="shares-title">
        <table data-testid="shares-table">
          <caption>
            {p.name}: {stage === 'reserves' ? 'reserves' : `${stage} output`} by country, {row.year} — {row.unit}, {row.basis.replace('_', ' ')}; HHI{' '}
            {int(row.hhiPoints)}, top-3 {pct(row.top3Share)}
          </caption>
          <thead>
            <tr>
              <th scope="col">Country</th>
              <th scope="col" className="num">
                {stage === 'reserves' ? 'Reserves' : 'Output'}
              </th>
              <th scope="col" className="num">
                Share of world
              </th>
            </tr>
          </thead>
          <tbody>
            {row.shares.map((s) => (
              <tr key={s.countryId} data-country={s.countryId}>
                <th scope="row">
                  {s.country}
                  {s.estimated ? <abbr title="estimated"> e</abbr> : null}
                </th>
                <td className="num">
                  {s.bound === 'lower' ? '> ' : s.bound === 'upper' ? '< ' : ''}
                  {quantity(s.value, row.unit)}
                </td>
                <td className="num" data-col="share">
                  {pct(s.share)}
                </td>
              </tr>
            ))}
            {row.unallocatedShare > 0.0005 && (
              <tr className="muted">
                <th scope="row">Other countries (not attributed)</th>
                <td className="num">{quantity(row.total * row.unallocatedShare, row.unit)}</td>
                <td className="num">{pct(row.unallocatedShare)}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {row.gaps.length > 0 && (
        <p className="note">Withheld or not available (counted nowhere): {row.gaps.map((g) => `${g.country} (${g.status.replace('_', ' ')})`).join(', ')}.</p>
      )}
      <SourceLine sources={[row.source]} />
      <BySource materialId={p.materialId} name={p.name} stage={stage} year={row.year} />
    </section>
  );
}
