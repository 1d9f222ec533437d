/**
 * Who imports this material (GET /api/importers): every importer in the customs data loaded (BACI, Comtrade) at the
 * mining or refining stage, side by side — imports, their top suppliers, the share from the largest producer, and
 * GeoPolRisk per importer. Each importer links to its full exposure page. Without customs data the panel says what to
 * load instead of showing an empty table.
 */
import { useState } from 'react';
import { useApi } from '../../api.ts';
import { fixed, pct, quantity } from '../../format.ts';
import { href } from '../../router.ts';
import { Downloads } from '../../components/Downloads.tsx';
import { SourceLine } from '../../components/SourceLine.tsx';
import { EChart, type EChartsOption } from '../../components/EChart.tsx';
import type { ImportersReport } from '../../../../src/engine/importer/importers.ts';

type ImporterStage = 'mining' | 'refining';

export function ImportersPanel({ materialId, name, stages }: { materialId: string; name: string; stages: string[] }) {
  const choices = (['mining', 'refining'] as const).filter((s) => stages.includes(s));
  const [stage, setStage] = useState<ImporterStage | undefined>(choices[0]);
  if (!stage) return null;
  return (
    <section aria-labelledby="importers-title" className="panel" data-testid="importers-panel">
      <div className="table-head">
        <h2 id="importers-title">Who imports it</h2>
        <div className="controls">
          <span className="seg" role="group" aria-label="Stage">
            {choices.map((s) => (
              <button key={s} type="button" aria-pressed={s === stage} onClick={() => setStage(s)}>
                {s === 'mining' ? 'Ores (mining)' : 'Processed (refining)'}
              </button>
            ))}
          </span>
        </div>
      </div>
      <ImportersTable materialId={materialId} name={name} stage={stage} />
    </section>
  );
}

/** Each importer's imports split into the supplier asked, the other named suppliers and the part not named (stacked). */
function exposureOption(t: ImportersReport, n = 15): EChartsOption {
  const rows = t.rows
    .slice()
    .sort((a, b) => b.supplierShare - a.supplierShare || b.importsTonnes - a.importsTonnes)
    .slice(0, n)
    .reverse();
  const bar = (name: string, color: string, value: (r: ImportersReport['rows'][number]) => number) => ({
    type: 'bar' as const,
    stack: 'share',
    name,
    data: rows.map(value),
    itemStyle: { color },
    barMaxWidth: 20,
  });
  return {
    grid: { left: 130, right: 30, top: 30, bottom: 30 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => pct(Number(v)) },
    xAxis: {
      type: 'value',
      max: 1,
      name: 'share of imports',
      nameLocation: 'middle',
      nameGap: 22,
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
    },
    yAxis: { type: 'category', data: rows.map((r) => r.importer), axisLabel: { width: 120, overflow: 'truncate' } },
    series: [
      bar(`from ${t.supplier?.country ?? 'the supplier'}`, '#b2182b', (r) => r.supplierShare),
      bar('other named suppliers', '#1f5f8b', (r) => Math.max(0, 1 - r.supplierShare - r.unattributedShare)),
      bar('partner not named', '#bdbdbd', (r) => r.unattributedShare),
    ],
  };
}

function ImportersTable({ materialId, name, stage }: { materialId: string; name: string; stage: ImporterStage }) {
  const url = `api/importers?material=${encodeURIComponent(materialId)}&stage=${stage}`;
  const res = useApi<ImportersReport>(url);
  if (res.state === 'loading') return <p className="muted">Loading importers…</p>;
  if (res.state === 'error') return <p className="error">Importers could not be loaded: {res.error}</p>;
  const t = res.data;
  if (!t.rows.length)
    return (
      <div data-testid="importers-empty">
        <p className="note">
          No importer declares {stage === 'mining' ? 'ore' : 'processed'} imports of {name} in the customs data loaded. Load a BACI year or a UN Comtrade
          extract (<code>chokepoint data import baci &lt;file&gt;</code>) to see every importer side by side.
        </p>
        {t.gaps.length > 0 && <Gaps t={t} />}
      </div>
    );
  const sources = [...new Map([...t.rows.map((r) => r.source), ...(t.globalSource ? [t.globalSource] : [])].map((c) => [c.sourceId, c])).values()];
  return (
    <>
      <div className="table-head">
        <p className="muted">
          {t.rows.length} importer{t.rows.length === 1 ? '' : 's'}, each in its latest trade year ≤ {t.year}
          {t.supplier ? `; "from ${t.supplier.country}": ${t.supplier.why}` : ''}.
        </p>
        <Downloads url={`${url}&year=${t.year}`} label={`${name} importers, ${stage} ${t.year}`} />
      </div>
      {t.supplier && (
        <EChart
          option={exposureOption(t)}
          label={`${name} ${stage}: each importer's imports from ${t.supplier.country}, other named suppliers and partners not named`}
          height={Math.min(15, t.rows.length) * 28 + 70}
          testId="importers-chart"
        />
      )}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="importers-title">
        <table data-testid="importers-table">
          <caption>
            {name}, {stage} stage: every importer in the customs data, largest GeoPolRisk first. Imports in customs product weight (not contained metal).
          </caption>
          <thead>
            <tr>
              <th scope="col">Importer</th>
              <th scope="col" className="num">
                Trade year
              </th>
              <th scope="col" className="num">
                Imports
              </th>
              <th scope="col">Top suppliers</th>
              <th scope="col" className="num">
                From {t.supplier?.country ?? 'the largest producer'}
              </th>
              <th scope="col" className="num" title="share of the imports whose partner the customs data does not name">
                Not named
              </th>
              <th scope="col" className="num" title="imports ÷ apparent consumption (production + imports − exports), from the importer's own declarations">
                Import dependence
              </th>
              <th scope="col" className="num">
                Import risk
              </th>
              <th scope="col" className="num">
                GeoPolRisk
              </th>
            </tr>
          </thead>
          <tbody>
            {t.rows.map((r) => (
              <tr key={r.importerId} data-importer={r.importerId}>
                <th scope="row">
                  <a href={href(`/importer/${r.importerId}`, { material: materialId })}>{r.importer}</a>
                </th>
                <td className="num">{r.tradeYear}</td>
                <td className="num">{quantity(r.importsTonnes, 't')}</td>
                <td>{r.topSuppliers.map((s) => `${s.country} ${pct(s.share)}`).join(', ') || '—'}</td>
                <td className="num" data-col="supplier">
                  {pct(r.supplierShare)}
                </td>
                <td className="num">{pct(r.unattributedShare)}</td>
                <td className="num" data-col="dependence" title={r.dependenceGap ?? undefined}>
                  {r.dependence === null ? 'gap' : pct(r.dependence)}
                </td>
                <td className="num">{r.importRisk === null ? '—' : fixed(r.importRisk, 3)}</td>
                <td className="num" data-col="gpr" title={r.scoreGap ?? undefined}>
                  {r.geoPolRisk === null ? 'gap' : fixed(r.geoPolRisk, 4)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="note">{t.notes.join(' ')}</p>
      {t.gaps.length > 0 && <Gaps t={t} />}
      <SourceLine sources={sources} />
    </>
  );
}

function Gaps({ t }: { t: ImportersReport }) {
  return (
    <details className="note">
      <summary>
        {t.gaps.length} importer{t.gaps.length === 1 ? '' : 's'} without a usable year
      </summary>
      <ul>
        {t.gaps.map((g) => (
          <li key={g.importerId}>
            {g.importer}: {g.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
