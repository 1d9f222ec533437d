/**
 * Optimisation page (#/optimise): the coalition builder, stockpile allocation, coordinated stockpiles and the
 * diversification portfolio, posted to /api/optimise/* (HiGHS in a worker thread on the server). Each form states what it
 * solves; results show every assumption, gap and source (docs/optimisation.md).
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

/** A form's solve: POST a body to `path`; busy while it runs, then the answer or the error (`fail` for a form's own). */
function useSolve(path: string) {
  const [out, setOut] = useState<{ busy: boolean; error?: string; data?: Json }>({ busy: false });
  const solve = async (body: unknown) => {
    setOut({ busy: true });
    try {
      const data = await post(path, body);
      setOut({ busy: false, data });
    } catch (err) {
      setOut({ busy: false, error: (err as Error).message });
    }
  };
  const fail = (error: string) => setOut({ busy: false, error });
  return { out, solve, fail };
}

/** The submit button and the error line every form has. */
function SolveButton({ busy }: { busy: boolean }) {
  return (
    <button type="submit" disabled={busy}>
      {busy ? 'Solving…' : 'Solve'}
    </button>
  );
}
function SolveError({ error }: { error?: string }) {
  return error ? <p role="alert">{error}</p> : null;
}

/** What every result ends with: the scenarios' notes, assumptions, gaps and sources (each only when there are some). */
function ResultFooter({ scenarios, assumptions, gaps, sources }: { scenarios?: string[]; assumptions: string[]; gaps?: string[]; sources: Json }) {
  return (
    <>
      {scenarios && <Notes title="Scenarios" items={scenarios} />}
      <Notes title="Assumptions" items={assumptions} />
      {gaps && <Notes title="Gaps" items={gaps} />}
      <Sources sources={sources} />
    </>
  );
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
  const { out, solve } = useSolve('api/optimise/coalition');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void solve({
      bloc: f.bloc,
      materials: list(f.materials),
      year: Number(f.year),
      target: Number(f.target),
      reading: f.reading,
      ...(f.exclude.trim() ? { exclude: list(f.exclude) } : {}),
    });
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
        <SolveButton busy={out.busy} />
      </form>
      <SolveError error={out.error} />
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
          <ResultFooter assumptions={r.assumptions} gaps={r.gaps} sources={out.data.sources} />
        </>
      )}
    </section>
  );
}

function StockpileForm() {
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

type HolderRow = { id: string; shortfallShare: string; budget: string };

function CoordinatedForm() {
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

/** The worked example's options (docs/optimisation.md §3); costs in USD million, prices illustrative, not data. */
const EXAMPLE_OPTIONS = JSON.stringify(
  [
    { id: 'fin-refinery', kind: 'project', countryId: 'FIN', cost: 6, tonnesPerYear: { cobalt: 20000 } },
    { id: 'chn-offtake', kind: 'offtake', countryId: 'CHN', cost: 2, tonnesPerYear: { cobalt: 50000 } },
    {
      id: 'jpn-floor',
      kind: 'offtake',
      countryId: 'JPN',
      cost: 1,
      tonnesPerYear: { cobalt: 5000 },
      priceFloor: {
        floorPerTonne: 0.03,
        volumeTonnesPerYear: 5000,
        years: 5,
        priceHistory: [
          { year: 2021, pricePerTonne: 0.052 },
          { year: 2022, pricePerTonne: 0.07 },
          { year: 2023, pricePerTonne: 0.033 },
          { year: 2024, pricePerTonne: 0.024 },
        ],
      },
    },
  ],
  null,
  2,
);

function PortfolioForm() {
  const [f, setF] = useState({ objective: 'n1-coverage', budget: '50', materials: 'cobalt', year: '2024', options: EXAMPLE_OPTIONS });
  const { out, solve, fail } = useSolve('api/optimise/portfolio');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    let options: unknown;
    try {
      options = JSON.parse(f.options);
    } catch (err) {
      fail(`Options are not valid JSON: ${(err as Error).message}`);
      return;
    }
    void solve({
      objective: f.objective,
      budget: Number(f.budget),
      materials: list(f.materials),
      year: Number(f.year),
      options,
    });
  };
  const r = out.data?.result;
  const n1 = r?.objective === 'n1-coverage';
  return (
    <section aria-labelledby="opt-portfolio">
      <h2 id="opt-portfolio">Diversification / offtake portfolio</h2>
      <p>
        Which suppliers, projects and offtakes to back within a budget: maximise the worst material's N-1 coverage (an option in the largest supplier's country
        is lost with it) or minimise the expected shortfall (mixed-integer program).
      </p>
      <form onSubmit={submit}>
        <label>
          Objective{' '}
          <select value={f.objective} onChange={(e) => setF({ ...f, objective: e.target.value })}>
            <option value="n1-coverage">worst material's N-1 coverage</option>
            <option value="expected-shortfall">expected shortfall</option>
          </select>
        </label>{' '}
        <label>
          Budget <input value={f.budget} inputMode="decimal" onChange={(e) => setF({ ...f, budget: e.target.value })} />
        </label>{' '}
        <label>
          Materials <input value={f.materials} onChange={(e) => setF({ ...f, materials: e.target.value })} />
        </label>{' '}
        <label>
          Year <input value={f.year} inputMode="numeric" onChange={(e) => setF({ ...f, year: e.target.value })} />
        </label>
        <br />
        <label htmlFor="opt-portfolio-options">Options (JSON)</label>
        <p id="opt-portfolio-options-help">
          A JSON array of options, each with id, kind (supplier, project or offtake), countryId (ISO3), cost (in the budget's unit), tonnesPerYear by material
          and an optional priceFloor. Prefilled with the worked example of docs/optimisation.md (costs in USD million; the prices are illustrative, not data).
        </p>
        <textarea
          id="opt-portfolio-options"
          aria-describedby="opt-portfolio-options-help"
          rows={14}
          cols={90}
          spellCheck={false}
          value={f.options}
          onChange={(e) => setF({ ...f, options: e.target.value })}
        />
        <br />
        <SolveButton busy={out.busy} />
      </form>
      <SolveError error={out.error} />
      {r && (
        <>
          <p>
            Chosen: {r.chosen.length ? r.chosen.join(', ') : 'none'}; spent {num(r.spent, 2)} of {num(r.budget, 2)}.{' '}
            {n1
              ? `Worst material's N-1 coverage ${pct(r.valueWithout)} before, ${pct(r.value)} after.`
              : `Expected shortfall cost ${num(r.valueWithout, 1)} before, ${num(r.value, 1)} after.`}
          </p>
          <div className="table-wrap" tabIndex={0} role="region" aria-label="portfolio result">
            <table>
              <thead>
                <tr>
                  <th scope="col">Material</th>
                  <th scope="col">{n1 ? 'N-1 coverage before' : 'Expected shortfall cost before'}</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {r.perMaterial.map((m: Json) => (
                  <tr key={m.material}>
                    <th scope="row">{m.material}</th>
                    <td>{n1 ? pct(m.before) : num(m.before, 1)}</td>
                    <td>{n1 ? pct(m.after) : num(m.after, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.floorCosts.length > 0 && (
            <div className="table-wrap" tabIndex={0} role="region" aria-label="price floor costs">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Option</th>
                    <th scope="col">Expected payout a year</th>
                    <th scope="col">Total</th>
                    <th scope="col">Years below floor / of history</th>
                  </tr>
                </thead>
                <tbody>
                  {r.floorCosts.map((c: Json) => (
                    <tr key={c.option}>
                      <th scope="row">{c.option}</th>
                      <td>{c.expectedPayoutPerYear === null ? '—' : num(c.expectedPayoutPerYear, 2)}</td>
                      <td>{c.total === null ? '—' : num(c.total, 2)}</td>
                      <td>
                        {c.yearsBelowFloor} / {c.yearsOfHistory}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Notes title="Left out" items={r.leftOut.map((x: Json) => `${x.option}: ${x.reason}`)} />
          <ResultFooter scenarios={out.data.scenarios?.notes} assumptions={r.assumptions} gaps={r.gaps} sources={out.data.sources} />
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
        Solved with HiGHS on the server. Models and worked examples: docs/optimisation.md; the same models are in the CLI (<code>chokepoint optimise</code>) and
        the API.
      </p>
      <CoalitionForm />
      <StockpileForm />
      <CoordinatedForm />
      <PortfolioForm />
    </section>
  );
}
