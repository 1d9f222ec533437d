/** Coalition builder on the Optimisation page: the smallest set of partners that brings a bloc to a coverage target (POST api/optimise/coalition). */
import { useState, type FormEvent } from 'react';
import { type Json, pct, list, useSolve, SolveButton, SolveError, ResultFooter } from './shared.tsx';

export function CoalitionForm() {
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
