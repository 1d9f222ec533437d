/** Stockpile allocation on the Optimisation page: tonnes to stock per material under a budget (POST api/optimise/stockpile). */
import { useState, type FormEvent } from 'react';
import { type Json, num, list, useSolve, SolveButton, SolveError, ResultFooter } from './shared.tsx';

export function StockpileForm() {
  const [f, setF] = useState({ materials: 'cobalt, graphite, rare-earths', year: '2024', budget: '20000', holderShare: '0.1', seed: '1' });
  const { out, solve } = useSolve('api/optimise/stockpile');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void solve({
      materials: list(f.materials),
      year: Number(f.year),
      budget: Number(f.budget),
      budgetKind: 'tonnes',
      holderShare: Number(f.holderShare),
      scenarioSource: 'risk',
      seed: Number(f.seed),
      samples: 2000,
    });
  };
  const r = out.data?.result;
  return (
    <section aria-labelledby="opt-stockpile">
      <h2 id="opt-stockpile">Stockpile allocation</h2>
      <p>Tonnes to stock of each material under a budget, minimising the expected shortfall over the disruption scenarios (two-stage stochastic LP).</p>
      <form onSubmit={submit}>
        <label>
          Materials <input value={f.materials} onChange={(e) => setF({ ...f, materials: e.target.value })} />
        </label>{' '}
        <label>
          Year <input value={f.year} inputMode="numeric" onChange={(e) => setF({ ...f, year: e.target.value })} />
        </label>{' '}
        <label>
          Budget (t) <input value={f.budget} inputMode="decimal" onChange={(e) => setF({ ...f, budget: e.target.value })} />
        </label>{' '}
        <label>
          Holder's share of each loss <input value={f.holderShare} inputMode="decimal" onChange={(e) => setF({ ...f, holderShare: e.target.value })} />
        </label>{' '}
        <label>
          Monte Carlo seed <input value={f.seed} inputMode="numeric" onChange={(e) => setF({ ...f, seed: e.target.value })} />
        </label>{' '}
        <SolveButton busy={out.busy} />
      </form>
      <SolveError error={out.error} />
      {r && (
        <>
          <p>
            Expected shortfall {num(r.expectedShortfallCostWithout, 1)} t without stock, {num(r.expectedShortfallCostWith, 1)} t with it;{' '}
            {out.data.scenarios.count} scenarios from the{' '}
            {out.data.scenarios.source === 'risk' ? `Monte Carlo risk engine, seed ${out.data.scenarios.seed}` : out.data.scenarios.origin}.
          </p>
          <div className="table-wrap" tabIndex={0} role="region" aria-label="stockpile allocation result">
            <table>
              <thead>
                <tr>
                  <th scope="col">Material</th>
                  <th scope="col">Stock (t)</th>
                  <th scope="col">Expected shortfall without (t)</th>
                  <th scope="col">With (t)</th>
                </tr>
              </thead>
              <tbody>
                {r.materials.map((m: Json) => (
                  <tr key={m.material}>
                    <th scope="row">{m.material}</th>
                    <td>{num(m.stockTonnes)}</td>
                    <td>{num(m.expectedShortfallTonnesWithout, 1)}</td>
                    <td>{num(m.expectedShortfallTonnesWith, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ResultFooter scenarios={out.data.scenarios.notes} assumptions={r.assumptions} sources={out.data.sources} />
        </>
      )}
    </section>
  );
}
