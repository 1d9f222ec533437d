/** The EU CRMA 65% test and 2030 benchmarks (GET /api/coalition/crma); also the page #/crma. */
import { useEffect, useState } from 'react';
import { useApi, qs, type Citation } from '../../api.ts';
import { href, navigate, type Route } from '../../router.ts';
import { pct, quantity } from '../../format.ts';
import { Status } from '../../components/Status.tsx';
import { ShortSourceLink, SourceLine } from '../../components/SourceLine.tsx';
import { mergeCitations } from '../../../../src/model/provenance.ts';
import { SortableTable, type Column, type SortDir } from '../../components/SortableTable.tsx';
import type { CrmaReport, Crma65Row, CrmaBenchmarkRow } from '../../../../src/engine/coalition/index.ts';
import { uniq, who, yearLabel } from './shared.tsx';

export const BADGE: Record<string, { label: string; bg: string }> = {
  fail: { label: 'FAIL', bg: '#a50f15' },
  pass: { label: 'PASS', bg: '#1a7f37' },
  indeterminate: { label: 'INDETERMINATE', bg: '#4d5a66' },
  met: { label: 'met', bg: '#1a7f37' },
  meets_on_approximation: { label: 'meets on approximation', bg: '#23706a' },
  below_on_approximation: { label: 'below on approximation', bg: '#b35806' },
  mixed: { label: 'mixed', bg: '#6a51a3' },
  inconclusive: { label: 'inconclusive', bg: '#4d5a66' },
  no_data: { label: 'no data', bg: '#6b7580' },
};
export const Badge = ({ status }: { status: string }) => (
  <span className="sev" style={{ background: BADGE[status]?.bg ?? '#4d5a66' }} data-status={status}>
    {BADGE[status]?.label ?? status}
  </span>
);
export const PROXY_LABEL: Record<string, string> = {
  eu27_share_of_global_production: 'EU27 share of global production',
  eu27_share_of_eu_sourcing: 'EU27 share of EU sourcing',
  eol_rir: 'End-of-life recycling input rate (EoL-RIR)',
};
export const basisLabel = (b: string) => (b === 'eu_sourcing' ? 'EU sourcing' : 'global supply');
export const crmaKey = (r: Crma65Row) => `${r.materialId}-${r.stage}-${r.basis}-${r.dataset}-${r.year}`;

/** The CRMA panels; also the page `#/crma` (basePath "/crma"), so the 65% test is one click from anywhere. */
export function CrmaSection({ route, basePath = '/coalitions' }: { route: Route; basePath?: string }) {
  const q = route.query;
  const year = q.get('crmaYear') ?? '';
  const filter = q.get('crmaQ') ?? '';
  const fails = q.get('crmaFails') === '1';
  const [yearForm, setYearForm] = useState(year);
  useEffect(() => setYearForm(year), [year]);
  const res = useApi<CrmaReport>(`api/coalition/crma${qs({ year: /^\d{4}$/.test(year) ? year : null })}`);
  const set = (patch: Record<string, string | null>) => navigate(basePath, { ...Object.fromEntries(q.entries()), ...patch }, true);
  const match = (r: { materialId: string; material: string; srm: string }) =>
    !filter || [r.materialId, r.material, r.srm].some((s) => s.toLowerCase().includes(filter.toLowerCase()));
  const rep = res.state === 'ok' ? res.data : null;
  const rows = (rep?.test65 ?? []).filter((r) => match(r) && (!fails || r.status === 'fail'));
  const bench = (rep?.benchmarks ?? []).filter(match);
  const failing = uniq((rep?.test65 ?? []).filter((r) => r.status === 'fail').map((r) => r.material));
  const sortKey = q.get('crmaSort');
  const dir = (q.get('crmaDir') === 'desc' ? 'desc' : 'asc') as SortDir;
  const regulation: Citation | null = rep ? rep.regulation.source : null;

  const columns: Column<Crma65Row>[] = [
    { key: 'status', label: 'result', header: 'Result', sortValue: (r) => r.status, render: (r) => <Badge status={r.status} /> },
    {
      key: 'material',
      label: 'strategic raw material',
      header: 'Strategic raw material',
      rowHeader: true,
      sortValue: (r) => `${r.annexItem} ${r.material}`,
      render: (r) => (
        <>
          ({r.annexItem}) {r.srm}
          {r.srm !== r.material ? (
            <>
              {' — '}
              <a href={href(`/material/${r.materialId}`)}>{r.material}</a>
            </>
          ) : (
            <>
              {' '}
              <a href={href(`/material/${r.materialId}`)} aria-label={`${r.material}: material page`} className="small">
                ↗
              </a>
            </>
          )}
        </>
      ),
    },
    { key: 'stage', label: 'stage', header: 'Stage', sortValue: (r) => r.stageLabel, render: (r) => r.stageLabel },
    { key: 'basis', label: 'basis', header: 'Basis', sortValue: (r) => r.basis, render: (r) => basisLabel(r.basis) },
    { key: 'data', label: 'data', header: 'Data', sortValue: (r) => `${r.dataset} ${r.year}`, render: (r) => `${r.dataset} ${yearLabel(r.year, r.scenario)}` },
    {
      key: 'top',
      label: 'top third country',
      header: 'Top third country',
      numeric: true,
      sortValue: (r) => r.topThirdCountry?.share ?? null,
      render: (r) => who(r.topThirdCountry),
    },
    { key: 'eu27', label: 'EU27 share', header: 'EU27', numeric: true, sortValue: (r) => r.eu27Share, render: (r) => pct(r.eu27Share) },
    {
      key: 'unallocated',
      label: 'unallocated share',
      header: 'Unalloc.',
      numeric: true,
      sortValue: (r) => r.inputs.unallocatedShare,
      render: (r) => pct(r.inputs.unallocatedShare),
    },
    {
      key: 'inputs',
      label: 'inputs',
      header: 'Inputs',
      render: (r) => (
        <details className="inputs">
          <summary aria-label={`Inputs of the 65% test: ${r.material}, ${r.stageLabel}, ${basisLabel(r.basis)}, ${r.dataset} ${r.year}`}>inputs</summary>
          <div className="small" style={{ whiteSpace: 'normal', maxWidth: 460 }}>
            <p>{r.reason}</p>
            <ul>
              {r.inputs.shares.map((s) => (
                <li key={s.countryId}>
                  {s.country} ({s.countryId}) {pct(s.share)}
                  {s.eu27 ? ' — EU27' : ''}
                </li>
              ))}
              <li>Unattributed: {pct(r.inputs.unallocatedShare)}</li>
              {r.inputs.withheld.length ? <li>Withheld: {r.inputs.withheld.join(', ')}</li> : null}
              <li>
                Total: {quantity(r.inputs.total, r.inputs.unit)} ({r.inputs.basisOfValues.replace(/_/g, ' ')})
              </li>
            </ul>
            {r.caveats.length ? (
              <ul className="muted">
                {r.caveats.map((c, i) => (
                  <li key={i}>{c}</li>
                ))}
              </ul>
            ) : null}
          </div>
        </details>
      ),
    },
    {
      key: 'source',
      label: 'source',
      header: 'Source',
      sortValue: (r) => r.source.sourceId,
      render: (r) => (
        <span className="small">
          <ShortSourceLink source={r.source} />
        </span>
      ),
    },
  ];

  const benchColumns: Column<CrmaBenchmarkRow>[] = [
    {
      key: 'material',
      label: 'strategic raw material',
      header: 'Strategic raw material',
      rowHeader: true,
      render: (r) => `(${r.annexItem}) ${r.srm}${r.srm !== r.material ? ` — ${r.material}` : ''}`,
    },
    { key: 'benchmark', label: 'benchmark', header: 'Benchmark', render: (r) => `${r.benchmark} ≥ ${pct(r.target, 0)}` },
    { key: 'status', label: 'status', header: 'Status', render: (r) => <Badge status={r.status} /> },
    {
      key: 'proxies',
      label: 'proxies',
      header: 'Proxy used (value, reading)',
      render: (r) =>
        r.proxies.length ? (
          <ul className="plain small" style={{ margin: 0, paddingLeft: 16, whiteSpace: 'normal' }}>
            {r.proxies.map((p, i) => (
              <li key={i}>
                {PROXY_LABEL[p.proxy] ?? p.proxy} ({p.dataset} {p.year}): <strong>{pct(p.value)}</strong> — {p.reading}, {p.meetsTarget ? 'meets' : 'below'} the
                target
              </li>
            ))}
            <li style={{ listStyle: 'none' }}>
              <details>
                <summary aria-label={`Why these proxies: ${r.material}, ${r.benchmark}`}>why</summary>
                <ul className="muted" style={{ maxWidth: 520 }}>
                  {uniq(r.proxies.map((p) => p.why)).map((w, i) => (
                    <li key={i}>{w}</li>
                  ))}
                </ul>
              </details>
            </li>
          </ul>
        ) : (
          '—'
        ),
    },
    {
      key: 'gaps',
      label: 'gaps',
      header: 'Gaps',
      render: (r) => (
        <span className="small" style={{ whiteSpace: 'normal', display: 'block', maxWidth: 380 }}>
          {r.gaps.join(' ') || '—'}
        </span>
      ),
    },
  ];

  return (
    <>
      <section className="panel" aria-labelledby="crma-title" data-testid="crma-panel">
        <h2 id="crma-title">EU Critical Raw Materials Act: the 65% test</h2>
        <p className="muted">
          {rep ? rep.regulation.article65 : 'Art. 5(1)(b)'}. Per strategic raw material × stage × basis: <strong>fail</strong> when one third country (outside
          the EU27) provides more than 65% of EU sourcing (EU CRM 2023) or of global supply (a proxy: EU CRM global, USGS, IEA); <strong>indeterminate</strong>{' '}
          when unattributed or withheld supply could change the answer. Open a row's inputs to see the shares it read.
        </p>
        <form
          className="controls"
          aria-label="65% test filters"
          onSubmit={(e) => {
            e.preventDefault();
            set({ crmaYear: yearForm.trim() || null });
          }}
        >
          <label htmlFor="crma-year">As-of year</label>
          <input id="crma-year" value={yearForm} onChange={(e) => setYearForm(e.target.value)} placeholder="latest" size={8} inputMode="numeric" />
          <button className="btn small" type="submit">
            Apply
          </button>
          <label htmlFor="crma-q">Filter materials</label>
          <input id="crma-q" type="search" value={filter} placeholder="e.g. gallium" onChange={(e) => set({ crmaQ: e.target.value || null })} />
          <label className="inline">
            <input type="checkbox" checked={fails} onChange={(e) => set({ crmaFails: e.target.checked ? '1' : null })} /> failing only
          </label>
          {rep ? (
            <span className="count" aria-live="polite">
              {rows.length} of {rep.test65.length} rows shown
            </span>
          ) : null}
        </form>
        {res.state !== 'ok' ? (
          <Status res={res} what="the CRMA tests" />
        ) : (
          <>
            <p data-testid="crma-summary">
              <strong>{rep!.test65.filter((r) => r.status === 'fail').length}</strong> of {rep!.test65.length} cells fail, for: {failing.join(', ') || 'none'}.{' '}
              {rep!.test65.filter((r) => r.status === 'indeterminate').length} indeterminate.
            </p>
            <SortableTable<Crma65Row>
              testId="crma-table"
              caption={`CRMA 65% test: top third country per strategic raw material, stage and basis${rep!.year ? ` (as of ${rep!.year})` : ''}`}
              columns={columns}
              rows={rows}
              rowKey={crmaKey}
              sort={sortKey ? { key: sortKey, dir } : undefined}
              onSort={(key, d) => set({ crmaSort: key, crmaDir: d })}
            />
            {rep!.notes.length || rep!.gaps.length ? (
              <ul className="small">
                {rep!.notes.map((n, i) => (
                  <li key={`n${i}`}>{n}</li>
                ))}
                {rep!.gaps.map((g, i) => (
                  <li key={`g${i}`} className="gap">
                    Gap: {g}
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        )}
        <SourceLine sources={mergeCitations([...(regulation ? [regulation] : []), ...rows.map((r) => r.source)])} />
      </section>
      {rep ? (
        <section className="panel" aria-labelledby="bench-title" data-testid="crma-benchmarks-panel">
          <h2 id="bench-title">2030 benchmarks: extraction 10%, processing 40%, recycling 25%</h2>
          <p className="muted">
            {rep.regulation.articleBenchmarks}. We hold neither EU capacity nor EU consumption, so every figure is a named proxy: the EU27 share of global
            production is a <em>lower bound</em> (meeting the target on it proves the benchmark is met, falling short proves nothing); the EU27 share of EU
            sourcing and the end-of-life recycling input rate are <em>approximations</em>.
          </p>
          <SortableTable<CrmaBenchmarkRow>
            testId="crma-benchmarks-table"
            caption={`CRMA 2030 benchmarks by strategic raw material (${bench.length} rows)`}
            columns={benchColumns}
            rows={bench}
            rowKey={(r) => `${r.materialId}-${r.benchmark}`}
          />
          <SourceLine sources={mergeCitations([...(regulation ? [regulation] : []), ...bench.flatMap((b) => b.proxies.map((p) => p.source))])} />
        </section>
      ) : null}
    </>
  );
}
