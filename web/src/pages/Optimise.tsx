/**
 * Optimisation page (#/optimise): the coalition builder and the stockpile allocation, posted to /api/optimise/* (HiGHS
 * in a worker thread on the server). Each form states what it solves; results show every assumption, gap and source.
 * The coordinated-stockpile and portfolio models are in the CLI and API (docs/optimisation.md).
 */
import { useState, type FormEvent } from 'react';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
const num = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d });
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

async function post(path: string, body: unknown): Promise<Json> {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json().catch(() => ({ error: r.statusText }));
  if (!r.ok) throw new Error(`${r.status}: ${j.error ?? r.statusText}`);
  return j;
}

function Notes({ title, items }: { title: string; items: string[] }) {
  if (!items?.length) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {[...new Set(items)].map((x) => (
          <li key={x}>{x}</li>
        ))}
      </ul>
    </>
  );
}
function Sources({ sources }: { sources: Array<{ text: string; url?: string | null }> }) {
  return <Notes title="Sources" items={(sources ?? []).map((s) => `${s.text}${s.url ? ` <${s.url}>` : ''}`)} />;
}

function CoalitionForm() {
  const [f, setF] = useState({
    bloc: 'G7',
    materials: 'cobalt, lithium, nickel, rare-earths',
    year: '2035',
    target: '0.1',
    exclude: 'CHN',
    reading: 'self-sufficiency',
  });
  const [out, setOut] = useState<{ busy: boolean; error?: string; data?: Json }>({ busy: false });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setOut({ busy: true });
    try {
      const data = await post('api/optimise/coalition', {
        bloc: f.bloc,
        materials: list(f.materials),
        year: Number(f.year),
        target: Number(f.target),
        reading: f.reading,
        ...(f.exclude.trim() ? { exclude: list(f.exclude) } : {}),
      });
      setOut({ busy: false, data });
    } catch (err) {
      setOut({ busy: false, error: (err as Error).message });
    }
  };
  const r = out.data?.result;
  return (
    <section aria-labelledby="opt-coalition">
      <h2 id="opt-coalition">Coalition builder</h2>
      <p>The smallest set of partner countries that brings the bloc's coverage of world demand to the target for every material (mixed-integer program).</p>
      <form onSubmit={submit}>
        <label>
          Bloc <input value={f.bloc} onChange={(e) => setF({ ...f, bloc: e.target.value })} />
        </label>{' '}
        <label>
          Materials <input value={f.materials} onChange={(e) => setF({ ...f, materials: e.target.value })} />
        </label>{' '}
        <label>
          Year <input value={f.year} inputMode="numeric" onChange={(e) => setF({ ...f, year: e.target.value })} />
        </label>{' '}
        <label>
          Target (0–1) <input value={f.target} inputMode="decimal" onChange={(e) => setF({ ...f, target: e.target.value })} />
        </label>{' '}
        <label>
          May not join <input value={f.exclude} onChange={(e) => setF({ ...f, exclude: e.target.value })} />
        </label>{' '}
        <label>
          Reading{' '}
          <select value={f.reading} onChange={(e) => setF({ ...f, reading: e.target.value })}>
            <option value="self-sufficiency">every non-member stops</option>
            <option value="n1">the largest outside supplier stops</option>
          </select>
        </label>{' '}
        <button type="submit" disabled={out.busy}>
          {out.busy ? 'Solving…' : 'Solve'}
        </button>
      </form>
      {out.error && <p role="alert">{out.error}</p>}
      {r && (
        <>
          <p>
            {r.bloc.label} needs {r.partners.length ? r.partners.map((p: Json) => `${p.country} (${p.countryId})`).join(', ') : 'no partner'} to reach{' '}
            {pct(r.target)} for every material ({r.objective}).
          </p>
          <div className="table-wrap" tabIndex={0} role="region" aria-label="coalition builder result">
            <table>
              <thead>
                <tr>
                  <th scope="col">Material</th>
                  <th scope="col">Bloc alone</th>
                  <th scope="col">With partners</th>
                  <th scope="col">Check (coalition N-1)</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {r.rows.map((m: Json) => (
                  <tr key={m.materialId}>
                    <th scope="row">{m.material}</th>
                    <td>{pct(m.before)}</td>
                    <td>{pct(m.after)}</td>
                    <td>{pct(m.checkedByCoalitionN1)}</td>
                    <td>{m.source.sourceId}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Notes title="Assumptions" items={r.assumptions} />
          <Notes title="Gaps" items={r.gaps} />
          <Sources sources={out.data.sources} />
        </>
      )}
    </section>
  );
}

function StockpileForm() {
  const [f, setF] = useState({ materials: 'cobalt, graphite, rare-earths', year: '2024', budget: '20000', holderShare: '0.1', seed: '1' });
  const [out, setOut] = useState<{ busy: boolean; error?: string; data?: Json }>({ busy: false });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setOut({ busy: true });
    try {
      const data = await post('api/optimise/stockpile', {
        materials: list(f.materials),
        year: Number(f.year),
        budget: Number(f.budget),
        budgetKind: 'tonnes',
        holderShare: Number(f.holderShare),
        scenarioSource: 'risk',
        seed: Number(f.seed),
        samples: 2000,
      });
      setOut({ busy: false, data });
    } catch (err) {
      setOut({ busy: false, error: (err as Error).message });
    }
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
        <button type="submit" disabled={out.busy}>
          {out.busy ? 'Solving…' : 'Solve'}
        </button>
      </form>
      {out.error && <p role="alert">{out.error}</p>}
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
          <Notes title="Scenarios" items={out.data.scenarios.notes} />
          <Notes title="Assumptions" items={r.assumptions} />
          <Sources sources={out.data.sources} />
        </>
      )}
    </section>
  );
}

export function Optimise() {
  return (
    <section aria-labelledby="opt-title">
      <h1 id="opt-title">Optimisation</h1>
      <p className="lede">
        Solved with HiGHS on the server. Models and worked examples: docs/optimisation.md. Coordinated stockpiles and the diversification portfolio are in the
        CLI (<code>chokepoint optimise</code>) and the API.
      </p>
      <CoalitionForm />
      <StockpileForm />
    </section>
  );
}
