/**
 * Coalitions and minerals diplomacy (docs/coalitions.md): the share of supply inside a grouping (GET /api/coalition/share),
 * coalition N-1 (GET /api/coalition/n1), the EU CRMA 65% test and 2030 benchmarks (GET /api/coalition/crma) and
 * "what if this deal delivers" (GET /api/coalition/deal, projects from GET /api/registry/projects).
 * The URL is the view: `#/coalitions?group=MSP&stage=refining&years=2024,2035` (+ data, material, sort/dir, n1sort/n1dir,
 * demand, crmaYear, crmaQ, crmaFails, crmaSort/crmaDir, deal, dealMaterial, dealCountry, dealStage, dealTonnes, dealBasis,
 * dealYear, dealGroup, dealExclude, dealUtil).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useApi, qs } from '../api.ts';
import { navigate, type Route } from '../router.ts';
import { stageLabel } from '../format.ts';
import { Status } from '../components/Status.tsx';
import type { CoalitionShareRow, ResolvedCoalition } from '../../../src/engine/coalition/index.ts';
import { CrmaSection } from './coalitions/CrmaSection.tsx';
import { DealSection } from './coalitions/DealSection.tsx';
import { N1Section } from './coalitions/N1Section.tsx';
import { ShareResult } from './coalitions/ShareSection.tsx';
import { DATA_OPTIONS, GROUPINGS, normGroup } from './coalitions/shared.tsx';
export { CrmaSection } from './coalitions/CrmaSection.tsx';

export function Coalitions({ route }: { route: Route }) {
  const q = route.query;
  const group = normGroup(q.get('group') || 'MSP');
  const stage = q.get('stage') === 'mining' ? 'mining' : 'refining';
  const years = (q.get('years') || '2024,2035').replace(/\s+/g, '');
  const data = DATA_OPTIONS.find((d) => d.value === q.get('data')) ?? DATA_OPTIONS[0];
  const material = q.get('material') ?? '';
  const initial = () => ({ group, stage, years, data: data.value, material });
  const [form, setForm] = useState(initial);
  useEffect(() => setForm(initial()), [q.toString()]); // eslint-disable-line react-hooks/exhaustive-deps

  const set = (patch: Record<string, string | null>, replace = true) => navigate('/coalitions', { ...Object.fromEntries(q.entries()), ...patch }, replace);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    set(
      {
        group: normGroup(form.group) || 'MSP',
        stage: form.stage,
        years: form.years.replace(/\s+/g, ''),
        data: form.data === 'iea-cm' ? null : form.data,
        material: form.material.trim() || null,
      },
      false,
    );
  };

  const shareUrl = `api/coalition/share${qs({ group, stage, year: years, dataset: data.dataset, detail: data.detail, material: material || null })}`;
  const share = useApi<{ coalition: ResolvedCoalition; rows: CoalitionShareRow[]; missing: Array<{ materialId: string; year: number }> }>(shareUrl);

  return (
    <section aria-labelledby="co-title">
      <h1 id="co-title">Coalitions and minerals diplomacy</h1>
      <p className="lede">
        How much of world supply sits inside a grouping (MSP, G7, EU27 …) or a list of countries, what is left if outside suppliers stop, the EU Critical Raw
        Materials Act tests, and what a single project would change. Unattributed supply (“Rest of world”, “Other countries”) is never counted as inside or
        outside: it is shown as the range it leaves open.
      </p>
      <form className="stress-form panel" onSubmit={submit} aria-label="Coalition share" aria-describedby="co-help" data-testid="coalition-form">
        <div className="field">
          <label htmlFor="co-group">Grouping or countries</label>
          <input id="co-group" list="co-groups" value={form.group} onChange={(e) => setForm({ ...form, group: e.target.value })} aria-describedby="co-help" />
          <datalist id="co-groups">
            {GROUPINGS.map((g) => (
              <option key={g} value={g} />
            ))}
            <option value="AUS+CAN+JPN" />
          </datalist>
        </div>
        <fieldset className="field">
          <legend>Stage</legend>
          {['mining', 'refining'].map((s) => (
            <label key={s} className="inline">
              <input type="radio" name="co-stage" value={s} checked={form.stage === s} onChange={() => setForm({ ...form, stage: s as typeof stage })} />{' '}
              {stageLabel(s)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="co-years">Years</label>
          <input id="co-years" value={form.years} onChange={(e) => setForm({ ...form, years: e.target.value })} placeholder="2024,2035" inputMode="numeric" />
        </div>
        <div className="field">
          <label htmlFor="co-data">Data</label>
          <select
            id="co-data"
            value={form.data}
            onChange={(e) =>
              setForm({ ...form, data: e.target.value, ...(DATA_OPTIONS.find((d) => d.value === e.target.value)?.detail ? { years: '2023' } : {}) })
            }
          >
            {DATA_OPTIONS.map((d) => (
              <option key={d.value} value={d.value}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="co-material">Materials (optional)</label>
          <input id="co-material" value={form.material} onChange={(e) => setForm({ ...form, material: e.target.value })} placeholder="e.g. gallium,cobalt" />
        </div>
        <div className="field actions">
          <button className="btn primary" type="submit">
            Show
          </button>
        </div>
        <p id="co-help" className="muted wide">
          A grouping ({GROUPINGS.join(', ')}), an ISO3 code, or a list such as AUS+CAN+JPN. Years comma-separated; IEA projections are 2030, 2035 and 2040; the
          EU CRM share tables are stored under 2023.
        </p>
      </form>

      {share.state !== 'ok' ? (
        <Status res={share} what="the coalition share" />
      ) : (
        <ShareResult res={share.data} route={route} csvUrl={`${shareUrl}&format=csv`} />
      )}
      {share.state === 'ok' && !data.detail ? (
        <N1Section coalition={share.data.coalition} rows={share.data.rows} stage={stage} dataset={data.dataset} route={route} />
      ) : null}
      {share.state === 'ok' && data.detail ? (
        <p className="note">
          Coalition N-1 needs supply in tonnes; the EU CRM share tables hold shares only. Choose IEA, USGS or the best available series for it.
        </p>
      ) : null}
      <CrmaSection route={route} />
      <DealSection route={route} group={group} />
    </section>
  );
}
