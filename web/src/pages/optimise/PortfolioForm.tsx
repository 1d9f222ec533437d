/** Diversification / offtake portfolio on the Optimisation page, prefilled with the worked example of docs/optimisation.md (POST api/optimise/portfolio). */
import { useState, type FormEvent } from 'react';
import { type Json, pct, num, list, Notes, useSolve, SolveButton, SolveError, ResultFooter } from './shared.tsx';

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

export function PortfolioForm() {
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
