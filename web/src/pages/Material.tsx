import { useMemo } from 'react';
import { useApi, qs, type MaterialProfile, type MaterialFlows, type ConcentrationRow } from '../api.ts';
import { href, navigate, type Route } from '../router.ts';
import { pct, int, quantity, stageLabel } from '../format.ts';
import { Status } from '../components/Status.tsx';
import { SourceLine } from '../components/SourceLine.tsx';
import { Downloads } from '../components/Downloads.tsx';
import { Choropleth } from '../components/Choropleth.tsx';
import { Sankey } from '../components/Sankey.tsx';
import { EChart, type EChartsOption } from '../components/EChart.tsx';
import { TrendArrow } from './Overview.tsx';
import { IeaOutlook } from './material/Outlook.tsx';
import { Term } from '../components/Term.tsx';

const MAP_STAGES = ['mining', 'refining', 'reserves'] as const;
const STAGE_COLOR: Record<string, string> = { mining: '#8c510a', refining: '#1f5f8b', reserves: '#5e3c99' };

function barOption(r: ConcentrationRow, n = 10): EChartsOption {
  const top = r.shares.slice(0, n).reverse();
  return {
    grid: { left: 130, right: 70, top: 10, bottom: 30 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => pct(Number(v)) },
    xAxis: {
      type: 'value',
      max: (v: { max: number }) => Math.min(1, Math.ceil(v.max * 5) / 5),
      axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` },
    },
    yAxis: { type: 'category', data: top.map((s) => s.country), axisLabel: { width: 120, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        name: 'share of world',
        data: top.map((s) => s.share),
        itemStyle: { color: STAGE_COLOR[r.stage] ?? '#1f5f8b' },
        label: { show: true, position: 'right', formatter: (p: { value: number }) => pct(p.value) },
        barMaxWidth: 22,
      },
    ],
  };
}

function trendOption(p: MaterialProfile): EChartsOption {
  const stages = p.stages.filter((s) => s.stage !== 'reserves' && s.trend.length);
  const years = [...new Set(stages.flatMap((s) => s.trend.map((r) => r.year)))].sort((a, b) => a - b);
  const projYears = [...new Set(stages.flatMap((s) => s.trend.filter((r) => r.scenario !== null).map((r) => r.year)))].sort((a, b) => a - b);
  const series = stages.flatMap((s) => {
    const at = (y: number) => s.trend.find((r) => r.year === y);
    const pt = (y: number, v: number | undefined, proj: boolean) => (v === undefined ? null : { value: v, symbol: proj ? 'emptyCircle' : 'circle' });
    return [
      {
        name: `${stageLabel(s.stage)} top-3 share`,
        type: 'line',
        yAxisIndex: 0,
        connectNulls: true,
        symbolSize: 7,
        itemStyle: { color: STAGE_COLOR[s.stage] },
        data: years.map((y) => pt(y, at(y)?.top3Share, at(y)?.scenario !== null)),
        ...(s.stage === stages[0].stage && projYears.length
          ? {
              markArea: {
                silent: true,
                itemStyle: { color: 'rgba(120,120,120,0.08)' },
                label: { show: true, position: 'insideBottom', color: '#555', formatter: 'IEA projection' },
                data: [[{ xAxis: String(projYears[0]) }, { xAxis: String(projYears[projYears.length - 1]) }]],
              },
            }
          : {}),
      },
      {
        name: `${stageLabel(s.stage)} HHI`,
        type: 'line',
        yAxisIndex: 1,
        connectNulls: true,
        symbolSize: 6,
        lineStyle: { type: 'dashed' },
        itemStyle: { color: STAGE_COLOR[s.stage] },
        data: years.map((y) => pt(y, at(y)?.hhiPoints, at(y)?.scenario !== null)),
      },
    ];
  });
  return {
    grid: { left: 55, right: 60, top: 40, bottom: 30 },
    legend: { top: 0, type: 'scroll', itemGap: 18 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: years.map(String), boundaryGap: false },
    yAxis: [
      { type: 'value', min: 0, max: 1, name: 'top-3 share', axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
      { type: 'value', min: 0, max: 10000, name: 'HHI', splitLine: { show: false } },
    ],
    series,
  };
}

type PriceSeries = MaterialProfile['prices'][number];

/** Price history: one line per series in its own unit (a second axis when two units meet), revisions as hollow points. */
function priceOption(series: PriceSeries[]): EChartsOption {
  const years = [...new Set(series.flatMap((s) => s.years.map((y) => y.year)))].sort((a, b) => a - b);
  const units = [...new Set(series.map((s) => s.unit))].slice(0, 2);
  const shown = series.filter((s) => units.includes(s.unit));
  return {
    grid: { left: 70, right: units.length > 1 ? 70 : 20, top: 40, bottom: 30 },
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: years.map(String), boundaryGap: false },
    yAxis: units.map((u, i) => ({ type: 'value' as const, name: u, position: i === 0 ? ('left' as const) : ('right' as const), splitLine: { show: i === 0 } })),
    series: shown.flatMap((s) => {
      const at = (y: number) => s.years.find((x) => x.year === y);
      const name = `${s.series === 'average' ? 'price' : s.series} (${s.unit})`;
      return [
        {
          name,
          type: 'line' as const,
          yAxisIndex: units.indexOf(s.unit),
          connectNulls: false,
          symbolSize: 7,
          data: years.map((y) => at(y)?.value ?? null),
        },
        {
          name: `${name}, earlier editions`,
          type: 'scatter' as const,
          yAxisIndex: units.indexOf(s.unit),
          symbol: 'emptyCircle',
          symbolSize: 7,
          data: s.years.flatMap((y) => y.revisions.filter((r) => r.value !== null).map((r) => [String(y.year), r.value as number])),
        },
      ];
    }),
  };
}

export function Material({ id, route }: { id: string; route: Route }) {
  const res = useApi<MaterialProfile>(`api/materials/${encodeURIComponent(id)}`);
  const stageQ = route.query.get('stage');
  const yearQ = route.query.get('year') ? Number(route.query.get('year')) : null;
  const flowYearQ = route.query.get('flowYear') ? Number(route.query.get('flowYear')) : null;
  const flowsRes = useApi<MaterialFlows>(res.state === 'ok' ? `api/materials/${encodeURIComponent(id)}/flows${qs({ year: flowYearQ })}` : null);
  const p = res.state === 'ok' ? res.data : null;

  const available = p ? MAP_STAGES.filter((s) => p.stages.find((x) => x.stage === s)?.trend.length) : [];
  const stage = (stageQ && (available as string[]).includes(stageQ) ? stageQ : available[0]) as (typeof MAP_STAGES)[number] | undefined;
  const st = p?.stages.find((s) => s.stage === stage);
  const row = st ? ((yearQ ? st.trend.find((r) => r.year === yearQ) : null) ?? st.latest) : null;
  const trendOpt = useMemo(() => (p ? trendOption(p) : null), [p]);
  const barOpt = useMemo(() => (row ? barOption(row) : null), [row]);
  const reserves = p?.stages.find((s) => s.stage === 'reserves')?.latest ?? null;
  const reservesOpt = useMemo(() => (reserves ? barOption(reserves, 8) : null), [reserves]);
  const priceOpt = useMemo(() => (p && p.prices.length ? priceOption(p.prices) : null), [p]);

  if (res.state !== 'ok') return <Status res={res} what={`material "${id}"`} />;
  const set = (patch: Record<string, string | number | null>) =>
    navigate(`/material/${p!.materialId}`, { ...Object.fromEntries(route.query.entries()), ...patch }, true);
  const trendStages = p!.stages.filter((s) => s.stage !== 'reserves' && s.trend.length);

  return (
    <article aria-labelledby="mat-title" className="material">
      <nav aria-label="Breadcrumb" className="crumbs">
        <a href={href('/')}>All materials</a> / <span aria-current="page">{p!.name}</span>
      </nav>
      <div className="page-head">
        <div>
          <h1 id="mat-title">{p!.name}</h1>
          {p!.aliases.length > 0 && <p className="muted">Also published as: {p!.aliases.join(', ')}</p>}
        </div>
        <div className="page-actions" role="group" aria-label="Export">
          <a className="btn" href={`api/report/${p!.materialId}?format=md`} download>
            Briefing (Markdown)
          </a>
          <a className="btn" href={`api/report/${p!.materialId}?format=pdf`} download>
            Briefing (PDF)
          </a>
          <a className="btn" href={`api/export?table=material&material=${p!.materialId}&format=xlsx`} download>
            All tables (XLSX)
          </a>
          <a className="btn" href={href('/stress', { material: p!.materialId })}>
            Stress test…
          </a>
        </div>
      </div>

      <section aria-labelledby="kpi-title">
        <h2 id="kpi-title" className="visually-hidden">
          Key figures
        </h2>
        <div className="kpis">
          {p!.stages
            .filter((s) => s.latest)
            .map((s) => {
              const r = s.latest!;
              return (
                <div className="kpi" key={s.stage} data-testid={`kpi-${s.stage}`}>
                  <h3>
                    {stageLabel(s.stage)} {r.year}
                    {r.estimated ? 'e' : ''}
                  </h3>
                  <dl>
                    <div>
                      <dt>
                        <Term id="hhi">HHI</Term>
                      </dt>
                      <dd data-testid={`kpi-${s.stage}-hhi`}>{int(r.hhiPoints)}</dd>
                    </div>
                    <div>
                      <dt>
                        <Term id="top3">Top-3</Term>
                      </dt>
                      <dd data-testid={`kpi-${s.stage}-top3`}>{pct(r.top3Share)}</dd>
                    </div>
                    <div>
                      <dt>Largest</dt>
                      <dd data-testid={`kpi-${s.stage}-largest`}>{r.largest ? `${r.largest.country} ${pct(r.largest.share)}` : '—'}</dd>
                    </div>
                    <div>
                      <dt>China</dt>
                      <dd data-testid={`kpi-${s.stage}-china`}>{pct(r.chinaShare)}</dd>
                    </div>
                    <div>
                      <dt>World</dt>
                      <dd>{quantity(r.total, r.unit)}</dd>
                    </div>
                    <div>
                      <dt>Trend</dt>
                      <dd>
                        <TrendArrow change={r.previous ? Math.round(r.previous.hhiChange * 10000) : null} prevYear={r.previous?.year ?? null} />
                      </dd>
                    </div>
                  </dl>
                  <SourceLine sources={[r.source]} />
                </div>
              );
            })}
        </div>
      </section>

      {row && stage && (
        <section aria-labelledby="map-title" className="panel">
          <div className="panel-head">
            <h2 id="map-title">
              Where {p!.name} is {stage === 'reserves' ? 'held in reserves' : stage === 'mining' ? 'mined' : 'refined'}, {row.year}
              {row.scenario ? ` (${row.scenario === 'base' ? 'IEA projection' : row.scenario})` : ''}
            </h2>
            <div className="controls" role="group" aria-label="Stage and year">
              <span className="seg" role="group" aria-label="Stage">
                {available.map((s) => (
                  <button key={s} type="button" aria-pressed={s === stage} onClick={() => set({ stage: s, year: null })}>
                    {stageLabel(s)}
                  </button>
                ))}
              </span>
              <label htmlFor="year-select">Year</label>
              <select id="year-select" value={row.year} onChange={(e) => set({ year: Number(e.target.value) })}>
                {st!.trend.map((r) => (
                  <option key={r.year} value={r.year}>
                    {r.year}
                    {r.scenario ? ' (projection)' : ''}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="grid-2">
            <Choropleth shares={row.shares} title={`${p!.name} ${stage} share of world by country, ${row.year}`} testId="choropleth" />
            <div>
              <h3>Top producers</h3>
              {barOpt && (
                <EChart
                  option={barOpt}
                  label={`${p!.name} ${stage} ${row.year}: top producers by share of world`}
                  height={Math.max(200, Math.min(10, row.shares.length) * 30 + 40)}
                  testId="producers-chart"
                />
              )}
            </div>
          </div>
          <div className="table-head">
            <h3 id="shares-title">Shares by country</h3>
            <Downloads params={{ table: 'shares', material: p!.materialId, stage, year: row.year }} label={`${p!.name} ${stage} shares`} />
          </div>
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="shares-title">
            <table data-testid="shares-table">
              <caption>
                {p!.name}: {stage === 'reserves' ? 'reserves' : `${stage} output`} by country, {row.year} — {row.unit}, {row.basis.replace('_', ' ')}; HHI{' '}
                {int(row.hhiPoints)}, top-3 {pct(row.top3Share)}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Country</th>
                  <th scope="col" className="num">
                    {stage === 'reserves' ? 'Reserves' : 'Output'}
                  </th>
                  <th scope="col" className="num">
                    Share of world
                  </th>
                </tr>
              </thead>
              <tbody>
                {row.shares.map((s) => (
                  <tr key={s.countryId} data-country={s.countryId}>
                    <th scope="row">
                      {s.country}
                      {s.estimated ? <abbr title="estimated"> e</abbr> : null}
                    </th>
                    <td className="num">
                      {s.bound === 'lower' ? '> ' : s.bound === 'upper' ? '< ' : ''}
                      {quantity(s.value, row.unit)}
                    </td>
                    <td className="num" data-col="share">
                      {pct(s.share)}
                    </td>
                  </tr>
                ))}
                {row.unallocatedShare > 0.0005 && (
                  <tr className="muted">
                    <th scope="row">Other countries (not attributed)</th>
                    <td className="num">{quantity(row.total * row.unallocatedShare, row.unit)}</td>
                    <td className="num">{pct(row.unallocatedShare)}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          {row.gaps.length > 0 && (
            <p className="note">
              Withheld or not available (counted nowhere): {row.gaps.map((g) => `${g.country} (${g.status.replace('_', ' ')})`).join(', ')}.
            </p>
          )}
          <SourceLine sources={[row.source]} />
        </section>
      )}

      {reserves && reservesOpt && stage !== 'reserves' && (
        <section aria-labelledby="reserves-title" className="panel">
          <h2 id="reserves-title">Reserves, {reserves.year}</h2>
          <p className="muted">
            World reserves {quantity(reserves.total, reserves.unit)} ({reserves.basis.replace('_', ' ')}); top-3 hold {pct(reserves.top3Share)}
            {reserves.largest ? `, ${reserves.largest.country} alone ${pct(reserves.largest.share)}` : ''}.
          </p>
          <EChart
            option={reservesOpt}
            label={`${p!.name} reserves by country, ${reserves.year}`}
            height={Math.min(8, reserves.shares.length) * 30 + 40}
            testId="reserves-chart"
          />
          <SourceLine sources={[reserves.source]} />
        </section>
      )}

      {trendOpt && trendStages.length > 0 && (
        <section aria-labelledby="trend-title" className="panel">
          <div className="table-head">
            <h2 id="trend-title">Concentration over time</h2>
            <Downloads params={{ table: 'trend', material: p!.materialId }} label={`${p!.name} trend`} />
          </div>
          <EChart option={trendOpt} label={`${p!.name}: top-3 share and HHI by year, mining and refining`} height={320} testId="trend-chart" />
          <details>
            <summary>Trend as a table</summary>
            <div className="table-wrap" tabIndex={0} role="region" aria-label="trend table">
              <table>
                <caption>{p!.name}: HHI and top-3 share by year (hollow points in the chart are projections)</caption>
                <thead>
                  <tr>
                    <th scope="col">Stage</th>
                    <th scope="col">Year</th>
                    <th scope="col">Scenario</th>
                    <th scope="col" className="num">
                      HHI
                    </th>
                    <th scope="col" className="num">
                      Top-3
                    </th>
                    <th scope="col" className="num">
                      China
                    </th>
                    <th scope="col">Source</th>
                  </tr>
                </thead>
                <tbody>
                  {trendStages.flatMap((s) =>
                    s.trend.map((r) => (
                      <tr key={`${s.stage}-${r.year}`}>
                        <th scope="row">{stageLabel(s.stage)}</th>
                        <td>{r.year}</td>
                        <td>{r.scenario ?? 'historical'}</td>
                        <td className="num">{int(r.hhiPoints)}</td>
                        <td className="num">{pct(r.top3Share)}</td>
                        <td className="num">{pct(r.chinaShare)}</td>
                        <td>{r.source.edition}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          </details>
          <SourceLine sources={trendStages.flatMap((s) => s.trend.map((r) => r.source))} />
        </section>
      )}

      <IeaOutlook p={p!} scenario={route.query.get('scenario')} onScenario={(s) => set({ scenario: s })} />

      <section aria-labelledby="flows-title" className="panel">
        <div className="panel-head">
          <h2 id="flows-title">Mine → refinery → end use{flowsRes.state === 'ok' ? `, ${flowsRes.data.year}` : ''}</h2>
          {flowsRes.state === 'ok' && flowsRes.data.yearsWithBothStages.length > 1 && (
            <div className="controls">
              <label htmlFor="flow-year">Year</label>
              <select id="flow-year" value={flowsRes.data.year} onChange={(e) => set({ flowYear: Number(e.target.value) })}>
                {flowsRes.data.yearsWithBothStages.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
        {flowsRes.state === 'error' ? (
          <p className="note">No Sankey: the knowledge base has no year with both mining and refining by country for {p!.name}.</p>
        ) : flowsRes.state === 'loading' ? (
          <p role="status">Loading flows…</p>
        ) : (
          <>
            <Sankey flows={flowsRes.data} testId="sankey" />
            <p className="note">
              <strong>Allocation assumption:</strong> no bilateral ore-flow data is used — refiners draw on world mine supply pro rata to their output, after
              their own country's ore. {flowsRes.data.assumptions.join(' ')}
            </p>
            <SourceLine sources={flowsRes.data.sources} />
          </>
        )}
      </section>

      {priceOpt && (
        <section aria-labelledby="price-title" className="panel" data-testid="price-panel">
          <h2 id="price-title">Price history</h2>
          <EChart
            option={priceOpt}
            label={`${p!.name}: annual prices by series, newest edition per year; hollow points are earlier editions' figures`}
            height={300}
            testId="price-chart"
          />
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="price-title">
            <table data-testid="price-table">
              <caption>
                {p!.name}: annual prices (newest edition per year), year-on-year change and {3}-year rolling range ((max − min) / min)
              </caption>
              <thead>
                <tr>
                  <th scope="col">Series</th>
                  <th scope="col">Year</th>
                  <th scope="col" className="num">
                    Price
                  </th>
                  <th scope="col" className="num">
                    USD/t
                  </th>
                  <th scope="col" className="num">
                    Year on year
                  </th>
                  <th scope="col" className="num">
                    3-year range
                  </th>
                  <th scope="col">Edition</th>
                  <th scope="col">Earlier editions</th>
                </tr>
              </thead>
              <tbody>
                {p!.prices.flatMap((s) =>
                  s.years.map((y) => (
                    <tr key={`${s.series}-${s.unit}-${y.year}`}>
                      <th scope="row">
                        {s.series === 'average' ? 'price' : s.series} ({s.unit}
                        {s.market ? `, ${s.market}` : ''})
                      </th>
                      <td>
                        {y.year}
                        {y.estimated ? 'e' : ''}
                      </td>
                      <td className="num">
                        {y.value !== null ? y.value.toLocaleString('en-US') : y.low !== null ? `${y.low}–${y.high}` : y.status.replace('_', ' ')}
                      </td>
                      <td className="num">{y.usdPerTonne === null ? '' : int(y.usdPerTonne)}</td>
                      <td className="num">{y.yoy === null ? '' : `${y.yoy >= 0 ? '+' : ''}${Math.round(y.yoy * 100)}%`}</td>
                      <td className="num">{y.rollingRange === null ? '' : `${Math.round(y.rollingRange * 100)}%`}</td>
                      <td>MCS{y.edition}</td>
                      <td>{y.revisions.map((r) => `MCS${r.edition}: ${r.value ?? 'n/a'}`).join(', ')}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
          <p className="note">
            Basis: {p!.prices.map((s) => s.basis).join('; ')}. Prices are nominal US dollars of each year; the latest year of an edition is a USGS estimate
            (marked e).
          </p>
          <p className="source" data-testid="source-line">
            Sources:{' '}
            {[...new Map(p!.prices.flatMap((s) => s.sources).map((x) => [x.id, x])).values()].map((x, i) => (
              <span key={x.id}>
                {i > 0 && '; '}
                {x.url ? (
                  <a href={x.url} target="_blank" rel="noreferrer">
                    {x.publisher}, {x.title}
                    {x.table ? `, ${x.table}` : ''}
                  </a>
                ) : (
                  `${x.publisher}, ${x.title}`
                )}
              </span>
            ))}
          </p>
        </section>
      )}

      {p!.netImportReliance.length > 0 && (
        <section aria-labelledby="nir-title" className="panel">
          <h2 id="nir-title">Net import reliance</h2>
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="nir-title">
            <table>
              <caption>{p!.name}: net import reliance as a share of apparent consumption</caption>
              <thead>
                <tr>
                  <th scope="col">Country</th>
                  <th scope="col">Year</th>
                  <th scope="col" className="num">
                    Net import reliance
                  </th>
                </tr>
              </thead>
              <tbody>
                {p!.netImportReliance.map((n) => (
                  <tr key={`${n.countryId}-${n.year}`}>
                    <th scope="row">{n.countryId}</th>
                    <td>{n.year}</td>
                    <td className="num">
                      {n.percent === null
                        ? n.status.replace('_', ' ')
                        : `${n.status === 'lower_bound' ? '> ' : n.status === 'upper_bound' ? '< ' : ''}${n.percent}%`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <SourceLine sources={p!.netImportReliance.map((n) => n.source)} />
        </section>
      )}

      {p!.gaps.length > 0 && (
        <section aria-labelledby="gaps-title" className="panel">
          <h2 id="gaps-title">Not in the knowledge base</h2>
          <ul>
            {p!.gaps.map((g) => (
              <li key={g}>{g}</li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="src-title" className="panel sources">
        <h2 id="src-title">Sources</h2>
        <ol data-testid="material-sources">
          {p!.sources.map((s) => (
            <li key={s.sourceId}>
              {s.url ? (
                <a href={s.url} target="_blank" rel="noreferrer">
                  {s.text}
                </a>
              ) : (
                s.text
              )}{' '}
              <span className="muted">(licence: {s.licence})</span>
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
