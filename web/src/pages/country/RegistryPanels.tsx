/** The Country profile's registry panels: memberships, agreements, trade measures and projects, each with its sources. */
import { type Citation } from '../../api.ts';
import { href } from '../../router.ts';
import { int, stageLabel } from '../../format.ts';
import { SourceLine } from '../../components/SourceLine.tsx';
import { mergeCitations } from '../../../../src/model/provenance.ts';
import type { CountryProfile } from '../../../../src/engine/coalition/index.ts';
import { CiteLink, cite } from './common.tsx';

export function MembershipsPanel({ prof, byId }: { prof: CountryProfile; byId: Map<string, Citation> }) {
  return (
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
  );
}

export function AgreementsPanel({ prof, byId }: { prof: CountryProfile; byId: Map<string, Citation> }) {
  return (
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
  );
}

export function MeasuresPanel({ prof, byId }: { prof: CountryProfile; byId: Map<string, Citation> }) {
  return (
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
  );
}

export function ProjectsPanel({ prof, byId }: { prof: CountryProfile; byId: Map<string, Citation> }) {
  return (
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
  );
}
