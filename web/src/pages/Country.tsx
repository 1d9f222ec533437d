/**
 * Country profile (`#/country/IDN`, GET /api/country/:iso3 and GET /api/coalition/roles?country=IDN): middle-power roles
 * with the rule used and the evidence, production shares by material and stage, IEA projections, memberships,
 * agreements, trade measures and registry projects. Without an argument (`#/country`, GET /api/coalition/roles): every
 * country with a role, linking to its profile. The URL is the view (+ sort, dir, role).
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useApi, type Citation } from '../api.ts';
import { href, navigate, type Route } from '../router.ts';
import { pct, int, quantity, stageLabel } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { ShortSourceLink, SourceLine } from '../components/SourceLine.tsx';
import { mergeCitations } from '../../../src/model/provenance.ts';
import { SortableTable, type Column, type SortDir } from '../components/SortableTable.tsx';
import type { CountryProfile, RolesReport, RoleId, CountryRoles, RoleEvidence } from '../../../src/engine/coalition/index.ts';
import countries from '../../../src/data/countries.json';

const COUNTRIES = (countries as Array<{ id: string; name: string; officialName?: string | null }>).filter((c) => /^[A-Z]{3}$/.test(c.id));
export const ROLE_LABEL: Record<RoleId, string> = {
  producer_anchor: 'Producer anchor',
  processing_hub: 'Processing hub',
  value_capture_climber: 'Value-capture climber',
  corridor_convener: 'Corridor convener',
};
const ROLE_IDS = Object.keys(ROLE_LABEL) as RoleId[];

type Production = CountryProfile['production'][number];
type Projection = CountryProfile['projections'][number];

/** ISO3 code from what was typed: a code, or (part of) a country name. */
function resolveCountry(s: string): string | null {
  const t = s.trim();
  if (/^[A-Za-z]{3}$/.test(t) && COUNTRIES.some((c) => c.id === t.toUpperCase())) return t.toUpperCase();
  const l = t.toLowerCase();
  if (!l) return null;
  const exact = COUNTRIES.find((c) => c.name.toLowerCase() === l || c.officialName?.toLowerCase() === l);
  return (exact ?? COUNTRIES.find((c) => c.name.toLowerCase().startsWith(l)) ?? COUNTRIES.find((c) => c.name.toLowerCase().includes(l)))?.id ?? null;
}

function CountryPicker({ current }: { current?: string }) {
  const [value, setValue] = useState(current ?? '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setValue(current ?? ''), [current]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const id = resolveCountry(value);
    if (!id) {
      setError(`No country matches "${value}". Type an ISO3 code (IDN) or a name (Indonesia).`);
      return;
    }
    setError(null);
    navigate(`/country/${id}`);
  };
  return (
    <form className="controls" onSubmit={submit} aria-label="Choose a country" data-testid="country-picker">
      <label htmlFor="cty-pick">Country</label>
      <input
        id="cty-pick"
        list="cty-list"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder="ISO3 or name, e.g. IDN"
        aria-describedby={error ? 'cty-err' : undefined}
      />
      <datalist id="cty-list">
        {COUNTRIES.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </datalist>
      <button className="btn" type="submit">
        Show
      </button>
      {error ? (
        <span id="cty-err" className="error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}

const cite = (byId: Map<string, Citation>, ids: string[]) => ids.map((id) => byId.get(id)).filter((c): c is Citation => !!c);
const CiteLink = ({ c, fallback }: { c: Citation | undefined; fallback: string }) => (c ? <ShortSourceLink source={c} /> : <>{fallback}</>);

function Evidence({ e, byId }: { e: RoleEvidence; byId: Map<string, Citation> }) {
  return (
    <li data-material={e.materialId ?? undefined} data-record={e.agreementId ?? e.projectId ?? undefined}>
      <span data-testid="evidence-text">{e.text}</span>{' '}
      <span className="muted small">
        [
        {e.sourceIds.map((id, i) => (
          <span key={id}>
            {i > 0 ? '; ' : ''}
            <CiteLink c={byId.get(id)} fallback={id} />
          </span>
        ))}
        ]
      </span>
      {e.materialId ? (
        <>
          {' '}
          <a className="small" href={href(`/material/${e.materialId}`, { stage: e.stage, year: e.year })} aria-label={`${e.material}: material page`}>
            ↗
          </a>
        </>
      ) : null}
    </li>
  );
}

export function Country({ id, route }: { id?: string; route: Route }) {
  return id ? <CountryProfilePage key={id} iso3={id.toUpperCase()} route={route} /> : <RolesOverview route={route} />;
}

// ---------------------------------------------------------------------------------------------------------------
// Roles overview (#/country)
// ---------------------------------------------------------------------------------------------------------------

function roleCell(c: CountryRoles, role: RoleId) {
  const r = c.roles.find((x) => x.role === role);
  if (!r) return <span className="muted">—</span>;
  const mats = [...new Set(r.evidence.map((e) => e.material).filter((m): m is string => !!m))];
  const records = r.evidence.filter((e) => e.agreementId || e.projectId).length;
  return (
    <>
      <span aria-hidden="true">✓ </span>
      <span className="visually-hidden">yes: </span>
      <span className="small">
        {mats.length ? `${mats.slice(0, 4).join(', ')}${mats.length > 4 ? ` +${mats.length - 4}` : ''}` : `${records} agreements / projects`}
      </span>
    </>
  );
}

function RolesOverview({ route }: { route: Route }) {
  const res = useApi<RolesReport>('api/coalition/roles');
  const q = route.query;
  const roleQ = ROLE_IDS.includes(q.get('role') as RoleId) ? (q.get('role') as RoleId) : '';
  const sortKey = q.get('sort') ?? 'country';
  const dir = (q.get('dir') === 'desc' ? 'desc' : 'asc') as SortDir;
  const set = (patch: Record<string, string | null>) => navigate('/country', { ...Object.fromEntries(q.entries()), ...patch }, true);
  const columns = useMemo<Column<CountryRoles>[]>(
    () => [
      {
        key: 'country',
        label: 'country',
        header: 'Country',
        rowHeader: true,
        sortValue: (c) => c.country,
        render: (c) => <a href={href(`/country/${c.countryId}`)}>{c.country}</a>,
      },
      { key: 'iso3', label: 'ISO3 code', header: 'ISO3', sortValue: (c) => c.countryId, render: (c) => c.countryId },
      { key: 'roles', label: 'number of roles', header: 'Roles', numeric: true, sortValue: (c) => c.roles.length, render: (c) => c.roles.length },
      ...ROLE_IDS.map<Column<CountryRoles>>((r) => ({
        key: r,
        label: ROLE_LABEL[r],
        header: ROLE_LABEL[r],
        sortValue: (c) => c.roles.find((x) => x.role === r)?.evidence.length ?? null,
        render: (c) => roleCell(c, r),
      })),
    ],
    [],
  );
  if (res.state !== 'ok') return <Status res={res} what="the roles" />;
  const rep = res.data;
  const rows = rep.countries.filter((c) => !roleQ || c.roles.some((r) => r.role === roleQ));
  return (
    <section aria-labelledby="roles-title">
      <h1 id="roles-title">Countries and their roles</h1>
      <p className="lede">
        Middle-power roles from production shares and the registry, by rule: producer anchor, processing hub, value-capture climber, corridor convener. The
        thresholds are our parameters, not published definitions; each profile lists the evidence. Choose a country for its profile.
      </p>
      <CountryPicker />
      <section className="panel" aria-labelledby="roles-table-title" data-testid="roles-panel">
        <div className="panel-head">
          <h2 id="roles-table-title">Countries with at least one role ({rows.length})</h2>
          <div className="controls">
            <label htmlFor="roles-filter">Role</label>
            <select id="roles-filter" value={roleQ} onChange={(e) => set({ role: e.target.value || null })}>
              <option value="">any</option>
              {ROLE_IDS.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABEL[r]}
                </option>
              ))}
            </select>
            <a className="btn small" href="api/coalition/roles?format=csv" download aria-label="Download the roles and their evidence as CSV">
              CSV
            </a>
          </div>
        </div>
        <SortableTable<CountryRoles>
          testId="roles-table"
          caption={`Roles by country (${rows.length} countries); each cell lists the materials of the evidence`}
          columns={columns}
          rows={rows}
          rowKey={(c) => c.countryId}
          sort={{ key: sortKey, dir }}
          onSort={(key, d) => set({ sort: key, dir: d })}
        />
        <h3 style={{ marginTop: 16 }}>Rules</h3>
        <dl className="rules small">
          {ROLE_IDS.map((r) => (
            <div key={r}>
              <dt>
                <strong>{ROLE_LABEL[r]}</strong>
              </dt>
              <dd>{rep.rules[r]}</dd>
            </div>
          ))}
        </dl>
        {rep.gaps.length ? (
          <ul>
            {rep.gaps.map((g, i) => (
              <li key={i} className="gap">
                Gap: {g}
              </li>
            ))}
          </ul>
        ) : null}
        <SourceLine sources={mergeCitations(rep.sources)} />
      </section>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Country profile (#/country/IDN)
// ---------------------------------------------------------------------------------------------------------------

function CountryProfilePage({ iso3, route }: { iso3: string; route: Route }) {
  const res = useApi<CountryProfile>(`api/country/${encodeURIComponent(iso3)}`);
  const roles = useApi<RolesReport>(`api/coalition/roles?country=${encodeURIComponent(iso3)}`);
  const q = route.query;
  const sortKey = q.get('sort');
  const dir = (q.get('dir') === 'desc' ? 'desc' : 'asc') as SortDir;
  const p = res.state === 'ok' ? res.data : null;
  const byId = useMemo(() => {
    const m = new Map<string, Citation>();
    for (const s of [...(p?.sources ?? []), ...(roles.state === 'ok' ? roles.data.sources : [])]) if (!m.has(s.sourceId)) m.set(s.sourceId, s);
    return m;
  }, [p, roles]);

  const prodColumns = useMemo<Column<Production>[]>(
    () => [
      {
        key: 'material',
        label: 'material',
        header: 'Material',
        rowHeader: true,
        sortValue: (r) => r.material,
        render: (r) => <a href={href(`/material/${r.materialId}`, { stage: r.stage, year: r.year })}>{r.material}</a>,
      },
      { key: 'stage', label: 'stage', header: 'Stage', sortValue: (r) => r.stage, render: (r) => stageLabel(r.stage) },
      { key: 'year', label: 'year', header: 'Year', numeric: true, sortValue: (r) => r.year, render: (r) => r.year },
      { key: 'share', label: 'share of world', header: 'Share', numeric: true, sortValue: (r) => r.share, render: (r) => pct(r.share) },
      { key: 'rank', label: 'rank', header: 'Rank', numeric: true, sortValue: (r) => r.rank, render: (r) => `${r.rank} of ${r.producers}` },
      {
        key: 'value',
        label: 'output',
        header: 'Output',
        numeric: true,
        sortValue: (r) => r.value,
        render: (r) => `${quantity(r.value, r.unit)} ${r.basis.replace(/_/g, ' ')}`,
      },
      {
        key: 'source',
        label: 'source',
        header: 'Source',
        sortValue: (r) => r.sourceId,
        render: (r) => (
          <span className="small" title={r.source}>
            <CiteLink c={byId.get(r.sourceId)} fallback={r.source} />
          </span>
        ),
      },
    ],
    [byId],
  );

  if (res.state !== 'ok') {
    return (
      <section aria-labelledby="cty-title">
        <h1 id="cty-title">Country {iso3}</h1>
        <CountryPicker current={iso3} />
        <Status res={res} what={`the profile of ${iso3}`} />
      </section>
    );
  }
  const prof = p!;
  const roleList = roles.state === 'ok' ? (roles.data.countries.find((c) => c.countryId === prof.countryId)?.roles ?? []) : prof.roles;
  const rules = roles.state === 'ok' ? roles.data.rules : prof.rules;
  const roleSources = cite(byId, [...new Set(roleList.flatMap((r) => r.evidence.flatMap((e) => e.sourceIds)))]);
  const sortProps = (prefix: string) => ({
    sort: q.get(`${prefix}sort`) ? { key: q.get(`${prefix}sort`)!, dir: (q.get(`${prefix}dir`) === 'desc' ? 'desc' : 'asc') as SortDir } : undefined,
    onSort: (key: string, d: SortDir) =>
      navigate(`/country/${prof.countryId}`, { ...Object.fromEntries(q.entries()), [`${prefix}sort`]: key, [`${prefix}dir`]: d }, true),
  });
  const projColumns: Column<Projection>[] = [
    {
      key: 'material',
      label: 'material',
      header: 'Material',
      rowHeader: true,
      sortValue: (r) => r.material,
      render: (r) => <a href={href(`/material/${r.materialId}`, { stage: r.stage, year: r.year })}>{r.material}</a>,
    },
    { key: 'stage', label: 'stage', header: 'Stage', sortValue: (r) => r.stage, render: (r) => stageLabel(r.stage) },
    { key: 'year', label: 'year', header: 'Year', numeric: true, sortValue: (r) => r.year, render: (r) => `${r.year} proj` },
    { key: 'share', label: 'share of world', header: 'Share', numeric: true, sortValue: (r) => r.share, render: (r) => pct(r.share) },
    { key: 'rank', label: 'rank', header: 'Rank', numeric: true, sortValue: (r) => r.rank, render: (r) => r.rank },
    {
      key: 'now',
      label: 'latest historical share',
      header: 'Latest historical',
      numeric: true,
      render: (r) => {
        const h = prof.production.find((x) => x.materialId === r.materialId && x.stage === r.stage);
        return h ? `${pct(h.share)} (${h.year})` : '—';
      },
    },
    {
      key: 'source',
      label: 'source',
      header: 'Source',
      render: (r) => (
        <span className="small">
          <CiteLink c={byId.get(r.sourceId)} fallback={r.sourceId} />
        </span>
      ),
    },
  ];

  return (
    <article aria-labelledby="cty-title">
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href={href('/country')}>Countries and roles</a> / <span aria-current="page">{prof.country}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="cty-title">
            {prof.country} <span className="muted">({prof.countryId})</span>
          </h1>
          <p className="lede">
            {[prof.subregion, prof.region].filter(Boolean).join(', ')}. Roles:{' '}
            {roleList.length ? roleList.map((r) => ROLE_LABEL[r.role].toLowerCase()).join(', ') : 'none under the current rules'}.{' '}
            <a href={href(`/importer/${prof.countryId}`)} data-testid="importer-link">
              {prof.country} as an importer: suppliers, dependence, measures
            </a>
            .
          </p>
        </div>
        <div className="page-actions">
          <CountryPicker current={prof.countryId} />
        </div>
      </div>

      <section className="panel" aria-labelledby="cty-roles" data-testid="roles-panel">
        <h2 id="cty-roles">Roles, the rule used and the evidence</h2>
        {roles.state === 'error' ? <Status res={roles} what="the roles" /> : null}
        {roleList.length ? (
          roleList.map((r) => (
            <section key={r.role} data-testid={`role-${r.role}`} aria-labelledby={`role-h-${r.role}`}>
              <h3 id={`role-h-${r.role}`}>{ROLE_LABEL[r.role]}</h3>
              <p className="muted small">Rule: {r.rule}</p>
              <ul>
                {r.evidence.map((e, i) => (
                  <Evidence key={i} e={e} byId={byId} />
                ))}
              </ul>
            </section>
          ))
        ) : (
          <p className="note">{prof.country} meets none of the role rules on the data held. The rules:</p>
        )}
        <details>
          <summary>All rules and thresholds</summary>
          <dl className="small">
            {ROLE_IDS.map((r) => (
              <div key={r}>
                <dt>
                  <strong>{ROLE_LABEL[r]}</strong>
                </dt>
                <dd>{rules[r]}</dd>
              </div>
            ))}
          </dl>
        </details>
        <SourceLine sources={mergeCitations(roleSources.length ? roleSources : prof.sources)} />
      </section>

      <section className="panel" aria-labelledby="cty-prod" data-testid={prof.production.length ? 'production-panel' : 'production-empty'}>
        <h2 id="cty-prod">Production shares (latest historical year)</h2>
        {prof.production.length ? (
          <SortableTable<Production>
            testId="production-table"
            caption={`${prof.country}: share of world production by material and stage, with rank`}
            columns={prodColumns}
            rows={prof.production}
            rowKey={(r) => `${r.materialId}-${r.stage}`}
            sort={sortKey ? { key: sortKey, dir } : undefined}
            onSort={(key, d) => navigate(`/country/${prof.countryId}`, { ...Object.fromEntries(q.entries()), sort: key, dir: d }, true)}
          />
        ) : (
          <p className="note">No production by country recorded for {prof.country}.</p>
        )}
        {prof.production.length ? <SourceLine sources={mergeCitations(cite(byId, [...new Set(prof.production.map((r) => r.sourceId))]))} /> : null}
      </section>

      {prof.projections.length ? (
        <section className="panel" aria-labelledby="cty-proj" data-testid="projections-panel">
          <h2 id="cty-proj">IEA projections (base case)</h2>
          <SortableTable<Projection>
            testId="projections-table"
            caption={`${prof.country}: projected share of world supply (IEA base case, announced projects)`}
            columns={projColumns}
            rows={prof.projections}
            rowKey={(r) => `${r.materialId}-${r.stage}-${r.year}`}
            {...sortProps('proj')}
          />
          <SourceLine sources={mergeCitations(cite(byId, [...new Set(prof.projections.map((r) => r.sourceId))]))} />
        </section>
      ) : null}

      <section className="panel" aria-labelledby="cty-groups" data-testid={prof.memberships.length ? 'memberships-panel' : 'memberships-empty'}>
        <h2 id="cty-groups">Memberships</h2>
        {prof.memberships.length ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="cty-groups">
            <table data-testid="memberships-table">
              <caption>Groupings {prof.country} belongs to; each opens the coalition view</caption>
              <thead>
                <tr>
                  <th scope="col">Grouping</th>
                  <th scope="col">Id</th>
                  <th scope="col">As of</th>
                  <th scope="col">Coalition share</th>
                </tr>
              </thead>
              <tbody>
                {prof.memberships.map((m) => (
                  <tr key={m.groupId} data-row={m.groupId}>
                    <th scope="row">{m.groupName}</th>
                    <td>{m.groupId}</td>
                    <td>{m.asOf ?? '—'}</td>
                    <td>
                      <a href={href('/coalitions', { group: m.groupId })}>{m.groupId} share of refining</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="note">{prof.country} belongs to none of the groupings in the knowledge base.</p>
        )}
        {prof.memberships.length ? <SourceLine sources={mergeCitations(cite(byId, [...new Set(prof.memberships.map((m) => m.sourceId))]))} /> : null}
      </section>

      <section className="panel" aria-labelledby="cty-agr" data-testid={prof.agreements.length ? 'agreements-panel' : 'agreements-empty'}>
        <h2 id="cty-agr">Agreements</h2>
        {prof.agreements.length ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="cty-agr">
            <table data-testid="agreements-table">
              <caption>Registry agreements {prof.country} is party to, directly or through a grouping</caption>
              <thead>
                <tr>
                  <th scope="col">Agreement</th>
                  <th scope="col">Type</th>
                  <th scope="col">Parties</th>
                  <th scope="col">Materials</th>
                  <th scope="col">Signed</th>
                  <th scope="col">In force</th>
                  <th scope="col">Via</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {prof.agreements.map((a) => (
                  <tr key={a.id} data-row={a.id}>
                    <th scope="row" style={{ whiteSpace: 'normal', minWidth: 260 }}>
                      {a.url ? (
                        <a href={a.url} target="_blank" rel="noreferrer">
                          {a.title}
                        </a>
                      ) : (
                        a.title
                      )}
                    </th>
                    <td>{a.type}</td>
                    <td>{a.parties.join(', ')}</td>
                    <td>{a.materials.length ? a.materials.join(', ') : 'general'}</td>
                    <td>{a.signed ?? '—'}</td>
                    <td>{a.inForce ?? '—'}</td>
                    <td>{a.via}</td>
                    <td className="small">
                      <CiteLink c={byId.get(a.sourceId)} fallback={a.sourceId} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="note">No agreement in the registry names {prof.country} or a grouping it belongs to.</p>
        )}
        {prof.agreements.length ? <SourceLine sources={mergeCitations(cite(byId, [...new Set(prof.agreements.map((a) => a.sourceId))]))} /> : null}
      </section>

      <section className="panel" aria-labelledby="cty-meas" data-testid={prof.measures.length ? 'measures-panel' : 'measures-empty'}>
        <div className="panel-head">
          <h2 id="cty-meas">Trade measures</h2>
          <a className="btn small" href={href('/timeline', { country: prof.countryId })} data-testid="timeline-link">
            Timeline of {prof.country}'s measures
          </a>
        </div>
        {prof.measures.length ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="cty-meas">
            <table data-testid="measures-table">
              <caption>Trade measures {prof.country} imposed, is targeted by, or its bloc imposed</caption>
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  <th scope="col">Relation</th>
                  <th scope="col">Type</th>
                  <th scope="col">Materials</th>
                  <th scope="col">Announced</th>
                  <th scope="col">Effective</th>
                  <th scope="col">Suspended / ended</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {prof.measures.map((m) => (
                  <tr key={m.id} data-row={m.id}>
                    <th scope="row" style={{ whiteSpace: 'normal', minWidth: 260 }}>
                      {m.url ? (
                        <a href={m.url} target="_blank" rel="noreferrer">
                          {m.title}
                        </a>
                      ) : (
                        m.title
                      )}
                    </th>
                    <td>{m.relation}</td>
                    <td>
                      {m.direction} {m.measureType}
                    </td>
                    <td>
                      {m.materials.map((x, i) => (
                        <span key={x}>
                          {i > 0 ? ', ' : ''}
                          <a href={href('/timeline', { material: x, country: prof.countryId })}>{x}</a>
                        </span>
                      ))}
                    </td>
                    <td>{m.announced ?? '—'}</td>
                    <td>{m.effective ?? '—'}</td>
                    <td>{[m.suspended && `suspended ${m.suspended}`, m.ended && `ended ${m.ended}`].filter(Boolean).join('; ') || '—'}</td>
                    <td className="small">
                      <CiteLink c={byId.get(m.sourceId)} fallback={m.sourceId} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="note">No trade measure in the registry concerns {prof.country}.</p>
        )}
        {prof.measures.length ? <SourceLine sources={mergeCitations(cite(byId, [...new Set(prof.measures.map((m) => m.sourceId))]))} /> : null}
      </section>

      <section className="panel" aria-labelledby="cty-proj-reg" data-testid={prof.projects.length ? 'projects-panel' : 'projects-empty'}>
        <h2 id="cty-proj-reg">Projects</h2>
        {prof.projects.length ? (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="cty-proj-reg">
            <table data-testid="projects-table">
              <caption>Registry projects {prof.country} hosts or backs as a partner</caption>
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  <th scope="col">Relation</th>
                  <th scope="col">Host</th>
                  <th scope="col">Materials</th>
                  <th scope="col">Stage</th>
                  <th scope="col" className="num">
                    Capacity
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">Partners</th>
                  <th scope="col">What if</th>
                </tr>
              </thead>
              <tbody>
                {prof.projects.map((x) => (
                  <tr key={x.id} data-row={x.id}>
                    <th scope="row" style={{ whiteSpace: 'normal', minWidth: 220 }}>
                      {x.url ? (
                        <a href={x.url} target="_blank" rel="noreferrer">
                          {x.name}
                        </a>
                      ) : (
                        x.name
                      )}
                    </th>
                    <td>{x.relation}</td>
                    <td>{x.countryId}</td>
                    <td>{x.materials.join(', ')}</td>
                    <td>{stageLabel(x.stage)}</td>
                    <td className="num">{x.capacityTonnesPerYear === null ? '—' : `${int(x.capacityTonnesPerYear)} t/yr ${x.basis}`}</td>
                    <td>
                      {x.status}
                      {x.expectedStartYear ? ` (start ${x.expectedStartYear})` : ''}
                    </td>
                    <td className="small">{[...new Set(x.partners.map((pp) => pp.partnerId))].join(', ') || '—'}</td>
                    <td>
                      <a
                        href={href('/coalitions', { deal: x.id, dealYear: Math.max(2030, x.expectedStartYear ?? 2030) })}
                        aria-label={`What if ${x.name} delivers`}
                      >
                        deal what-if
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="note">No project in the registry is hosted or backed by {prof.country}.</p>
        )}
        {prof.projects.length ? <SourceLine sources={mergeCitations(cite(byId, [...new Set(prof.projects.map((x) => x.sourceId))]))} /> : null}
      </section>

      {prof.gaps.length ? (
        <section className="panel" aria-labelledby="cty-gaps">
          <h2 id="cty-gaps">Gaps</h2>
          <ul>
            {prof.gaps.map((g, i) => (
              <li key={i} className="gap">
                {g}
              </li>
            ))}
          </ul>
          <SourceLine sources={mergeCitations(prof.sources)} />
        </section>
      ) : null}
    </article>
  );
}
