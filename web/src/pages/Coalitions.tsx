/**
 * Coalitions and minerals diplomacy (docs/coalitions.md): the share of supply inside a grouping (GET /api/coalition/share),
 * coalition N-1 (GET /api/coalition/n1), the EU CRMA 65% test and 2030 benchmarks (GET /api/coalition/crma) and
 * "what if this deal delivers" (GET /api/coalition/deal, projects from GET /api/registry/projects).
 * The URL is the view: `#/coalitions?group=MSP&stage=refining&years=2024,2035` (+ data, material, sort/dir, n1sort/n1dir,
 * demand, crmaYear, crmaQ, crmaFails, crmaSort/crmaDir, deal, dealMaterial, dealCountry, dealStage, dealTonnes, dealBasis,
 * dealYear, dealGroup, dealExclude, dealUtil).
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useApi, qs, getJson, ApiError, type Citation, type Loadable } from '../api.ts';
import { href, navigate, type Route } from '../router.ts';
import { pct, int, quantity, stageLabel, shortSource, signed } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import { mergeCitations } from '../../../src/model/provenance.ts';
import { SortableTable, type Column, type SortDir } from '../components/SortableTable.tsx';
import { EChart, type EChartsOption } from '../components/EChart.tsx';
import type {
  CoalitionShareRow,
  CoalitionN1Result,
  CrmaReport,
  Crma65Row,
  CrmaBenchmarkRow,
  DealResult,
  ResolvedCoalition,
} from '../../../src/engine/coalition/index.ts';
import type { Project } from '../../../src/model/registry.ts';
import { stressHref, stressRun } from '../../../src/scenario/query.ts';

export const GROUPINGS = ['MSP', 'G7', 'EU27', 'OECD', 'IPEF_CMD', 'BRICS_GP', 'SCMA', 'ERGI', 'CMMI'] as const;
const BASES = ['contained', 'gross_weight', 'oxide', 'lce', 'ore', 'refined', 'concentrate', 'compound'];
/** The data select: a dataset, best available, or an EU CRM 2023 share table. */
const DATA_OPTIONS: Array<{ value: string; label: string; dataset?: string; detail?: string }> = [
  { value: 'iea-cm', label: 'IEA Critical Minerals (six minerals, 2024 and projections)', dataset: 'iea-cm' },
  { value: 'any', label: 'Best available series (every material)' },
  { value: 'usgs-mcs', label: 'USGS Mineral Commodity Summaries', dataset: 'usgs-mcs' },
  { value: 'eu_sourcing', label: 'EU CRM 2023: share of EU sourcing (2016–2020)', detail: 'eu_sourcing' },
  { value: 'global', label: 'EU CRM 2023: share of global supply (2016–2020)', detail: 'global' },
];
const PART_COLOUR = { inside: '#1f5f8b', unallocated: '#b8c2cc', outside: '#e08214' };

type RegistryProject = Project & { source: Citation | null };

/** Space-separated lists come from hand-typed URLs: URLSearchParams reads "AUS+CAN" as "AUS CAN". */
const normGroup = (g: string) => g.trim().replace(/\s+/g, '+').toUpperCase();
const pts = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x * 100).toFixed(1)} pts`;
const who = (c: { countryId: string; share: number } | null | undefined) => (c ? `${c.countryId} ${pct(c.share)}` : '—');
const yearLabel = (year: number, scenario: string | null) => `${year}${scenario ? ' proj' : ''}`;
const uniq = (xs: string[]) => [...new Set(xs)];

/** Several API calls at once (null: nothing to fetch); the first error wins. */
function useApiAll<T>(urls: string[] | null): Loadable<T[]> {
  const key = urls ? urls.join('\n') : null;
  const [v, setV] = useState<Loadable<T[]>>({ state: 'loading' });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setV({ state: 'loading' });
    Promise.all(
      key
        .split('\n')
        .filter(Boolean)
        .map((u) => getJson<T>(u)),
    ).then(
      (data) => live && setV({ state: 'ok', data }),
      (e: unknown) => live && setV({ state: 'error', error: e instanceof Error ? e.message : String(e), status: e instanceof ApiError ? e.status : 0 }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Coalition share
// ---------------------------------------------------------------------------------------------------------------

function shareOption(rows: CoalitionShareRow[]): EChartsOption {
  const mats = uniq(rows.map((r) => r.materialId));
  const names = new Map(rows.map((r) => [r.materialId, r.material]));
  const years = uniq(rows.map((r) => String(r.year))).sort();
  const at = (m: string, y: string) => rows.find((r) => r.materialId === m && String(r.year) === y);
  const series = years.flatMap((y) =>
    (['inside', 'unallocated', 'outside'] as const).map((part) => ({
      name: part,
      type: 'bar',
      stack: `y${y}`,
      barMaxWidth: 16,
      itemStyle: { color: PART_COLOUR[part] },
      data: mats.map((m) => {
        const r = at(m, y);
        return r ? (part === 'inside' ? r.insideShare : part === 'outside' ? r.outsideShare : r.unallocatedShare) : null;
      }),
      label:
        part === 'outside'
          ? {
              show: true,
              position: 'right',
              color: '#3d444c',
              fontSize: 11,
              formatter: (p: { dataIndex: number }) => {
                const r = at(mats[p.dataIndex], y);
                return r ? yearLabel(r.year, r.scenario) : '';
              },
            }
          : part === 'inside'
            ? { show: true, position: 'insideLeft', color: '#fff', fontSize: 11, formatter: (p: { value: number }) => (p.value >= 0.06 ? pct(p.value) : '') }
            : undefined,
    })),
  );
  return {
    grid: { left: 110, right: 70, top: 30, bottom: 30 },
    legend: { top: 0, data: ['inside', 'unallocated', 'outside'] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: Array<{ dataIndex: number }>) => {
        const m = mats[ps[0]?.dataIndex ?? 0];
        return [
          `<b>${names.get(m)}</b>`,
          ...years
            .map((y) => at(m, y))
            .filter((r): r is CoalitionShareRow => !!r)
            .map(
              (r) =>
                `${yearLabel(r.year, r.scenario)}: inside ${pct(r.insideShare)} (up to ${pct(r.insideShareRange[1])}), unallocated ${pct(r.unallocatedShare)}, outside ${pct(r.outsideShare)}`,
            ),
        ].join('<br/>');
      },
    },
    xAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    yAxis: { type: 'category', inverse: true, data: mats.map((m) => names.get(m)), axisLabel: { width: 100, overflow: 'truncate' } },
    series,
  };
}

function shareColumns(): Column<CoalitionShareRow>[] {
  return [
    {
      key: 'material',
      label: 'material',
      header: 'Material',
      rowHeader: true,
      sortValue: (r) => r.material,
      render: (r) => <a href={href(`/material/${r.materialId}`, { stage: r.stage, year: r.year })}>{r.material}</a>,
    },
    { key: 'year', label: 'year', header: 'Year', numeric: true, sortValue: (r) => r.year, render: (r) => yearLabel(r.year, r.scenario) },
    { key: 'inside', label: 'inside share', header: 'Inside', numeric: true, sortValue: (r) => r.insideShare, render: (r) => pct(r.insideShare) },
    {
      key: 'range',
      label: 'inside share range',
      header: 'Inside at most',
      numeric: true,
      sortValue: (r) => r.insideShareRange[1],
      render: (r) => (
        <span
          title={`The true inside share lies between ${pct(r.insideShareRange[0])} and ${pct(r.insideShareRange[1])}: the unallocated residual may hold members`}
        >
          {pct(r.insideShareRange[1])}
        </span>
      ),
    },
    { key: 'outside', label: 'outside share', header: 'Outside', numeric: true, sortValue: (r) => r.outsideShare, render: (r) => pct(r.outsideShare) },
    {
      key: 'unallocated',
      label: 'unallocated share',
      header: 'Unallocated',
      numeric: true,
      sortValue: (r) => r.unallocatedShare,
      render: (r) => pct(r.unallocatedShare),
    },
    {
      key: 'members',
      label: 'members present',
      header: 'Members present',
      render: (r) => (
        <>
          {r.membersPresent.length ? r.membersPresent.map((m) => `${m.countryId} ${pct(m.share)}`).join(', ') : '—'}
          {r.membersWithheld.length ? <span className="muted small"> (withheld: {r.membersWithheld.join(', ')})</span> : null}
        </>
      ),
    },
    {
      key: 'largestOutside',
      label: 'largest outside supplier',
      header: 'Largest outside',
      numeric: true,
      sortValue: (r) => r.largestOutside?.share ?? null,
      render: (r) => who(r.largestOutside),
    },
    {
      key: 'source',
      label: 'source',
      header: 'Source',
      sortValue: (r) => r.source.sourceId,
      render: (r) => (
        <span className="small">
          {r.source.url ? (
            <a href={r.source.url} target="_blank" rel="noreferrer">
              {shortSource(r.source)}
            </a>
          ) : (
            shortSource(r.source)
          )}{' '}
          ({r.dataset})
        </span>
      ),
    },
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Page
// ---------------------------------------------------------------------------------------------------------------

export function Coalitions({ route }: { route: Route }) {
  const q = route.query;
  const group = normGroup(q.get('group') || 'MSP');
  const stage = q.get('stage') === 'mining' ? 'mining' : 'refining';
  const years = (q.get('years') || '2024,2035').replace(/\s+/g, '');
  const data = DATA_OPTIONS.find((d) => d.value === q.get('data')) ?? DATA_OPTIONS[0];
  const material = q.get('material') ?? '';
  const initial = () => ({ group, stage, years, data: data.value, material });
  const [form, setForm] = useState(initial);
  useEffect(() => setForm(initial()), [q.toString()]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = (patch: Record<string, string | null>, replace = true) => navigate('/coalitions', { ...Object.fromEntries(q.entries()), ...patch }, replace);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set(
      {
        group: normGroup(form.group) || 'MSP',
        stage: form.stage,
        years: form.years.replace(/\s+/g, ''),
        data: form.data === 'iea-cm' ? null : form.data,
        material: form.material.trim() || null,
      },
      false,
    );
  };

  const shareUrl = `api/coalition/share${qs({ group, stage, year: years, dataset: data.dataset, detail: data.detail, material: material || null })}`;
  const share = useApi<{ coalition: ResolvedCoalition; rows: CoalitionShareRow[]; missing: Array<{ materialId: string; year: number }> }>(shareUrl);

  return (
    <section aria-labelledby="co-title">
      <h1 id="co-title">Coalitions and minerals diplomacy</h1>
      <p className="lede">
        How much of world supply sits inside a grouping (MSP, G7, EU27 …) or a list of countries, what is left if outside suppliers stop, the EU Critical Raw
        Materials Act tests, and what a single project would change. Unattributed supply (“Rest of world”, “Other countries”) is never counted as inside or
        outside: it is shown as the range it leaves open.
      </p>
      <form className="stress-form panel" onSubmit={submit} aria-label="Coalition share" aria-describedby="co-help" data-testid="coalition-form">
        <div className="field">
          <label htmlFor="co-group">Grouping or countries</label>
          <input id="co-group" list="co-groups" value={form.group} onChange={(e) => setForm({ ...form, group: e.target.value })} aria-describedby="co-help" />
          <datalist id="co-groups">
            {GROUPINGS.map((g) => (
              <option key={g} value={g} />
            ))}
            <option value="AUS+CAN+JPN" />
          </datalist>
        </div>
        <fieldset className="field">
          <legend>Stage</legend>
          {['mining', 'refining'].map((s) => (
            <label key={s} className="inline">
              <input type="radio" name="co-stage" value={s} checked={form.stage === s} onChange={() => setForm({ ...form, stage: s as typeof stage })} />{' '}
              {stageLabel(s)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="co-years">Years</label>
          <input id="co-years" value={form.years} onChange={(e) => setForm({ ...form, years: e.target.value })} placeholder="2024,2035" inputMode="numeric" />
        </div>
        <div className="field">
          <label htmlFor="co-data">Data</label>
          <select
            id="co-data"
            value={form.data}
            onChange={(e) =>
              setForm({ ...form, data: e.target.value, ...(DATA_OPTIONS.find((d) => d.value === e.target.value)?.detail ? { years: '2023' } : {}) })
            }
          >
            {DATA_OPTIONS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="co-material">Materials (optional)</label>
          <input id="co-material" value={form.material} onChange={(e) => setForm({ ...form, material: e.target.value })} placeholder="e.g. gallium,cobalt" />
        </div>
        <div className="field actions">
          <button className="btn primary" type="submit">
            Show
          </button>
        </div>
        <p id="co-help" className="muted wide">
          A grouping ({GROUPINGS.join(', ')}), an ISO3 code, or a list such as AUS+CAN+JPN. Years comma-separated; IEA projections are 2030, 2035 and 2040; the
          EU CRM share tables are stored under 2023.
        </p>
      </form>

      {share.state !== 'ok' ? (
        <Status res={share} what="the coalition share" />
      ) : (
        <ShareResult res={share.data} route={route} csvUrl={`${shareUrl}&format=csv`} />
      )}
      {share.state === 'ok' && !data.detail ? (
        <N1Section coalition={share.data.coalition} rows={share.data.rows} stage={stage} dataset={data.dataset} route={route} />
      ) : null}
      {share.state === 'ok' && data.detail ? (
        <p className="note">
          Coalition N-1 needs supply in tonnes; the EU CRM share tables hold shares only. Choose IEA, USGS or the best available series for it.
        </p>
      ) : null}
      <CrmaSection route={route} />
      <DealSection route={route} group={group} />
    </section>
  );
}

function ShareResult({
  res,
  route,
  csvUrl,
}: {
  res: { coalition: ResolvedCoalition; rows: CoalitionShareRow[]; missing: Array<{ materialId: string; year: number }> };
  route: Route;
  csvUrl: string;
}) {
  const { coalition, rows } = res;
  const option = useMemo(() => shareOption(rows), [rows]);
  const columns = useMemo(shareColumns, []);
  const sortKey = route.query.get('sort');
  const dir = (route.query.get('dir') === 'desc' ? 'desc' : 'asc') as SortDir;
  const mats = uniq(rows.map((r) => r.materialId));
  const notes = uniq([...coalition.notes, ...rows.flatMap((r) => r.notes)]);
  const gaps = rows.flatMap((r) => r.gaps.map((g) => `${r.material} ${yearLabel(r.year, r.scenario)}: ${g}`));
  const sources = [...rows.map((r) => r.source), ...coalition.sources];
  const setSort = (key: string, d: SortDir) => navigate('/coalitions', { ...Object.fromEntries(route.query.entries()), sort: key, dir: d }, true);
  return (
    <>
      <h2 id="co-share-title">
        {coalition.label}: share of {stageLabel(rows[0]?.stage ?? 'refining').toLowerCase()} supply
      </h2>
      <p className="muted small" data-testid="coalition-members">
        Members counted ({coalition.members.length}): {coalition.members.join(', ')}
        {coalition.groups.length ? ` — ${coalition.groups.map((g) => `${g.groupName}${g.asOf ? `, as of ${g.asOf}` : ''}`).join('; ')}` : ''}.
      </p>
      <section className="panel" aria-labelledby="co-chart-title" data-testid="share-chart-panel">
        <h3 id="co-chart-title">Inside, unallocated and outside, by material and year</h3>
        <EChart
          option={option}
          height={70 + mats.length * (uniq(rows.map((r) => String(r.year))).length * 20 + 14)}
          label={`Share of ${rows[0]?.stage ?? ''} supply inside ${coalition.id}, per material and year, stacked with the unallocated and outside shares; the same numbers are in the table below`}
          testId="share-chart"
        />
        <p className="muted small">
          Each bar is one year (labelled at its end): inside (members), unallocated (not attributed to a named country — may hold members), outside. The inside
          share lies between the dark bar and the dark plus grey bars.
        </p>
        <SourceLine sources={mergeCitations(sources)} />
      </section>
      <section className="panel" aria-labelledby="co-table-title" data-testid="share-table-panel">
        <div className="panel-head">
          <h3 id="co-table-title">Coalition share table</h3>
          <a className="btn small" href={csvUrl} download aria-label="Download the coalition share table as CSV">
            CSV
          </a>
        </div>
        <SortableTable<CoalitionShareRow>
          testId="share-table"
          caption={`${coalition.id} share of ${rows[0]?.stage ?? ''} supply by material and year (${rows.length} rows)`}
          columns={columns}
          rows={rows}
          rowKey={(r) => `${r.materialId}-${r.year}`}
          sort={sortKey ? { key: sortKey, dir } : undefined}
          onSort={setSort}
        />
        {res.missing.length ? <p className="muted small">No data for: {res.missing.map((m) => `${m.materialId} ${m.year}`).join(', ')}.</p> : null}
        <SourceLine sources={mergeCitations(sources)} />
      </section>
      {notes.length || gaps.length ? (
        <section className="panel" aria-labelledby="co-notes-title" data-testid="share-notes-panel">
          <h3 id="co-notes-title">Notes and gaps</h3>
          <ul>
            {notes.map((n, i) => (
              <li key={`n${i}`}>{n}</li>
            ))}
            {gaps.map((g, i) => (
              <li key={`g${i}`} className="gap">
                Gap: {g}
              </li>
            ))}
          </ul>
          <SourceLine sources={mergeCitations(sources)} />
        </section>
      ) : null}
    </>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Coalition N-1
// ---------------------------------------------------------------------------------------------------------------

function N1Section({
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

// ---------------------------------------------------------------------------------------------------------------
// EU CRMA
// ---------------------------------------------------------------------------------------------------------------

const BADGE: Record<string, { label: string; bg: string }> = {
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
const Badge = ({ status }: { status: string }) => (
  <span className="sev" style={{ background: BADGE[status]?.bg ?? '#4d5a66' }} data-status={status}>
    {BADGE[status]?.label ?? status}
  </span>
);
const PROXY_LABEL: Record<string, string> = {
  eu27_share_of_global_production: 'EU27 share of global production',
  eu27_share_of_eu_sourcing: 'EU27 share of EU sourcing',
  eol_rir: 'End-of-life recycling input rate (EoL-RIR)',
};
const basisLabel = (b: string) => (b === 'eu_sourcing' ? 'EU sourcing' : 'global supply');
const crmaKey = (r: Crma65Row) => `${r.materialId}-${r.stage}-${r.basis}-${r.dataset}-${r.year}`;

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
          {r.source.url ? (
            <a href={r.source.url} target="_blank" rel="noreferrer">
              {shortSource(r.source)}
            </a>
          ) : (
            shortSource(r.source)
          )}
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

// ---------------------------------------------------------------------------------------------------------------
// What if this deal delivers
// ---------------------------------------------------------------------------------------------------------------

const DEAL_FIELDS = [
  'deal',
  'dealMaterial',
  'dealCountry',
  'dealStage',
  'dealTonnes',
  'dealBasis',
  'dealYear',
  'dealGroup',
  'dealExclude',
  'dealUtil',
] as const;
type DealForm = Record<(typeof DEAL_FIELDS)[number], string> & { mode: 'project' | 'adhoc' };

function DealSection({ route, group }: { route: Route; group: string }) {
  const q = route.query;
  const projects = useApi<{ projects: RegistryProject[] }>('api/registry/projects');
  const initial = (): DealForm => ({
    mode: q.get('dealCountry') && !q.get('deal') ? 'adhoc' : 'project',
    deal: q.get('deal') ?? '',
    dealMaterial: q.get('dealMaterial') ?? '',
    dealCountry: q.get('dealCountry') ?? '',
    dealStage: q.get('dealStage') ?? 'refining',
    dealTonnes: q.get('dealTonnes') ?? '',
    dealBasis: q.get('dealBasis') ?? '',
    dealYear: q.get('dealYear') ?? '2030',
    dealGroup: q.get('dealGroup') ?? '',
    dealExclude: q.get('dealExclude') ?? 'CHN',
    dealUtil: q.get('dealUtil') ?? '',
  });
  const [form, setForm] = useState<DealForm>(initial);
  useEffect(() => setForm(initial()), [q.toString()]); // eslint-disable-line react-hooks/exhaustive-deps
  const f = (k: keyof DealForm, v: string) => setForm((x) => ({ ...x, [k]: v }));

  const dealGroup = normGroup(q.get('dealGroup') || group);
  const deal = q.get('deal');
  const adhoc = !deal && q.get('dealCountry') && q.get('dealMaterial') && q.get('dealTonnes');
  const url =
    q.get('dealYear') && (deal || adhoc)
      ? `api/coalition/deal${qs(
          deal
            ? {
                project: deal,
                material: q.get('dealMaterial'),
                year: q.get('dealYear'),
                group: dealGroup,
                exclude: q.get('dealExclude'),
                utilisation: q.get('dealUtil'),
              }
            : {
                country: q.get('dealCountry')?.toUpperCase(),
                material: q.get('dealMaterial'),
                stage: q.get('dealStage') ?? 'refining',
                tonnes: q.get('dealTonnes'),
                basis: q.get('dealBasis'),
                year: q.get('dealYear'),
                group: dealGroup,
                exclude: q.get('dealExclude'),
                utilisation: q.get('dealUtil'),
              },
        )}`
      : null;
  const res = useApi<DealResult>(url);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const keep = Object.fromEntries([...q.entries()].filter(([k]) => !(DEAL_FIELDS as readonly string[]).includes(k)));
    const common = {
      dealYear: form.dealYear,
      dealGroup: form.dealGroup.trim() ? normGroup(form.dealGroup) : null,
      dealExclude: form.dealExclude && form.dealExclude.toUpperCase() !== 'CHN' ? form.dealExclude.toUpperCase() : null,
      dealUtil: form.dealUtil || null,
    };
    navigate(
      '/coalitions',
      form.mode === 'project'
        ? { ...keep, deal: form.deal, dealMaterial: form.dealMaterial || null, ...common }
        : {
            ...keep,
            dealCountry: form.dealCountry.toUpperCase(),
            dealMaterial: form.dealMaterial,
            dealStage: form.dealStage,
            dealTonnes: form.dealTonnes,
            dealBasis: form.dealBasis || null,
            ...common,
          },
    );
  };
  const selected = projects.state === 'ok' ? projects.data.projects.find((p) => p.id === form.deal) : undefined;

  return (
    <section className="panel" aria-labelledby="deal-title" data-testid="deal-panel">
      <h2 id="deal-title">What if this deal delivers</h2>
      <p className="muted">
        Add one project's output to the supply series of its year and see the top supplier's share, HHI, the coalition's share and N-1 coverage before and
        after. A registry project, or your own figures.
      </p>
      <form className="stress-form" onSubmit={submit} aria-label="Deal what-if" data-testid="deal-form">
        <fieldset className="field wide">
          <legend>Project</legend>
          <label className="inline">
            <input type="radio" name="deal-mode" checked={form.mode === 'project'} onChange={() => f('mode', 'project')} /> From the registry
          </label>
          <label className="inline">
            <input type="radio" name="deal-mode" checked={form.mode === 'adhoc'} onChange={() => f('mode', 'adhoc')} /> Ad hoc
          </label>
        </fieldset>
        {form.mode === 'project' ? (
          <>
            <div className="field wide">
              <label htmlFor="deal-project">Registry project</label>
              <select id="deal-project" value={form.deal} onChange={(e) => setForm((x) => ({ ...x, deal: e.target.value, dealMaterial: '' }))} required>
                <option value="">— choose a project —</option>
                {projects.state === 'ok' &&
                  projects.data.projects.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} — {p.countryId}, {p.materials.join('/')}, {p.stage},{' '}
                      {p.capacityTonnesPerYear === null ? 'no published capacity' : `${int(p.capacityTonnesPerYear)} t/yr ${p.basis}`}, {p.status}
                    </option>
                  ))}
              </select>
              {projects.state === 'error' ? <Status res={projects} what="the registry projects" /> : null}
            </div>
            {selected && selected.materials.length > 1 ? (
              <div className="field">
                <label htmlFor="deal-pmaterial">Material of the project</label>
                <select id="deal-pmaterial" value={form.dealMaterial} onChange={(e) => f('dealMaterial', e.target.value)}>
                  <option value="">— say which —</option>
                  {selected.materials.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
              </div>
            ) : null}
          </>
        ) : (
          <>
            <div className="field">
              <label htmlFor="deal-country">Country (ISO3)</label>
              <input id="deal-country" value={form.dealCountry} onChange={(e) => f('dealCountry', e.target.value)} placeholder="USA" size={6} required />
            </div>
            <div className="field">
              <label htmlFor="deal-material">Material</label>
              <input id="deal-material" value={form.dealMaterial} onChange={(e) => f('dealMaterial', e.target.value)} placeholder="lithium" required />
            </div>
            <div className="field">
              <label htmlFor="deal-stage">Stage</label>
              <select id="deal-stage" value={form.dealStage} onChange={(e) => f('dealStage', e.target.value)}>
                <option value="mining">Mining</option>
                <option value="refining">Refining</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="deal-tonnes">Tonnes per year</label>
              <input
                id="deal-tonnes"
                type="number"
                min={0}
                step="any"
                value={form.dealTonnes}
                onChange={(e) => f('dealTonnes', e.target.value)}
                placeholder="40000"
                required
              />
            </div>
            <div className="field">
              <label htmlFor="deal-basis">Basis of the tonnes</label>
              <select id="deal-basis" value={form.dealBasis} onChange={(e) => f('dealBasis', e.target.value)}>
                <option value="">as the series (assumed)</option>
                {BASES.map((b) => (
                  <option key={b} value={b}>
                    {b === 'lce' ? 'lithium carbonate equivalent (lce)' : b.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor="deal-year">Year</label>
          <input id="deal-year" type="number" min={1990} max={2100} value={form.dealYear} onChange={(e) => f('dealYear', e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="deal-group">Grouping</label>
          <input id="deal-group" list="co-groups" value={form.dealGroup} onChange={(e) => f('dealGroup', e.target.value)} placeholder={group} />
        </div>
        <div className="field">
          <label htmlFor="deal-exclude">Country removed in the N-1 test</label>
          <input id="deal-exclude" value={form.dealExclude} onChange={(e) => f('dealExclude', e.target.value)} placeholder="CHN" size={6} />
        </div>
        <div className="field">
          <label htmlFor="deal-util">Utilisation (0–1)</label>
          <input
            id="deal-util"
            type="number"
            min={0.01}
            max={1}
            step={0.05}
            value={form.dealUtil}
            onChange={(e) => f('dealUtil', e.target.value)}
            placeholder="1 (nameplate)"
          />
        </div>
        <div className="field actions">
          <button className="btn primary" type="submit">
            What if it delivers?
          </button>
        </div>
      </form>
      {!url ? (
        <p className="note">
          Choose a project and a year. Example:{' '}
          <a href={href('/coalitions', { ...Object.fromEntries(q.entries()), deal: 'thacker-pass', dealYear: 2030 })}>Thacker Pass lithium in 2030</a>.
        </p>
      ) : res.state !== 'ok' ? (
        <Status res={res} what="the deal what-if" />
      ) : (
        <DealResultView d={res.data} />
      )}
      <SourceLine
        sources={mergeCitations(
          res.state === 'ok' ? res.data.sources : projects.state === 'ok' ? projects.data.projects.map((p) => p.source).filter((s): s is Citation => !!s) : [],
        )}
      />
    </section>
  );
}

function DealResultView({ d }: { d: DealResult }) {
  const p = d.project;
  const b = d.before;
  const a = d.after;
  const unit = d.series.unit;
  const rows: Array<{ key: string; metric: string; before: string; after: string; change: string }> = [
    { key: 'country', metric: `${p.countryId} share`, before: pct(b.countryShare), after: pct(a.countryShare), change: pts(d.change.countryShare) },
    { key: 'top', metric: 'Top supplier share', before: who(b.top), after: who(a.top), change: pts(d.change.topShare) },
    { key: 'hhi', metric: 'HHI (0–10,000)', before: int(b.hhiPoints), after: int(a.hhiPoints), change: signed(a.hhiPoints - b.hhiPoints) },
    ...(d.coalition
      ? [
          {
            key: 'coalition',
            metric: `${d.coalition.id} share`,
            before: pct(b.coalitionShare),
            after: pct(a.coalitionShare),
            change: pts(d.change.coalitionShare),
          },
        ]
      : []),
    {
      key: 'n1-largest',
      metric: `N-1 coverage without ${b.n1Largest?.countryId ?? 'the largest'} (largest; ÷ demand)`,
      before: pct(b.n1Largest?.coverageWorldRatio),
      after: pct(a.n1Largest?.coverageWorldRatio),
      change: pts(d.change.coverageWithoutLargest),
    },
    {
      key: 'n1-excluded',
      metric: `N-1 coverage without ${b.n1Excluded?.countryId ?? '—'} (÷ demand)`,
      before: pct(b.n1Excluded?.coverageWorldRatio),
      after: pct(a.n1Excluded?.coverageWorldRatio),
      change: pts(d.change.coverageWithoutExcluded),
    },
    { key: 'supply', metric: 'World supply', before: quantity(b.totalTonnes, unit), after: quantity(a.totalTonnes, unit), change: '—' },
  ];
  return (
    <div aria-live="polite" data-testid="deal-result" style={{ marginTop: 18 }}>
      <h3>
        What if {p.name} delivers: +{quantity(p.addedTonnes, unit)} {d.series.basis} {p.material.toLowerCase()} {p.stage} in {p.country} ({p.countryId}),{' '}
        {yearLabel(d.year, d.series.scenario)}
      </h3>
      <p className="muted small">
        {p.id ? (
          <>
            Registry project <code>{p.id}</code>, status {p.status ?? '—'}
            {p.expectedStartYear ? `, expected start ${p.expectedStartYear}` : ''}
            {p.partners.length ? `; partners: ${p.partners.map((x) => `${x.partnerId} (${x.role})`).join('; ')}` : ''}.{' '}
          </>
        ) : null}
        Capacity {int(p.capacityTonnesPerYear)} t/yr {p.basis}
        {p.conversion.factor !== 1 ? ` × ${p.conversion.factor} → ${p.conversion.to}` : ''}. Series: {d.series.dataset}
        {d.series.scenario ? ` (${d.series.scenario} case)` : ''}, {d.series.basis}. Demand:{' '}
        {d.demand
          ? `${quantity(d.demand.tonnes, unit)} (${d.demand.scenario ?? '—'}), ${d.demand.scope ?? ''}`
          : 'none in the knowledge base — coverage not computed'}
        .
      </p>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Deal before and after">
        <table data-testid="deal-table">
          <caption>
            Before and after the project, {d.year}
            {d.coalition ? `, coalition ${d.coalition.id}` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" className="num">
                Before
              </th>
              <th scope="col" className="num">
                After
              </th>
              <th scope="col" className="num">
                Change
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-row={r.key}>
                <th scope="row">{r.metric}</th>
                <td className="num" data-col="before">
                  {r.before}
                </td>
                <td className="num" data-col="after">
                  {r.after}
                </td>
                <td className="num" data-col="change">
                  {r.change}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>Assumptions and gaps</h4>
      <ul>
        {d.assumptions.map((x, i) => (
          <li key={`a${i}`}>{x}</li>
        ))}
        {d.gaps.map((g, i) => (
          <li key={`g${i}`} className="gap">
            Gap: {g}
          </li>
        ))}
      </ul>
    </div>
  );
}
