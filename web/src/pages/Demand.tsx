/**
 * Demand and stockpile cover (`#/demand?year=2035&policy=japan-60&material=cobalt&focus=JPN`):
 *  - how many days a stockpile of N days of its own use covers each holder (Japan, Korea, Germany, the EU27, the USA) when
 *    the largest refiner of each IEA mineral stops exporting (GET /api/demand/cover, src/scenario/cover.ts);
 *  - who consumes a mineral: each country's use with its method, basis, range and sources, or the stated gap
 *    (GET /api/demand, src/engine/demand/table.ts). A figure that rests on a proxy says "partly assumed".
 * The URL is the view; both tables download as CSV or XLSX (the same table definitions as the CLI).
 */
import type { ChangeEvent } from 'react';
import { qs, useApi } from '../api.ts';
import { navigate, type Route } from '../router.ts';
import { int, pct, quantity } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { EChart, type EChartsOption } from '../components/EChart.tsx';
import { Downloads } from '../components/Downloads.tsx';
import { getMaterial, IEA_DEMAND_MINERALS } from '../../../src/model/materials.ts';
import type { CoverRow } from '../../../src/scenario/cover.ts';
import type { ConsumptionRow } from '../../../src/engine/demand/table.ts';

const YEARS = [2024, 2030, 2035, 2040];
/** The six minerals of the IEA demand series (the cover grid's columns). */
const MINERALS = IEA_DEMAND_MINERALS.map((id) => ({ id, name: getMaterial(id)?.name ?? id }));
const POLICIES = [
  { id: 'japan-60', label: '60 days (Japan JOGMEC)' },
  { id: 'high-risk-180', label: '180 days (high-risk materials)' },
];

/** Days of cover bands for the cell colours (a legend names them). */
const BANDS = [
  { max: 60, cls: 'cover-short', label: 'under 60 days' },
  { max: 180, cls: 'cover-mid', label: '60-180 days' },
  { max: Infinity, cls: 'cover-long', label: 'over 180 days' },
];
const bandOf = (days: number | null) => (days === null ? 'cover-none' : BANDS.find((b) => days < b.max)!.cls);

interface View {
  year: number;
  policy: string;
  material: string;
  focus: string;
}

function viewOf(route: Route): View {
  const y = Number(route.query.get('year'));
  return {
    year: YEARS.includes(y) ? y : 2035,
    policy: POLICIES.some((p) => p.id === route.query.get('policy')) ? route.query.get('policy')! : 'japan-60',
    material: route.query.get('material') ?? 'cobalt',
    focus: route.query.get('focus') ?? '',
  };
}

const go = (v: View, patch: Partial<View>) => {
  const n = { ...v, ...patch };
  navigate('/demand', { year: n.year, policy: n.policy, material: n.material, focus: n.focus || null }, true);
};

function CoverGrid({ rows, v }: { rows: CoverRow[]; v: View }) {
  const holders = [...new Map(rows.map((r) => [r.holder, r.holderName])).entries()];
  const materials = [...new Map(rows.map((r) => [r.materialId, r.material])).entries()];
  const cell = (h: string, m: string) => rows.find((r) => r.holder === h && r.materialId === m);
  return (
    <div className="table-wrap">
      <table data-testid="cover-grid">
        <caption className="visually-hidden">Days of stockpile cover by holder and mineral</caption>
        <thead>
          <tr>
            <th scope="col">Holder</th>
            {materials.map(([id, name]) => {
              const any = rows.find((r) => r.materialId === id)!;
              return (
                <th scope="col" key={id} className="num">
                  {name}
                  <span className="block small muted">
                    without {any.removed.join(', ')}: {pct(any.lostShare)} lost
                  </span>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {holders.map(([h, name]) => (
            <tr key={h}>
              <th scope="row">
                {name} <span className="muted small">{h}</span>
              </th>
              {materials.map(([m]) => {
                const r = cell(h, m);
                if (!r) return <td key={m} />;
                const selected = v.material === m && v.focus === h;
                return (
                  <td key={m} className={`num cover-cell ${bandOf(r.daysOfCover)}${selected ? ' selected' : ''}`}>
                    <button
                      type="button"
                      className="cell-btn"
                      aria-pressed={selected}
                      aria-label={`${name}, ${r.material}: ${r.daysOfCover === null ? 'nothing lost' : `${int(r.daysOfCover)} days of cover`}; details`}
                      onClick={() => go(v, { material: m, focus: h })}
                      data-testid={`cover-${h}-${m}`}
                    >
                      <strong>{r.daysOfCover === null ? 'nothing lost' : `${int(r.daysOfCover)} d`}</strong>
                      <span className="block small">
                        {r.holderConsumptionTonnes === null ? 'use: gap' : `${quantity(r.holderConsumptionTonnes, 't')}/yr`}
                        {r.consumptionAssumed ? ' *' : ''}
                      </span>
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CoverDetail({ r }: { r: CoverRow }) {
  return (
    <section className="panel" aria-labelledby="cover-detail" data-testid="cover-detail">
      <h2 id="cover-detail">
        {r.holderName}, {r.material} {r.year}: {r.daysOfCover === null ? 'nothing to cover' : `${int(r.daysOfCover)} days of cover`}
      </h2>
      <dl className="facts">
        <dt>Shock</dt>
        <dd>
          {r.stage} without {r.removed.join(', ')}: {pct(r.lostShare)} of supply lost to consumers after propagation
          {r.exhaustedMonth !== null ? `; the stockpile runs out in month ${r.exhaustedMonth}` : ''}
        </dd>
        <dt>Holder's use</dt>
        <dd data-testid="cover-consumption">
          {r.holderConsumptionTonnes === null
            ? 'gap (see below)'
            : `${quantity(r.holderConsumptionTonnes, 't')} a year (range ${quantity(r.holderConsumptionLow, 't')} – ${quantity(r.holderConsumptionHigh, 't')})`}
          {r.consumptionMethod ? `, ${r.consumptionMethod}` : ''}
          {r.consumptionAssumed ? ', partly assumed' : ''}
        </dd>
        <dt>Stockpile</dt>
        <dd>
          {r.stockpileDays} days of own use{r.stockpileTonnes !== null ? ` = ${quantity(r.stockpileTonnes, 't')}` : ''}
        </dd>
        <dt>World demand</dt>
        <dd>
          {quantity(r.demandTonnes, 't')}
          {r.demandScope ? ` (${r.demandScope})` : ''}
        </dd>
      </dl>
      {r.consumptionSource ? <p className="source">How the use is estimated: {r.consumptionSource}</p> : null}
      {r.note ? <p className="note">{r.note}</p> : null}
      {r.gaps.length ? (
        <ul className="small muted" data-testid="cover-gaps">
          {r.gaps.map((g) => (
            <li key={g}>{g}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** Each country's use of the mineral, central value with its range (a gap is listed under the chart, not drawn). */
function consumptionOption(rows: ConsumptionRow[]): EChartsOption {
  const known = rows.filter((r) => r.tonnes !== null && r.low !== null && r.high !== null).sort((a, b) => a.tonnes! - b.tonnes!);
  const t = (share: number | null, r: ConsumptionRow) => (share === null ? null : share * r.demandTonnes);
  return {
    grid: { left: 150, right: 40, top: 30, bottom: 40 },
    legend: { top: 0, data: ['range', 'central'] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: unknown) => {
        const i = (ps as Array<{ dataIndex: number }>)[0]?.dataIndex ?? 0;
        const r = known[i];
        return `${r.country}: ${quantity(r.tonnes, 't')} (${pct(r.share)} of demand; range ${quantity(t(r.low, r), 't')} – ${quantity(t(r.high, r), 't')})${r.assumed ? ', partly assumed' : ''}`;
      },
    },
    xAxis: { type: 'value', name: 'tonnes a year', nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'category', data: known.map((r) => `${r.country}${r.assumed ? ' *' : ''}`), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        stack: 'range',
        name: 'low',
        data: known.map((r) => t(r.low, r)),
        itemStyle: { color: 'transparent' },
        tooltip: { show: false },
        legendHoverLink: false,
      },
      {
        type: 'bar',
        stack: 'range',
        name: 'range',
        data: known.map((r) => (t(r.high, r) ?? 0) - (t(r.low, r) ?? 0)),
        itemStyle: { color: '#c6dbef' },
        barMaxWidth: 18,
      },
      { type: 'scatter', name: 'central', data: known.map((r) => r.tonnes), itemStyle: { color: '#1f5f8b' }, symbolSize: 10 },
    ],
  };
}

/** Each country's use of one mineral: the chart, the table and the way to choose the mineral (shown while loading too). */
function WhoConsumes({ v }: { v: View }) {
  const url = `api/demand${qs({ year: v.year, material: v.material })}`;
  const res = useApi<{ rows: ConsumptionRow[] }>(url);
  const name = MINERALS.find((m) => m.id === v.material)?.name ?? v.material;
  return (
    <section className="panel" aria-labelledby="who-consumes" data-testid="who-consumes">
      <div className="panel-head">
        <h2 id="who-consumes">
          Who consumes {name.toLowerCase()}, {v.year}
        </h2>
        <span className="page-actions">
          <label htmlFor="dem-material">Mineral</label>
          <select id="dem-material" className="narrow" value={v.material} onChange={(e) => go(v, { material: e.target.value })} data-testid="who-material">
            {MINERALS.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
          <Downloads url={url} label="the consumption table" />
        </span>
      </div>
      {res.state === 'ok' ? <UseByCountry rows={res.data.rows} name={name} /> : <Status res={res} what="consumption by country" />}
    </section>
  );
}

function UseByCountry({ rows: all, name }: { rows: ConsumptionRow[]; name: string }) {
  // Graphite lists the total and the battery-grade series: show the one the cover table uses (battery-grade).
  const scopes = [...new Set(all.map((r) => r.demandScope))];
  const scope = scopes.find((s) => (s ?? '').includes('battery-grade')) ?? scopes[0];
  // Largest use first; gaps last (listed, with their reason).
  const rows = all.filter((r) => r.demandScope === scope).sort((a, b) => (b.tonnes ?? -1) - (a.tonnes ?? -1));
  return (
    <>
      <p className="muted small">
        Share of world demand ({[rows[0]?.demandScenario ?? '—', scope].filter(Boolean).join(', ')}: {quantity(rows[0]?.demandTonnes, 't')}), central value and
        range; * partly assumed (a proxy such as the country's share of world manufacturing output stands in where no published figure was found).
      </p>
      <EChart
        option={consumptionOption(rows)}
        height={Math.max(220, 34 * rows.filter((r) => r.tonnes !== null).length + 70)}
        label={`Use of ${name} by country`}
        units="tonnes a year"
        source="IEA world demand; country keys and proxies as listed per row below"
      />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Country</th>
              <th scope="col" className="num">
                Share of demand
              </th>
              <th scope="col" className="num">
                Tonnes a year
              </th>
              <th scope="col">Range</th>
              <th scope="col">Method</th>
              <th scope="col">Source or gap</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.countryId} data-testid={`use-${r.countryId}`}>
                <th scope="row">{r.country}</th>
                <td className="num">{pct(r.share)}</td>
                <td className="num">{quantity(r.tonnes, 't')}</td>
                <td>{r.low === null ? '—' : `${pct(r.low)} – ${pct(r.high)}`}</td>
                <td>
                  {r.method ?? '—'}
                  {r.assumed ? ' (partly assumed)' : ''}
                  {r.estimate ? ', estimate' : ''}
                </td>
                <td className="small">
                  {r.gap ?? r.source}
                  {r.notes.map((n) => (
                    <div key={n} className="muted" data-testid="use-note">
                      {n}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function Demand({ route }: { route: Route }) {
  const v = viewOf(route);
  const url = `api/demand/cover${qs({ year: v.year, stockpilePolicy: v.policy })}`;
  const res = useApi<{ rows: CoverRow[] }>(url);
  const focus = res.state === 'ok' ? res.data.rows.find((r) => r.holder === v.focus && r.materialId === v.material) : undefined;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Demand and stockpile cover</h1>
          <p className="lede">
            If the largest refiner of each IEA mineral stops exporting, how long does a stockpile of {v.policy === 'japan-60' ? 60 : 180} days of a holder's own
            use last? The holder loses in proportion to its use; what is lost spreads over every consumer, so a stockpile counted in days of one's own use lasts
            the same number of days for every holder of a mineral (days × affected use ÷ supply lost): the holders differ in the tonnes it takes. Each use
            figure carries its method and source; where no published country figure exists a stated proxy is used and marked *.
          </p>
        </div>
        <Downloads url={url} label="the stockpile cover table" />
      </div>
      <div className="controls">
        <label htmlFor="dem-year">Year</label>
        <select id="dem-year" className="narrow" value={v.year} onChange={(e: ChangeEvent<HTMLSelectElement>) => go(v, { year: Number(e.target.value) })}>
          {YEARS.map((y) => (
            <option key={y}>{y}</option>
          ))}
        </select>
        <label htmlFor="dem-policy">Stockpile</label>
        <select id="dem-policy" className="narrow" value={v.policy} onChange={(e) => go(v, { policy: e.target.value })}>
          {POLICIES.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      {res.state !== 'ok' ? (
        <Status res={res} what="stockpile cover" />
      ) : (
        <>
          <CoverGrid rows={res.data.rows} v={v} />
          <div className="legend" aria-hidden="true">
            <span className="legend-title">Days of cover</span>
            {BANDS.map((b) => (
              <span key={b.cls} className="legend-item">
                <span className={`swatch ${b.cls}`} /> {b.label}
              </span>
            ))}
            <span className="legend-item">
              <span className="swatch cover-none" /> nothing lost
            </span>
            <span>* use partly assumed</span>
          </div>
          {focus ? <CoverDetail r={focus} /> : <p className="muted small">Choose a cell for the shock, the holder's use and its sources.</p>}
        </>
      )}
      <WhoConsumes v={v} />
    </>
  );
}
