/** Coordinated stockpiles on the Optimisation page: partners stock and share in an emergency, compared with stocking alone (POST api/optimise/coordinated). */
import { useState, type FormEvent } from 'react';
import { type Json, pct, num, list, useSolve, SolveButton, SolveError, ResultFooter } from './shared.tsx';

type HolderRow = { id: string; shortfallShare: string; budget: string };

export function CoordinatedForm() {
  const [f, setF] = useState({ materials: 'cobalt, graphite', year: '2024', sharing: '0.5', scenarioSource: 'risk', seed: '1' });
  const [holders, setHolders] = useState<HolderRow[]>([
    { id: 'USA', shortfallShare: '0.15', budget: '3000' },
    { id: 'JPN', shortfallShare: '0.1', budget: '8000' },
    { id: 'DEU', shortfallShare: '0.05', budget: '500' },
  ]);
  const { out, solve } = useSolve('api/optimise/coordinated');
  const setHolder = (i: number, k: keyof HolderRow, v: string) => setHolders(holders.map((h, j) => (j === i ? { ...h, [k]: v } : h)));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void solve({
      materials: list(f.materials),
      year: Number(f.year),
      holders: holders.map((h) => ({ id: h.id.trim(), shortfallShare: Number(h.shortfallShare), budget: Number(h.budget) })),
      budgetKind: 'tonnes',
      sharing: Number(f.sharing),
      scenarioSource: f.scenarioSource,
      ...(f.scenarioSource === 'risk' ? { seed: Number(f.seed), samples: 2000 } : {}),
    });
  };
  const r = out.data?.result;
  return (
    <section aria-labelledby="opt-coordinated">
      <h2 id="opt-coordinated">Coordinated stockpiles</h2>
      <p>
        Partners each stock from their own budget and may release up to the sharing share of their stock to each other in an emergency; compared with each
        partner stocking alone (stochastic LP, no partner worse off).
      </p>
      <form onSubmit={submit}>
        <table>
          <caption>Partners</caption>
          <thead>
            <tr>
              <th scope="col">Partner</th>
              <th scope="col">Share of each shortfall (0–1)</th>
              <th scope="col">Budget (t)</th>
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {holders.map((h, i) => (
              <tr key={i}>
                <td>
                  <input aria-label={`Partner ${i + 1} id`} value={h.id} onChange={(e) => setHolder(i, 'id', e.target.value)} />
                </td>
                <td>
                  <input
                    aria-label={`Partner ${i + 1} shortfall share`}
                    value={h.shortfallShare}
                    inputMode="decimal"
                    onChange={(e) => setHolder(i, 'shortfallShare', e.target.value)}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Partner ${i + 1} budget (t)`}
                    value={h.budget}
                    inputMode="decimal"
                    onChange={(e) => setHolder(i, 'budget', e.target.value)}
                  />
                </td>
                <td>
                  <button type="button" disabled={holders.length <= 2} onClick={() => setHolders(holders.filter((_, j) => j !== i))}>
                    Remove partner {i + 1}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" disabled={holders.length >= 12} onClick={() => setHolders([...holders, { id: '', shortfallShare: '0.1', budget: '1000' }])}>
          Add partner
        </button>{' '}
        <label>
          Materials <input value={f.materials} onChange={(e) => setF({ ...f, materials: e.target.value })} />
        </label>{' '}
        <label>
          Year <input value={f.year} inputMode="numeric" onChange={(e) => setF({ ...f, year: e.target.value })} />
        </label>{' '}
        <label>
          Sharing share (0–1) <input value={f.sharing} inputMode="decimal" onChange={(e) => setF({ ...f, sharing: e.target.value })} />
        </label>{' '}
        <label>
          Scenarios{' '}
          <select value={f.scenarioSource} onChange={(e) => setF({ ...f, scenarioSource: e.target.value })}>
            <option value="risk">Monte Carlo risk engine</option>
            <option value="stress">stress-derived stand-in</option>
          </select>
        </label>{' '}
        <label>
          Monte Carlo seed{' '}
          <input value={f.seed} inputMode="numeric" disabled={f.scenarioSource !== 'risk'} onChange={(e) => setF({ ...f, seed: e.target.value })} />
        </label>{' '}
        <SolveButton busy={out.busy} />
      </form>
      <SolveError error={out.error} />
      {r && (
        <>
          <p>
            Expected shortfall {num(r.aloneTotal, 1)} t with each partner stocking alone, {num(r.pooledTotal, 1)} t pooled: gain of cooperation{' '}
            {num(r.gainOfCooperation, 1)} t ({pct(r.gainShare)}); {num(r.expectedShortfallCostWithout, 1)} t with no stock. {out.data.scenarios.count} scenarios
            from the {out.data.scenarios.source === 'risk' ? `Monte Carlo risk engine, seed ${out.data.scenarios.seed}` : out.data.scenarios.origin}.
          </p>
          <div className="table-wrap" tabIndex={0} role="region" aria-label="coordinated stockpiles result">
            <table>
              <thead>
                <tr>
                  <th scope="col">Partner</th>
                  <th scope="col">Budget (t)</th>
                  <th scope="col">Expected shortfall alone (t)</th>
                  <th scope="col">Pooled (t)</th>
                  <th scope="col">Gain (t)</th>
                  <th scope="col">Expected shared out (t)</th>
                  <th scope="col">Expected received (t)</th>
                  {r.materials.map((m: string) => (
                    <th scope="col" key={m}>
                      Stock {m} alone / pooled (t)
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {r.holders.map((h: Json) => (
                  <tr key={h.holder}>
                    <th scope="row">{h.holder}</th>
                    <td>{num(h.budget)}</td>
                    <td>{num(h.alone.expectedShortfallCost, 1)}</td>
                    <td>{num(h.pooled.expectedShortfallCost, 1)}</td>
                    <td>{num(h.gain, 1)}</td>
                    <td>{num(h.pooled.expectedSharedOutTonnes, 1)}</td>
                    <td>{num(h.pooled.expectedReceivedTonnes, 1)}</td>
                    {r.materials.map((m: string, k: number) => (
                      <td key={m}>
                        {num(h.alone.stockTonnes[k])} / {num(h.pooled.stockTonnes[k])}
                      </td>
                    ))}
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
