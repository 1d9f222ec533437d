/**
 * Country profile (`#/country/IDN`, GET /api/country/:iso3 and GET /api/coalition/roles?country=IDN): middle-power roles
 * with the rule used and the evidence, production shares by material and stage, IEA projections, memberships,
 * agreements, trade measures and registry projects. Without an argument (`#/country`, GET /api/coalition/roles): every
 * country with a role, linking to its profile. The URL is the view (+ sort, dir, role).
 */
import { useMemo } from 'react';
import { useApi, type Citation } from '../api.ts';
import { href, navigate, type Route } from '../router.ts';
import { pct, quantity, stageLabel } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import { mergeCitations } from '../../../src/model/provenance.ts';
import { SortableTable, type Column, type SortDir } from '../components/SortableTable.tsx';
import type { CountryProfile, RolesReport } from '../../../src/engine/coalition/index.ts';
import { CiteLink, ROLE_IDS, ROLE_LABEL, cite, type Production, type Projection } from './country/common.tsx';
import { CountryPicker } from './country/CountryPicker.tsx';
import { Evidence } from './country/Evidence.tsx';
import { RolesOverview } from './country/RolesOverview.tsx';
import { AgreementsPanel, MeasuresPanel, MembershipsPanel, ProjectsPanel } from './country/RegistryPanels.tsx';

export { ROLE_LABEL };

export function Country({ id, route }: { id?: string; route: Route }) {
  return id ? <CountryProfilePage key={id} iso3={id.toUpperCase()} route={route} /> : <RolesOverview route={route} />;
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

      <MembershipsPanel prof={prof} byId={byId} />

      <AgreementsPanel prof={prof} byId={byId} />

      <MeasuresPanel prof={prof} byId={byId} />

      <ProjectsPanel prof={prof} byId={byId} />

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
