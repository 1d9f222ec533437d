/**
 * Disruption risk (Monte Carlo). The URL is the run: `#/risk?basket=battery&samples=10000&seed=1&stockpileDays=0`, read
 * into the form and sent to GET /api/risk as it is, so a copied URL reruns exactly what the page shows. With a policy
 * filled in (`policyStockpileDays`, `policyCorrelation`, `policyUse`), the page also posts both runs to
 * /api/risk/compare — same seed, so the same disruptions are drawn — and shows them side by side.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useApi, qs } from '../api.ts';
import { navigate, type Route } from '../router.ts';
import { pct, quantity } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { Term } from '../components/Term.tsx';
import { EChart, type EChartsOption } from '../components/EChart.tsx';
import type { RiskComparison, RiskReport } from '../../../src/scenario/risk-run.ts';
import type { Histogram } from '../../../src/engine/risk/report.ts';

const KEYS = [
  'material',
  'basket',
  'year',
  'samples',
  'seed',
  'correlation',
  'stockpileDays',
  'use',
  'policyStockpileDays',
  'policyCorrelation',
  'policyUse',
] as const;
type Form = Record<(typeof KEYS)[number], string>;
const DEFAULTS: Form = {
  material: '',
  basket: 'battery',
  year: '2024',
  samples: '10000',
  seed: '1',
  correlation: '0.5',
  stockpileDays: '0',
  use: 'central',
  policyStockpileDays: '',
  policyCorrelation: '',
  policyUse: '',
};

const formOf = (q: URLSearchParams): Form => {
  const f = { ...DEFAULTS };
  for (const k of KEYS) {
    const v = q.get(k);
    if (v !== null) f[k] = v;
  }
  if (q.get('material')) f.basket = '';
  return f;
};

const signedPct = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%`;
const days = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} d`;

function histogramOption(h: Histogram, samples: number, xLabel: string, fmt: (x: number) => string): EChartsOption {
  const labels = ['0', ...h.bars.map((b) => `${fmt(b.from)}–${fmt(b.to)}`)];
  const values = [h.zeros, ...h.bars.map((b) => b.count)].map((c) => c / samples);
  return {
    grid: { left: 56, right: 16, top: 16, bottom: 64 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => pct(v, 2) },
    xAxis: { type: 'category', data: labels, name: xLabel, nameLocation: 'middle', nameGap: 48, axisLabel: { rotate: 30, fontSize: 10 } },
    yAxis: { type: 'log', name: 'share of samples', min: 1 / samples / 2, axisLabel: { formatter: (v: number) => pct(v, v < 0.01 ? 2 : 0) } },
    series: [{ type: 'bar', data: values.map((v) => (v > 0 ? v : null)), itemStyle: { color: '#b5542d' } }],
  };
}

function scenarioDoc(f: Form, policy: boolean, name: string) {
  const stock = policy && f.policyStockpileDays !== '' ? f.policyStockpileDays : f.stockpileDays;
  const corr = policy && f.policyCorrelation !== '' ? f.policyCorrelation : f.correlation;
  const use = policy && f.policyUse !== '' ? f.policyUse : f.use;
  return {
    version: 1,
    kind: 'risk',
    name,
    ...(f.material
      ? {
          materials: f.material
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : { basket: f.basket }),
    year: Number(f.year),
    samples: Number(f.samples),
    seed: Number(f.seed),
    correlation: Number(corr),
    stockpile: { days: Number(stock) },
    likelihood: { use },
  };
}

export function Risk({ route }: { route: Route }) {
  const fromUrl = useMemo(() => formOf(route.query), [route.query]);
  const [form, setForm] = useState<Form>(fromUrl);
  useEffect(() => setForm(fromUrl), [fromUrl]);
  const set = (k: keyof Form, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const asked = route.query.has('basket') || route.query.has('material');
  const apiUrl = asked
    ? `api/risk${qs({
        material: fromUrl.material || null,
        basket: fromUrl.material ? null : fromUrl.basket,
        year: fromUrl.year,
        samples: fromUrl.samples,
        seed: fromUrl.seed,
        correlation: fromUrl.correlation,
        stockpileDays: fromUrl.stockpileDays,
        use: fromUrl.use,
      })}`
    : null;
  const result = useApi<RiskReport>(apiUrl);
  const wantsCompare = asked && (fromUrl.policyStockpileDays !== '' || fromUrl.policyCorrelation !== '' || fromUrl.policyUse !== '');
  const [cmp, setCmp] = useState<{ state: 'idle' | 'loading' | 'error' | 'ok'; data?: RiskComparison; error?: string }>({ state: 'idle' });
  useEffect(() => {
    if (!wantsCompare) return setCmp({ state: 'idle' });
    let live = true;
    setCmp({ state: 'loading' });
    fetch('api/risk/compare', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenarios: [scenarioDoc(fromUrl, false, 'baseline'), scenarioDoc(fromUrl, true, 'policy')] }),
    })
      .then(async (r) => {
        const b = await r.json();
        if (!r.ok) throw new Error(b.error ?? r.statusText);
        if (live) setCmp({ state: 'ok', data: b.comparison });
      })
      .catch((e: Error) => live && setCmp({ state: 'error', error: e.message }));
    return () => {
      live = false;
    };
  }, [wantsCompare, fromUrl]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q: Record<string, string> = {};
    for (const k of KEYS) if (form[k] !== '') q[k] = form[k];
    if (form.material) delete q.basket;
    navigate('/risk', q);
  };

  return (
    <section aria-labelledby="risk-title">
      <h1 id="risk-title">Disruption risk</h1>
      <p className="muted">
        Monte Carlo over export controls: which suppliers are hit (likelihood from the registry's export-measure history, governance and concentration), how
        hard and for how long; the loss runs through the stress test's supply network, recovery, stockpile and price model. One sample is one year.
      </p>
      <form className="stress-form panel" onSubmit={submit} data-testid="risk-form">
        <div className="field">
          <label htmlFor="r-basket">Basket</label>
          <select id="r-basket" value={form.material ? '' : form.basket} onChange={(e) => setForm((f) => ({ ...f, basket: e.target.value, material: '' }))}>
            <option value="battery">EV battery (6 materials)</option>
            <option value="magnet">NdFeB magnet</option>
            <option value="defence">Defence dual-use</option>
            <option value="">— materials instead —</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="r-material">or materials</label>
          <input id="r-material" value={form.material} placeholder="gallium, germanium" onChange={(e) => set('material', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="r-year">Year</label>
          <input id="r-year" type="number" min={1990} max={2100} value={form.year} onChange={(e) => set('year', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="r-samples">Samples</label>
          <input id="r-samples" type="number" min={1} max={200000} value={form.samples} onChange={(e) => set('samples', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="r-seed">Seed</label>
          <input id="r-seed" type="number" min={0} value={form.seed} onChange={(e) => set('seed', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="r-corr">Correlation ρ</label>
          <input id="r-corr" type="number" min={0} max={1} step="any" value={form.correlation} onChange={(e) => set('correlation', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="r-stock">Stockpile (days)</label>
          <input id="r-stock" type="number" min={0} max={3650} value={form.stockpileDays} onChange={(e) => set('stockpileDays', e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="r-use">Likelihood</label>
          <select id="r-use" value={form.use} onChange={(e) => set('use', e.target.value)}>
            <option value="central">central (posterior)</option>
            <option value="low">low end (5%)</option>
            <option value="high">high end (95%)</option>
          </select>
        </div>
        <fieldset className="wide">
          <legend>Compare with a policy (optional; same seed, so the same disruptions are drawn)</legend>
          <div className="field">
            <label htmlFor="p-stock">Policy stockpile (days)</label>
            <input
              id="p-stock"
              type="number"
              min={0}
              max={3650}
              value={form.policyStockpileDays}
              onChange={(e) => set('policyStockpileDays', e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="p-corr">Policy ρ</label>
            <input
              id="p-corr"
              type="number"
              min={0}
              max={1}
              step="any"
              value={form.policyCorrelation}
              onChange={(e) => set('policyCorrelation', e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="p-use">Policy likelihood</label>
            <select id="p-use" value={form.policyUse} onChange={(e) => set('policyUse', e.target.value)}>
              <option value="">same</option>
              <option value="central">central</option>
              <option value="low">low end</option>
              <option value="high">high end</option>
            </select>
          </div>
        </fieldset>
        <div className="field">
          <button type="submit">Run</button>
        </div>
      </form>
      {!asked ? (
        <p className="note">Choose a basket or materials and run.</p>
      ) : result.state !== 'ok' ? (
        <Status res={result} what="the Monte Carlo run" />
      ) : (
        <RiskResult r={result.data} />
      )}
      {wantsCompare &&
        (cmp.state === 'ok' && cmp.data ? (
          <Comparison c={cmp.data} />
        ) : cmp.state === 'error' ? (
          <p className="status error" role="alert">
            Could not compare: {cmp.error}
          </p>
        ) : (
          <p className="status" role="status">
            Comparing…
          </p>
        ))}
    </section>
  );
}

function RiskResult({ r }: { r: RiskReport }) {
  const [sel, setSel] = useState(0);
  const m = r.materials[Math.min(sel, r.materials.length - 1)];
  const shortfallChart = useMemo(
    () => histogramOption(m.histograms.shortfallTonnes, r.samples, `shortfall (${m.unit})`, (x) => quantity(x, m.unit)),
    [m, r.samples],
  );
  const priceChart = useMemo(() => histogramOption(m.histograms.priceChange, r.samples, 'price change', signedPct), [m, r.samples]);
  const basketChart = useMemo(
    () =>
      r.basket ? histogramOption(r.basket.histogram, r.samples, 'basket shortfall (share of one year’s demand of the scarcest input)', (x) => pct(x, 0)) : null,
    [r],
  );
  return (
    <div aria-live="polite">
      <h2>
        {r.name ?? (r.basket ? r.basket.name : r.materials.map((x) => x.name).join(', '))}: {r.samples.toLocaleString('en-US')} samples, seed {r.seed}
      </h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Shortfall distribution by material">
        <table data-testid="risk-table">
          <caption>Shortfall over the episode after spare capacity, ramp-up and stockpile (± standard error of the mean)</caption>
          <thead>
            <tr>
              <th scope="col">Material</th>
              <th scope="col" className="num">
                P(short)
              </th>
              <th scope="col" className="num">
                Expected
              </th>
              <th scope="col" className="num">
                p95
              </th>
              <th scope="col" className="num">
                <Term id="cvar">CVaR 95%</Term>
              </th>
              <th scope="col" className="num">
                CVaR % of demand
              </th>
              <th scope="col" className="num">
                Days short (mean / CVaR)
              </th>
              <th scope="col" className="num">
                Price p50 / p95 / p99
              </th>
            </tr>
          </thead>
          <tbody>
            {r.materials.map((x) => (
              <tr key={x.materialId}>
                <th scope="row">
                  {x.name} <span className="muted small">{x.year}</span>
                </th>
                <td className="num">{pct(x.shortfallTonnes.probabilityPositive)}</td>
                <td className="num">
                  {quantity(x.shortfallTonnes.mean, x.unit)} ± {quantity(x.shortfallTonnes.stdErr, x.unit)}
                </td>
                <td className="num">{quantity(x.shortfallTonnes.p95, x.unit)}</td>
                <td className="num">{quantity(x.shortfallTonnes.cvar95, x.unit)}</td>
                <td className="num">{pct(x.shortfallShareOfDemand.cvar95)}</td>
                <td className="num">
                  {days(x.daysShort.mean)} / {days(x.daysShort.cvar95)}
                </td>
                <td className="num">
                  {signedPct(x.priceChange.p50)} / {signedPct(x.priceChange.p95)} / {signedPct(x.priceChange.p99)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.basket && basketChart && (
        <section className="panel" aria-labelledby="basket-title">
          <h3 id="basket-title">{r.basket.name}: output limited by the scarcest input</h3>
          <p data-testid="risk-basket">
            P(short) {pct(r.basket.shortfallShare.probabilityPositive)}; expected {pct(r.basket.shortfallShare.mean)}; p95 {pct(r.basket.shortfallShare.p95)};
            CVaR 95% {pct(r.basket.shortfallShare.cvar95)} of a year's demand; days short mean {days(r.basket.daysShort.mean)}.
          </p>
          <EChart option={basketChart} label={`Distribution of the ${r.basket.name} shortfall`} height={260} testId="risk-basket-chart" />
          {r.basket.source && <p className="muted small">Composition: {r.basket.source}</p>}
        </section>
      )}
      <section className="panel" aria-labelledby="dist-title">
        <h3 id="dist-title">Distributions</h3>
        <div className="field">
          <label htmlFor="r-sel">Material</label>
          <select id="r-sel" value={sel} onChange={(e) => setSel(Number(e.target.value))}>
            {r.materials.map((x, i) => (
              <option key={x.materialId} value={i}>
                {x.name}
              </option>
            ))}
          </select>
        </div>
        <EChart option={shortfallChart} label={`Distribution of the ${m.name} shortfall`} height={260} testId="risk-shortfall-chart" />
        <EChart option={priceChart} label={`Distribution of the ${m.name} short-run price change`} height={240} testId="risk-price-chart" />
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Loss by country">
          <table data-testid="risk-country-table">
            <caption>Who causes the loss ({m.name})</caption>
            <thead>
              <tr>
                <th scope="col">Country</th>
                <th scope="col" className="num">
                  P(hit) per year
                </th>
                <th scope="col" className="num">
                  Mean lost
                </th>
                <th scope="col" className="num">
                  Share of loss
                </th>
              </tr>
            </thead>
            <tbody>
              {m.byCountry.slice(0, 8).map((c) => (
                <tr key={c.countryId}>
                  <th scope="row">{c.countryId}</th>
                  <td className="num">{pct(c.hitProbability, 2)}</td>
                  <td className="num">{quantity(c.meanLostTonnes, m.unit)}</td>
                  <td className="num">{pct(c.shareOfExpectedLoss)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ul className="muted small">
          {m.byStage.map((s) => (
            <li key={s.stage}>
              {s.stage}: {quantity(s.meanTonnes, m.unit)} — {s.measure}
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="lik-title">
        <h3 id="lik-title">Likelihoods used (prior, evidence, posterior and range)</h3>
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="lik-title">
          <table data-testid="risk-likelihood-table">
            <caption>Annual probability of an export control, per supplier × material × stage (≥ 0.1%/yr shown)</caption>
            <thead>
              <tr>
                <th scope="col">Country</th>
                <th scope="col">Material</th>
                <th scope="col">Stage</th>
                <th scope="col" className="num">
                  Share
                </th>
                <th scope="col" className="num">
                  Prior
                </th>
                <th scope="col" className="num">
                  Events
                </th>
                <th scope="col" className="num">
                  Posterior (5–95%)
                </th>
                <th scope="col" className="num">
                  Used
                </th>
              </tr>
            </thead>
            <tbody>
              {[...r.likelihood.units]
                .filter((u) => u.probability >= 0.001)
                .sort((a, b) => b.probability - a.probability)
                .map((u) => (
                  <tr key={`${u.countryId}-${u.materialId}-${u.stage}`}>
                    <th scope="row">{u.country}</th>
                    <td>{u.materialId}</td>
                    <td>{u.stage}</td>
                    <td className="num">{pct(u.share)}</td>
                    <td className="num">{pct(u.prior.probability, 2)}</td>
                    <td className="num" title={u.evidence.measureIds.join(', ')}>
                      {u.evidence.events} in {u.evidence.windowYears} y
                    </td>
                    <td className="num">
                      {pct(u.posterior.probability)} ({pct(u.posterior.low)}–{pct(u.posterior.high)})
                    </td>
                    <td className="num">
                      {pct(u.probability)}
                      {u.basis === 'override' ? ' (override)' : ''}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </section>
      <details className="panel">
        <summary>Assumptions, defaulted parameters, gaps and sources</summary>
        <ul>
          {r.assumptions.map((a) => (
            <li key={a}>{a}</li>
          ))}
          {r.likelihood.notes.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
        <p className="muted small">
          Defaulted (no published value): {r.defaulted.map((d) => `${d.parameter} = ${JSON.stringify(d.value)}`).join('; ') || 'none'}
        </p>
        {r.gaps.length > 0 && <p className="muted small">Gaps: {r.gaps.join('; ')}</p>}
        <p className="muted small">
          Sources: {[...new Set(r.materials.flatMap((x) => x.sources.map((s) => s.text)))].join(' | ')}; registry export measures; World Bank WGI. Model:
          docs/risk.md.
        </p>
      </details>
    </div>
  );
}

function Comparison({ c }: { c: RiskComparison }) {
  const fmt = (v: number, unit: string) => (!Number.isFinite(v) ? '—' : unit === 'share' ? pct(v) : unit === 'days' ? days(v) : quantity(v, unit));
  const rows = c.rows.filter((r) => ['expected shortfall', 'CVaR 95% shortfall'].includes(r.metric));
  const option: EChartsOption = {
    grid: { left: 120, right: 16, top: 32, bottom: 32 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: 'change vs baseline', axisLabel: { formatter: (v: number) => pct(v, 0) } },
    yAxis: { type: 'category', data: [...new Set(rows.map((r) => r.name))] },
    series: ['expected shortfall', 'CVaR 95% shortfall'].map((metric) => ({
      name: metric,
      type: 'bar',
      data: [...new Set(rows.map((r) => r.name))].map((n) => {
        const r = rows.find((x) => x.name === n && x.metric === metric);
        return r && r.values[0] > 0 ? (r.values[1] - r.values[0]) / r.values[0] : 0;
      }),
    })),
  };
  return (
    <section className="panel" aria-labelledby="cmp-title">
      <h3 id="cmp-title">Baseline vs policy</h3>
      <EChart
        option={option}
        label="Change of expected and CVaR 95% shortfall, policy vs baseline, by material"
        height={60 + 40 * new Set(rows.map((r) => r.name)).size}
      />
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="cmp-title">
        <table data-testid="risk-compare-table">
          <thead>
            <tr>
              <th scope="col">Material</th>
              <th scope="col">Metric</th>
              {c.scenarios.map((s) => (
                <th scope="col" className="num" key={s.name}>
                  {s.name}
                </th>
              ))}
              <th scope="col" className="num">
                Difference
              </th>
            </tr>
          </thead>
          <tbody>
            {c.rows.map((r) => (
              <tr key={`${r.materialId}-${r.metric}`}>
                <th scope="row">{r.name}</th>
                <td>{r.metric}</td>
                {r.values.map((v, i) => (
                  <td className="num" key={i}>
                    {fmt(v, r.unit)}
                  </td>
                ))}
                <td className="num">{Number.isFinite(r.deltas[1]) ? `${r.deltas[1] >= 0 ? '+' : '−'}${fmt(Math.abs(r.deltas[1]), r.unit)}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {c.notes.map((n) => (
        <p className="muted small" key={n}>
          {n}
        </p>
      ))}
    </section>
  );
}
