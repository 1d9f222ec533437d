/** "What if this deal delivers" (GET /api/coalition/deal, projects from GET /api/registry/projects). */
import { useEffect, useState, type FormEvent } from 'react';
import { useApi, qs, type Citation } from '../../api.ts';
import { href, navigate, type Route } from '../../router.ts';
import { pct, int, quantity, signed } from '../../format.ts';
import { Status } from '../../components/Status.tsx';
import { SourceLine } from '../../components/SourceLine.tsx';
import { mergeCitations } from '../../../../src/model/provenance.ts';
import type { DealResult } from '../../../../src/engine/coalition/index.ts';
import { BASES, normGroup, pts, who, yearLabel, type RegistryProject } from './shared.tsx';

export const DEAL_FIELDS = [
  'deal',
  'dealMaterial',
  'dealCountry',
  'dealStage',
  'dealTonnes',
  'dealBasis',
  'dealYear',
  'dealGroup',
  'dealExclude',
  'dealUtil',
] as const;
export type DealForm = Record<(typeof DEAL_FIELDS)[number], string> & { mode: 'project' | 'adhoc' };

export function DealSection({ route, group }: { route: Route; group: string }) {
  const q = route.query;
  const projects = useApi<{ projects: RegistryProject[] }>('api/registry/projects');
  const initial = (): DealForm => ({
    mode: q.get('dealCountry') && !q.get('deal') ? 'adhoc' : 'project',
    deal: q.get('deal') ?? '',
    dealMaterial: q.get('dealMaterial') ?? '',
    dealCountry: q.get('dealCountry') ?? '',
    dealStage: q.get('dealStage') ?? 'refining',
    dealTonnes: q.get('dealTonnes') ?? '',
    dealBasis: q.get('dealBasis') ?? '',
    dealYear: q.get('dealYear') ?? '2030',
    dealGroup: q.get('dealGroup') ?? '',
    dealExclude: q.get('dealExclude') ?? 'CHN',
    dealUtil: q.get('dealUtil') ?? '',
  });
  const [form, setForm] = useState<DealForm>(initial);
  useEffect(() => setForm(initial()), [q.toString()]); // eslint-disable-line react-hooks/exhaustive-deps
  const f = (k: keyof DealForm, v: string) => setForm((x) => ({ ...x, [k]: v }));

  const dealGroup = normGroup(q.get('dealGroup') || group);
  const deal = q.get('deal');
  const adhoc = !deal && q.get('dealCountry') && q.get('dealMaterial') && q.get('dealTonnes');
  const url =
    q.get('dealYear') && (deal || adhoc)
      ? `api/coalition/deal${qs(
          deal
            ? {
                project: deal,
                material: q.get('dealMaterial'),
                year: q.get('dealYear'),
                group: dealGroup,
                exclude: q.get('dealExclude'),
                utilisation: q.get('dealUtil'),
              }
            : {
                country: q.get('dealCountry')?.toUpperCase(),
                material: q.get('dealMaterial'),
                stage: q.get('dealStage') ?? 'refining',
                tonnes: q.get('dealTonnes'),
                basis: q.get('dealBasis'),
                year: q.get('dealYear'),
                group: dealGroup,
                exclude: q.get('dealExclude'),
                utilisation: q.get('dealUtil'),
              },
        )}`
      : null;
  const res = useApi<DealResult>(url);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const keep = Object.fromEntries([...q.entries()].filter(([k]) => !(DEAL_FIELDS as readonly string[]).includes(k)));
    const common = {
      dealYear: form.dealYear,
      dealGroup: form.dealGroup.trim() ? normGroup(form.dealGroup) : null,
      dealExclude: form.dealExclude && form.dealExclude.toUpperCase() !== 'CHN' ? form.dealExclude.toUpperCase() : null,
      dealUtil: form.dealUtil || null,
    };
    navigate(
      '/coalitions',
      form.mode === 'project'
        ? { ...keep, deal: form.deal, dealMaterial: form.dealMaterial || null, ...common }
        : {
            ...keep,
            dealCountry: form.dealCountry.toUpperCase(),
            dealMaterial: form.dealMaterial,
            dealStage: form.dealStage,
            dealTonnes: form.dealTonnes,
            dealBasis: form.dealBasis || null,
            ...common,
          },
    );
  };
  const selected = projects.state === 'ok' ? projects.data.projects.find((p) => p.id === form.deal) : undefined;

  return (
    <section className="panel" aria-labelledby="deal-title" data-testid="deal-panel">
      <h2 id="deal-title">What if this deal delivers</h2>
      <p className="muted">
        Add one project's output to the supply series of its year and see the top supplier's share, HHI, the coalition's share and N-1 coverage before and
        after. A registry project, or your own figures.
      </p>
      <form className="stress-form" onSubmit={submit} aria-label="Deal what-if" data-testid="deal-form">
        <fieldset className="field wide">
          <legend>Project</legend>
          <label className="inline">
            <input type="radio" name="deal-mode" checked={form.mode === 'project'} onChange={() => f('mode', 'project')} /> From the registry
          </label>
          <label className="inline">
            <input type="radio" name="deal-mode" checked={form.mode === 'adhoc'} onChange={() => f('mode', 'adhoc')} /> Ad hoc
          </label>
        </fieldset>
        {form.mode === 'project' ? (
          <>
            <div className="field wide">
              <label htmlFor="deal-project">Registry project</label>
              <select id="deal-project" value={form.deal} onChange={(e) => setForm((x) => ({ ...x, deal: e.target.value, dealMaterial: '' }))} required>
                <option value="">— choose a project —</option>
                {projects.state === 'ok' &&
                  projects.data.projects.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name} — {p.countryId}, {p.materials.join('/')}, {p.stage},{' '}
                      {p.capacityTonnesPerYear === null ? 'no published capacity' : `${int(p.capacityTonnesPerYear)} t/yr ${p.basis}`}, {p.status}
                    </option>
                  ))}
              </select>
              {projects.state === 'error' ? <Status res={projects} what="the registry projects" /> : null}
            </div>
            {selected && selected.materials.length > 1 ? (
              <div className="field">
                <label htmlFor="deal-pmaterial">Material of the project</label>
                <select id="deal-pmaterial" value={form.dealMaterial} onChange={(e) => f('dealMaterial', e.target.value)}>
                  <option value="">— say which —</option>
                  {selected.materials.map((m) => (
                    <option key={m}>{m}</option>
                  ))}
                </select>
              </div>
            ) : null}
          </>
        ) : (
          <>
            <div className="field">
              <label htmlFor="deal-country">Country (ISO3)</label>
              <input id="deal-country" value={form.dealCountry} onChange={(e) => f('dealCountry', e.target.value)} placeholder="USA" size={6} required />
            </div>
            <div className="field">
              <label htmlFor="deal-material">Material</label>
              <input id="deal-material" value={form.dealMaterial} onChange={(e) => f('dealMaterial', e.target.value)} placeholder="lithium" required />
            </div>
            <div className="field">
              <label htmlFor="deal-stage">Stage</label>
              <select id="deal-stage" value={form.dealStage} onChange={(e) => f('dealStage', e.target.value)}>
                <option value="mining">Mining</option>
                <option value="refining">Refining</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="deal-tonnes">Tonnes per year</label>
              <input
                id="deal-tonnes"
                type="number"
                min={0}
                step="any"
                value={form.dealTonnes}
                onChange={(e) => f('dealTonnes', e.target.value)}
                placeholder="40000"
                required
              />
            </div>
            <div className="field">
              <label htmlFor="deal-basis">Basis of the tonnes</label>
              <select id="deal-basis" value={form.dealBasis} onChange={(e) => f('dealBasis', e.target.value)}>
                <option value="">as the series (assumed)</option>
                {BASES.map((b) => (
                  <option key={b} value={b}>
                    {b === 'lce' ? 'lithium carbonate equivalent (lce)' : b.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor="deal-year">Year</label>
          <input id="deal-year" type="number" min={1990} max={2100} value={form.dealYear} onChange={(e) => f('dealYear', e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="deal-group">Grouping</label>
          <input id="deal-group" list="co-groups" value={form.dealGroup} onChange={(e) => f('dealGroup', e.target.value)} placeholder={group} />
        </div>
        <div className="field">
          <label htmlFor="deal-exclude">Country removed in the N-1 test</label>
          <input id="deal-exclude" value={form.dealExclude} onChange={(e) => f('dealExclude', e.target.value)} placeholder="CHN" size={6} />
        </div>
        <div className="field">
          <label htmlFor="deal-util">Utilisation (0–1)</label>
          <input
            id="deal-util"
            type="number"
            min={0.01}
            max={1}
            step={0.05}
            value={form.dealUtil}
            onChange={(e) => f('dealUtil', e.target.value)}
            placeholder="1 (nameplate)"
          />
        </div>
        <div className="field actions">
          <button className="btn primary" type="submit">
            What if it delivers?
          </button>
        </div>
      </form>
      {!url ? (
        <p className="note">
          Choose a project and a year. Example:{' '}
          <a href={href('/coalitions', { ...Object.fromEntries(q.entries()), deal: 'thacker-pass', dealYear: 2030 })}>Thacker Pass lithium in 2030</a>.
        </p>
      ) : res.state !== 'ok' ? (
        <Status res={res} what="the deal what-if" />
      ) : (
        <DealResultView d={res.data} />
      )}
      <SourceLine
        sources={mergeCitations(
          res.state === 'ok' ? res.data.sources : projects.state === 'ok' ? projects.data.projects.map((p) => p.source).filter((s): s is Citation => !!s) : [],
        )}
      />
    </section>
  );
}

export function DealResultView({ d }: { d: DealResult }) {
  const p = d.project;
  const b = d.before;
  const a = d.after;
  const unit = d.series.unit;
  const rows: Array<{ key: string; metric: string; before: string; after: string; change: string }> = [
    { key: 'country', metric: `${p.countryId} share`, before: pct(b.countryShare), after: pct(a.countryShare), change: pts(d.change.countryShare) },
    { key: 'top', metric: 'Top supplier share', before: who(b.top), after: who(a.top), change: pts(d.change.topShare) },
    { key: 'hhi', metric: 'HHI (0–10,000)', before: int(b.hhiPoints), after: int(a.hhiPoints), change: signed(a.hhiPoints - b.hhiPoints) },
    ...(d.coalition
      ? [
          {
            key: 'coalition',
            metric: `${d.coalition.id} share`,
            before: pct(b.coalitionShare),
            after: pct(a.coalitionShare),
            change: pts(d.change.coalitionShare),
          },
        ]
      : []),
    {
      key: 'n1-largest',
      metric: `N-1 coverage without ${b.n1Largest?.countryId ?? 'the largest'} (largest; ÷ demand)`,
      before: pct(b.n1Largest?.coverageWorldRatio),
      after: pct(a.n1Largest?.coverageWorldRatio),
      change: pts(d.change.coverageWithoutLargest),
    },
    {
      key: 'n1-excluded',
      metric: `N-1 coverage without ${b.n1Excluded?.countryId ?? '—'} (÷ demand)`,
      before: pct(b.n1Excluded?.coverageWorldRatio),
      after: pct(a.n1Excluded?.coverageWorldRatio),
      change: pts(d.change.coverageWithoutExcluded),
    },
    { key: 'supply', metric: 'World supply', before: quantity(b.totalTonnes, unit), after: quantity(a.totalTonnes, unit), change: '—' },
  ];
  return (
    <div aria-live="polite" data-testid="deal-result" style={{ marginTop: 18 }}>
      <h3>
        What if {p.name} delivers: +{quantity(p.addedTonnes, unit)} {d.series.basis} {p.material.toLowerCase()} {p.stage} in {p.country} ({p.countryId}),{' '}
        {yearLabel(d.year, d.series.scenario)}
      </h3>
      <p className="muted small">
        {p.id ? (
          <>
            Registry project <code>{p.id}</code>, status {p.status ?? '—'}
            {p.expectedStartYear ? `, expected start ${p.expectedStartYear}` : ''}
            {p.partners.length ? `; partners: ${p.partners.map((x) => `${x.partnerId} (${x.role})`).join('; ')}` : ''}.{' '}
          </>
        ) : null}
        Capacity {int(p.capacityTonnesPerYear)} t/yr {p.basis}
        {p.conversion.factor !== 1 ? ` × ${p.conversion.factor} → ${p.conversion.to}` : ''}. Series: {d.series.dataset}
        {d.series.scenario ? ` (${d.series.scenario} case)` : ''}, {d.series.basis}. Demand:{' '}
        {d.demand
          ? `${quantity(d.demand.tonnes, unit)} (${d.demand.scenario ?? '—'}), ${d.demand.scope ?? ''}`
          : 'none in the knowledge base — coverage not computed'}
        .
      </p>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Deal before and after">
        <table data-testid="deal-table">
          <caption>
            Before and after the project, {d.year}
            {d.coalition ? `, coalition ${d.coalition.id}` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" className="num">
                Before
              </th>
              <th scope="col" className="num">
                After
              </th>
              <th scope="col" className="num">
                Change
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-row={r.key}>
                <th scope="row">{r.metric}</th>
                <td className="num" data-col="before">
                  {r.before}
                </td>
                <td className="num" data-col="after">
                  {r.after}
                </td>
                <td className="num" data-col="change">
                  {r.change}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h4>Assumptions and gaps</h4>
      <ul>
        {d.assumptions.map((x, i) => (
          <li key={`a${i}`}>{x}</li>
        ))}
        {d.gaps.map((g, i) => (
          <li key={`g${i}`} className="gap">
            Gap: {g}
          </li>
        ))}
      </ul>
    </div>
  );
}
