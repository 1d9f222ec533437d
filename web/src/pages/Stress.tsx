import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useApi, qs, type StressReport, type ConcentrationRow, type MaterialListItem } from '../api.ts';
import { navigate, href, type Route } from '../router.ts';
import { pct, quantity, stageLabel } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import { EChart, type EChartsOption } from '../components/EChart.tsx';

const FIELDS = ['material', 'stage', 'year', 'exclude', 'n1', 'mode', 'fraction', 'months', 'stockpileDays', 'demandScenario', 'tradeYear'] as const;
type Form = Record<(typeof FIELDS)[number], string>;

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
  const initial = (): Form => ({
    material: q.get('material') ?? 'cobalt',
    stage: q.get('stage') ?? 'mining',
    year: q.get('year') ?? '',
    exclude: q.get('exclude') ?? '',
    n1: q.get('n1') ?? '',
    mode: q.get('mode') ?? 'export_ban',
    fraction: q.get('fraction') ?? '1',
    months: q.get('months') ?? '12',
    stockpileDays: q.get('stockpileDays') ?? '0',
    demandScenario: q.get('demandScenario') ?? 'STEPS',
    tradeYear: q.get('tradeYear') ?? '',
  });
  const [form, setForm] = useState<Form>(initial);
  useEffect(() => setForm(initial()), [q.toString()]); // eslint-disable-line react-hooks/exhaustive-deps

  const mat = materials.state === 'ok' ? materials.data.materials.find((m) => m.id === form.material) : undefined;
  const years = useMemo(() => [...new Set((mat?.stages ?? []).filter((s) => s.stage === 'mining' || s.stage === 'refining').flatMap((s) => s.years))].sort((a, b) => a - b), [mat]);
  const year = form.year || String(years.filter((y) => y <= new Date().getFullYear()).pop() ?? years[years.length - 1] ?? '');
  const suppliers = useApi<ConcentrationRow>(form.material && year ? `api/concentration${qs({ material: form.material, stage: form.stage, year })}` : null);

  // The URL is the scenario: run when it has one.
  const submitted = q.get('material') && q.get('year') && (q.get('exclude') || q.get('n1'));
  const runUrl = submitted ? `api/stress${qs(Object.fromEntries(FIELDS.map((f) => [f, q.get(f)])))}` : null;
  const result = useApi<StressReport>(runUrl);

  const set = (k: keyof Form, v: string) => setForm((f) => ({ ...f, [k]: v, ...(k === 'material' ? { year: '', exclude: '' } : {}) }));
  const toggleExclude = (id: string) => {
    const cur = form.exclude.split(',').map((s) => s.trim()).filter(Boolean);
    set('exclude', (cur.includes(id) ? cur.filter((c) => c !== id) : [...cur, id]).join(','));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate('/stress', { ...form, year, n1: form.n1 === 'true' ? 'true' : null, exclude: form.exclude || null, tradeYear: form.tradeYear || null });
  };
  const excluded = new Set(form.exclude.split(',').map((s) => s.trim().toUpperCase()));

  return (
    <section aria-labelledby="stress-title">
      <h1 id="stress-title">Stress test</h1>
      <p className="lede">Remove countries or a grouping at one stage and year and see the shortfall, coverage of demand, price range and how long a stockpile lasts. The URL encodes the scenario — copy it to share.</p>
      <form className="stress-form panel" onSubmit={submit} aria-describedby="stress-help">
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
          <input id="s-exclude" type="text" value={form.exclude} placeholder="e.g. CHN or IDN,PHL or non-MSP" onChange={(e) => set('exclude', e.target.value)} aria-describedby="stress-help" />
          {suppliers.state === 'ok' && (
            <div className="chips" role="group" aria-label="Largest suppliers: add or remove">
              {suppliers.data.shares.slice(0, 6).map((s) => (
                <button type="button" key={s.countryId} aria-pressed={excluded.has(s.countryId)} onClick={() => toggleExclude(s.countryId)}>
                  {s.country} {pct(s.share, 0)}
                </button>
              ))}
            </div>
          )}
          <label className="inline">
            <input type="checkbox" checked={form.n1 === 'true'} onChange={(e) => set('n1', e.target.checked ? 'true' : '')} /> N-1: remove the largest supplier
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
          <input id="s-fraction" type="number" min={0} max={100} step={5} value={Math.round(Number(form.fraction) * 100)} onChange={(e) => set('fraction', String(Math.min(100, Math.max(0, Number(e.target.value))) / 100))} />
        </div>
        <div className="field">
          <label htmlFor="s-months">Duration (months)</label>
          <input id="s-months" type="number" min={1} max={120} value={form.months} onChange={(e) => set('months', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="s-stock">Stockpile (days of consumption)</label>
          <input id="s-stock" type="number" min={0} max={3650} value={form.stockpileDays} onChange={(e) => set('stockpileDays', e.target.value)} />
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
          <label htmlFor="s-trade">Customs data year (importers' losses)</label>
          <input id="s-trade" type="number" min={1990} max={2100} placeholder="latest" value={form.tradeYear} onChange={(e) => set('tradeYear', e.target.value)} />
        </div>
        <div className="field actions">
          <button className="btn primary" type="submit" disabled={!form.exclude && form.n1 !== 'true'}>
            Run stress test
          </button>
        </div>
        <p id="stress-help" className="muted wide">
          Remove: ISO3 codes (CHN), several (CHN,RUS or CHN+RUS), a grouping (G7, EU27, MSP), everything outside one (non-MSP), or “largest”.
        </p>
      </form>

      {!runUrl ? (
        <p className="note">Choose a scenario and run it. Example: <a href={href('/stress', { material: 'nickel', stage: 'mining', year: 2023, exclude: 'IDN', stockpileDays: 60 })}>Indonesian nickel ore export ban</a>.</p>
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
          <p className="big" data-testid="stress-removed">{pct(h.supplyRemoved.share)}</p>
          <p className="muted">
            {quantity(h.supplyRemoved.tonnes, unit)} of {quantity(h.supplyRemoved.ofTonnes, unit)} {noun(h.supplyRemoved.stage)}
          </p>
          <p className="measures" data-testid="measures-removed">{h.supplyRemoved.measures}</p>
        </div>
        <div className="kpi">
          <h3>Coverage of world demand</h3>
          <p className="big" data-testid="stress-coverage">{ratio(h.coverage.worldRatio)}</p>
          <p className="muted">netted of the removed countries' own use: <span data-testid="stress-coverage-netted">{ratio(h.coverage.nettedRatio)}</span></p>
          <p className="measures">{h.coverage.measures}</p>
        </div>
        <div className="kpi">
          <h3>Shortfall</h3>
          <p className="big" data-testid="stress-shortfall">{h.shortfall.tonnes === null ? '—' : quantity(h.shortfall.tonnes, unit)}</p>
          <p className="muted">{h.shortfall.shareOfDemand === null ? 'no demand figure' : `${pct(h.shortfall.shareOfDemand)} of demand`}</p>
          <p className="measures">{h.shortfall.measures}</p>
        </div>
        <div className="kpi">
          <h3>{stageLabel(after.stage)} supply after propagation</h3>
          <p className="big" data-testid="stress-after">{quantity(after.afterTonnes, lastUnit)}</p>
          <p className="muted">
            <span data-testid="stress-after-coverage">{after.coverageWorldRatio === null ? 'no demand figure' : `${pct(after.coverageWorldRatio)} of demand`}</span>; lost{' '}
            <span data-testid="stress-after-lost">{quantity(after.lostTonnes, lastUnit)} ({pct(after.lostShare)})</span>
            {after.upperBound ? ', upper bound' : ''}
          </p>
          <p className="measures" data-testid="measures-after">{after.measures}</p>
        </div>
        <div className="kpi">
          <h3>Price change</h3>
          <p className="big" data-testid="stress-price">{priceRange(r.price)}</p>
          <p className="muted">
            central{' '}
            {r.price.priceChangePct.central === null ? '—' : `${r.price.beyondModelRange.central ? '> ' : ''}${signed(r.price.priceChangePct.central)}`}
            {r.price.beyondModelRange.central ? ' (beyond the model range)' : ''}; computed on{' '}
            <span data-testid="stress-price-basis">{pct(h.priceBasis.lostShare)}</span> of {noun(h.priceBasis.stage)} supply lost after propagation,{' '}
            {pct(h.priceBasis.netLostShare.central)} net of spare capacity
          </p>
          <p className="measures">{h.priceBasis.measures}</p>
        </div>
        <div className="kpi">
          <h3>Stockpile cover</h3>
          <p className="big" data-testid="stress-days">{h.stockpileCover.days === null ? '—' : `${Math.round(h.stockpileCover.days)} days`}</p>
          <p className="muted">
            {quantity(h.stockpileCover.stockpileTonnes, unit)} held by {h.stockpileCover.holder === 'world' ? 'all affected consumers' : h.stockpileCover.holder};{' '}
            {r.stockpile.monthsToFullReplacement === null ? 'not fully replaced within the shock' : `replaced after ${r.stockpile.monthsToFullReplacement} months`}
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
          <EChart option={rec} label={`Recovery timeline for ${r.material}: replaced, drawn from stockpile and unmet tonnes per month`} height={280} testId="recovery-chart" />
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
                <th scope="col" className="num">Before</th>
                <th scope="col" className="num">After</th>
                <th scope="col" className="num">Shortfall</th>
                <th scope="col" className="num">%</th>
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
          <h3 id={`imp-${ex.exporterId}`}>
            Who loses {ex.exporter}'s supply
          </h3>
          <p className="muted">
            {quantity(ex.lostTonnes, 't')} lost, allocated to {ex.exporter}'s export destinations pro rata to their share of its {ex.tradeYear} exports
            {ex.months < 12 ? ` (${ex.months} months of data)` : ''} — customs net weight, HS {ex.hsCodes.join(', ')}.
          </p>
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={`imp-${ex.exporterId}`}>
            <table data-testid="importer-table">
              <caption>Importing countries' loss</caption>
              <thead>
                <tr>
                  <th scope="col">Importer</th>
                  <th scope="col" className="num">Share of exports</th>
                  <th scope="col" className="num">Loses</th>
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
