/**
 * Disruption risk (Monte Carlo). The URL is the run: `#/risk?basket=battery&samples=10000&seed=1&stockpileDays=0`, read
 * into the form and sent to GET /api/risk as it is, so a copied URL reruns exactly what the page shows. With a policy
 * filled in (`policyStockpileDays`, `policyCorrelation`, `policyUse`), the page also posts both runs to
 * /api/risk/compare — same seed, so the same disruptions are drawn — and shows them side by side.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useApi, qs } from '../api.ts';
import { navigate, type Route } from '../router.ts';
import { Status } from '../components/Status.tsx';
import type { RiskComparison, RiskReport } from '../../../src/scenario/risk-run.ts';
import { KEYS, formOf, scenarioDoc, type Form } from './risk/scenario-form.ts';
import { RiskResult } from './risk/RiskResult.tsx';
import { Comparison } from './risk/Comparison.tsx';

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
