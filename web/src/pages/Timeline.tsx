/**
 * Timeline of trade measures (export controls, bans, quotas, taxes) and agreements for a material or country, from
 * the registry (/api/timeline, /api/registry/measures). Each export measure starts its stress test in one step:
 * the button asks /api/registry/measures/{id}/scenario for the scenario the measure implies and opens the stress
 * builder with it.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useApi, qs, getJson, type Citation, type MaterialListItem } from '../api.ts';
import { navigate, type Route } from '../router.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import { EChart, type EChartsOption } from '../components/EChart.tsx';
import type { TimelineEvent } from '../../../src/engine/registry.ts';
import type { TradeMeasure } from '../../../src/model/registry.ts';

/** A measure as /api/registry/measures sends it: the registry record, its status today and its source. */
export type MeasureRecord = TradeMeasure & { status: string; inEffect: boolean; source: Citation | null };

const EVENT_LABEL: Record<string, string> = {
  measure_announced: 'announced',
  measure_effective: 'in effect',
  measure_suspended: 'suspended',
  measure_suspension_ends: 'suspension ends',
  measure_ended: 'ended',
  agreement_signed: 'signed',
  agreement_in_force: 'in force',
  agreement_ended: 'ended',
};
const EVENT_COLOUR: Record<string, string> = {
  measure_announced: '#f4a582',
  measure_effective: '#b2182b',
  measure_suspended: '#878787',
  measure_suspension_ends: '#d6604d',
  measure_ended: '#4d4d4d',
  agreement_signed: '#2166ac',
  agreement_in_force: '#5aae61',
  agreement_ended: '#4d4d4d',
};

/** "2023" → 1 Jan 2023, "2023-07" → 1 Jul 2023: a position on the time axis for a date at any precision. */
const toTime = (d: string) => Date.UTC(Number(d.slice(0, 4)), d.length >= 7 ? Number(d.slice(5, 7)) - 1 : 0, d.length >= 10 ? Number(d.slice(8, 10)) : 1);
const today = () => new Date().toISOString().slice(0, 10);

function timelineOption(events: TimelineEvent[], measures: MeasureRecord[], narrow = false): EChartsOption {
  const records = [...new Map(events.map((e) => [e.recordId, e])).values()];
  // Measure titles start with the imposing country ("China: …"); agreements get their parties in front.
  // On a phone the labels get a third of the width, so the time axis keeps most of it.
  const max = narrow ? 22 : 52;
  const short = (t: string) => (t.length > max ? t.slice(0, max - 1) + '…' : t);
  const label = (e: TimelineEvent) =>
    /^[^:]{2,40}:/.test(e.title) ? short(e.title) : `${e.countries.slice(0, 3).join('+')}${e.countries.length > 3 ? '…' : ''}: ${short(e.title)}`;
  const cats = records.map(label);
  const row = new Map(records.map((e, i) => [e.recordId, i]));
  // Periods a measure was in force: from effective (or announced) to suspended / ended / today.
  // A measure suspended before it took effect never applied: no bar.
  const periods = measures
    .filter((m) => row.has(m.id) && (m.effective ?? m.announced))
    .filter((m) => [m.suspended, m.ended, today()].filter((d): d is string => !!d).sort()[0] > (m.effective ?? m.announced)!)
    .map((m) => {
      const start = (m.effective ?? m.announced)!;
      const end = [m.suspended, m.ended, today()].filter((d): d is string => !!d).sort()[0];
      return {
        name: m.id,
        type: 'line',
        data: [
          [toTime(start), row.get(m.id)],
          [toTime(end), row.get(m.id)],
        ],
        lineStyle: { width: 6, color: '#f4a58288' },
        symbol: 'none',
        silent: true,
        tooltip: { show: false },
      };
    });
  // A suspension that ran out (no extension recorded) puts the measure back in force: a second bar from its end.
  const resumed = measures
    .filter((m) => row.has(m.id) && m.suspendedUntil && m.suspendedUntil <= today() && !(m.ended && m.ended <= m.suspendedUntil))
    .map((m) => ({
      name: `${m.id} (again)`,
      type: 'line',
      data: [
        [toTime(m.suspendedUntil!), row.get(m.id)],
        [toTime(m.ended && m.ended < today() ? m.ended : today()), row.get(m.id)],
      ],
      lineStyle: { width: 6, color: '#d6604d88' },
      symbol: 'none',
      silent: true,
      tooltip: { show: false },
    }));
  const kinds = [...new Set(events.map((e) => e.kind))];
  return {
    grid: { left: narrow ? 130 : 330, right: narrow ? 10 : 24, top: narrow ? 70 : 36, bottom: 40 },
    legend: { top: 0, data: kinds.map((k) => `${k.startsWith('measure') ? 'measure' : 'agreement'} ${EVENT_LABEL[k]}`) },
    tooltip: {
      trigger: 'item',
      formatter: (p: { data: { e: TimelineEvent } }) =>
        p.data?.e ? `${p.data.e.date} — ${EVENT_LABEL[p.data.e.kind]}<br/>${p.data.e.title}<br/><i>${p.data.e.source.publisher}</i>` : '',
    },
    xAxis: { type: 'time', name: 'date', nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'category', data: cats, inverse: true, axisLabel: { width: narrow ? 122 : 310, overflow: 'truncate', fontSize: narrow ? 10 : 11 } },
    series: [
      ...periods,
      ...resumed,
      ...kinds.map((k) => ({
        name: `${k.startsWith('measure') ? 'measure' : 'agreement'} ${EVENT_LABEL[k]}`,
        type: 'scatter',
        symbolSize: 11,
        itemStyle: { color: EVENT_COLOUR[k] },
        data: events.filter((e) => e.kind === k).map((e) => ({ value: [toTime(e.date), row.get(e.recordId)], e })),
      })),
    ],
  };
}

export function StressFromMeasure({ measure, material }: { measure: MeasureRecord; material?: string }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  if (measure.direction !== 'export') return <span className="muted">import measure</span>;
  const go = async () => {
    setState({ busy: true, error: null });
    try {
      const r = await getJson<{ stressUrl: string; notes: string[] }>(`api/registry/measures/${encodeURIComponent(measure.id)}/scenario${qs({ material })}`);
      const [path, query = ''] = r.stressUrl.replace(/^#/, '').split('?');
      navigate(path, Object.fromEntries(new URLSearchParams(query)));
    } catch (e) {
      setState({ busy: false, error: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <>
      <button
        type="button"
        className="btn small"
        onClick={go}
        disabled={state.busy}
        data-testid={`stress-${measure.id}`}
        aria-label={`Run the stress test for: ${measure.title}`}
      >
        {state.busy ? 'Opening…' : 'Stress test'}
      </button>
      {state.error ? (
        <span className="error" role="alert">
          {' '}
          {state.error}
        </span>
      ) : null}
    </>
  );
}

export function Timeline({ route }: { route: Route }) {
  const q = route.query;
  const material = q.get('material') ?? '';
  const country = q.get('country') ?? '';
  const from = q.get('from') ?? '';
  const general = q.get('general') === 'true';
  const [form, setForm] = useState({ material, country, from, general });
  useEffect(() => setForm({ material, country, from, general }), [material, country, from, general]);
  const materials = useApi<{ materials: MaterialListItem[] }>('api/materials');
  const events = useApi<{ events: TimelineEvent[] }>(`api/timeline${qs({ material, country, from, general: general || null })}`);
  const measures = useApi<{ measures: MeasureRecord[] }>(`api/registry/measures${qs({ material, country })}`);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate('/timeline', { material: form.material, country: form.country.toUpperCase(), from: form.from, general: form.general ? 'true' : null });
  };
  const ms = measures.state === 'ok' ? measures.data.measures : [];
  const ev = events.state === 'ok' ? events.data.events : [];
  const narrow = typeof window !== 'undefined' && window.innerWidth < 700;
  const option = useMemo(() => timelineOption(ev, ms, narrow), [ev, ms, narrow]);
  const byId = new Map(ms.map((m) => [m.id, m]));
  const title = [material && (materials.state === 'ok' ? (materials.data.materials.find((m) => m.id === material)?.name ?? material) : material), country]
    .filter(Boolean)
    .join(' · ');

  return (
    <section aria-labelledby="tl-title">
      <h1 id="tl-title">Measures and agreements{title ? `: ${title}` : ''}</h1>
      <p className="lede">
        Export controls, bans, quotas and taxes, and the agreements and partnerships around them, in date order with their sources. Start the stress test a
        measure implies in one step: its country's supply is removed at the stage it controls.
      </p>
      <form className="controls panel" onSubmit={submit} aria-label="Timeline filters">
        <label htmlFor="tl-material">Material</label>
        <input
          id="tl-material"
          list="tl-materials"
          value={form.material}
          onChange={(e) => setForm({ ...form, material: e.target.value })}
          placeholder="all (e.g. gallium)"
        />
        <datalist id="tl-materials">
          {materials.state === 'ok'
            ? materials.data.materials.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))
            : null}
        </datalist>
        <label htmlFor="tl-country">Country</label>
        <input id="tl-country" value={form.country} onChange={(e) => setForm({ ...form, country: e.target.value })} placeholder="ISO3, e.g. CHN" size={8} />
        <label htmlFor="tl-from">From</label>
        <input id="tl-from" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} placeholder="YYYY" size={10} />
        <label className="inline">
          <input type="checkbox" checked={form.general} onChange={(e) => setForm({ ...form, general: e.target.checked })} /> include frameworks naming no
          mineral
        </label>
        <button className="btn" type="submit">
          Show
        </button>
      </form>
      {events.state !== 'ok' ? (
        <Status res={events} what="the timeline" />
      ) : ev.length === 0 ? (
        <p className="note" role="status">
          No dated measures or agreements in the registry{material ? ` concerning ${material}` : ''}
          {country ? ` for ${country}` : ''}. The registry holds the curated seed; import policy trackers with{' '}
          <code>chokepoint data import iea-policies|gta|apri</code>.
        </p>
      ) : (
        <>
          <div className="panel">
            <h2>Timeline</h2>
            <EChart
              option={option}
              height={Math.max(220, 60 + 26 * new Set(ev.map((e) => e.recordId)).size)}
              label={`Timeline of ${new Set(ev.map((e) => e.recordId)).size} measures and agreements; the same events are listed in the table below`}
              testId="timeline-chart"
            />
            <p className="muted small">
              Bars: period a measure was in force (effective to suspended, ended or today); a measure suspended before it took effect has no bar.
            </p>
            <SourceLine sources={ev.map((e) => e.source)} />
          </div>
          <div className="table-head">
            <h2 id="tl-events">Events</h2>
            <span className="downloads">
              <a
                className="btn small"
                href={`api/timeline${qs({ material, country, from, general: general || null, format: 'csv' })}`}
                download
                aria-label="Download the events as CSV"
              >
                CSV
              </a>
              <a
                className="btn small"
                href={`api/timeline${qs({ material, country, from, general: general || null, format: 'xlsx' })}`}
                download
                aria-label="Download the events as XLSX (Excel)"
              >
                XLSX
              </a>
            </span>
          </div>
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="tl-events">
            <table data-testid="timeline-table">
              <caption>Dated events, oldest first; each links to its primary document where known</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Event</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Type</th>
                  <th scope="col">Source</th>
                  <th scope="col">Stress test</th>
                </tr>
              </thead>
              <tbody>
                {ev.map((e) => {
                  const m = byId.get(e.recordId);
                  return (
                    <tr key={`${e.recordId}-${e.kind}`} data-record={e.recordId} data-kind={e.kind}>
                      <td data-col="date">{e.date}</td>
                      <td>
                        <span className="swatch" style={{ background: EVENT_COLOUR[e.kind] }} aria-hidden="true" /> {e.recordKind} {EVENT_LABEL[e.kind]}
                      </td>
                      <td>{e.countries.join(', ')}</td>
                      <th scope="row">
                        {e.url ? (
                          <a href={e.url} target="_blank" rel="noreferrer">
                            {e.title}
                          </a>
                        ) : (
                          e.title
                        )}
                      </th>
                      <td>{e.measureType ?? e.agreementType}</td>
                      <td className="small">
                        {e.source.url ? (
                          <a href={e.source.url} target="_blank" rel="noreferrer">
                            {e.source.publisher}
                          </a>
                        ) : (
                          e.source.publisher
                        )}
                      </td>
                      <td>
                        {m && (e.kind === 'measure_effective' || (e.kind === 'measure_announced' && (!m.effective || m.effective === m.announced))) ? (
                          <StressFromMeasure measure={m} material={material || undefined} />
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {measures.state === 'ok' && ms.length ? (
        <div className="panel">
          <h2 id="tl-measures">Measures and their status today</h2>
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="tl-measures">
            <table data-testid="measures-table">
              <caption>Trade measures concerning this selection, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  <th scope="col">Country</th>
                  <th scope="col">Type</th>
                  <th scope="col">Materials</th>
                  <th scope="col">Targets</th>
                  <th scope="col">Status</th>
                  <th scope="col">Stress test</th>
                </tr>
              </thead>
              <tbody>
                {ms.map((m) => (
                  <tr key={m.id} data-measure={m.id}>
                    <th scope="row">
                      {m.url ? (
                        <a href={m.url} target="_blank" rel="noreferrer">
                          {m.title}
                        </a>
                      ) : (
                        m.title
                      )}
                      {m.summary ? <div className="muted small">{m.summary.length > 220 ? m.summary.slice(0, 219) + '…' : m.summary}</div> : null}
                    </th>
                    <td>{m.countryId}</td>
                    <td>
                      {m.direction} {m.measureType}
                    </td>
                    <td>{m.materials.join(', ')}</td>
                    <td>{m.targets.length ? m.targets.join(', ') : 'all'}</td>
                    <td data-col="status">{m.status}</td>
                    <td>
                      <StressFromMeasure measure={m} material={material || undefined} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <SourceLine sources={ms.map((m) => m.source).filter((s): s is Citation => !!s)} />
        </div>
      ) : null}
    </section>
  );
}
