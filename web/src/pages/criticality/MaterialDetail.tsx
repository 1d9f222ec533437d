/** A material's details on the Criticality page: every input with status and source, the stages, the DOE indicators, messages. */
import { type ReactNode } from 'react';
import { useApi, qs } from '../../api.ts';
import { fixed, pct } from '../../format.ts';
import { Status } from '../../components/Status.tsx';
import { SourceLine } from '../../components/SourceLine.tsx';
import type { DoeResult, EuResult, GeoPolRiskResult, InputUsed, Method, UsgsResult } from '../../../../src/engine/criticality/index.ts';
import { METHOD_NAME, STATUS_COLOR, bandText, inputCitations, inputValue, pageMessage, stageName, yesNo, type CriticalityDetail } from './common.ts';
import { DriversList, methodDrivers, outsideBand } from './Why.tsx';

// ---------------------------------------------------------------------------------------------------------------
// Details: every input of one material with status and source, the stages, the DOE indicators, messages
// ---------------------------------------------------------------------------------------------------------------

function StatusBadge({ status }: { status: string }) {
  return (
    <span className="sev" style={{ background: STATUS_COLOR[status] ?? '#4d5a66' }}>
      {status}
    </span>
  );
}

function Figures({ items }: { items: Array<[string, string]> }) {
  return (
    <dl>
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

const wrap = (x: ReactNode, min = 220) => <span style={{ whiteSpace: 'normal', display: 'inline-block', minWidth: min, maxWidth: 520 }}>{x}</span>;

/** A material's details, fetched when opened: the same run as the table (same parameters), restricted to the material. */
export function MaterialDetail({
  id,
  material,
  apiParams,
  onClose,
}: {
  id: string;
  material: string | null;
  apiParams: Record<string, string | null>;
  onClose: () => void;
}) {
  const res = useApi<CriticalityDetail>(material ? `api/criticality${qs({ ...apiParams, detail: id })}` : null);
  const close = (
    <button type="button" className="btn small" onClick={onClose}>
      Close
    </button>
  );
  if (!material)
    return (
      <section className="panel" id="crit-detail" aria-labelledby="crit-detail-title">
        <h3 id="crit-detail-title" tabIndex={-1}>
          No material “{id}” in this assessment
        </h3>
        {close}
      </section>
    );
  const c = res.state === 'ok' ? res.data.comparison.find((x) => x.materialId === id) : undefined;
  if (res.state !== 'ok' || !c)
    return (
      <section className="panel" id="crit-detail" aria-labelledby="crit-detail-title" aria-busy={res.state === 'loading'}>
        <div className="panel-head">
          <h3 id="crit-detail-title" tabIndex={-1}>
            {material}: inputs, sources and messages
          </h3>
          {close}
        </div>
        <Status res={res} what={`the inputs of ${material}`} />
      </section>
    );
  const r = res.data;
  const e: EuResult | undefined = r.eu.find((x) => x.materialId === id);
  const d: DoeResult | undefined = r.doe.find((x) => x.materialId === id);
  const u: UsgsResult | undefined = r.usgs.find((x) => x.materialId === id);
  const g: GeoPolRiskResult | undefined = r.geopolrisk.find((x) => x.materialId === id);
  const inputs: Array<{ method: Method; i: InputUsed }> = [
    ...(e?.inputs ?? []).map((i) => ({ method: 'eu' as const, i })),
    ...(d?.inputs ?? []).map((i) => ({ method: 'doe' as const, i })),
    ...(u?.inputs ?? []).map((i) => ({ method: 'usgs' as const, i })),
    ...(g?.inputs ?? []).map((i) => ({ method: 'geopolrisk' as const, i })),
  ];
  const cites = inputCitations([...inputs.map((x) => x.i.source), r.wgi.source]);
  return (
    <section className="panel" id="crit-detail" aria-labelledby="crit-detail-title" data-testid="crit-detail">
      <div className="panel-head">
        <h3 id="crit-detail-title" tabIndex={-1}>
          {c.material}: inputs, sources and messages
        </h3>
        {close}
      </div>
      <div className="kpis">
        {e && (
          <div className="kpi">
            <h3>EU method</h3>
            <Figures
              items={[
                ['SR', fixed(e.sr)],
                ['EI', fixed(e.ei)],
                ['critical', yesNo(e.critical)],
              ]}
            />
            <p className="muted">
              bottleneck {stageName(e.bottleneck)}
              {e.band?.sr ? `; SR p5–p95 ${bandText(e.band.sr)}` : ''}
              {outsideBand(e.sr, e.band?.sr) ? ` (the point lies outside its band: ${outsideBand(e.sr, e.band?.sr)})` : ''}
              {e.band?.ei ? `; EI p5–p95 ${bandText(e.band.ei)}` : ''}
              {e.members ? `; mean of ${e.members.join(', ')}` : ''}
            </p>
          </div>
        )}
        {d && (
          <div className="kpi">
            <h3>DOE-style</h3>
            <Figures
              items={[
                ['importance', fixed(d.shortTerm.importance, 1)],
                ['supply risk', fixed(d.shortTerm.supplyRisk, 1)],
                ['class', d.shortTerm.class ?? '?'],
              ]}
            />
            <p className="muted">
              medium term: importance {fixed(d.mediumTerm.importance, 1)}, supply risk {fixed(d.mediumTerm.supplyRisk, 1)}, {d.mediumTerm.class ?? '?'}
            </p>
          </div>
        )}
        {u && (
          <div className="kpi">
            <h3>USGS-style</h3>
            <Figures
              items={[
                ['DP', fixed(u.disruptionPotential)],
                ['TE', fixed(u.tradeExposure)],
                ['DP·TE', fixed(u.partialScore)],
              ]}
            />
            <p className="muted">
              EV {u.economicVulnerability === null ? 'missing: full score not computed' : fixed(u.economicVulnerability)}; DP stage {stageName(u.stage)}
            </p>
          </div>
        )}
        {g && (
          <div className="kpi">
            <h3>GeoPolRisk</h3>
            <p className="big">{fixed(g.score, 3)}</p>
            <p className="muted">
              {g.stages.length
                ? g.stages
                    .map((s) => `${stageName(s.stage)}: HHI ${fixed(s.hhi, 3)} × import risk ${fixed(s.importRisk, 3)} = ${fixed(s.score, 3)} (${s.imports})`)
                    .join('; ')
                : 'not computed'}
            </p>
          </div>
        )}
      </div>
      {r.methods.length > 1 && (
        <p>
          Ranks: {r.methods.map((m) => `${METHOD_NAME[m]} ${c.ranks[m] ?? '—'}`).join(', ')}; spread {c.spread ?? '—'}
          {c.driver ? ` — ${c.driver}` : ''}.
        </p>
      )}
      <h4 style={{ margin: '4px 0' }}>What drives each method’s score</h4>
      <DriversList items={methodDrivers(r, id)} ranks={r.methods.length > 1 ? c.ranks : undefined} />

      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="crit-inputs-caption">
        <table data-testid="crit-inputs">
          <caption id="crit-inputs-caption">Inputs used for {c.material}, with status and source</caption>
          <thead>
            <tr>
              <th scope="col">Input</th>
              <th scope="col">Method</th>
              <th scope="col">Stage</th>
              <th scope="col">Value</th>
              <th scope="col">Status</th>
              <th scope="col">Source</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {inputs.map(({ method, i }, k) => (
              <tr key={k} data-input={i.input} data-method={method}>
                <th scope="row">{i.input}</th>
                <td>{METHOD_NAME[method]}</td>
                <td>{i.stage ? stageName(i.stage) : '—'}</td>
                <td>{wrap(inputValue(i.value), 120)}</td>
                <td data-col="status">
                  <StatusBadge status={i.status} />
                </td>
                <td>{wrap(i.source.text, 260)}</td>
                <td>{wrap(i.note ?? '', 160)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        Status: <strong>data</strong> read from the knowledge base; <strong>published</strong> a curated value of the same edition; <strong>proxy</strong> a
        published value of another edition or scope; <strong>derived</strong> computed by a stated rule; <strong>default</strong> unknown, a default applied;{' '}
        <strong>missing</strong> unknown, the score needing it is not computed.
      </p>

      {e && e.stages.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="crit-stages-caption" style={{ marginTop: 12 }}>
          <table data-testid="crit-stages">
            <caption id="crit-stages-caption">EU method by stage: SR = [HHI_WGI,t(GS)·IR/2 + HHI_WGI,t(sourcing)·(1 − IR/2)]·(1 − EoL-RIR)·SI_SR</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col" className="num">
                  SR
                </th>
                <th scope="col" className="num">
                  HHI_WGI,t global
                </th>
                <th scope="col" className="num">
                  HHI_WGI,t sourcing
                </th>
                <th scope="col">Sourcing table</th>
                <th scope="col" className="num">
                  IR
                </th>
                <th scope="col">Largest contributions (share, WGI, t → contribution)</th>
              </tr>
            </thead>
            <tbody>
              {e.stages.map((s) => (
                <tr key={s.stage}>
                  <th scope="row">
                    {stageName(s.stage)}
                    {s.stage === e.bottleneck ? ' (bottleneck)' : ''}
                  </th>
                  <td className="num">{fixed(s.sr, 3)}</td>
                  <td className="num">{fixed(s.hhiGlobal, 3)}</td>
                  <td className="num">{fixed(s.hhiSourcing, 3)}</td>
                  <td>{s.sourcing}</td>
                  <td className="num">{fixed(s.ir)}</td>
                  <td>
                    {wrap(s.topRisk.map((t) => `${t.countryId} ${pct(t.share)}, WGI ${fixed(t.wgi)}, t ${t.t} → ${fixed(t.contribution, 3)}`).join('; '), 300)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {d && (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="crit-doe-caption" style={{ marginTop: 12 }}>
          <table data-testid="crit-doe-indicators">
            <caption id="crit-doe-caption">DOE-style indicators (score 1–4; missing indicators leave the weights renormalised over the rest)</caption>
            <thead>
              <tr>
                <th scope="col">Indicator</th>
                <th scope="col" className="num">
                  Weight
                </th>
                <th scope="col" className="num">
                  Short term
                </th>
                <th scope="col">Basis</th>
                <th scope="col" className="num">
                  Medium term
                </th>
                <th scope="col">Basis</th>
              </tr>
            </thead>
            <tbody>
              {d.shortTerm.indicators.map((ind, k) => {
                const med = d.mediumTerm.indicators.find((x) => x.indicator === ind.indicator);
                return (
                  <tr key={k}>
                    <th scope="row">{ind.indicator}</th>
                    <td className="num">{fixed(ind.weight)}</td>
                    <td className="num">{fixed(ind.score, 0)}</td>
                    <td>{wrap(ind.basis)}</td>
                    <td className="num">{fixed(med?.score, 0)}</td>
                    <td>{wrap(med?.basis ?? '—')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <div className="grid-2" style={{ marginTop: 12 }}>
        <div>
          <h4 style={{ margin: '4px 0' }}>Defaulted inputs ({c.defaulted.length})</h4>
          {c.defaulted.length ? (
            <ul className="small" data-testid="crit-defaulted">
              {c.defaulted.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
          ) : (
            <p className="small muted">none</p>
          )}
        </div>
        <div>
          <h4 style={{ margin: '4px 0' }}>Messages ({c.messages.length})</h4>
          {c.messages.length ? (
            <ul className="small" data-testid="crit-messages">
              {c.messages.map((x, k) => (
                <li key={k}>
                  {pageMessage(x).text}
                  {pageMessage(x).year ? ` (open year ${pageMessage(x).year})` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p className="small muted">none</p>
          )}
        </div>
      </div>
      <SourceLine sources={cites} />
    </section>
  );
}
