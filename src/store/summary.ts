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
import type { Basis, Measure, Stage, ValueStatus } from '../model/schema.ts';
import { concentrationSweepFromSummary, n1SweepFromSummary, type SeriesDetail, type SeriesSummary } from '../engine/concentration-summary.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import type { N1Row, N1SweepOptions } from '../engine/stress/sweep.ts';
import type { ConcentrationRow, SweepOptions } from '../engine/concentration-report.ts';
import type { StoreApi } from './gate.ts';

export const SUMMARY_DDL = [
  `create table if not exists series_summary (
     id integer not null, material_id varchar not null, stage varchar not null, measure varchar not null, year integer not null,
     source_id varchar not null, basis varchar not null, unit varchar not null, scenario varchar, dataset varchar not null,
     edition_year integer not null, first_row bigint not null, entries integer not null, has_figures boolean not null,
     estimated boolean not null, details varchar[], computable boolean not null, total double, total_basis varchar,
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
  estimated, details, ok,
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

/** Summary rows of some stages (every measure at the stage: the years a stage has) and optionally some materials. */
export async function readSeriesSummary(conn: DuckDBConnection, filter: { stages?: Stage[]; materials?: string[] } = {}): Promise<SeriesSummary[]> {
  const where: string[] = [];
  const params: ReturnType<typeof listValue>[] = [];
  if (filter.stages) {
    params.push(listValue(filter.stages));
    where.push(`list_contains($${params.length}::varchar[], stage)`);
  }
  if (filter.materials) {
    params.push(listValue(filter.materials));
    where.push(`list_contains($${params.length}::varchar[], material_id)`);
  }
  const r = await conn.runAndReadAll(
    `select id, material_id, stage, measure, year, source_id, basis, unit, scenario, dataset, edition_year, entries, has_figures,
       estimated, details, computable, total, total_basis, world_total, named_total, unallocated, producers, hhi, top1, top3, top5,
       largest_country, largest_value, largest_estimated, largest_status, china_share, gaps
     from series_summary ${where.length ? `where ${where.join(' and ')}` : ''} order by id`,
    params,
  );
  const n = (v: unknown) => (v === null ? null : Number(v));
  return r.getRows().map((x) => {
    const details = (x[14] as { items: unknown[] } | null)?.items ?? [];
    const status = x[29] as ValueStatus | null;
    return {
      id: Number(x[0]),
      materialId: x[1] as string,
      stage: x[2] as Stage,
      measure: x[3] as Measure,
      year: Number(x[4]),
      sourceId: x[5] as string,
      basis: x[6] as Basis,
      unit: x[7] as string,
      scenario: (x[8] as string | null) ?? null,
      dataset: x[9] as string,
      editionYear: Number(x[10]),
      entries: Number(x[11]),
      hasCountryFigures: Boolean(x[12]),
      estimated: Boolean(x[13]),
      details: [...new Set(details.map(String))],
      concentration: x[15]
        ? {
            total: Number(x[16]),
            totalBasis: x[17] as 'world_total' | 'sum_of_entries',
            worldTotal: n(x[18]),
            namedTotal: Number(x[19]),
            unallocatedShare: Number(x[20]),
            producers: Number(x[21]),
            hhi: Number(x[22]),
            top1Share: Number(x[23]),
            top3Share: Number(x[24]),
            top5Share: Number(x[25]),
            largest:
              x[26] === null
                ? null
                : {
                    countryId: x[26] as string,
                    value: Number(x[27]),
                    share: Number(x[23]),
                    estimated: Boolean(x[28]),
                    bound: status === 'lower_bound' ? 'lower' : status === 'upper_bound' ? 'upper' : null,
                  },
            chinaShare: n(x[30]),
            gaps: Number(x[31]),
          }
        : null,
    };
  });
}

/** Country shares and gaps of some series, by series id. */
export async function readSeriesDetail(conn: DuckDBConnection, ids: number[]): Promise<Map<number, SeriesDetail>> {
  const out = new Map<number, SeriesDetail>();
  if (!ids.length) return out;
  const r = await conn.runAndReadAll(
    `select series_id, kind, country_id, value, share, estimated, status from series_share
     where series_id in (select unnest($1::integer[])) order by series_id, kind desc, pos`,
    [listValue(ids)],
  );
  for (const x of r.getRows()) {
    const id = Number(x[0]);
    let d = out.get(id);
    if (!d) out.set(id, (d = { shares: [], gaps: [] }));
    const status = x[6] as ValueStatus;
    if (x[1] === 'share') {
      d.shares.push({
        countryId: x[2] as string,
        value: Number(x[3]),
        share: Number(x[4]),
        estimated: Boolean(x[5]),
        bound: status === 'lower_bound' ? 'lower' : status === 'upper_bound' ? 'upper' : null,
      });
    } else d.gaps.push({ countryId: x[2] as string, status });
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
