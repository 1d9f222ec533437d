/**
 * Importer exposure (`#/importer/DEU`, `#/importer/EU27?material=gallium`, GET /api/importer/{id}): how exposed a country
 * or a bloc is to its suppliers, material by material and stage by stage — consumption, imports by supplier (customs, or
 * a labelled proxy where none is loaded), import dependence, indirect exposure through processing hubs, the export
 * measures that hit it, and a "Stress test" button that opens the stress builder with the largest supplier stopped.
 * The URL is the view (+ material, focus = the row whose details are shown).
 */
import { useMemo, type ChangeEvent } from 'react';
import { useApi, type Citation, type MaterialListItem } from '../api.ts';
import { href, navigate, type Route } from '../router.ts';
import { pct, quantity, stageLabel } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import { EChart, type EChartsOption } from '../components/EChart.tsx';
import { GROUPINGS } from './coalitions/shared.tsx';
import type { ExposureRow, ImporterExposure } from '../../../src/engine/importer/exposure.ts';
import countries from '../../../src/data/countries.json';

const COUNTRIES = (countries as Array<{ id: string; name: string }>).filter((c) => /^[A-Z]{3}$/.test(c.id)).sort((a, b) => a.name.localeCompare(b.name));
const BASIS_LABEL: Record<ExposureRow['imports']['basis'], string> = { declared: 'customs', mirror: 'mirror (exporters)', proxy: 'PROXY: world output' };
const rowKey = (r: ExposureRow) => `${r.materialId}-${r.stage}`;

function supplierOption(r: ExposureRow, n = 10): EChartsOption {
  const top = r.exposure
    .filter((e) => e.total > 0)
    .slice(0, n)
    .reverse();
  return {
    grid: { left: 120, right: 60, top: 30, bottom: 30 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => pct(Number(v)) },
    xAxis: { type: 'value', name: 'share of supply', nameLocation: 'middle', nameGap: 22, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    yAxis: { type: 'category', data: top.map((e) => e.country), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        stack: 'x',
        name: r.imports.basis === 'proxy' ? 'direct (proxy)' : 'direct',
        data: top.map((e) => e.direct),
        itemStyle: { color: '#1f5f8b' },
        barMaxWidth: 22,
      },
      { type: 'bar', stack: 'x', name: 'through hubs', data: top.map((e) => e.viaHubs), itemStyle: { color: '#d95f02' }, barMaxWidth: 22 },
    ],
  };
}

function Picker({ current, material }: { current?: string; material: string }) {
  const go = (e: ChangeEvent<HTMLSelectElement>) => e.target.value && navigate(`/importer/${e.target.value}`, { material: material || null });
  return (
    <div className="controls">
      <label htmlFor="imp-pick">Importer</label>
      <select id="imp-pick" className="narrow" value={current ?? ''} onChange={go} data-testid="importer-picker">
        <option value="">Choose a country or bloc…</option>
        <optgroup label="Blocs">
          {GROUPINGS.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </optgroup>
        <optgroup label="Countries">
          {COUNTRIES.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name} ({c.id})
            </option>
          ))}
        </optgroup>
      </select>
    </div>
  );
}

function MaterialFilter({ id, material }: { id: string; material: string }) {
  const list = useApi<{ materials: MaterialListItem[] }>('api/materials');
  const mats = list.state === 'ok' ? list.data.materials.filter((m) => m.stages.some((s) => s.stage === 'mining' || s.stage === 'refining')) : [];
  return (
    <div className="controls">
      <label htmlFor="imp-mat">Material</label>
      <select id="imp-mat" className="narrow" value={material} onChange={(e) => navigate(`/importer/${id}`, { material: e.target.value || null })}>
        <option value="">Default list</option>
        {mats.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
    </div>
  );
}

const STATE_LABEL: Record<ExposureRow['measures'][number]['state'], string> = {
  in_effect: 'in effect',
  in_effect_again: 'in effect again',
  suspended: 'suspended',
  announced: 'announced',
  ended: 'ended',
  undated: 'undated',
};
/** "2 in effect, 1 suspended": the measures hitting a row, counted by state. */
export const measureSummary = (r: ExposureRow): string => {
  const by = new Map<string, number>();
  for (const m of r.measures) by.set(STATE_LABEL[m.state], (by.get(STATE_LABEL[m.state]) ?? 0) + 1);
  return [...by].map(([k, n]) => `${n} ${k}`).join(', ');
};

const stressHref = (r: ExposureRow) => (r.stress ? href('/stress', r.stress.query) : null);

function Details({ r, importer }: { r: ExposureRow; importer: string }) {
  const hubSources: Citation[] = r.hubs.flatMap((h) => (h.feedSource ? [h.feedSource] : []));
  return (
    <section className="panel" aria-labelledby="imp-detail" data-testid="importer-detail">
      <div className="panel-head">
        <h2 id="imp-detail">
          {r.material}, {stageLabel(r.stage).toLowerCase()} {r.year}: where {importer}'s supply comes from
        </h2>
        {r.stress ? (
          <a className="btn" href={stressHref(r)!} data-testid="detail-stress">
            Stress test: stop {r.stress.exclude.join(', ')}
          </a>
        ) : null}
      </div>
      <p className="muted" data-testid="detail-basis">
        {r.imports.label}. {r.imports.notes.join(' ')}
      </p>
      {r.customsGap ? (
        <p className="gap" role="note" data-testid="detail-gap">
          Gap: {r.customsGap}.
        </p>
      ) : null}
      <EChart
        option={supplierOption(r)}
        height={Math.max(160, 40 + 28 * Math.min(10, r.exposure.filter((e) => e.total > 0).length))}
        label={`${importer} ${r.material} ${r.stage} supply by supplier: direct and through processing hubs`}
        testId="supplier-chart"
        units="share of supply"
      />
      <SourceLine sources={[r.imports.source, ...hubSources]} />

      <h3>Processing hubs: where the suppliers' own feed comes from</h3>
      {r.hubs.length ? (
        <ul data-testid="hubs">
          {r.hubs.map((h) => (
            <li key={h.hubId}>
              <strong>{h.hub}</strong> ({pct(h.hubShare)} of supply)
              {h.domesticShare !== null ? `: own mines can feed ${pct(h.domesticShare)} of its refinery output` : ''}
              {h.feed.length ? `; imported feed from ${h.feed.map((f) => `${f.country} ${pct(f.share)}`).join(', ')}` : ''}
              {h.upperBound ? ' (upper bound: its own mine feed is unknown)' : ''}
              {h.gap ? <span className="gap"> — gap: {h.gap}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Hubs apply to refined material: {r.stage === 'mining' ? 'this is the mining stage.' : 'no refining-stage supplier above 1%.'}</p>
      )}

      <h3>Measures that hit it</h3>
      {r.measures.length ? (
        <ul data-testid="measures">
          {r.measures.map((m) => (
            <li key={m.id}>
              <a href={href('/timeline', { material: r.materialId, country: m.countryId })}>{m.title}</a> — <strong>{m.status}</strong>
              {m.via !== 'direct' ? ` (through ${m.via}'s feed)` : ''}
              {m.targets.length ? `; targets ${m.targets.join(', ')}` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No export measure by these suppliers on {r.material.toLowerCase()} in the registry.</p>
      )}
      {r.measures.length ? <SourceLine sources={r.measures.map((m) => m.source)} /> : null}

      <h3>Consumption and dependence</h3>
      <ul>
        <li data-testid="detail-consumption">
          {r.consumption
            ? `${importer}'s own use: ${quantity(r.consumption.tonnes, 't')} (${pct(r.consumption.share)} of world demand ${r.consumption.year}, ${r.consumption.method}, ${r.consumption.basis}${r.consumption.estimate ? ', estimate' : ''}) — ${r.consumption.source.text}`
            : `Own use: gap — ${r.consumptionGap}`}
        </li>
        <li data-testid="detail-dependence">
          {r.dependence
            ? `Import dependence ${pct(r.dependence.ratio)}${
                r.dependence.ratioRange.low === r.dependence.ratioRange.high
                  ? ''
                  : ` (${pct(r.dependence.ratioRange.low)}–${pct(r.dependence.ratioRange.high)} over the conversion ranges)`
              }: ${r.dependence.note}. Apparent consumption ${quantity(r.dependence.apparentTonnes, 't')} ${r.dependence.basis} = production ${quantity(r.dependence.productionTonnes, 't')} + imports ${quantity(r.dependence.importsTonnes, 't')} − exports ${quantity(r.dependence.exportsTonnes, 't')}.`
            : `Import dependence: gap — ${r.dependenceGap}.`}
        </li>
        {r.dependence?.conversions.map((c) => (
          <li key={c.hsCode} data-testid="detail-conversion">
            Conversion: {c.rule} — {c.source.text}
          </li>
        ))}
        {r.gaps
          .filter((g) => g !== r.customsGap)
          .map((g) => (
            <li key={g} className="gap">
              Gap: {g}
            </li>
          ))}
      </ul>
    </section>
  );
}

export function Importer({ id, route }: { id?: string; route: Route }) {
  const q = route.query;
  const material = q.get('material') ?? '';
  const url = id ? `api/importer/${encodeURIComponent(id)}${material ? `?material=${encodeURIComponent(material)}` : ''}` : null;
  const res = useApi<ImporterExposure>(url);
  const e = res.state === 'ok' ? res.data : null;
  const focusKey = q.get('focus');
  const focus = useMemo(() => (e ? (e.rows.find((r) => rowKey(r) === focusKey) ?? e.rows[0]) : undefined), [e, focusKey]);

  return (
    <article aria-labelledby="imp-title">
      <div className="page-head">
        <div>
          <h1 id="imp-title">{e ? `${e.name} (${e.importer}) as an importer` : id ? `Importer ${id}` : 'Importer exposure'}</h1>
          <p className="lede">
            Who supplies a country or a bloc, material by material and stage by stage; how dependent it is on imports; what it gets indirectly through
            processing hubs; which export measures hit it — and a stress test of its largest supplier. A bloc counts only imports from outside it.
          </p>
        </div>
        <div className="page-actions">
          <Picker current={id?.toUpperCase()} material={material} />
          {id ? <MaterialFilter id={id} material={material} /> : null}
        </div>
      </div>
      {!id ? <p className="muted">Choose a country or a bloc (EU27, G7, MSP …) above.</p> : null}
      {id && !e ? <Status res={res} what={`the importer exposure of ${id}`} /> : null}
      {e ? (
        <>
          {e.gaps.length ? (
            <div className="panel" role="note" data-testid="importer-gaps" aria-label="Gaps">
              <ul>
                {e.gaps.map((g) => (
                  <li key={g} className="gap">
                    Gap: {g}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <section className="panel" aria-labelledby="imp-table-title">
            <h2 id="imp-table-title">Dependence by material and stage</h2>
            <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="imp-table-title">
              <table data-testid="importer-table">
                <caption>
                  {e.importer}: supplier mix (customs, or proxy where no customs data is loaded), dependence and measures; measures as of {e.on}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Material</th>
                    <th scope="col">Stage</th>
                    <th scope="col" className="num">
                      Own use
                    </th>
                    <th scope="col">Supplier mix</th>
                    <th scope="col">Largest supplier</th>
                    <th scope="col" className="num">
                      Share
                    </th>
                    <th scope="col">Through hubs</th>
                    <th scope="col" className="num">
                      Dependence
                    </th>
                    <th scope="col">Measures</th>
                    <th scope="col">Act</th>
                  </tr>
                </thead>
                <tbody>
                  {e.rows.map((r) => {
                    const top = r.imports.suppliers[0];
                    const hubs = r.exposure.filter((x) => x.viaHubs > 0).slice(0, 2);
                    return (
                      <tr key={rowKey(r)} data-testid={`row-${rowKey(r)}`} aria-current={focus === r ? 'true' : undefined}>
                        <th scope="row">
                          <a href={href(`/importer/${e.importer}`, { material: material || null, focus: rowKey(r) })}>{r.material}</a>
                        </th>
                        <td>
                          {stageLabel(r.stage)} {r.year}
                        </td>
                        <td className="num" data-testid="own-use">
                          {r.consumption ? quantity(r.consumption.tonnes, 't') : 'gap'}
                        </td>
                        <td data-testid="basis">
                          {BASIS_LABEL[r.imports.basis]}
                          {r.imports.basis === 'mirror' ? `: ${r.imports.reporters.join(', ')} only` : ''}
                        </td>
                        <td data-testid="top-supplier">{top ? top.country : '—'}</td>
                        <td className="num" data-testid="top-share">
                          {top ? pct(top.share) : '—'}
                        </td>
                        <td>{hubs.length ? hubs.map((x) => `${x.countryId} +${pct(x.viaHubs)}`).join(', ') : r.hubs.some((h) => h.gap) ? 'gap' : '—'}</td>
                        <td className="num" data-testid="dependence">
                          {r.dependence ? pct(r.dependence.ratio) : 'gap'}
                        </td>
                        <td data-testid="measures-count">{r.measures.length ? measureSummary(r) : '—'}</td>
                        <td>
                          {r.stress ? (
                            <a
                              className="btn small"
                              href={stressHref(r)!}
                              data-testid="stress-button"
                              aria-label={`Stress test: ${r.material} ${r.stage}, stop ${r.stress.exclude.join(', ')}`}
                            >
                              Stress test
                            </a>
                          ) : (
                            '—'
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <SourceLine sources={e.sources} />
          </section>
          {focus ? <Details r={focus} importer={e.importer} /> : null}
        </>
      ) : null}
    </article>
  );
}
