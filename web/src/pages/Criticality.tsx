import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useApi, qs } from '../api.ts';
import { href, navigate, type Route } from '../router.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import { SortableTable, type SortDir } from '../components/SortableTable.tsx';
import { Term } from '../components/Term.tsx';
import type { ComparisonRow, EuSummary, Method } from '../../../src/engine/criticality/index.ts';
import {
  ASSESSOR_SUGGESTIONS,
  DEFAULTS,
  DIVERGING,
  METHOD_NAME,
  distinct,
  inputCitations,
  inputSources,
  plural,
  stripMaterial,
  type CriticalityResponse,
  type CriticalityYears,
  pageMessage,
} from './criticality/common.ts';
import { MaterialDetail } from './criticality/MaterialDetail.tsx';
import { TopByMethod } from './criticality/TopByMethod.tsx';
import { YearNote } from './criticality/YearNote.tsx';
import { OfficialList } from './criticality/OfficialList.tsx';
import { EuMatrixPanel } from './criticality/EuMatrixPanel.tsx';
import { DoeMatrixPanel } from './criticality/DoeMatrixPanel.tsx';
import { comparisonColumns } from './criticality/comparison-columns.tsx';

/**
 * Criticality: the EU JRC, DOE 2023-style, USGS 2022-style and GeoPolRisk methods for one assessor and year
 * (GET /api/criticality). EU matrix (EI × SR with the thresholds), DOE matrix (importance × supply risk), the
 * comparison table with ranks and the input behind diverging rankings, and every input with its status and source.
 * The URL is the view: `#/criticality?as=JPN&year=2023&method=all&samples=100` (+ sort, dir, q, diverging, doe, detail).
 * The page fetches the summary view (scores, bands, ranks, messages: about a quarter of the full report); a material's
 * inputs are fetched when its details are opened (detail=<id>, the same run).
 */

type Form = { as: string; year: string; method: string; samples: string; seed: string };

export function Criticality({ route }: { route: Route }) {
  const q = route.query;
  const view = (): Form => ({
    as: q.get('as') || DEFAULTS.as,
    year: q.get('year') ?? '',
    method: q.get('method') || DEFAULTS.method,
    samples: q.get('samples') ?? DEFAULTS.samples,
    seed: q.get('seed') ?? '',
  });
  const v = view();
  const [form, setForm] = useState<Form>(v);
  useEffect(() => setForm(view()), [q.toString()]); // eslint-disable-line react-hooks/exhaustive-deps

  // No year in the URL: open on the year the loaded data covers best for this assessor and method (stated on the page).
  const years = useApi<CriticalityYears>(`api/criticality/years${qs({ as: v.as, method: v.method })}`);
  const year = v.year || (years.state === 'ok' && years.data.defaultYear !== null ? String(years.data.defaultYear) : '');
  const apiParams = { method: v.method, as: v.as, year, samples: v.samples, seed: v.seed || null };
  const res = useApi<CriticalityResponse>(year ? `api/criticality${qs({ ...apiParams, view: 'summary' })}` : null);
  const csvUrl = `api/criticality${qs({ ...apiParams, format: 'csv' })}`;

  const setView = (patch: Record<string, string | null>, replace = true) => navigate('/criticality', { ...Object.fromEntries(q.entries()), ...patch }, replace);
  const set = (k: keyof Form, value: string) => setForm((f) => ({ ...f, [k]: value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setView(
      {
        as: form.as.trim() || DEFAULTS.as,
        year: form.year || null,
        method: form.method,
        samples: form.samples === '' ? '0' : form.samples,
        seed: form.seed || null,
      },
      false,
    );
  };

  return (
    <section aria-labelledby="crit-title">
      <h1 id="crit-title">Criticality</h1>
      <p className="lede">
        Four published methods on the same data, for the assessor you choose: the <Term id="sr-ei">EU JRC supply risk × economic importance</Term> matrix, a{' '}
        <Term id="doe">DOE 2023-style</Term> importance × supply-risk matrix, the <Term id="usgs">USGS disruption potential × trade exposure</Term>, and{' '}
        <Term id="geopolrisk">GeoPolRisk</Term>. Every input is listed with its status and source; missing inputs leave a score empty (—), never filled in. The
        URL encodes the view — copy it to share.
      </p>
      <form className="stress-form panel" onSubmit={submit} aria-describedby="crit-help" data-testid="crit-form">
        <div className="field">
          <label htmlFor="c-as">Assessor</label>
          <input
            id="c-as"
            type="text"
            list="c-as-list"
            value={form.as}
            onChange={(e) => set('as', e.target.value)}
            aria-describedby="crit-help"
            autoComplete="off"
            spellCheck={false}
          />
          <datalist id="c-as-list">
            {ASSESSOR_SUGGESTIONS.map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="c-year">Year</label>
          <input
            id="c-year"
            type="number"
            min={1990}
            max={2100}
            value={form.year}
            placeholder={!v.year && year ? `${year} (default)` : 'default'}
            aria-describedby="crit-year-note"
            onChange={(e) => set('year', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="c-method">Method</label>
          <select id="c-method" value={form.method} onChange={(e) => set('method', e.target.value)}>
            <option value="all">All four, compared</option>
            <option value="eu">EU JRC (SR, EI)</option>
            <option value="doe">DOE 2023-style</option>
            <option value="usgs">USGS 2022-style (DP·TE)</option>
            <option value="geopolrisk">GeoPolRisk</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="c-samples">Monte Carlo samples (0 = no bands)</label>
          <input id="c-samples" type="number" min={0} max={2000} step={50} value={form.samples} onChange={(e) => set('samples', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="c-seed">Seed</label>
          <input id="c-seed" type="number" min={0} placeholder="1" value={form.seed} onChange={(e) => set('seed', e.target.value)} />
        </div>
        <div className="field actions">
          <button className="btn primary" type="submit">
            Assess
          </button>
        </div>
        <p id="crit-help" className="muted wide">
          Assessor: EU, an ISO3 country code (USA, JPN, KOR, IND, CHN …), a grouping (G7, MSP, OECD …) or a list of countries (USA+CAN). The EU supply tables
          are for 2023; other years use USGS/IEA production. Leave the year empty for the default year. Examples:{' '}
          <a href={href('/criticality', { as: 'USA', method: 'all', samples: 100 })}>United States</a> ·{' '}
          <a href={href('/criticality', { as: 'JPN', year: 2023, method: 'all', samples: 100 })}>Japan 2023</a> ·{' '}
          <a href={href('/criticality', { as: 'G7', year: 2023, method: 'all', samples: 100 })}>G7</a> ·{' '}
          <a href={href('/criticality', { as: 'EU', year: 2024, method: 'all', samples: 100 })}>EU 2024</a>
        </p>
      </form>

      <YearNote years={years} year={year} chosen={Boolean(v.year)} setYear={(y) => setView({ year: y }, false)} />
      {!year ? (
        years.state === 'ok' ? (
          <p role="alert">
            No loaded year has results for {v.method === 'all' ? 'any method' : v.method} as {v.as}: choose a year above.
          </p>
        ) : (
          <Status res={years} what="the years with criticality data" />
        )
      ) : res.state !== 'ok' ? (
        <Status res={res} what="the criticality assessment" />
      ) : (
        <CriticalityResult r={res.data} route={route} setView={setView} csvUrl={csvUrl} apiParams={apiParams} />
      )}
    </section>
  );
}

function CriticalityResult({
  r,
  route,
  setView,
  csvUrl,
  apiParams,
}: {
  r: CriticalityResponse;
  route: Route;
  setView: (patch: Record<string, string | null>, replace?: boolean) => void;
  csvUrl: string;
  apiParams: Record<string, string | null>;
}) {
  const q = route.query;
  const has = (m: Method) => r.methods.includes(m);
  const multi = r.methods.length > 1;
  const sampled = r.samples > 0;
  const term = q.get('doe') === 'medium' ? 'medium' : 'short';
  const detail = q.get('detail');
  const filter = q.get('q') ?? '';
  const onlyDiverging = q.get('diverging') === '1';
  const defaultSort = has('eu') ? 'eu_sr' : has('doe') ? 'doe_sr' : has('usgs') ? 'usgs' : has('geopolrisk') ? 'gpr' : 'material';
  const sortKey = q.get('sort') ?? defaultSort;
  const dir = (q.get('dir') ?? (q.get('sort') ? 'asc' : 'desc')) as SortDir;

  const names = useMemo(() => distinct([...r.comparison.map((c) => c.material), ...r.eu.map((e) => e.material)]).sort((a, b) => b.length - a.length), [r]);
  const nameOf = useMemo(() => new Map(r.comparison.map((c) => [c.materialId, c.material])), [r]);
  const euBy = useMemo(() => new Map(r.eu.map((e) => [e.materialId, e])), [r]);
  /** Member → its EU group (LREE, HREE, PGM) when the group is in the run. */
  const groupOf = useMemo(() => {
    const m = new Map<string, EuSummary>();
    for (const e of r.eu) for (const id of e.members ?? []) m.set(id, e);
    return m;
  }, [r]);
  const officialCell = (c: ComparisonRow): string | null => {
    if (c.onOfficialEuList === null) return null;
    if (c.onOfficialEuList) return 'yes';
    const g = groupOf.get(c.materialId);
    return g && r.comparison.find((x) => x.materialId === g.materialId)?.onOfficialEuList ? `via ${g.material.replace(/^.*\((.*)\)$/, '$1')}` : 'no';
  };
  const hasOfficial = r.comparison.some((c) => c.onOfficialEuList !== null);

  const euCites = useMemo(() => inputCitations([...inputSources(r, ['eu']), r.wgi.source]), [r]);
  const doeCites = useMemo(() => inputCitations([...inputSources(r, ['doe']), r.wgi.source]), [r]);
  const allCites = useMemo(() => inputCitations([...inputSources(r), r.wgi.source]), [r]);

  // Comparison table.
  const rows = useMemo(
    () =>
      r.comparison.filter(
        (c) =>
          (!filter || c.material.toLowerCase().includes(filter.toLowerCase()) || c.materialId.includes(filter.toLowerCase())) &&
          (!onlyDiverging || (c.spread ?? 0) >= DIVERGING),
      ),
    [r, filter, onlyDiverging],
  );
  const nDiverging = r.comparison.filter((c) => (c.spread ?? 0) >= DIVERGING).length;
  const nRanked = r.comparison.filter((c) => c.spread !== null).length;
  const columns = useMemo(
    () => comparisonColumns({ r, sampled, multi, hasOfficial, officialCell, detail, setView }),
    [r, sampled, multi, hasOfficial, detail], // eslint-disable-line react-hooks/exhaustive-deps
  );

  // Defaults: how many materials carry one, and which are most common (group rows repeat their members' and are left out).
  const defaultsSummary = useMemo(() => {
    const counts = new Map<string, number>();
    const indiv = r.comparison.filter((c) => !euBy.get(c.materialId)?.members);
    for (const c of indiv) for (const d of c.defaulted) counts.set(d, (counts.get(d) ?? 0) + 1);
    return { n: indiv.filter((c) => c.defaulted.length > 0).length, total: indiv.length, top: [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4) };
  }, [r, euBy]);
  // Messages by kind (the material stripped), with how many materials each applies to.
  const messageKinds = useMemo(() => {
    const m = new Map<string, number>();
    for (const c of r.comparison) for (const x of distinct(c.messages.map((s) => stripMaterial(s, c.material)))) m.set(x, (m.get(x) ?? 0) + 1);
    return [...m].sort((a, b) => b[1] - a[1]);
  }, [r]);

  // Move focus to the details panel when a row's inputs are opened.
  const prevDetail = useRef(detail);
  useEffect(() => {
    if (detail && detail !== prevDetail.current) {
      const h = document.getElementById('crit-detail-title');
      h?.focus();
      h?.scrollIntoView({ block: 'start' });
    }
    prevDetail.current = detail;
  }, [detail]);

  const ol = r.officialListComparison;
  const who = `${r.assessor.label}${r.assessor.kind === 'group' && r.assessor.members.length ? ` (${r.assessor.members.join(', ')})` : ''}`;
  const euCounts = {
    yes: r.eu.filter((e) => !e.members && e.critical === true).length,
    no: r.eu.filter((e) => !e.members && e.critical === false).length,
    und: r.eu.filter((e) => !e.members && e.critical === null).length,
  };
  const doeCounts = ['critical', 'near-critical', 'not critical'].map((k) => [k, r.doe.filter((d) => d.shortTerm.class === k).length] as const);

  return (
    <div className="crit-result" aria-live="polite">
      <h2 data-testid="crit-heading">
        As {who}, {r.year} — {r.methods.map((m) => METHOD_NAME[m]).join(', ')}
      </h2>
      <div className="kpis">
        <div className="kpi">
          <h3>Materials assessed</h3>
          <p className="big">{r.comparison.filter((c) => !euBy.get(c.materialId)?.members).length}</p>
          <p className="muted">
            {r.eu.some((e) => e.members)
              ? `plus ${plural(r.eu.filter((e) => e.members).length, 'group')} (mean of members, not ranked)`
              : 'individual materials'}
          </p>
        </div>
        {has('eu') && (
          <div className="kpi">
            <h3>EU method: critical</h3>
            <p className="big" data-testid="kpi-eu-critical">
              {euCounts.yes}
            </p>
            <p className="muted">
              {euCounts.no} not critical, {euCounts.und} undetermined (an input missing)
            </p>
          </div>
        )}
        {has('doe') && (
          <div className="kpi">
            <h3>DOE class (short term)</h3>
            <p className="big">{doeCounts.reduce((a, [, n]) => a + n, 0)}</p>
            <p className="muted">
              classified: {doeCounts.map(([k, n]) => `${n} ${k}`).join(', ')}; {r.doe.length - doeCounts.reduce((a, [, n]) => a + n, 0)} undetermined
            </p>
          </div>
        )}
        {multi && (
          <div className="kpi">
            <h3>Diverging rankings</h3>
            <p className="big">{nDiverging}</p>
            <p className="muted">
              of {nRanked} ranked by two or more methods differ by ≥ {DIVERGING} ranks
            </p>
          </div>
        )}
      </div>
      <TopByMethod r={r} apiParams={apiParams} onShow={(id) => setView({ detail: id })} />
      <p className="note">
        Governance: {r.wgi.note}. {sampled ? `Bands: ${r.samples} Monte Carlo samples, seed ${r.seed} (p5–p95).` : 'No uncertainty bands (samples = 0).'}
      </p>

      {has('eu') && <EuMatrixPanel r={r} sampled={sampled} officialCell={officialCell} euCites={euCites} />}

      {has('doe') && <DoeMatrixPanel r={r} term={term} setView={setView} doeCites={doeCites} />}

      {ol && <OfficialList ol={ol} r={r} nameOf={nameOf} euCites={euCites} />}

      <section className="panel" aria-labelledby="cmp-title" data-testid="cmp-panel">
        <div className="table-head" style={{ marginTop: 0 }}>
          <h3 id="cmp-title">{multi ? 'Comparison across methods' : `${METHOD_NAME[r.methods[0]]} results`}</h3>
          <span className="downloads">
            <a className="btn small" href={csvUrl} download aria-label="Download the comparison table as CSV">
              CSV
            </a>
            <a className="btn small" href={csvUrl.replace('format=csv', 'format=xlsx')} download aria-label="Download the comparison table as XLSX (Excel)">
              XLSX
            </a>
          </span>
        </div>
        <div className="controls">
          <label htmlFor="c-filter">Filter materials</label>
          <input id="c-filter" type="search" value={filter} placeholder="e.g. cobalt, rare" onChange={(e) => setView({ q: e.target.value || null })} />
          {multi && (
            <label className="inline" style={{ fontWeight: 400 }}>
              <input type="checkbox" checked={onlyDiverging} onChange={(e) => setView({ diverging: e.target.checked ? '1' : null })} /> Only diverging rankings
              (spread ≥ {DIVERGING})
            </label>
          )}
          <span className="count" aria-live="polite">
            {rows.length} shown
          </span>
        </div>
        <SortableTable<ComparisonRow>
          testId="crit-table"
          caption={`Criticality as ${r.assessor.label}, ${r.year}: ${rows.length} materials${multi ? ` — ranks E = EU SR, D = DOE supply risk, U = USGS DP·TE, G = GeoPolRisk (1 = highest)` : ''}`}
          columns={columns}
          rows={rows}
          rowKey={(c) => c.materialId}
          sort={{ key: sortKey, dir }}
          onSort={(key, d) => setView({ sort: key, dir: d })}
        />
        <p className="note" data-testid="defaults-note">
          Defaults: where no value is held, <Term id="substitution">SI_SR and SI_EI</Term> are set to 1 and <Term id="eol-rir">EoL-RIR</Term> to 0 — the
          no-credit end of their ranges — so the point SR (and EI) is an upper value, usually at or above the band's p95; the band shows how far they could
          lower it. {defaultsSummary.n} of {defaultsSummary.total} materials have a defaulted input
          {defaultsSummary.top.length ? ` (most common: ${defaultsSummary.top.map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}. “?” = undetermined because an
          input is missing; “—” = not computed.
        </p>
        {messageKinds.length > 0 && (
          <details>
            <summary>Messages: what was not computed, and why ({messageKinds.length} kinds)</summary>
            <ul className="small">
              {messageKinds.map(([m, n]) => (
                <li key={m}>
                  {pageMessage(m).text}
                  {pageMessage(m).year ? ` (open year ${pageMessage(m).year})` : ''} <span className="muted">({plural(n, 'material')})</span>
                </li>
              ))}
            </ul>
          </details>
        )}
        {r.warnings.length > 0 && (
          <details>
            <summary>Data warnings ({r.warnings.length})</summary>
            <ul className="small">
              {r.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          </details>
        )}
        <SourceLine sources={allCites} />
      </section>

      {detail && <MaterialDetail id={detail} material={nameOf.get(detail) ?? null} apiParams={apiParams} onClose={() => setView({ detail: null })} />}
    </div>
  );
}
