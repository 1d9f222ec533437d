/** The roles overview (#/country, GET /api/coalition/roles): every country with a role, the evidence's materials, and the rules. */
import { useMemo } from 'react';
import { useApi } from '../../api.ts';
import { href, navigate, type Route } from '../../router.ts';
import { Status } from '../../components/Status.tsx';
import { SourceLine } from '../../components/SourceLine.tsx';
import { SortableTable, type Column, type SortDir } from '../../components/SortableTable.tsx';
import { mergeCitations } from '../../../../src/model/provenance.ts';
import type { RolesReport, RoleId, CountryRoles } from '../../../../src/engine/coalition/index.ts';
import { ROLE_IDS, ROLE_LABEL } from './common.tsx';
import { CountryPicker } from './CountryPicker.tsx';

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

export function RolesOverview({ route }: { route: Route }) {
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
