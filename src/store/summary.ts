/**
 * The series summary: concentration of every published series, computed in SQL from the observations and kept in the
 * store, refreshed in the transaction of every import that changes observations (and once when an older store is
 * migrated). Sweeps across materials (`concentration --all`, /api/concentration without a material) read it instead of
 * loading every observation into JS.
 *
 * series_summary: one row per series (material × stage × measure × year × source × basis × unit × scenario; production
 *   and reserves), with what the series rule ranks on (dataset, edition, entries, whether any named country has a
 *   figure) and the figures of `concentration()` (src/engine/concentration.ts): total and how it was read, named total,
 *   unallocated share, producers, HHI, top-1/3/5, the largest producer (the N-1 input), China's share, gap count.
 * series_share: per series and named country its value and share of the total (largest first), then the gaps
 *   (withheld / not available) in entry order.
 *
 * The canonical definition is `concentration()` in JS; this SQL repeats it operation for operation, sums as left folds in
 * the same order (`list_reduce` over a list ordered as the JS loop runs), so the figures are identical doubles; every
 * series of the bundle is checked in test/store/summary.test.ts.
 */
import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import { VALUE_STATUSES, type Basis, type Measure, type Stage, type ValueStatus } from '../model/schema.ts';
import { concentrationSweepFromSummary, n1SweepFromSummary, type SeriesDetail, type SeriesSummary } from '../engine/concentration-summary.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import type { N1Row, N1SweepOptions } from '../engine/stress/sweep.ts';
import type { ConcentrationRow, SweepOptions } from '../engine/concentration-report.ts';
import type { StoreApi } from './gate.ts';
import { seriesPanelFromSummary, type PanelSeries, type SeriesPanelOptions, type SeriesPanelRow } from '../engine/series-panel.ts';

export const SUMMARY_DDL = [
  `create table if not exists series_summary (
     id integer not null, material_id varchar not null, stage varchar not null, measure varchar not null, year integer not null,
     source_id varchar not null, basis varchar not null, unit varchar not null, scenario varchar, dataset varchar not null,
     edition_year integer not null, first_row bigint not null, entries integer not null, has_figures boolean not null,
     estimated boolean not null, detail varchar not null, computable boolean not null, total double, total_basis varchar,
     world_total double, named_total double, unallocated double, producers integer, hhi double, top1 double, top3 double,
     top5 double, largest_country varchar, largest_value double, largest_estimated boolean, largest_status varchar,
     china_share double, gaps integer)`,
  `create table if not exists series_share (
     series_id integer not null, kind varchar not null, pos integer not null, country_id varchar not null, value double,
     share double, estimated boolean not null, status varchar not null)`,
];

const NUM = `o.value is not null and o.status in ('reported', 'lower_bound', 'upper_bound')`;
const AGG = `(o.country_id in ('WLD', 'OTH') or starts_with(o.country_id, 'X-'))`;
const SUM = (list: string) => `list_reduce(${list}, (a, b) -> a + b, 0::double)`;

const SUMMARY_SQL = `
insert into series_summary
with o as (
  select o.rowid as rid, o.*, s.dataset, s.edition_year, ${NUM} as num, ${AGG} as agg
  from observations o join sources s on s.id = o.source_id
  where o.measure in ('production', 'reserves')
),
g as (
  select material_id, stage, measure, year, source_id, basis, unit, scenario,
    any_value(dataset) as dataset, any_value(edition_year) as edition_year, min(rid) as first_row, count(*) as entries,
    bool_or(value is not null and not agg) as has_figures, bool_or(estimated) as estimated,
    list(detail order by rid) filter (where detail is not null and detail <> '') as details,
    arg_max(value, rid) filter (where country_id = 'WLD' and num) as world_total,
    coalesce(bool_or(country_id = 'WLD' and not num), false) as world_unknown,
    coalesce(bool_or(country_id = 'OTH' and not num), false) as other_unknown,
    ${SUM(`coalesce(list(value order by rid) filter (where num and not agg), [])`)} as named_total,
    ${SUM(`coalesce(list(value order by rid) filter (where num and agg and country_id <> 'WLD'), [])`)} as residual,
    coalesce(list({c: country_id, v: value, e: estimated, s: status} order by value desc, country_id, rid) filter (where num and not agg), []) as named,
    count(*) filter (where num and not agg and value > 0) as producers,
    count(*) filter (where not num and not agg) as gaps,
    coalesce(bool_or(country_id = 'CHN' and not num), false) as china_gap,
    max(value) filter (where country_id = 'CHN' and num) as china_value
  from o group by all
),
t as (
  select *, world_total is not null and world_total > 0 and
    (case when dataset = 'iea-cm' then world_total >= named_total else world_total >= (named_total + residual) * 0.995::double end) as use_world
  from g
),
c as (
  select *, case when use_world then world_total else named_total + residual end as tot from t
),
k as (
  select *, not (world_total is null and world_unknown and other_unknown) and tot > 0 as ok from c
)
select row_number() over (order by material_id, stage, measure, year, first_row) as id,
  material_id, stage, measure, year, source_id, basis, unit, scenario, dataset, edition_year, first_row, entries, has_figures,
  estimated,
  -- the citation's detail: the distinct detail texts in entry order, the first two (SeriesFacts.detail)
  coalesce(array_to_string(list_filter(details, (d, i) -> list_position(details, d) = i)[1:2], '; '), ''),
  ok,
  case when ok then tot end,
  case when ok then (case when use_world then 'world_total' else 'sum_of_entries' end) end,
  world_total, named_total,
  case when ok then greatest(0, 1 - named_total / tot) end,
  producers,
  case when ok then ${SUM(`list_transform(named, x -> (x.v / tot) * (x.v / tot))`)} end,
  case when ok then ${SUM(`list_transform(named[1:1], x -> x.v / tot)`)} end,
  case when ok then ${SUM(`list_transform(named[1:3], x -> x.v / tot)`)} end,
  case when ok then ${SUM(`list_transform(named[1:5], x -> x.v / tot)`)} end,
  named[1].c, named[1].v, named[1].e, named[1].s,
  case when not ok then null
       when china_value is not null then china_value / tot
       when china_gap or greatest(0, 1 - named_total / tot) > 0.0005::double then null
       else 0 end,
  gaps
from k`;

const KEY = `o.material_id = s.material_id and o.stage = s.stage and o.measure = s.measure and o.year = s.year and o.source_id = s.source_id
  and o.basis = s.basis and o.unit = s.unit and o.scenario is not distinct from s.scenario`;

const SHARE_SQL = `
insert into series_share
select s.id, 'share', row_number() over (partition by s.id order by o.value desc, o.country_id, o.rowid), o.country_id, o.value,
  o.value / s.total, o.estimated, o.status
from observations o join series_summary s on ${KEY}
where s.computable and ${NUM} and not ${AGG}
union all
select s.id, 'gap', row_number() over (partition by s.id order by o.rowid), o.country_id, o.value, null, o.estimated, o.status
from observations o join series_summary s on ${KEY}
where s.computable and not (${NUM}) and not ${AGG}`;

/** Recompute the summary from the observations (call inside the transaction that changed them). */
export async function refreshSeriesSummary(conn: DuckDBConnection): Promise<void> {
  await conn.run('delete from series_share');
  await conn.run('delete from series_summary');
  await conn.run(SUMMARY_SQL);
  await conn.run(SHARE_SQL);
}

/**
 * A series' text columns as one string per row, joined by the unit separator (ids never hold it; the free-text detail
 * comes last, so one it holds stays in it; a null scenario is the record separator), split once per series in JS by
 * `seriesText`. The text repeats across a series' years, and decoding a string from DuckDB costs about the same whatever
 * its length: decoding is most of the cost of reading rows into JS, so one string instead of nine nearly halves a read.
 */
const SERIES_TEXT = `concat_ws(chr(31), material_id, stage, measure, source_id, basis, unit, coalesce(scenario, chr(30)), dataset, detail)`;
interface SeriesText {
  materialId: string;
  stage: Stage;
  measure: Measure;
  sourceId: string;
  basis: Basis;
  unit: string;
  scenario: string | null;
  dataset: string;
  detail: string;
}
function seriesText(cache: Map<string, SeriesText>, joined: string): SeriesText {
  let t = cache.get(joined);
  if (!t) {
    // The detail (free text, last) keeps any separator it holds.
    const [materialId, stage, measure, sourceId, basis, unit, scenario, dataset, ...detail] = joined.split('\u001f');
    t = {
      materialId,
      stage: stage as Stage,
      measure: measure as Measure,
      sourceId,
      basis: basis as Basis,
      unit,
      scenario: scenario === '\u001e' ? null : scenario,
      dataset,
      detail: detail.join('\u001f'),
    };
    cache.set(joined, t);
  }
  return t;
}

/** The where clause (empty when nothing is asked) and parameters of a summary read by stages and materials. */
function summaryFilter(filter: { stages?: Stage[]; materials?: string[] }, conditions: string[] = []) {
  const where = [...conditions];
  const params: ReturnType<typeof listValue>[] = [];
  if (filter.stages) {
    params.push(listValue(filter.stages));
    where.push(`list_contains($${params.length}::varchar[], stage)`);
  }
  if (filter.materials) {
    params.push(listValue(filter.materials));
    where.push(`list_contains($${params.length}::varchar[], material_id)`);
  }
  return { where: where.length ? `where ${where.join(' and ')}` : '', params };
}

/** Summary rows of some stages (every measure at the stage: the years a stage has) and optionally some materials. */
export async function readSeriesSummary(conn: DuckDBConnection, filter: { stages?: Stage[]; materials?: string[] } = {}): Promise<SeriesSummary[]> {
  const { where, params } = summaryFilter(filter);
  const r = await conn.runAndReadAll(
    `select id, ${SERIES_TEXT}, year, edition_year, entries, has_figures, estimated, computable, total, total_basis = 'world_total',
       world_total, named_total, unallocated, producers, hhi, top1, top3, top5, largest_country, largest_value, largest_estimated,
       largest_status, china_share, gaps
     from series_summary ${where} order by id`,
    params,
  );
  // Column by column (much faster than row values for thousands of rows).
  const c = r.getColumnsJS() as unknown[][];
  const out: SeriesSummary[] = new Array(r.currentRowCount);
  const texts = new Map<string, SeriesText>();
  for (let i = 0; i < r.currentRowCount; i++) {
    const t = seriesText(texts, c[1][i] as string);
    const status = c[21][i] as ValueStatus | null;
    out[i] = {
      id: c[0][i] as number,
      materialId: t.materialId,
      stage: t.stage,
      measure: t.measure,
      year: c[2][i] as number,
      sourceId: t.sourceId,
      basis: t.basis,
      unit: t.unit,
      scenario: t.scenario,
      dataset: t.dataset,
      editionYear: c[3][i] as number,
      entries: c[4][i] as number,
      hasCountryFigures: c[5][i] as boolean,
      estimated: c[6][i] as boolean,
      detail: t.detail,
      concentration: c[7][i]
        ? {
            total: c[8][i] as number,
            totalBasis: c[9][i] ? 'world_total' : 'sum_of_entries',
            worldTotal: (c[10][i] as number | null) ?? null,
            namedTotal: c[11][i] as number,
            unallocatedShare: c[12][i] as number,
            producers: c[13][i] as number,
            hhi: c[14][i] as number,
            top1Share: c[15][i] as number,
            top3Share: c[16][i] as number,
            top5Share: c[17][i] as number,
            largest:
              c[18][i] === null
                ? null
                : {
                    countryId: c[18][i] as string,
                    value: c[19][i] as number,
                    share: c[15][i] as number,
                    estimated: c[20][i] as boolean,
                    bound: status === 'lower_bound' ? 'lower' : status === 'upper_bound' ? 'upper' : null,
                  },
            chinaShare: (c[22][i] as number | null) ?? null,
            gaps: c[23][i] as number,
          }
        : null,
    };
  }
  return out;
}

/**
 * The series of some stages (each stage's own measure: production, or reserves at the reserves stage) with what the
 * by-source panel shows and ranks on, and nothing else (src/engine/series-panel.ts): fewer columns than
 * `readSeriesSummary`, one object per series.
 */
export async function readSeriesFigures(conn: DuckDBConnection, filter: { stages?: Stage[]; materials?: string[] } = {}): Promise<PanelSeries[]> {
  const { where, params } = summaryFilter(filter, [`measure = case when stage = 'reserves' then 'reserves' else 'production' end`]);
  const r = await conn.runAndReadAll(
    `select ${SERIES_TEXT}, year, edition_year, entries, has_figures, estimated, computable, total, total_basis = 'world_total',
       producers, hhi, top1, top3, largest_country, china_share, gaps
     from series_summary ${where} order by id`,
    params,
  );
  const c = r.getColumnsJS() as unknown[][];
  const out: PanelSeries[] = new Array(r.currentRowCount);
  const texts = new Map<string, SeriesText>();
  for (let i = 0; i < r.currentRowCount; i++) {
    const t = seriesText(texts, c[0][i] as string);
    out[i] = {
      materialId: t.materialId,
      stage: t.stage,
      facts: {
        year: c[1][i] as number,
        sourceId: t.sourceId,
        basis: t.basis,
        unit: t.unit,
        scenario: t.scenario,
        dataset: t.dataset,
        editionYear: c[2][i] as number,
        entries: c[3][i] as number,
        hasCountryFigures: c[4][i] as boolean,
      },
      estimated: c[5][i] as boolean,
      detail: t.detail,
      figures: c[6][i]
        ? {
            total: c[7][i] as number,
            totalBasis: c[8][i] ? 'world_total' : 'sum_of_entries',
            producers: c[9][i] as number,
            hhi: c[10][i] as number,
            top1Share: c[11][i] as number,
            top3Share: c[12][i] as number,
            largest: c[13][i] === null ? null : { countryId: c[13][i] as string, share: c[11][i] as number },
            chinaShare: (c[14][i] as number | null) ?? null,
            gaps: c[15][i] as number,
          }
        : null,
    };
  }
  return out;
}

/** Country shares and gaps of some series, by series id. */
export async function readSeriesDetail(conn: DuckDBConnection, ids: number[]): Promise<Map<number, SeriesDetail>> {
  const out = new Map<number, SeriesDetail>();
  if (!ids.length) return out;
  // Kind and status as small numbers (a string costs a decode per row; the country id stays text).
  const r = await conn.runAndReadAll(
    `select series_id, kind = 'share', country_id, value, share, estimated, list_position($2::varchar[], status) - 1
     from series_share where series_id in (select unnest($1::integer[])) order by series_id, kind desc, pos`,
    [listValue(ids), listValue([...VALUE_STATUSES])],
  );
  const c = r.getColumnsJS() as unknown[][];
  for (let i = 0; i < r.currentRowCount; i++) {
    const id = c[0][i] as number;
    let d = out.get(id);
    if (!d) out.set(id, (d = { shares: [], gaps: [] }));
    const status = VALUE_STATUSES[c[6][i] as number];
    if (status === undefined) throw new Error(`series_share holds an unknown status for series ${id}`);
    if (c[1][i]) {
      d.shares.push({
        countryId: c[2][i] as string,
        value: c[3][i] as number,
        share: c[4][i] as number,
        estimated: c[5][i] as boolean,
        bound: status === 'lower_bound' ? 'lower' : status === 'upper_bound' ? 'upper' : null,
      });
    } else d.gaps.push({ countryId: c[2][i] as string, status });
  }
  return out;
}

/**
 * The concentration sweep on the summary: reads the summary rows of the stages asked for (and the materials, when given),
 * picks the series in JS by the series rule, then reads the country rows of the series picked only.
 */
export async function summaryConcentrationSweep(
  store: Pick<StoreApi, 'readSeriesSummary' | 'readSeriesDetail' | 'sourceRecords'>,
  opts: SweepOptions = {},
): Promise<ConcentrationRow[]> {
  const stages = opts.stages ?? (['mining', 'refining'] as Stage[]);
  const [rows, sources] = [await store.readSeriesSummary({ stages, materials: opts.materials }), await store.sourceRecords()];
  return concentrationSweepFromSummary(rows, new Map(sources.map((s) => [s.id, s])), { ...opts, stages }, (ids) => store.readSeriesDetail(ids));
}

/**
 * The N-1 sweep with supply from the summary and demand, own use and netting from `demandIndex` (its end-use rows: the
 * knowledge base's index, or one loaded with `stages: ['end_use']`).
 */
export async function summaryN1Sweep(
  store: Pick<StoreApi, 'readSeriesSummary' | 'readSeriesDetail' | 'sourceRecords'>,
  demandIndex: DatasetIndex,
  opts: N1SweepOptions = {},
): Promise<N1Row[]> {
  const stages = opts.stages ?? (['mining', 'refining'] as Stage[]);
  const [rows, sources] = [await store.readSeriesSummary({ stages, materials: opts.materials }), await store.sourceRecords()];
  return n1SweepFromSummary(rows, new Map(sources.map((s) => [s.id, s])), demandIndex, { ...opts, stages: stages as N1SweepOptions['stages'] }, (ids) =>
    store.readSeriesDetail(ids),
  );
}

/** What each source says (src/engine/series-panel.ts) from the summary: every series of the cells asked for. */
export async function summarySeriesPanel(
  store: Pick<StoreApi, 'readSeriesFigures' | 'sourceRecords'>,
  opts: SeriesPanelOptions = {},
): Promise<SeriesPanelRow[]> {
  const stages = opts.stages ?? (['mining', 'refining'] as Stage[]);
  const [rows, sources] = [await store.readSeriesFigures({ stages, materials: opts.materials }), await store.sourceRecords()];
  return seriesPanelFromSummary(rows, new Map(sources.map((s) => [s.id, s])), { ...opts, stages });
}
