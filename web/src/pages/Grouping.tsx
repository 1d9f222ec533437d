/**
 * A grouping's page (`#/group/MSP`): its members, and the deals it involves — agreements that found, run or succeed it
 * or name it as a party, and the projects linked to them (GET /api/deals). Answers "which deals does the MSP involve?"
 * in one step from the search box.
 */
import { useApi, type Citation } from '../api.ts';
import { href } from '../router.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import type { Agreement, Project } from '../../../src/model/registry.ts';

interface DealsResponse {
  group: string;
  name: string;
  asOf: string | null;
  members: Array<{ id: string; name: string }>;
  membershipSource: Citation | null;
  agreements: Array<Agreement & { link: string; source: Citation | null }>;
  projects: Array<Project & { link: string; countryName: string; source: Citation | null }>;
  note: string;
}

export function Grouping({ id }: { id: string }) {
  const res = useApi<DealsResponse>(`api/deals?group=${encodeURIComponent(id)}`);
  if (res.state !== 'ok') return <Status res={res} what={`the grouping ${id}`} />;
  const d = res.data;
  return (
    <section aria-labelledby="grp-title">
      <h1 id="grp-title">
        {d.name} ({d.group})
      </h1>
      <p className="lede">
        {d.members.length} members{d.asOf ? ` as of ${d.asOf}` : ''}; {d.agreements.length} agreements and {d.projects.length} projects linked to it in the
        registry. <a href={href('/coalitions', { group: d.group })}>Coalition share and N-1 of the {d.group}</a> ·{' '}
        <a href={href('/criticality', { as: d.group })}>criticality for the {d.group}</a>
      </p>
      <div className="panel" aria-labelledby="grp-deals">
        <div className="table-head">
          <h2 id="grp-deals">Deals the {d.group} involves</h2>
          <span className="page-actions">
            <a
              className="btn small"
              href={`api/deals?group=${encodeURIComponent(d.group)}&format=csv`}
              download
              aria-label={`Download the ${d.group} deals as CSV`}
            >
              CSV
            </a>
          </span>
        </div>
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="grp-deals">
          <table data-testid="deals-table">
            <caption>Agreements and projects linked to the {d.group}, with why each is listed</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Deal</th>
                <th scope="col">Where / who</th>
                <th scope="col">Date</th>
                <th scope="col">Why listed</th>
              </tr>
            </thead>
            <tbody>
              {d.agreements.map((a) => (
                <tr key={a.id} data-deal={a.id}>
                  <td>agreement ({a.type})</td>
                  <th scope="row">
                    {a.url ? (
                      <a href={a.url} target="_blank" rel="noreferrer">
                        {a.title}
                      </a>
                    ) : (
                      a.title
                    )}
                    {a.summary ? <span className="small block">{a.summary}</span> : null}
                  </th>
                  <td className="small">{a.parties.join(', ')}</td>
                  <td className="small">{a.signed ?? '—'}</td>
                  <td className="small">{a.link}</td>
                </tr>
              ))}
              {d.projects.map((p) => (
                <tr key={p.id} data-deal={p.id}>
                  <td>project ({p.status})</td>
                  <th scope="row">
                    <a href={href('/coalitions', { group: d.group, deal: p.id })}>{p.name}</a>
                    <span className="small block">
                      {p.materials.join(', ')} · {p.stage}
                      {p.capacityTonnesPerYear ? ` · ${p.capacityTonnesPerYear.toLocaleString('en')} t/yr (${p.basis})` : ' · capacity not published'}
                    </span>
                  </th>
                  <td className="small">
                    <a href={href(`/country/${p.countryId}`)}>{p.countryName}</a>
                  </td>
                  <td className="small">{p.expectedStartYear ? `start ${p.expectedStartYear}` : '—'}</td>
                  <td className="small">{p.link}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="note">{d.note}</p>
        <SourceLine sources={[...d.agreements, ...d.projects].map((x) => x.source).filter((s): s is Citation => !!s)} />
      </div>
      <div className="panel" aria-labelledby="grp-members">
        <h2 id="grp-members">Members</h2>
        <ul className="chips" data-testid="group-members">
          {d.members.map((m) => (
            <li key={m.id}>
              <a href={href(`/country/${m.id}`)}>{m.name}</a>
            </li>
          ))}
        </ul>
        {d.membershipSource ? <SourceLine sources={[d.membershipSource]} /> : null}
      </div>
    </section>
  );
}
