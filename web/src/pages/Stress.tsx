/**
 * Stress-test builder. The URL is the scenario: the form is read from it (`formFromQuery`, with the API's defaults filled
 * in and shown), the API request is built from the form (`queryFromForm`, the same full query every "Stress test" link
 * writes: src/scenario/query.ts), and a URL that leaves inputs out is rewritten to the full one. So what the form shows
 * is what runs, and a copied URL reruns it exactly.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useApi, type StressReport, type ConcentrationRow, type MaterialListItem } from '../api.ts';
import { navigate, type Route } from '../router.ts';
import { pct, stageLabel } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { STRESS_DEFAULTS, stressHref, stressQueryString, stressRun } from '../../../src/scenario/query.ts';
import {
  DATASETS,
  STOCKPILE_LABEL,
  formFromQuery,
  fractionOf,
  ordered,
  percentOf,
  queryFromForm,
  type Form,
  type StockpileKind,
} from './stress/scenario-form.ts';
import { StressResult } from './stress/StressResult.tsx';

export { formFromQuery, queryFromForm };

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
