/**
 * Concentration tables: the overview (mining and refining side by side per material), a cell's country shares, the
 * trend of a material's stages, a material's page of tables, and the concentration CSV the CLI and API both print.
 */
import { toCsv } from '../../ingest/csv.ts';
import type { Stage } from '../../model/schema.ts';
import { concentrationSweep, type ConcentrationRow } from '../../engine/concentration-report.ts';
import { cite } from '../../model/provenance.ts';
import type { DatasetIndex } from '../../engine/dataset.ts';
import { materialProfile } from '../../engine/profile.ts';
import { revisionText } from '../../engine/nir.ts';

import { flatTable, uniqueSources, type Cell, type DataTable, type Field, type TableColumn } from './define.ts';
import type { SeriesPanelRow } from '../../engine/series-panel.ts';

/** Overview: one row per material, mining and refining side by side (latest historical year of each). */
export function overviewTable(index: DatasetIndex, opts: { year?: number; dataset?: string } = {}): DataTable {
  const years = opts.year ? [opts.year] : 'latest';
  const mining = new Map(concentrationSweep(index, { stages: ['mining'], years, dataset: opts.dataset }).map((r) => [r.materialId, r]));
  const refining = new Map(concentrationSweep(index, { stages: ['refining'], years, dataset: opts.dataset }).map((r) => [r.materialId, r]));
  const ids = [...new Set([...mining.keys(), ...refining.keys()])];
  const part = (p: string, r: ConcentrationRow | undefined): Record<string, Cell> => ({
    [`${p}Year`]: r?.year ?? null,
    [`${p}Hhi`]: r?.hhiPoints ?? null,
    [`${p}HhiChange`]: r?.previous ? Math.round(r.previous.hhiChange * 10_000) : null,
    [`${p}PrevYear`]: r?.previous?.year ?? null,
    [`${p}Top3`]: r?.top3Share ?? null,
    [`${p}Largest`]: r?.largest ? r.largest.country : null,
    [`${p}LargestShare`]: r?.largest?.share ?? null,
    [`${p}China`]: r?.chinaShare ?? null,
    [`${p}Source`]: r?.source.text ?? null,
    [`${p}SourceId`]: r?.source.sourceId ?? null,
  });
  const rows = ids
    .map((id) => {
      const m = mining.get(id);
      const r = refining.get(id);
      return { materialId: id, material: (m ?? r)!.material, ...part('mining', m), ...part('refining', r) };
    })
    .sort((a, b) => String(a.material).localeCompare(String(b.material)));
  const cols = (p: string, label: string): TableColumn[] => [
    { key: `${p}Year`, header: `${label} year`, kind: 'number' },
    { key: `${p}Hhi`, header: `${label} HHI (0-10,000)`, kind: 'hhi' },
    { key: `${p}HhiChange`, header: `${label} HHI change vs previous year`, kind: 'number' },
    { key: `${p}Top3`, header: `${label} top-3 share`, kind: 'share' },
    { key: `${p}Largest`, header: `${label} largest supplier` },
    { key: `${p}LargestShare`, header: `${label} largest supplier share`, kind: 'share' },
    { key: `${p}China`, header: `${label} China share`, kind: 'share' },
    { key: `${p}Source`, header: `${label} source` },
  ];
  return {
    id: 'concentration-overview',
    title: 'Supply concentration by material: mining and refining',
    columns: [
      { key: 'materialId', header: 'material id' },
      { key: 'material', header: 'material' },
      ...cols('mining', 'Mining'),
      ...cols('refining', 'Refining'),
    ],
    rows,
    // One entry per source (publisher, edition, table), not per material.
    sources: uniqueSources([...mining.values(), ...refining.values()].map((r) => r.source)).map((c) => cite(index.source(c.sourceId))),
    notes: ['HHI on the 0-10,000 scale; shares are fractions of the world total; aggregates ("Other countries") are never counted as a supplier.'],
  };
}

/** Country shares of one material at one stage and year. */
export function sharesTable(row: ConcentrationRow): DataTable {
  return {
    id: `${row.materialId}-${row.stage}-${row.year}`,
    title: `${row.material}: ${row.stage === 'reserves' ? 'reserves' : `${row.stage} production`} by country, ${row.year}${row.scenario ? ` (${row.scenario})` : ''}`,
    columns: [
      { key: 'rank', header: 'rank', kind: 'number' },
      { key: 'countryId', header: 'ISO3' },
      { key: 'country', header: 'country' },
      { key: 'value', header: `${row.stage === 'reserves' ? 'reserves' : 'output'} (${row.unit}, ${row.basis})`, kind: 'number' },
      { key: 'share', header: 'share of world', kind: 'share' },
      { key: 'estimated', header: 'estimated' },
      { key: 'bound', header: 'bound' },
    ],
    rows: row.shares.map((s, i) => ({
      rank: i + 1,
      countryId: s.countryId,
      country: s.country,
      value: s.value,
      share: s.share,
      estimated: s.estimated,
      bound: s.bound,
    })),
    sources: [row.source],
    notes: [
      `World total ${row.total.toLocaleString('en-US')} ${row.unit} (${row.totalBasis.replace(/_/g, ' ')}); not attributed to a named country: ${(row.unallocatedShare * 100).toFixed(1)}%.`,
      ...(row.gaps.length ? [`Withheld or not available (counted nowhere): ${row.gaps.map((g) => `${g.country} (${g.status})`).join(', ')}.`] : []),
    ],
  };
}

/** HHI, top-3 and China share over the years, incl. projections. */
export function trendTable(materialId: string, material: string, stages: Array<{ stage: Stage; trend: ConcentrationRow[] }>): DataTable {
  const rows = stages.flatMap((s) =>
    s.trend.map((r) => ({
      stage: r.stage,
      year: r.year,
      scenario: r.scenario,
      hhi: r.hhiPoints,
      top3: r.top3Share,
      largest: r.largest?.country ?? null,
      largestShare: r.largest?.share ?? null,
      china: r.chinaShare,
      source: r.source.text,
    })),
  );
  return {
    id: `${materialId}-trend`,
    title: `${material}: concentration over time`,
    columns: [
      { key: 'stage', header: 'stage' },
      { key: 'year', header: 'year', kind: 'number' },
      { key: 'scenario', header: 'scenario (projections)' },
      { key: 'hhi', header: 'HHI (0-10,000)', kind: 'hhi' },
      { key: 'top3', header: 'top-3 share', kind: 'share' },
      { key: 'largest', header: 'largest supplier' },
      { key: 'largestShare', header: 'largest share', kind: 'share' },
      { key: 'china', header: 'China share', kind: 'share' },
      { key: 'source', header: 'source' },
    ],
    rows,
    sources: uniqueSources(stages.flatMap((s) => s.trend.map((r) => r.source))),
    notes: [
      'Each year uses the preferred series for that year (USGS for history, IEA for projections); a change of source between years is visible in the source column.',
    ],
  };
}

/** Every table of a material's profile (shares by stage, trend, net import reliance, demand, sources). */
export function materialTables(index: DatasetIndex, materialId: string): DataTable[] {
  const p = materialProfile(index, materialId);
  const out: DataTable[] = [];
  for (const s of p.stages) if (s.latest) out.push(sharesTable(s.latest));
  out.push(
    trendTable(
      p.materialId,
      p.name,
      p.stages.filter((s) => s.stage !== 'reserves'),
    ),
  );
  if (p.netImportReliance.length) {
    out.push({
      id: `${materialId}-net-import-reliance`,
      title: `${p.name}: net import reliance`,
      columns: [
        { key: 'countryId', header: 'country' },
        { key: 'year', header: 'year', kind: 'number' },
        { key: 'percent', header: 'net import reliance (% of apparent consumption)', kind: 'number' },
        { key: 'status', header: 'status' },
        { key: 'source', header: 'source' },
        { key: 'revisions', header: 'earlier editions (revision)' },
      ],
      rows: p.netImportReliance.map((n) => ({
        countryId: n.countryId,
        year: n.year,
        percent: n.percent,
        status: n.status,
        source: n.source.text,
        revisions: revisionText(n),
      })),
      sources: uniqueSources(p.netImportReliance.flatMap((n) => [n.source, ...n.revisions.map((r) => r.source)])),
      notes: ['The newest MCS edition wins for each year; figures of older editions for the same year are kept beside it with the revision.'],
    });
  }
  if (p.demand.length) {
    out.push({
      id: `${materialId}-demand`,
      title: `${p.name}: demand by sector`,
      columns: [
        { key: 'year', header: 'year', kind: 'number' },
        { key: 'scenario', header: 'scenario' },
        { key: 'sector', header: 'sector' },
        { key: 'value', header: 'demand', kind: 'number' },
        { key: 'unit', header: 'unit' },
        { key: 'source', header: 'source' },
      ],
      rows: p.demand.map((d) => ({ year: d.year, scenario: d.scenario, sector: d.sector, value: d.value, unit: d.unit, source: d.source.text })),
      sources: uniqueSources(p.demand.map((d) => d.source)),
      notes: [],
    });
  }
  out.push({
    id: `${materialId}-sources`,
    title: `${p.name}: sources`,
    columns: [
      { key: 'sourceId', header: 'id' },
      { key: 'publisher', header: 'publisher' },
      { key: 'edition', header: 'edition' },
      { key: 'table', header: 'table' },
      { key: 'licence', header: 'licence' },
      { key: 'url', header: 'url' },
    ],
    rows: p.sources.map((s) => ({ sourceId: s.sourceId, publisher: s.publisher, edition: s.edition, table: s.table, licence: s.licence, url: s.url })),
    sources: p.sources,
    notes: [],
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Concentration CSV: one definition for `chokepoint concentration --format csv` and GET /api/concentration/all?format=csv
// ---------------------------------------------------------------------------------------------------------------

/** The columns, in order (the CLI's 20: the API's 15 lacked hhi, hhiNormalised, unallocatedShare, previousYear, hhiChange, gaps); new columns are appended. */
export const CONCENTRATION_CSV_COLUMNS = [
  'material',
  'stage',
  'year',
  'scenario',
  'hhi',
  'hhiPoints',
  'hhiNormalised',
  'top1Share',
  'top3Share',
  'largest',
  'chinaShare',
  'unallocatedShare',
  'total',
  'unit',
  'basis',
  'estimated',
  'previousYear',
  'hhiChange',
  'gaps',
  'source',
  'hhiNormalisation',
] as const;

export type ConcentrationCsvRow = Record<(typeof CONCENTRATION_CSV_COLUMNS)[number], Cell>;

export const concentrationCsvRow = (r: ConcentrationRow): ConcentrationCsvRow => ({
  material: r.materialId,
  stage: r.stage,
  year: r.year,
  scenario: r.scenario,
  hhi: r.hhi,
  hhiPoints: r.hhiPoints,
  hhiNormalised: r.hhiNormalised,
  top1Share: r.top1Share,
  top3Share: r.top3Share,
  largest: r.largest?.countryId ?? null,
  chinaShare: r.chinaShare,
  unallocatedShare: r.unallocatedShare,
  total: r.total,
  unit: r.unit,
  basis: r.basis,
  estimated: r.estimated,
  previousYear: r.previous?.year ?? null,
  hhiChange: r.previous?.hhiChange ?? null,
  gaps: r.gaps.map((g) => `${g.countryId}:${g.status}`).join(' '),
  source: r.source.text,
  hhiNormalisation: r.hhiNormalisation,
});

/** The CSV text (header always present, trailing newline): the same bytes from the CLI and the API. */
export const concentrationCsv = (rows: ConcentrationRow[]): string => toCsv(rows.map(concentrationCsvRow), [...CONCENTRATION_CSV_COLUMNS]);

/** What each source says (src/engine/series-panel.ts): one row per published series, rank 1 the one headlines use. */
export const SERIES_PANEL_FIELDS: readonly Field<SeriesPanelRow>[] = [
  { key: 'material', value: (r) => r.materialId },
  { key: 'stage', value: (r) => r.stage },
  { key: 'year', value: (r) => r.year },
  { key: 'rank', header: 'rank (1 = used by the headline)', value: (r) => r.rank },
  { key: 'sourceId', header: 'source id', value: (r) => r.sourceId },
  { key: 'basis', value: (r) => r.basis },
  { key: 'unit', value: (r) => r.unit },
  { key: 'scenario', value: (r) => r.scenario },
  { key: 'estimated', value: (r) => r.estimated },
  { key: 'total', kind: 'number', value: (r) => r.total },
  { key: 'producers', kind: 'number', value: (r) => r.producers },
  { key: 'hhi', kind: 'hhi', value: (r) => r.hhi },
  { key: 'hhiPoints', header: 'HHI (0-10,000)', kind: 'number', value: (r) => r.hhiPoints },
  { key: 'top1Share', header: 'top-1 share', kind: 'share', value: (r) => r.top1Share },
  { key: 'largest', value: (r) => r.largest?.countryId ?? null },
  { key: 'top3Share', header: 'top-3 share', kind: 'share', value: (r) => r.top3Share },
  { key: 'n1RemainingShare', header: 'N-1: share left without the largest', kind: 'share', value: (r) => r.n1RemainingShare },
  { key: 'chinaShare', header: 'China share', kind: 'share', value: (r) => r.chinaShare },
  { key: 'gaps', header: 'countries withheld or not available', kind: 'number', value: (r) => r.gaps },
  { key: 'gap', value: (r) => r.gap },
  { key: 'source', value: (r) => r.source.text },
];

export const seriesPanelTable = (rows: readonly SeriesPanelRow[]): DataTable =>
  flatTable(
    {
      id: 'concentration-by-source',
      title: 'Concentration by source: every published series',
      sources: rows.map((r) => r.source),
      notes: [
        'One row per published series (publisher, basis, scenario) of each material, stage and year; rank 1 is the series the series rule picks and every headline figure uses.',
        'N-1 here is gross: the share of the series total left without its largest supplier (1 − top-1); the demand-netted reading is in the stress test.',
      ],
    },
    SERIES_PANEL_FIELDS,
    rows,
  );
