/** Share of supply inside a grouping: the chart, the table and the result panel (GET /api/coalition/share). */
import { useMemo } from 'react';
import { href, navigate, type Route } from '../../router.ts';
import { pct, stageLabel } from '../../format.ts';
import { ShortSourceLink, SourceLine } from '../../components/SourceLine.tsx';
import { mergeCitations } from '../../../../src/model/provenance.ts';
import { SortableTable, type Column, type SortDir } from '../../components/SortableTable.tsx';
import { EChart, type EChartsOption } from '../../components/EChart.tsx';
import type { CoalitionShareRow, ResolvedCoalition } from '../../../../src/engine/coalition/index.ts';
import { PART_COLOUR, uniq, who, yearLabel } from './shared.tsx';

export function shareOption(rows: CoalitionShareRow[]): EChartsOption {
  const mats = uniq(rows.map((r) => r.materialId));
  const names = new Map(rows.map((r) => [r.materialId, r.material]));
  const years = uniq(rows.map((r) => String(r.year))).sort();
  const at = (m: string, y: string) => rows.find((r) => r.materialId === m && String(r.year) === y);
  const series = years.flatMap((y) =>
    (['inside', 'unallocated', 'outside'] as const).map((part) => ({
      name: part,
      type: 'bar',
      stack: `y${y}`,
      barMaxWidth: 16,
      itemStyle: { color: PART_COLOUR[part] },
      data: mats.map((m) => {
        const r = at(m, y);
        return r ? (part === 'inside' ? r.insideShare : part === 'outside' ? r.outsideShare : r.unallocatedShare) : null;
      }),
      label:
        part === 'outside'
          ? {
              show: true,
              position: 'right',
              color: '#3d444c',
              fontSize: 11,
              formatter: (p: { dataIndex: number }) => {
                const r = at(mats[p.dataIndex], y);
                return r ? yearLabel(r.year, r.scenario) : '';
              },
            }
          : part === 'inside'
            ? { show: true, position: 'insideLeft', color: '#fff', fontSize: 11, formatter: (p: { value: number }) => (p.value >= 0.06 ? pct(p.value) : '') }
            : undefined,
    })),
  );
  return {
    grid: { left: 110, right: 70, top: 30, bottom: 30 },
    legend: { top: 0, data: ['inside', 'unallocated', 'outside'] },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (ps: Array<{ dataIndex: number }>) => {
        const m = mats[ps[0]?.dataIndex ?? 0];
        return [
          `<b>${names.get(m)}</b>`,
          ...years
            .map((y) => at(m, y))
            .filter((r): r is CoalitionShareRow => !!r)
            .map(
              (r) =>
                `${yearLabel(r.year, r.scenario)}: inside ${pct(r.insideShare)} (up to ${pct(r.insideShareRange[1])}), unallocated ${pct(r.unallocatedShare)}, outside ${pct(r.outsideShare)}`,
            ),
        ].join('<br/>');
      },
    },
    xAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%` } },
    yAxis: { type: 'category', inverse: true, data: mats.map((m) => names.get(m)), axisLabel: { width: 100, overflow: 'truncate' } },
    series,
  };
}

export function shareColumns(): Column<CoalitionShareRow>[] {
  return [
    {
      key: 'material',
      label: 'material',
      header: 'Material',
      rowHeader: true,
      sortValue: (r) => r.material,
      render: (r) => <a href={href(`/material/${r.materialId}`, { stage: r.stage, year: r.year })}>{r.material}</a>,
    },
    { key: 'year', label: 'year', header: 'Year', numeric: true, sortValue: (r) => r.year, render: (r) => yearLabel(r.year, r.scenario) },
    { key: 'inside', label: 'inside share', header: 'Inside', numeric: true, sortValue: (r) => r.insideShare, render: (r) => pct(r.insideShare) },
    {
      key: 'range',
      label: 'inside share range',
      header: 'Inside at most',
      numeric: true,
      sortValue: (r) => r.insideShareRange[1],
      render: (r) => (
        <span
          title={`The true inside share lies between ${pct(r.insideShareRange[0])} and ${pct(r.insideShareRange[1])}: the unallocated residual may hold members`}
        >
          {pct(r.insideShareRange[1])}
        </span>
      ),
    },
    { key: 'outside', label: 'outside share', header: 'Outside', numeric: true, sortValue: (r) => r.outsideShare, render: (r) => pct(r.outsideShare) },
    {
      key: 'unallocated',
      label: 'unallocated share',
      header: 'Unallocated',
      numeric: true,
      sortValue: (r) => r.unallocatedShare,
      render: (r) => pct(r.unallocatedShare),
    },
    {
      key: 'members',
      label: 'members present',
      header: 'Members present',
      render: (r) => (
        <>
          {r.membersPresent.length ? r.membersPresent.map((m) => `${m.countryId} ${pct(m.share)}`).join(', ') : '—'}
          {r.membersWithheld.length ? <span className="muted small"> (withheld: {r.membersWithheld.join(', ')})</span> : null}
        </>
      ),
    },
    {
      key: 'largestOutside',
      label: 'largest outside supplier',
      header: 'Largest outside',
      numeric: true,
      sortValue: (r) => r.largestOutside?.share ?? null,
      render: (r) => who(r.largestOutside),
    },
    {
      key: 'source',
      label: 'source',
      header: 'Source',
      sortValue: (r) => r.source.sourceId,
      render: (r) => (
        <span className="small">
          <ShortSourceLink source={r.source} /> ({r.dataset})
        </span>
      ),
    },
  ];
}

export function ShareResult({
  res,
  route,
  csvUrl,
}: {
  res: { coalition: ResolvedCoalition; rows: CoalitionShareRow[]; missing: Array<{ materialId: string; year: number }> };
  route: Route;
  csvUrl: string;
}) {
  const { coalition, rows } = res;
  const option = useMemo(() => shareOption(rows), [rows]);
  const columns = useMemo(shareColumns, []);
  const sortKey = route.query.get('sort');
  const dir = (route.query.get('dir') === 'desc' ? 'desc' : 'asc') as SortDir;
  const mats = uniq(rows.map((r) => r.materialId));
  const notes = uniq([...coalition.notes, ...rows.flatMap((r) => r.notes)]);
  const gaps = rows.flatMap((r) => r.gaps.map((g) => `${r.material} ${yearLabel(r.year, r.scenario)}: ${g}`));
  const sources = [...rows.map((r) => r.source), ...coalition.sources];
  const setSort = (key: string, d: SortDir) => navigate('/coalitions', { ...Object.fromEntries(route.query.entries()), sort: key, dir: d }, true);
  return (
    <>
      <h2 id="co-share-title">
        {coalition.label}: share of {stageLabel(rows[0]?.stage ?? 'refining').toLowerCase()} supply
      </h2>
      <p className="muted small" data-testid="coalition-members">
        Members counted ({coalition.members.length}): {coalition.members.join(', ')}
        {coalition.groups.length ? ` — ${coalition.groups.map((g) => `${g.groupName}${g.asOf ? `, as of ${g.asOf}` : ''}`).join('; ')}` : ''}.
      </p>
      <section className="panel" aria-labelledby="co-chart-title" data-testid="share-chart-panel">
        <h3 id="co-chart-title">Inside, unallocated and outside, by material and year</h3>
        <EChart
          option={option}
          height={70 + mats.length * (uniq(rows.map((r) => String(r.year))).length * 20 + 14)}
          label={`Share of ${rows[0]?.stage ?? ''} supply inside ${coalition.id}, per material and year, stacked with the unallocated and outside shares; the same numbers are in the table below`}
          testId="share-chart"
        />
        <p className="muted small">
          Each bar is one year (labelled at its end): inside (members), unallocated (not attributed to a named country — may hold members), outside. The inside
          share lies between the dark bar and the dark plus grey bars.
        </p>
        <SourceLine sources={mergeCitations(sources)} />
      </section>
      <section className="panel" aria-labelledby="co-table-title" data-testid="share-table-panel">
        <div className="panel-head">
          <h3 id="co-table-title">Coalition share table</h3>
          <a className="btn small" href={csvUrl} download aria-label="Download the coalition share table as CSV">
            CSV
          </a>
        </div>
        <SortableTable<CoalitionShareRow>
          testId="share-table"
          caption={`${coalition.id} share of ${rows[0]?.stage ?? ''} supply by material and year (${rows.length} rows)`}
          columns={columns}
          rows={rows}
          rowKey={(r) => `${r.materialId}-${r.year}`}
          sort={sortKey ? { key: sortKey, dir } : undefined}
          onSort={setSort}
        />
        {res.missing.length ? <p className="muted small">No data for: {res.missing.map((m) => `${m.materialId} ${m.year}`).join(', ')}.</p> : null}
        <SourceLine sources={mergeCitations(sources)} />
      </section>
      {notes.length || gaps.length ? (
        <section className="panel" aria-labelledby="co-notes-title" data-testid="share-notes-panel">
          <h3 id="co-notes-title">Notes and gaps</h3>
          <ul>
            {notes.map((n, i) => (
              <li key={`n${i}`}>{n}</li>
            ))}
            {gaps.map((g, i) => (
              <li key={`g${i}`} className="gap">
                Gap: {g}
              </li>
            ))}
          </ul>
          <SourceLine sources={mergeCitations(sources)} />
        </section>
      ) : null}
    </>
  );
}
