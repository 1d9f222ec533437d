/**
 * Stress-test builder. The URL is the scenario: the form is read from it (`formFromQuery`, with the API's defaults filled
 * in and shown), the API request is built from the form (`queryFromForm`, the same full query every "Stress test" link
 * writes: src/scenario/query.ts), and a URL that leaves inputs out is rewritten to the full one. So what the form shows
 * is what runs, and a copied URL reruns it exactly.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useApi, type StressReport, type ConcentrationRow, type MaterialListItem } from '../api.ts';
import { navigate, type Route } from '../router.ts';
import { pct, quantity, stageLabel } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import { Term } from '../components/Term.tsx';
import { EChart, type EChartsOption } from '../components/EChart.tsx';
import {
  STOCKPILE_POLICY_IDS,
  STRESS_DEFAULTS,
  STRESS_QUERY_KEYS,
  stressHref,
  stressQuery,
  stressQueryDefaults,
  stressQueryString,
  stressRun,
  type StressQueryParams,
  type StressRun,
} from '../../../src/scenario/query.ts';

type StockpileKind = (typeof STOCKPILE_POLICY_IDS)[number] | 'days' | 'tonnes';
interface Form {
  material: string;
  stage: string;
  year: string;
  exclude: string;
  n1: boolean;
  mode: string;
  fraction: string;
  months: string;
  stockpile: StockpileKind;
  stockpileAmount: string;
  holder: string;
  demandScenario: string;
  demandScope: string;
  tradeYear: string;
  dataset: string;
}

const STOCKPILE_LABEL: Record<StockpileKind, string> = {
  'japan-60': 'Japan 60 days',
  'high-risk-180': 'High-risk 180 days',
  days: 'Days…',
  tonnes: 'Tonnes…',
};
const DATASETS: Array<{ value: string; label: string }> = [
  { value: '', label: 'Automatic' },
  { value: 'iea-cm', label: 'IEA Critical Minerals' },
  { value: 'usgs-mcs', label: 'USGS Mineral Commodity Summaries' },
];

// Percent shown ↔ fraction sent, without binary noise (33.3 % ↔ 0.333), so the field shows exactly what runs.
const percentOf = (fraction: string) =>
  fraction === '' || !Number.isFinite(Number(fraction)) ? fraction : String(Number((Number(fraction) * 100).toPrecision(12)));
const fractionOf = (percent: string) => (percent === '' ? '' : String(Number((Math.min(100, Math.max(0, Number(percent))) / 100).toPrecision(12))));

/** The form a URL describes, every input the URL leaves out at the API's default. */
export function formFromQuery(query: URLSearchParams): Form {
  const raw: StressQueryParams = {};
  for (const k of STRESS_QUERY_KEYS) {
    const v = query.get(k);
    if (v !== null && v !== '') raw[k] = v;
  }
  const d = stressQueryDefaults(raw);
  const stockpile: StockpileKind =
    d.stockpileTonnes !== undefined
      ? 'tonnes'
      : d.stockpileDays !== undefined
        ? 'days'
        : (STOCKPILE_POLICY_IDS as readonly string[]).includes(d.stockpilePolicy!)
          ? (d.stockpilePolicy as StockpileKind)
          : STRESS_DEFAULTS.stockpilePolicy;
  return {
    material: d.material ?? 'cobalt',
    stage: d.stage!,
    year: d.year ?? '',
    exclude: d.exclude ?? '',
    n1: d.n1 === 'true' || d.n1 === '1',
    mode: d.mode!,
    fraction: d.fraction!,
    months: d.months!,
    stockpile,
    stockpileAmount: d.stockpileTonnes ?? d.stockpileDays ?? '',
    holder: d.holder!,
    demandScenario: d.demandScenario!,
    demandScope: d.demandScope ?? '',
    tradeYear: d.tradeYear ?? '',
    dataset: d.dataset ?? '',
  };
}

/** The run the form describes (numbers as typed; the API validates them). */
function runFromForm(f: Form, year: string): StressRun {
  const exclude = f.exclude
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const amount = Number(f.stockpileAmount);
  return {
    material: f.material,
    stage: f.stage as StressRun['stage'],
    year: Number(year),
    demandScenario: f.demandScenario,
    shock: {
      exclude: [...(f.n1 ? ['largest'] : []), ...exclude],
      mode: f.mode as StressRun['shock']['mode'],
      fraction: Number(f.fraction),
      durationMonths: Number(f.months),
    },
    stockpile: {
      ...(f.stockpile === 'days' ? { days: amount } : f.stockpile === 'tonnes' ? { tonnes: amount } : { policy: f.stockpile }),
      holder: f.holder.trim() || STRESS_DEFAULTS.holder,
    },
    ...(f.demandScope.trim() ? { demandScope: f.demandScope.trim() } : {}),
    ...(f.tradeYear ? { tradeYear: Number(f.tradeYear) } : {}),
    ...(f.dataset ? { dataset: f.dataset } : {}),
  };
}

/** The full query of the form: the dashboard URL and the API request carry exactly this. */
export const queryFromForm = (f: Form, year: string): StressQueryParams => stressQuery(runFromForm(f, year));
const ordered = (q: StressQueryParams) => Object.fromEntries(STRESS_QUERY_KEYS.filter((k) => q[k] !== undefined).map((k) => [k, q[k]!]));

const ratio = (x: number | null | undefined) => (x === null || x === undefined ? '—' : pct(x, 0));
const priceRange = (p: StressReport['price']) => {
  const f = (x: number | null, beyond: boolean) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%${beyond ? '+' : ''}`);
  return `${f(p.priceChangePct.low, p.beyondModelRange.low)} to ${f(p.priceChangePct.high, p.beyondModelRange.high)}`;
};

function recoveryOption(r: StressReport): EChartsOption {
  const m = r.stockpile.months;
  return {
    grid: { left: 70, right: 20, top: 40, bottom: 35 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => quantity(Number(v), 't') },
    xAxis: { type: 'category', name: 'month', nameLocation: 'middle', nameGap: 24, data: m.map((x) => String(x.month)) },
    yAxis: { type: 'value', name: 'tonnes', axisLabel: { formatter: (v: number) => (v >= 1000 ? `${Math.round(v / 1000)}k` : String(v)) } },
    series: [
      { name: 'replaced by other suppliers', type: 'bar', stack: 'loss', data: m.map((x) => x.replacedTonnes), itemStyle: { color: '#35978f' } },
      { name: 'drawn from stockpile', type: 'bar', stack: 'loss', data: m.map((x) => x.drawdownTonnes), itemStyle: { color: '#5e3c99' } },
      { name: 'unmet', type: 'bar', stack: 'loss', data: m.map((x) => x.unmetTonnes), itemStyle: { color: '#b2182b' } },
    ],
  };
}

export function Stress({ route }: { route: Route }) {
  const q = route.query;
  const materials = useApi<{ materials: MaterialListItem[] }>('api/materials');
  const [form, setForm] = useState<Form>(() => formFromQuery(q));
  useEffect(() => setForm(formFromQuery(q)), [q.toString()]); // eslint-disable-line react-hooks/exhaustive-deps

  const mat = materials.state === 'ok' ? materials.data.materials.find((m) => m.id === form.material) : undefined;
  const years = useMemo(
    () => [...new Set((mat?.stages ?? []).filter((s) => s.stage === 'mining' || s.stage === 'refining').flatMap((s) => s.years))].sort((a, b) => a - b),
    [mat],
  );
  const year = form.year || String(years.filter((y) => y <= new Date().getFullYear()).pop() ?? years[years.length - 1] ?? '');
  // The supplier chips show the series the stress engine will use (same dataset rule, same share function).
  const supplyQuery = new URLSearchParams(
    Object.entries({
      material: form.material,
      stage: form.stage,
      year,
      demandScenario: form.demandScenario,
      demandScope: form.demandScope.trim(),
      dataset: form.dataset,
    }).filter(([, v]) => v) as [string, string][],
  );
  const suppliers = useApi<{ dataset: string | null; reason: string | null; row: ConcentrationRow }>(
    form.material && year ? `api/stress/supply?${supplyQuery}` : null,
  );

  // The URL is the scenario: run when it names one, with the request built from the form the URL gives.
  const urlForm = useMemo(() => formFromQuery(q), [q.toString()]); // eslint-disable-line react-hooks/exhaustive-deps
  const runnable = !!(q.get('material') && q.get('year') && (q.get('exclude') || urlForm.n1));
  const runQuery = runnable ? stressQueryString(queryFromForm(urlForm, urlForm.year)) : null;
  const result = useApi<StressReport>(runQuery ? `api/stress?${runQuery}` : null);
  // A URL that leaves inputs out (an old or hand-written link) is rewritten to the full one, so it says what runs.
  useEffect(() => {
    if (runQuery && runQuery !== q.toString()) navigate('/stress', Object.fromEntries(new URLSearchParams(runQuery)), true);
  }, [runQuery, q.toString()]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v, ...(k === 'material' ? { year: '', exclude: '' } : {}) }));
  const toggleExclude = (id: string) => {
    const cur = form.exclude
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    set('exclude', (cur.includes(id) ? cur.filter((c) => c !== id) : [...cur, id]).join(','));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate('/stress', ordered(queryFromForm(form, year)));
  };
  const excluded = new Set(form.exclude.split(',').map((s) => s.trim().toUpperCase()));

  return (
    <section aria-labelledby="stress-title">
      <h1 id="stress-title">Stress test</h1>
      <p className="lede">
        Remove countries or a grouping at one stage and year and see the shortfall, coverage of demand, price range and how long a stockpile lasts. The URL
        encodes every input below — copy it to share; it reruns exactly this.
      </p>
      <form className="stress-form panel" onSubmit={submit} aria-describedby="stress-help" data-testid="stress-form">
        <div className="field">
          <label htmlFor="s-material">Material</label>
          <select id="s-material" value={form.material} onChange={(e) => set('material', e.target.value)}>
            {materials.state === 'ok' &&
              materials.data.materials
                .filter((m) => m.stages.some((s) => s.stage === 'mining' || s.stage === 'refining'))
                .map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name}
                  </option>
                ))}
          </select>
        </div>
        <fieldset className="field">
          <legend>Stage</legend>
          {['mining', 'refining'].map((s) => (
            <label key={s} className="inline">
              <input type="radio" name="stage" value={s} checked={form.stage === s} onChange={() => set('stage', s)} /> {stageLabel(s)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="s-year">Year</label>
          <select id="s-year" value={year} onChange={(e) => set('year', e.target.value)}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
                {y > new Date().getFullYear() ? ' (projection)' : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field wide">
          <label htmlFor="s-exclude">Countries or groupings to remove</label>
          <input
            id="s-exclude"
            type="text"
            value={form.exclude}
            placeholder="e.g. CHN or IDN,PHL or non-MSP"
            onChange={(e) => set('exclude', e.target.value)}
            aria-describedby="stress-help"
          />
          {suppliers.state === 'ok' && (
            <div className="chips" role="group" aria-label="Largest suppliers: add or remove" data-testid="supplier-chips">
              {suppliers.data.row.shares.slice(0, 6).map((s) => (
                <button
                  type="button"
                  key={s.countryId}
                  data-country={s.countryId}
                  aria-pressed={excluded.has(s.countryId)}
                  onClick={() => toggleExclude(s.countryId)}
                >
                  {s.country} {pct(s.share, 1)}
                </button>
              ))}
              <span className="muted small">
                share of {stageLabel(form.stage).toLowerCase()} supply, {suppliers.data.row.source.publisher} ({suppliers.data.row.source.sourceId}): the series
                the stress test uses
              </span>
            </div>
          )}
          <label className="inline">
            <input id="s-n1" type="checkbox" checked={form.n1} onChange={(e) => set('n1', e.target.checked)} /> N-1: remove the largest supplier
          </label>
        </div>
        <div className="field">
          <label htmlFor="s-mode">Shock</label>
          <select id="s-mode" value={form.mode} onChange={(e) => set('mode', e.target.value)}>
            <option value="export_ban">Export ban</option>
            <option value="outage">Outage (output lost)</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="s-fraction">Share of output affected (%)</label>
          <input
            id="s-fraction"
            type="number"
            min={0}
            max={100}
            step="any"
            value={percentOf(form.fraction)}
            onChange={(e) => set('fraction', fractionOf(e.target.value))}
          />
        </div>
        <div className="field">
          <label htmlFor="s-months">Duration (months)</label>
          <input id="s-months" type="number" min={1} max={120} value={form.months} onChange={(e) => set('months', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="s-stock">Stockpile</label>
          <select id="s-stock" value={form.stockpile} onChange={(e) => set('stockpile', e.target.value as StockpileKind)} aria-describedby="s-stock-help">
            {(Object.keys(STOCKPILE_LABEL) as StockpileKind[]).map((k) => (
              <option key={k} value={k}>
                {STOCKPILE_LABEL[k]}
                {k === STRESS_DEFAULTS.stockpilePolicy ? ' (default)' : ''}
              </option>
            ))}
          </select>
          {(form.stockpile === 'days' || form.stockpile === 'tonnes') && (
            <input
              id="s-stock-amount"
              type="number"
              min={0}
              step="any"
              aria-label={form.stockpile === 'days' ? 'Stockpile, days of consumption' : 'Stockpile, tonnes'}
              value={form.stockpileAmount}
              onChange={(e) => set('stockpileAmount', e.target.value)}
            />
          )}
          <span id="s-stock-help" className="muted small">
            presets: days of the holder's consumption (JOGMEC 60-day target; METI up to 180 days); 0 days = none
          </span>
        </div>
        <div className="field">
          <label htmlFor="s-holder">Stockpile held by</label>
          <input
            id="s-holder"
            type="text"
            value={form.holder}
            placeholder="world"
            onChange={(e) => set('holder', e.target.value)}
            aria-describedby="s-holder-help"
          />
          <span id="s-holder-help" className="muted small">
            “world” = all affected consumers (default), or an ISO3 code
          </span>
        </div>
        <div className="field">
          <label htmlFor="s-demand">Demand scenario (projections)</label>
          <select id="s-demand" value={form.demandScenario} onChange={(e) => set('demandScenario', e.target.value)}>
            {['STEPS', 'APS', 'NZE'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="s-scope">Demand series (scope)</label>
          <input id="s-scope" type="text" value={form.demandScope} placeholder="published total" onChange={(e) => set('demandScope', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="s-dataset">Supply data</label>
          <select id="s-dataset" value={form.dataset} onChange={(e) => set('dataset', e.target.value)} aria-describedby="s-dataset-help">
            {DATASETS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
          <span id="s-dataset-help" className="muted small">
            automatic: the IEA where it has demand for the year, else the default series (USGS for history)
          </span>
        </div>
        <div className="field">
          <label htmlFor="s-trade">Customs data year (importers' losses)</label>
          <input
            id="s-trade"
            type="number"
            min={1990}
            max={2100}
            placeholder="latest"
            value={form.tradeYear}
            onChange={(e) => set('tradeYear', e.target.value)}
          />
        </div>
        <div className="field actions">
          <button className="btn primary" type="submit" disabled={!form.exclude.trim() && !form.n1}>
            Run stress test
          </button>
        </div>
        <p id="stress-help" className="muted wide">
          Remove: ISO3 codes (CHN), several (CHN,RUS or CHN+RUS), a grouping (G7, EU27, MSP), everything outside one (non-MSP), or “largest”.
        </p>
      </form>

      {!runQuery ? (
        <p className="note">
          Choose a scenario and run it. Example:{' '}
          <a href={stressHref(stressRun({ material: 'nickel', stage: 'mining', year: 2035, exclude: ['IDN'] }))}>Indonesian nickel ore export ban, 2035</a>.
        </p>
      ) : result.state !== 'ok' ? (
        <Status res={result} what="the stress test" />
      ) : (
        <StressResult r={result.data} />
      )}
    </section>
  );
}

function StressResult({ r }: { r: StressReport }) {
  const rec = useMemo(() => recoveryOption(r), [r]);
  const h = r.headline;
  const unit = r.network[r.stage]?.unit ?? 't';
  const after = h.supplyAfterPropagation;
  const lastUnit = r.network[after.stage]?.unit ?? unit;
  const noun = (st: string) => (st === 'refining' ? 'refined' : 'mined');
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%`;
  return (
    <div className="stress-result" aria-live="polite">
      <h2>
        {r.material}, {stageLabel(r.stage).toLowerCase()} {r.year}: without {r.excluded.map((x) => x.country).join(', ') || 'nothing'}
      </h2>
      <div className="kpis">
        <div className="kpi">
          <h3>Supply removed</h3>
          <p className="big" data-testid="stress-removed">
            {pct(h.supplyRemoved.share)}
          </p>
          <p className="muted">
            {quantity(h.supplyRemoved.tonnes, unit)} of {quantity(h.supplyRemoved.ofTonnes, unit)} {noun(h.supplyRemoved.stage)}
          </p>
          <p className="measures" data-testid="measures-removed">
            {h.supplyRemoved.measures}
          </p>
        </div>
        <div className="kpi">
          <h3>
            <Term id="n1">Coverage</Term> of world demand
          </h3>
          <p className="big" data-testid="stress-coverage">
            {ratio(h.coverage.worldRatio)}
          </p>
          <p className="muted">
            <Term id="n1-netted">netted</Term> of the removed countries' own use:{' '}
            <span data-testid="stress-coverage-netted">{ratio(h.coverage.nettedRatio)}</span>
            {r.coverage.coverageNettedRange ? (
              <>
                {' '}
                (range {pct(r.coverage.coverageNettedRange.low)}–
                {r.coverage.coverageNettedRange.high === null ? 'unbounded' : pct(r.coverage.coverageNettedRange.high)})
              </>
            ) : null}
          </p>
          {r.ownUse.length ? (
            <p className="muted" data-testid="stress-own-use">
              own use:{' '}
              {r.ownUse
                .map(
                  (o) =>
                    `${o.countryId} ${pct(o.share)} of ${o.demandScope ?? 'demand'} (${pct(o.low)}–${pct(o.high)}; ${o.method}${o.assumed ? ', partly assumed' : ''}; ${o.sources.map((x) => x.source).join('; ')})`,
                )
                .join(' · ')}
            </p>
          ) : null}
          <p className="measures">{h.coverage.measures}</p>
        </div>
        <div className="kpi">
          <h3>Shortfall</h3>
          <p className="big" data-testid="stress-shortfall">
            {h.shortfall.tonnes === null ? '—' : quantity(h.shortfall.tonnes, unit)}
          </p>
          <p className="muted">{h.shortfall.shareOfDemand === null ? 'no demand figure' : `${pct(h.shortfall.shareOfDemand)} of demand`}</p>
          <p className="measures">{h.shortfall.measures}</p>
        </div>
        <div className="kpi">
          <h3>{stageLabel(after.stage)} supply after propagation</h3>
          <p className="big" data-testid="stress-after">
            {quantity(after.afterTonnes, lastUnit)}
          </p>
          <p className="muted">
            <span data-testid="stress-after-coverage">
              {after.coverageWorldRatio === null ? 'no demand figure' : `${pct(after.coverageWorldRatio)} of demand`}
            </span>
            ; lost{' '}
            <span data-testid="stress-after-lost">
              {quantity(after.lostTonnes, lastUnit)} ({pct(after.lostShare)})
            </span>
            {after.upperBound ? ', upper bound' : ''}
          </p>
          <p className="measures" data-testid="measures-after">
            {after.measures}
          </p>
        </div>
        <div className="kpi">
          <h3>Price change</h3>
          <p className="big" data-testid="stress-price">
            {priceRange(r.price)}
          </p>
          <p className="muted">
            central {r.price.priceChangePct.central === null ? '—' : `${r.price.beyondModelRange.central ? '> ' : ''}${signed(r.price.priceChangePct.central)}`}
            {r.price.beyondModelRange.central ? ' (beyond the model range)' : ''}; computed on{' '}
            <span data-testid="stress-price-basis">{pct(h.priceBasis.lostShare)}</span> of {noun(h.priceBasis.stage)} supply lost after propagation,{' '}
            {pct(h.priceBasis.netLostShare.central)} net of spare capacity
          </p>
          <p className="measures">{h.priceBasis.measures}</p>
        </div>
        <div className="kpi">
          <h3>Stockpile cover</h3>
          <p className="big" data-testid="stress-days">
            {h.stockpileCover.days === null ? '—' : `${Math.round(h.stockpileCover.days)} days`}
          </p>
          <p className="muted">
            {quantity(h.stockpileCover.stockpileTonnes, unit)} held by{' '}
            {h.stockpileCover.holder === 'world' ? 'all affected consumers' : h.stockpileCover.holder};{' '}
            {r.stockpile.monthsToFullReplacement === null
              ? 'not fully replaced within the shock'
              : `replaced after ${r.stockpile.monthsToFullReplacement} months`}
          </p>
          <p className="measures">{h.stockpileCover.measures}</p>
        </div>
      </div>
      {h.reconciliation && (
        <p className="note" data-testid="stress-reconciliation">
          {h.reconciliation}
        </p>
      )}
      {r.stockpile.months.length > 0 && (
        <section className="panel" aria-labelledby="rec-title">
          <h3 id="rec-title">Month by month: how the lost supply is met</h3>
          <EChart
            option={rec}
            label={`Recovery timeline for ${r.material}: replaced, drawn from stockpile and unmet tonnes per month`}
            height={280}
            testId="recovery-chart"
          />
          <SourceLine sources={r.sources} />
        </section>
      )}
      <section className="panel" aria-labelledby="sf-title">
        <h3 id="sf-title">Shortfall by stage, country and sector</h3>
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="sf-title">
          <table data-testid="shortfall-table">
            <caption>Supply before and after the shock</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Country / sector</th>
                <th scope="col" className="num">
                  Before
                </th>
                <th scope="col" className="num">
                  After
                </th>
                <th scope="col" className="num">
                  Shortfall
                </th>
                <th scope="col" className="num">
                  %
                </th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {r.shortfall
                .filter((s) => s.shortfallTonnes > 0 || s.countryId === null)
                .slice(0, 40)
                .map((s, i) => (
                  <tr key={i}>
                    <th scope="row">{stageLabel(s.stage)}</th>
                    <td>{s.country ?? s.sector ?? 'World'}</td>
                    <td className="num">{quantity(s.beforeTonnes, 't')}</td>
                    <td className="num">{quantity(s.afterTonnes, 't')}</td>
                    <td className="num">{quantity(s.shortfallTonnes, 't')}</td>
                    <td className="num">{pct(s.shortfallPct)}</td>
                    <td>{s.note ?? ''}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
        <SourceLine sources={r.sources} />
      </section>
      {r.importerExposure.map((ex) => (
        <section className="panel" key={ex.exporterId} aria-labelledby={`imp-${ex.exporterId}`}>
          <h3 id={`imp-${ex.exporterId}`}>Who loses {ex.exporter}'s supply</h3>
          <p className="muted">
            {ex.allocation === 'exports'
              ? `${quantity(ex.lostTonnes, 't')} of lost exports (${quantity(ex.lostOutputTonnes, 't')} lost output − ${quantity(ex.lostOutputTonnes - ex.lostTonnes, 't')} own use)`
              : `${quantity(ex.lostTonnes, 't')} lost output, an upper bound of lost exports (${ex.exporter}'s own use unknown)`}
            , allocated to {ex.exporter}'s export destinations pro rata to their share of its {ex.tradeYear} exports
            {ex.months < 12 ? ` (${ex.months} months of data)` : ''} — customs net weight, HS {ex.hsCodes.join(', ')}.
          </p>
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={`imp-${ex.exporterId}`}>
            <table data-testid="importer-table">
              <caption>Importing countries' loss</caption>
              <thead>
                <tr>
                  <th scope="col">Importer</th>
                  <th scope="col" className="num">
                    Share of exports
                  </th>
                  <th scope="col" className="num">
                    Loses
                  </th>
                </tr>
              </thead>
              <tbody>
                {ex.importers.slice(0, 20).map((x) => (
                  <tr key={x.countryId}>
                    <th scope="row">{x.country}</th>
                    <td className="num">{pct(x.shareOfExports)}</td>
                    <td className="num">{quantity(x.lostTonnes, 't')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <SourceLine sources={[ex.source]} />
        </section>
      ))}
      <section className="panel" aria-labelledby="as-title">
        <h3 id="as-title">Assumptions, defaults and gaps</h3>
        <ul>
          {[...r.exclusionNotes, ...r.assumptions].map((a, i) => (
            <li key={i}>{a}</li>
          ))}
          {r.defaulted.map((d) => (
            <li key={d.parameter}>
              Default {d.parameter} = {JSON.stringify(d.value)} {d.flag ? <em>({d.flag})</em> : null}
            </li>
          ))}
          {r.gaps.map((g, i) => (
            <li key={`g${i}`} className="gap">
              Gap: {g}
            </li>
          ))}
          {r.price.notes.map((n, i) => (
            <li key={`p${i}`}>{n}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}
