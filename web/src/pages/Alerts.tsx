/**
 * Early warning: the alert feed (rules evaluated after every data import) and the rules themselves, with forms to watch
 * a material for new trade measures or to set a threshold on an indicator. Backed by /api/alerts and /api/alerts/rules.
 */
import { useState, type FormEvent } from 'react';
import { useApi, qs, type Citation } from '../api.ts';
import { href, type Route } from '../router.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import type { StoredAlert } from '../../../src/model/alerts.ts';
import type { RuleRecord } from '../../../src/store/alerts.ts';
import { stressHref, stressRun } from '../../../src/scenario/query.ts';

/** An alert as /api/alerts sends it: the stored alert with its sources cited. */
type AlertRow = StoredAlert & { sources: Citation[] };
/** A rule as /api/alerts/rules sends it (src/store/alerts.ts listRules). */
type RuleRow = RuleRecord;

async function send(method: 'POST' | 'DELETE', url: string, body?: unknown): Promise<void> {
  const r = await fetch(url, { method, headers: body ? { 'content-type': 'application/json' } : undefined, body: body ? JSON.stringify(body) : undefined });
  if (!r.ok) {
    const b = (await r.json().catch(() => ({}))) as { error?: string };
    throw new Error(b.error ?? r.statusText);
  }
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 };

export function Alerts({ route }: { route: Route }) {
  const showAll = route.query.get('all') === 'true';
  const [version, setVersion] = useState(0); // bumps after an edit so the lists are fetched again
  const alerts = useApi<{ alerts: AlertRow[]; rules: number; note?: string; severityRules?: Record<string, string>; asOf?: string }>(
    `api/alerts${qs({ all: showAll || null, v: version || null })}`,
  );
  const rules = useApi<{ rules: RuleRow[] }>(`api/alerts/rules${qs({ v: version || null })}`);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [watch, setWatch] = useState({ materials: '', countries: '' });
  const [thr, setThr] = useState({ material: '', stage: 'refining', indicator: 'top_share', op: '>', value: '0.65' });

  const act = async (fn: () => Promise<void>, ok: string) => {
    try {
      await fn();
      setMsg({ ok: true, text: ok });
      setVersion((v) => v + 1);
    } catch (e) {
      setMsg({ ok: false, text: e instanceof Error ? e.message : String(e) });
    }
  };
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'rule';
  const addWatch = (e: FormEvent) => {
    e.preventDefault();
    const materials = watch.materials.split(/[,\s]+/).filter(Boolean);
    const countries = watch.countries
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((c) => c.toUpperCase());
    const id = `watch-${slug([...materials, ...countries].join('-'))}`;
    act(
      () =>
        send('POST', 'api/alerts/rules', {
          id,
          kind: 'new_measure',
          name: `New measures on ${materials.join(', ') || 'any material'}${countries.length ? ` by ${countries.join(', ')}` : ''}`,
          materials,
          countries,
          severity: 'critical',
        }),
      `rule ${id} saved and evaluated`,
    );
  };
  const addThreshold = (e: FormEvent) => {
    e.preventDefault();
    const value = Number(thr.value);
    const id = `${slug(thr.material || 'all')}-${thr.stage}-${thr.indicator}-${thr.op === '>' ? 'above' : 'below'}-${slug(thr.value)}`;
    act(
      () =>
        send('POST', 'api/alerts/rules', {
          id,
          kind: 'indicator',
          materials: thr.material ? [thr.material] : [],
          stage: thr.stage,
          indicator: thr.indicator,
          op: thr.op,
          value,
          severity: 'warning',
        }),
      `rule ${id} saved and evaluated`,
    );
  };

  const rows =
    alerts.state === 'ok'
      ? [...alerts.data.alerts].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.firstSeen.localeCompare(a.firstSeen))
      : [];
  return (
    <section aria-labelledby="al-title">
      <h1 id="al-title">Early warning</h1>
      <p className="lede">
        Alerts raised by your rules: new export controls on materials you watch, concentration rising, N-1 coverage below a threshold, or any indicator crossing
        a value. Rules are evaluated after every data import (<code>chokepoint data import …</code>) and when a rule is saved.
      </p>
      {msg ? (
        <p className={msg.ok ? 'note' : 'note error'} role={msg.ok ? 'status' : 'alert'}>
          {msg.text}
        </p>
      ) : null}
      <div className="table-head">
        <h2 id="al-feed">Alerts{alerts.state === 'ok' ? ` (${rows.length}${showAll ? ', including cleared' : ' active'})` : ''}</h2>
        <span className="page-actions">
          <a className="btn small" href={href('/alerts', { all: showAll ? null : 'true' })}>
            {showAll ? 'Active only' : 'Include cleared'}
          </a>
          <a className="btn small" href={`api/alerts${qs({ all: showAll || null, format: 'csv' })}`} download aria-label="Download the alerts as CSV">
            CSV
          </a>
          <a className="btn small" href={`api/alerts${qs({ all: showAll || null, format: 'xlsx' })}`} download aria-label="Download the alerts as XLSX (Excel)">
            XLSX
          </a>
        </span>
      </div>
      {alerts.state !== 'ok' ? (
        <Status res={alerts} what="the alerts" />
      ) : alerts.data.note ? (
        <p className="note">{alerts.data.note}</p>
      ) : rows.length === 0 ? (
        <p className="note" role="status">
          No alerts: none of the {alerts.data.rules} rules' conditions holds on the data loaded.
        </p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="al-feed">
          <table data-testid="alerts-table">
            <caption>Alerts, most severe and newest first</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Alert</th>
                <th scope="col">Details</th>
                <th scope="col">First seen</th>
                <th scope="col">Rule</th>
                <th scope="col">Next step</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.key} data-alert={a.key} className={a.active ? undefined : 'muted'}>
                  <td>
                    <span className={`sev sev-${a.severity}`}>{a.severity}</span>
                    {a.severityReason ? <span className="small block">{a.severityReason}</span> : null}
                  </td>
                  <th scope="row">{a.title}</th>
                  <td className="small">{a.detail}</td>
                  <td className="small">{a.firstSeen.slice(0, 16).replace('T', ' ')}</td>
                  <td className="small">{a.ruleId}</td>
                  <td className="small">
                    {a.measureId && a.materialId ? (
                      <a href={href('/timeline', { material: a.materialId })}>timeline</a>
                    ) : a.materialId && a.stage && a.year ? (
                      <a href={stressHref(stressRun({ material: a.materialId, stage: a.stage as 'mining' | 'refining', year: a.year, n1: true }))}>
                        N-1 stress test
                      </a>
                    ) : a.materialId ? (
                      <a href={href(`/material/${a.materialId}`)}>material</a>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {alerts.state === 'ok' && rows.length ? (
        <p className="small" data-testid="severity-counts">
          {(['critical', 'warning', 'info'] as const).map((s) => `${rows.filter((a) => a.severity === s).length} ${s}`).join(' · ')}
          {alerts.data.asOf ? ` — statuses as of ${alerts.data.asOf}, read from each measure's dates` : ''}
        </p>
      ) : null}
      {alerts.state === 'ok' && alerts.data.severityRules ? (
        <details className="panel" data-testid="severity-rules">
          <summary>How severity is set</summary>
          <dl>
            {Object.entries(alerts.data.severityRules).map(([kind, text]) => (
              <div key={kind}>
                <dt>
                  <code>{kind}</code>
                </dt>
                <dd>{text} A rule's own severity is a ceiling.</dd>
              </div>
            ))}
          </dl>
        </details>
      ) : null}
      {alerts.state === 'ok' && rows.length ? <SourceLine sources={rows.flatMap((a) => a.sources)} /> : null}

      <div className="panel">
        <h2 id="al-rules">Rules</h2>
        {rules.state !== 'ok' ? (
          <Status res={rules} what="the rules" />
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="al-rules">
            <table data-testid="rules-table">
              <caption>Alert rules in this store</caption>
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Materials</th>
                  <th scope="col">Severity</th>
                  <th scope="col">
                    <span className="visually-hidden">Delete</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rules.data.rules.map((r) => (
                  <tr key={r.id} data-rule={r.id}>
                    <th scope="row">
                      {r.rule?.name ?? r.id}
                      {r.error ? <div className="error small">invalid: {r.error}</div> : null}
                    </th>
                    <td>{r.rule?.kind ?? '—'}</td>
                    <td>{r.rule?.materials.length ? r.rule.materials.join(', ') : 'all'}</td>
                    <td>{r.rule?.severity ?? '—'}</td>
                    <td>
                      <button
                        type="button"
                        className="btn small"
                        onClick={() => act(() => send('DELETE', `api/alerts/rules/${encodeURIComponent(r.id)}`), `rule ${r.id} deleted`)}
                        aria-label={`Delete rule ${r.id}`}
                      >
                        Delete
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <form className="controls" onSubmit={addWatch} aria-labelledby="al-watch">
          <strong id="al-watch">Watch for new measures:</strong>
          <label htmlFor="al-watch-m">materials</label>
          <input id="al-watch-m" value={watch.materials} onChange={(e) => setWatch({ ...watch, materials: e.target.value })} placeholder="gallium, germanium" />
          <label htmlFor="al-watch-c">imposed by</label>
          <input
            id="al-watch-c"
            value={watch.countries}
            onChange={(e) => setWatch({ ...watch, countries: e.target.value })}
            placeholder="any (or CHN, IDN)"
            size={12}
          />
          <button className="btn" type="submit">
            Add rule
          </button>
        </form>
        <form className="controls" onSubmit={addThreshold} aria-labelledby="al-thr">
          <strong id="al-thr">Threshold:</strong>
          <label htmlFor="al-thr-m">material</label>
          <input id="al-thr-m" value={thr.material} onChange={(e) => setThr({ ...thr, material: e.target.value })} placeholder="all" size={12} />
          <label htmlFor="al-thr-s">stage</label>
          <select id="al-thr-s" value={thr.stage} onChange={(e) => setThr({ ...thr, stage: e.target.value })}>
            <option value="refining">refining</option>
            <option value="mining">mining</option>
          </select>
          <label htmlFor="al-thr-i">indicator</label>
          <select id="al-thr-i" value={thr.indicator} onChange={(e) => setThr({ ...thr, indicator: e.target.value })}>
            <option value="top_share">largest supplier share</option>
            <option value="top3_share">top-3 share</option>
            <option value="china_share">China share</option>
            <option value="hhi">HHI (0–10,000)</option>
            <option value="n1_coverage">N-1 coverage of demand</option>
            <option value="n1_remaining_share">supply left without the largest</option>
          </select>
          <label htmlFor="al-thr-op">is</label>
          <select id="al-thr-op" value={thr.op} onChange={(e) => setThr({ ...thr, op: e.target.value })}>
            <option value=">">above</option>
            <option value="<">below</option>
          </select>
          <label htmlFor="al-thr-v">value</label>
          <input id="al-thr-v" value={thr.value} onChange={(e) => setThr({ ...thr, value: e.target.value })} size={7} aria-describedby="al-thr-help" />
          <span id="al-thr-help" className="muted small">
            shares as fractions (0.65 = 65%)
          </span>
          <button className="btn" type="submit">
            Add rule
          </button>
        </form>
      </div>
    </section>
  );
}
