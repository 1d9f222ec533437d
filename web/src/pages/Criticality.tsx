import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useApi, qs } from '../api.ts';
import { href, navigate, type Route } from '../router.ts';
import { fixed } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import { SortableTable, type Column, type SortDir } from '../components/SortableTable.tsx';
import { EChart } from '../components/EChart.tsx';
import { Term } from '../components/Term.tsx';
import type { ComparisonRow, EuSummary, Method } from '../../../src/engine/criticality/index.ts';
import {
  ASSESSOR_SUGGESTIONS,
  DEFAULTS,
  DIVERGING,
  EI_T,
  METHOD_NAME,
  RANK_LETTER,
  SR_T,
  bandText,
  distinct,
  inputCitations,
  inputSources,
  isNum,
  plural,
  stageName,
  stripMaterial,
  yesNo,
  type CriticalityResponse,
  type CriticalityYears,
  pageMessage,
} from './criticality/common.ts';
import { doeOption, euOption, type Bubble, type EuPoint } from './criticality/charts.ts';
import { MaterialDetail } from './criticality/MaterialDetail.tsx';
import { TopByMethod } from './criticality/TopByMethod.tsx';
import { YearNote } from './criticality/YearNote.tsx';
import { OfficialList } from './criticality/OfficialList.tsx';
import { outsideBand } from './criticality/Why.tsx';

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

  // EU matrix: points with both SR and EI; the rest listed under the chart with the API's reason.
  const euPoints: EuPoint[] = useMemo(
    () =>
      r.eu
        .filter((e) => isNum(e.sr) && isNum(e.ei))
        .map((e) => {
          const c = r.comparison.find((x) => x.materialId === e.materialId);
          return {
            id: e.materialId,
            name: e.material,
            ei: e.ei!,
            sr: e.sr!,
            critical: e.critical,
            bottleneck: e.bottleneck,
            srBand: e.band?.sr ?? null,
            eiBand: e.band?.ei ?? null,
            group: Boolean(e.members),
            official: c ? officialCell(c) : null,
          };
        }),
    [r], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const notPlotted = useMemo(() => {
    const m = new Map<string, { what: string; why: string; names: string[] }>();
    for (const e of r.eu) {
      if (isNum(e.sr) && isNum(e.ei)) continue;
      const what = !isNum(e.sr) && !isNum(e.ei) ? 'SR and EI missing' : !isNum(e.ei) ? 'EI missing' : 'SR missing';
      const msg =
        e.messages.map((x) => stripMaterial(x, e.material)).find((x) => x.includes(what.startsWith('EI') ? 'EI' : 'SR')) ??
        e.messages.map((x) => stripMaterial(x, e.material))[0] ??
        '';
      const key = `${what}|${msg}`;
      const cur = m.get(key) ?? { what, why: msg, names: [] };
      cur.names.push(e.material);
      m.set(key, cur);
    }
    return [...m.values()];
  }, [r]);
  // EU points outside their own Monte Carlo band, grouped by the reason the engine gives (band.note), never hidden.
  const bandOutside = useMemo(() => {
    const by = new Map<string, string[]>();
    let banded = 0;
    for (const c of r.comparison) {
      if (!c.eu?.srBand) continue;
      banded++;
      const why = outsideBand(c.eu.sr, c.eu.srBand);
      if (why) by.set(why, [...(by.get(why) ?? []), c.material]);
    }
    return { n: [...by.values()].reduce((a, x) => a + x.length, 0), banded, reasons: [...by] };
  }, [r]);
  const euOpt = useMemo(() => euOption(euPoints, sampled), [euPoints, sampled]);
  const nCritical = r.eu.filter((e) => !e.members && e.critical === true).length;
  const euLabel =
    `EU criticality matrix as ${r.assessor.label}, ${r.year}: economic importance (EI, x axis) against supply risk (SR, y axis) for ${euPoints.length} materials and groups; ` +
    `dashed threshold lines at SR = ${SR_T.toFixed(1)} and EI = ${EI_T.toFixed(1)}, the critical quadrant (both thresholds met) shaded; ${nCritical} materials critical. ` +
    `${sampled ? 'Vertical grey lines: SR p5–p95. ' : ''}The same numbers are in the comparison table below.`;

  // DOE matrix: materials at the same (importance, supply risk) share one bubble.
  const termKey = term === 'medium' ? 'mediumTerm' : 'shortTerm';
  const doeBubbles = useMemo(() => {
    const m = new Map<string, Bubble>();
    for (const d of r.doe) {
      const t = d[termKey];
      if (!isNum(t.importance) || !isNum(t.supplyRisk) || !t.class) continue;
      const k = `${t.importance}|${t.supplyRisk}|${t.class}`;
      const b = m.get(k) ?? { imp: t.importance, sr: t.supplyRisk, cls: t.class, names: [] };
      b.names.push(d.material);
      m.set(k, b);
    }
    return [...m.values()];
  }, [r, termKey]);
  const doeOpt = useMemo(() => doeOption(doeBubbles, term), [doeBubbles, term]);
  const doePlaced = doeBubbles.reduce((a, b) => a + b.names.length, 0);
  const doeNoImportance = r.doe.filter((d) => !isNum(d[termKey].importance));
  const doeMessages = useMemo(() => {
    // The API's own words on why importance is missing: the messages naming it, and the basis of unscored energy-demand indicators.
    const msgs = distinct(r.doe.flatMap((d) => d.messages.filter((m) => /importance/i.test(m)).map((m) => stripMaterial(m, d.material))));
    const bases = distinct(r.doeUnscored.filter((u) => u.term === termKey && /energy demand/i.test(u.indicator)).map((u) => `${u.indicator}: ${u.basis}`));
    return term === 'short' ? [...msgs, ...bases] : bases;
  }, [r, termKey, term]);
  const otherTermPlaced = r.doe.filter((d) => isNum(d[term === 'medium' ? 'shortTerm' : 'mediumTerm'].importance)).length;

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
  const columns = useMemo(() => {
    const cols: Column<ComparisonRow>[] = [
      { key: 'material', label: 'material', header: 'Material', rowHeader: true, sortValue: (c) => c.material, render: (c) => c.material },
    ];
    if (has('eu')) {
      cols.push({
        key: 'eu_sr',
        label: 'EU supply risk',
        header: 'EU SR',
        numeric: true,
        className: 'first-of-group',
        sortValue: (c) => c.eu?.sr ?? null,
        render: (c) => fixed(c.eu?.sr),
      });
      if (sampled)
        cols.push({
          key: 'eu_band',
          label: 'EU supply risk p5 to p95',
          header: 'SR p5–p95',
          numeric: true,
          sortValue: (c) => c.eu?.srBand?.p95 ?? null,
          render: (c) => {
            const why = outsideBand(c.eu?.sr, c.eu?.srBand);
            return why ? (
              <span className="outside-band" title={`The point SR ${fixed(c.eu?.sr)} lies outside its band: ${why}`}>
                {bandText(c.eu?.srBand)} ⚠
              </span>
            ) : (
              bandText(c.eu?.srBand)
            );
          },
        });
      cols.push(
        { key: 'eu_ei', label: 'EU economic importance', header: 'EU EI', numeric: true, sortValue: (c) => c.eu?.ei ?? null, render: (c) => fixed(c.eu?.ei) },
        {
          key: 'eu_stage',
          label: 'bottleneck stage',
          header: 'Bottleneck',
          sortValue: (c) => c.eu?.bottleneck ?? null,
          render: (c) => (c.eu ? stageName(c.eu.bottleneck) : '—'),
        },
        {
          key: 'eu_critical',
          label: 'EU critical',
          header: 'EU critical',
          sortValue: (c) => (c.eu ? yesNo(c.eu.critical) : null),
          render: (c) =>
            !c.eu ? '—' : c.eu.critical === null ? <span title="undetermined: an input is missing (see the inputs)">?</span> : yesNo(c.eu.critical),
        },
      );
      if (hasOfficial)
        cols.push({
          key: 'official',
          label: 'on the official EU 2023 list',
          header: 'EU 2023 list',
          sortValue: (c) => officialCell(c),
          render: (c) => officialCell(c) ?? '—',
        });
    }
    if (has('doe'))
      cols.push(
        {
          key: 'doe_sr',
          label: 'DOE short-term supply risk',
          header: 'DOE SR',
          numeric: true,
          className: 'first-of-group',
          sortValue: (c) => c.doe?.supplyRisk ?? null,
          render: (c) => <span title={c.doe?.supplyRiskBand ? `p5–p95 ${bandText(c.doe.supplyRiskBand, 1)}` : undefined}>{fixed(c.doe?.supplyRisk, 1)}</span>,
        },
        {
          key: 'doe_imp',
          label: 'DOE short-term importance to energy',
          header: 'DOE imp.',
          numeric: true,
          sortValue: (c) => c.doe?.importance ?? null,
          render: (c) => fixed(c.doe?.importance, 1),
        },
        {
          key: 'doe_class',
          label: 'DOE class',
          header: 'DOE class',
          sortValue: (c) => c.doe?.class ?? null,
          render: (c) => (!c.doe ? '—' : (c.doe.class ?? '?')),
        },
      );
    if (has('usgs'))
      cols.push({
        key: 'usgs',
        label: 'USGS disruption potential times trade exposure',
        header: 'USGS DP·TE',
        numeric: true,
        className: 'first-of-group',
        sortValue: (c) => c.usgs?.partialScore ?? null,
        render: (c) => (
          <span title={c.usgs ? `DP ${fixed(c.usgs.dp)} × TE ${fixed(c.usgs.te)}${c.usgs.band ? `; p5–p95 ${bandText(c.usgs.band)}` : ''}` : undefined}>
            {fixed(c.usgs?.partialScore)}
          </span>
        ),
      });
    if (has('geopolrisk'))
      cols.push({
        key: 'gpr',
        label: 'GeoPolRisk',
        header: 'GeoPolRisk',
        numeric: true,
        className: 'first-of-group',
        sortValue: (c) => c.geopolrisk?.score ?? null,
        render: (c) => <span title={c.geopolrisk?.band ? `p5–p95 ${bandText(c.geopolrisk.band, 3)}` : undefined}>{fixed(c.geopolrisk?.score, 3)}</span>,
      });
    if (multi)
      cols.push(
        {
          key: 'ranks',
          label: 'ranks per method',
          header: 'Ranks',
          className: 'first-of-group',
          render: (c) => {
            const parts = r.methods.map((m) => ({ m, v: c.ranks[m] ?? null }));
            return (
              <span
                aria-label={parts.map((p) => `${METHOD_NAME[p.m]} rank ${p.v ?? 'none'}`).join(', ')}
                title={parts.map((p) => `${METHOD_NAME[p.m]}: ${p.v ?? '—'}`).join('; ')}
              >
                {parts.map((p) => `${RANK_LETTER[p.m]}${p.v ?? '—'}`).join(' ')}
              </span>
            );
          },
        },
        {
          key: 'spread',
          label: 'rank spread',
          header: 'Spread',
          numeric: true,
          sortValue: (c) => c.spread,
          render: (c) =>
            c.spread === null ? (
              '—'
            ) : c.spread >= DIVERGING ? (
              <>
                <span className="sev sev-warning" title={`rankings diverge: spread ≥ ${DIVERGING} ranks`}>
                  diverging
                </span>{' '}
                {c.spread}
              </>
            ) : (
              String(c.spread)
            ),
        },
        {
          key: 'driver',
          label: 'driver of the divergence',
          header: 'Driver',
          render: (c) => <span style={{ whiteSpace: 'normal', display: 'inline-block', minWidth: 420, maxWidth: 520, fontSize: 13 }}>{c.driver ?? '—'}</span>,
        },
      );
    cols.push(
      {
        key: 'defaults',
        label: 'number of defaulted inputs',
        header: 'Defaults',
        numeric: true,
        className: 'first-of-group',
        sortValue: (c) => c.defaulted.length,
        render: (c) => <span title={c.defaulted.join('; ') || 'none'}>{c.defaulted.length}</span>,
      },
      {
        key: 'details',
        label: 'inputs',
        header: 'Inputs',
        render: (c) => (
          <button
            type="button"
            className="btn small"
            aria-expanded={detail === c.materialId}
            aria-controls="crit-detail"
            aria-label={`${detail === c.materialId ? 'Hide' : 'Show'} inputs, sources and messages for ${c.material}`}
            onClick={() => setView({ detail: detail === c.materialId ? null : c.materialId })}
          >
            {detail === c.materialId ? 'Hide' : 'Show'}
          </button>
        ),
      },
    );
    return cols;
  }, [r, sampled, multi, hasOfficial, detail]); // eslint-disable-line react-hooks/exhaustive-deps

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

      {has('eu') && (
        <section className="panel" aria-labelledby="eu-matrix-title" data-testid="eu-panel">
          <h3 id="eu-matrix-title">EU method: supply risk against economic importance</h3>
          <p className="muted">
            One point per material (groups: mean of their members). Critical where SR ≥ {SR_T.toFixed(1)} and EI ≥ {EI_T.toFixed(1)} (shaded); labels name the
            critical materials where they do not overlap — hover or focus the table for the rest.
            {r.assessor.kind !== 'eu' ? ' For an assessor other than the EU, EI, EoL-RIR and the substitution indices are EU values used as proxies.' : ''}
          </p>
          <EChart option={euOpt} label={euLabel} height={540} testId="eu-matrix" />
          {notPlotted.length > 0 && (
            <div data-testid="eu-not-plotted">
              <p className="muted small">Not plotted ({r.eu.length - euPoints.length}):</p>
              <ul className="small">
                {notPlotted.map((n) => (
                  <li key={n.what + n.why}>
                    <strong>{n.what}</strong>
                    {n.why ? ` (${n.why})` : ''}: {n.names.join(', ')}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {bandOutside.n > 0 && (
            <div className="note" data-testid="band-outside">
              <p style={{ margin: 0 }}>
                The point SR lies outside its own p5–p95 band for {bandOutside.n} of {bandOutside.banded} materials (marked ⚠ in the table). Reason given:
              </p>
              <ul style={{ margin: '4px 0 0' }}>
                {bandOutside.reasons.map(([why, names]) => (
                  <li key={why}>
                    {why} ({names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')} and ${names.length - 8} more`})
                  </li>
                ))}
              </ul>
            </div>
          )}
          <SourceLine sources={euCites} />
        </section>
      )}

      {has('doe') && (
        <section className="panel" aria-labelledby="doe-matrix-title" data-testid="doe-panel">
          <div className="panel-head">
            <h3 id="doe-matrix-title">DOE-style matrix: importance to energy against supply risk ({term} term)</h3>
            <div className="seg" role="group" aria-label="DOE term">
              {(['short', 'medium'] as const).map((t) => (
                <button key={t} type="button" aria-pressed={term === t} onClick={() => setView({ doe: t === 'short' ? null : t })}>
                  {t === 'short' ? 'Short term' : 'Medium term (2035)'}
                </button>
              ))}
            </div>
          </div>
          <p className="muted">
            Both axes scored 1–4 from the indicators that have a score (weights renormalised); class colours are the API's classes, the shaded zones our reading
            of the DOE figure. Materials at the same position share a bubble (the number is how many).
          </p>
          {doeNoImportance.length > 0 && (
            <div className="note" data-testid="doe-note">
              <p style={{ margin: 0 }}>
                DOE importance to energy is missing for {doeNoImportance.length} of {r.doe.length} materials at {r.year} ({term} term), so they have no place on
                this matrix and no DOE class. The API says:
              </p>
              <ul style={{ margin: '4px 0 0' }}>
                {doeMessages.map((m) => {
                  const pm = pageMessage(m);
                  return (
                    <li key={m}>
                      {pm.text}
                      {pm.year && pm.year !== String(r.year) && (
                        <>
                          {' '}
                          <button type="button" className="btn small" onClick={() => setView({ year: pm.year }, false)}>
                            open year {pm.year}
                          </button>
                        </>
                      )}
                    </li>
                  );
                })}
              </ul>
              {otherTermPlaced > 0 && (
                <p style={{ margin: '4px 0 0' }}>
                  The {term === 'short' ? 'medium' : 'short'}-term importance is computed for {plural(otherTermPlaced, 'material')}:{' '}
                  <button type="button" className="btn small" onClick={() => setView({ doe: term === 'short' ? 'medium' : null })}>
                    show the {term === 'short' ? 'medium' : 'short'} term
                  </button>
                </p>
              )}
            </div>
          )}
          {doePlaced > 0 && (
            <EChart
              option={doeOpt}
              testId="doe-matrix"
              height={460}
              label={`DOE-style criticality matrix as ${r.assessor.label}, ${r.year}, ${term} term: importance to energy (x, 1–4) against supply risk (y, 1–4) for ${doePlaced} materials; ${doeBubbles
                .map((b) => `${b.cls} at importance ${fixed(b.imp, 1)}, supply risk ${fixed(b.sr, 1)}: ${b.names.join(', ')}`)
                .join('; ')}.`}
            />
          )}
          <SourceLine sources={doeCites} />
        </section>
      )}

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
