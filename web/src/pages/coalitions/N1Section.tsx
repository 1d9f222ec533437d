/** Coalition N-1 (GET /api/coalition/n1): supply left if the largest outside supplier, or every non-member, stops exporting. */
import { useMemo } from 'react';
import { qs } from '../../api.ts';
import { href, navigate, type Route } from '../../router.ts';
import { pct, quantity, stageLabel } from '../../format.ts';
import { Status } from '../../components/Status.tsx';
import { SourceLine } from '../../components/SourceLine.tsx';
import { mergeCitations } from '../../../../src/model/provenance.ts';
import { SortableTable, type Column, type SortDir } from '../../components/SortableTable.tsx';
import type { CoalitionShareRow, CoalitionN1Result, ResolvedCoalition } from '../../../../src/engine/coalition/index.ts';
import { stressHref, stressRun } from '../../../../src/scenario/query.ts';
import { uniq, useApiAll, who, yearLabel } from './shared.tsx';

export function N1Section({
  coalition,
  rows,
  stage,
  dataset,
  route,
}: {
  coalition: ResolvedCoalition;
  rows: CoalitionShareRow[];
  stage: string;
  dataset?: string;
  route: Route;
}) {
  const demand = ['APS', 'NZE'].includes(route.query.get('demand') ?? '') ? route.query.get('demand')! : 'STEPS';
  const byYear = useMemo(() => {
    const m = new Map<number, string[]>();
    for (const r of rows) m.set(r.year, uniq([...(m.get(r.year) ?? []), r.materialId]));
    return [...m.entries()].sort((a, b) => a[0] - b[0]);
  }, [rows]);
  // One call per year and per chunk of materials (the API takes up to 500 characters of material ids).
  const urls = byYear.flatMap(([year, mats]) => {
    const chunks: string[][] = [[]];
    for (const m of mats) {
      const last = chunks[chunks.length - 1];
      if (last.length && [...last, m].join(',').length > 450) chunks.push([m]);
      else last.push(m);
    }
    return chunks.map(
      (c) => `api/coalition/n1${qs({ group: coalition.id, stage, year, material: c.join(','), dataset, demandScenario: demand === 'STEPS' ? null : demand })}`,
    );
  });
  const res = useApiAll<{ coalition: ResolvedCoalition; results: CoalitionN1Result[] }>(urls);
  const results = res.state === 'ok' ? res.data.flatMap((d) => d.results) : [];
  const sortKey = route.query.get('n1sort');
  const dir = (route.query.get('n1dir') === 'desc' ? 'desc' : 'asc') as SortDir;
  const nonGroup = `non-${coalition.id}`;
  const columns: Column<CoalitionN1Result>[] = [
    {
      key: 'material',
      label: 'material',
      header: 'Material',
      rowHeader: true,
      sortValue: (r) => r.material,
      render: (r) => <a href={href(`/material/${r.materialId}`, { stage: r.stage, year: r.year })}>{r.material}</a>,
    },
    { key: 'year', label: 'year', header: 'Year', numeric: true, sortValue: (r) => r.year, render: (r) => yearLabel(r.year, r.supply.scenario) },
    { key: 'data', label: 'supply series', header: 'Series', sortValue: (r) => r.supply.dataset, render: (r) => r.supply.dataset },
    {
      key: 'members',
      label: 'members share',
      header: 'Members',
      numeric: true,
      sortValue: (r) => r.supply.memberShare,
      render: (r) => pct(r.supply.memberShare),
    },
    {
      key: 'unallocated',
      label: 'unallocated share',
      header: 'Unalloc.',
      numeric: true,
      sortValue: (r) => r.supply.residualShare,
      render: (r) => pct(r.supply.residualShare),
    },
    {
      key: 'aRemoved',
      label: '(a) largest outside supplier removed',
      header: '(a) removed',
      numeric: true,
      sortValue: (r) => r.largestOutside?.share ?? null,
      render: (r) => who(r.largestOutside),
      className: 'first-of-group',
    },
    {
      key: 'aRemaining',
      label: '(a) remaining share of supply',
      header: '(a) remaining',
      numeric: true,
      sortValue: (r) => r.largestOutside?.remainingSupplyShare ?? null,
      render: (r) => pct(r.largestOutside?.remainingSupplyShare),
    },
    {
      key: 'aCoverage',
      label: '(a) coverage of world demand',
      header: '(a) ÷ demand',
      numeric: true,
      sortValue: (r) => r.largestOutside?.coverageWorldRatio ?? null,
      render: (r) => pct(r.largestOutside?.coverageWorldRatio),
    },
    {
      key: 'aNetted',
      label: "(a) coverage netted of the removed supplier's own use (IEA-style)",
      header: '(a) netted',
      numeric: true,
      sortValue: (r) => r.largestOutside?.coverageNettedRatio ?? null,
      render: (r) => (r.largestOutside?.coverageNettedRatio == null ? 'gap' : pct(r.largestOutside.coverageNettedRatio)),
    },
    {
      key: 'bSelf',
      label: '(b) self-sufficiency vs world demand',
      header: '(b) self-suff. ÷ demand',
      numeric: true,
      sortValue: (r) => r.allOutside?.selfSufficiencyWorldDemand ?? null,
      render: (r) => pct(r.allOutside?.selfSufficiencyWorldDemand),
      className: 'first-of-group',
    },
    {
      key: 'bResidual',
      label: '(b) including unallocated supply',
      header: '(b) incl. unalloc.',
      numeric: true,
      sortValue: (r) => r.allOutside?.coverageWithResidualWorldDemand ?? null,
      render: (r) => pct(r.allOutside?.coverageWithResidualWorldDemand),
    },
    {
      key: 'bMember',
      label: '(b) vs member consumption',
      header: '(b) ÷ member use',
      numeric: true,
      sortValue: (r) => r.allOutside?.selfSufficiencyMemberConsumption ?? null,
      render: (r) =>
        r.allOutside?.selfSufficiencyMemberConsumption === null || r.allOutside?.selfSufficiencyMemberConsumption === undefined ? (
          <span
            className="muted"
            title={`Consumption known for ${r.allOutside?.memberConsumption.knownFor.map((k) => k.countryId).join(', ') || 'no member'} only`}
          >
            gap
          </span>
        ) : (
          pct(r.allOutside.selfSufficiencyMemberConsumption)
        ),
    },
    {
      key: 'demand',
      label: 'world demand',
      header: 'Demand',
      numeric: true,
      sortValue: (r) => r.demand?.tonnes ?? null,
      render: (r) => (r.demand ? `${quantity(r.demand.tonnes, r.supply.unit)} ${r.demand.proxy ? '(proxy)' : (r.demand.scenario ?? '')}` : '—'),
    },
    {
      key: 'stress',
      label: 'stress test',
      header: 'Stress test',
      render: (r) => (
        <span className="small">
          {r.largestOutside ? (
            <a
              href={stressHref(
                stressRun({
                  material: r.materialId,
                  stage: r.stage,
                  year: r.year,
                  exclude: [r.largestOutside.countryId],
                  dataset: r.supply.dataset,
                  demandScenario: demand,
                }),
              )}
              aria-label={`without ${r.largestOutside.countryId}: stress test of ${r.material} ${r.year} without ${r.largestOutside.country}`}
            >
              without {r.largestOutside.countryId}
            </a>
          ) : null}
          {' · '}
          <a
            href={stressHref(
              stressRun({ material: r.materialId, stage: r.stage, year: r.year, exclude: [nonGroup], dataset: r.supply.dataset, demandScenario: demand }),
            )}
            aria-label={`${nonGroup}: stress test of ${r.material} ${r.year} without every country outside ${coalition.id}`}
          >
            {nonGroup}
          </a>
        </span>
      ),
    },
  ];
  const notes = uniq(results.flatMap((r) => r.assumptions));
  const gaps = results.flatMap((r) => r.gaps.map((g) => `${r.material} ${r.year}: ${g}`));
  const warn = results.flatMap((r) => (r.largestOutside?.exclusionNotes ?? []).map((n) => `${r.material} ${r.year}: ${n}`));
  const sources = results.flatMap((r) => r.sources);
  return (
    <section className="panel" aria-labelledby="n1-title" data-testid="n1-panel">
      <div className="panel-head">
        <h2 id="n1-title">Coalition N-1: {coalition.id}</h2>
        <div className="controls">
          <label htmlFor="n1-demand">Demand scenario</label>
          <select
            id="n1-demand"
            value={demand}
            onChange={(e) =>
              navigate('/coalitions', { ...Object.fromEntries(route.query.entries()), demand: e.target.value === 'STEPS' ? null : e.target.value }, true)
            }
          >
            {['STEPS', 'APS', 'NZE'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted">
        (a) The largest supplier outside {coalition.id} stops: remaining supply and its coverage of world demand. (b) Every non-member stops: members' own
        supply ÷ world demand (the unallocated residual lost too, lower reading; and kept, upper reading); against members' own consumption only where every
        member's consumption is known. Same engine and numbers as the stress test — each row opens it.
        {dataset ? '' : " Supply series: the stress engine's choice (IEA where IEA demand exists for the year), which can differ from the share table above."}
      </p>
      {res.state !== 'ok' ? (
        <Status res={res} what="the coalition N-1" />
      ) : (
        <>
          <SortableTable<CoalitionN1Result>
            testId="n1-table"
            caption={`Coalition N-1 for ${coalition.id}, ${stageLabel(stage).toLowerCase()}: (a) largest outside supplier stops, (b) every non-member stops`}
            columns={columns}
            rows={results}
            rowKey={(r) => `${r.materialId}-${r.year}`}
            sort={sortKey ? { key: sortKey, dir } : undefined}
            onSort={(key, d) => navigate('/coalitions', { ...Object.fromEntries(route.query.entries()), n1sort: key, n1dir: d }, true)}
            groupHeaders={[
              { label: '', span: 5 },
              { label: '(a) largest outside supplier stops', span: 3 },
              { label: '(b) every non-member stops', span: 3 },
              { label: '', span: 2 },
            ]}
          />
          <details>
            <summary>Assumptions and gaps ({notes.length + gaps.length + warn.length})</summary>
            <ul>
              {notes.map((n, i) => (
                <li key={`n${i}`}>{n}</li>
              ))}
              {warn.map((n, i) => (
                <li key={`w${i}`}>{n}</li>
              ))}
              {gaps.map((g, i) => (
                <li key={`g${i}`} className="gap">
                  Gap: {g}
                </li>
              ))}
            </ul>
          </details>
        </>
      )}
      <SourceLine sources={mergeCitations(sources)} />
    </section>
  );
}
