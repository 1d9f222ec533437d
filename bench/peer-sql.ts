/**
 * The competent alternative the scale benchmark compares against: HHI, top-3 share and the N-1 removals of every
 * published series (material × stage × year × source × basis × unit × scenario), computed in one DuckDB SQL statement
 * over the observations table, with the same share convention as src/engine/concentration.ts (published world total
 * unless the entries exceed it; the IEA's own total for the IEA; aggregates never suppliers). It computes every series,
 * not only the one the product's series rule picks, so it does at least the product's arithmetic.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Observation, Source } from '../src/model/schema.ts';

export async function loadObservationsTable(conn: DuckDBConnection, observations: readonly Observation[], sources: ReadonlyMap<string, Source>): Promise<void> {
  await conn.run(`create or replace table obs (material_id varchar, stage varchar, measure varchar, country_id varchar, year integer,
    value double, unit varchar, basis varchar, status varchar, scenario varchar, source_id varchar, dataset varchar)`);
  const a = await conn.createAppender('obs');
  for (const o of observations) {
    a.appendVarchar(o.materialId);
    a.appendVarchar(o.stage);
    a.appendVarchar(o.measure);
    a.appendVarchar(o.countryId);
    a.appendInteger(o.year);
    if (o.value === null) a.appendNull();
    else a.appendDouble(o.value);
    a.appendVarchar(o.unit);
    a.appendVarchar(o.basis);
    a.appendVarchar(o.status);
    if (o.scenario === null) a.appendNull();
    else a.appendVarchar(o.scenario);
    a.appendVarchar(o.sourceId);
    a.appendVarchar(sources.get(o.sourceId)?.dataset ?? '');
    a.endRow();
  }
  a.closeSync();
}

export const PEER_SQL = `
with s as (
  select material_id, stage, year, source_id, basis, unit, coalesce(scenario, '') as scenario, dataset, country_id, value,
         value is not null and status in ('reported', 'lower_bound', 'upper_bound') as numeric,
         country_id = 'WLD' or country_id = 'OTH' or starts_with(country_id, 'X-') as agg
  from obs
  where stage in ('mining', 'refining', 'reserves') and measure = case when stage = 'reserves' then 'reserves' else 'production' end
),
t as (
  select material_id, stage, year, source_id, basis, unit, scenario, any_value(dataset) as dataset,
         max(value) filter (where country_id = 'WLD' and numeric) as world,
         coalesce(sum(value) filter (where not agg and numeric), 0) as named,
         coalesce(sum(value) filter (where agg and country_id <> 'WLD' and numeric), 0) as residual
  from s group by all
),
tot as (
  select *, case when world > 0 and (case when dataset = 'iea-cm' then world >= named else world >= (named + residual) * 0.995 end)
                 then world else named + residual end as total
  from t
),
sh as (
  select s.material_id, s.stage, s.year, s.source_id, s.basis, s.unit, s.scenario, s.value, s.value / tot.total as share,
         row_number() over (partition by s.material_id, s.stage, s.year, s.source_id, s.basis, s.unit, s.scenario
                            order by s.value desc, s.country_id) as rank
  from s join tot using (material_id, stage, year, source_id, basis, unit, scenario)
  where not s.agg and s.numeric and tot.total > 0
)
select material_id, stage, year, source_id, basis, unit, scenario,
       sum(share * share) as hhi,
       sum(share) filter (where rank <= 3) as top3,
       max(share) as top1,
       count(*) filter (where value > 0) as n1_removals,
       1 - max(share) as n1_remaining_share_largest
from sh group by all`;

export interface PeerRow {
  key: string;
  hhi: number;
  top3: number;
  n1Removals: number;
  /** Share of the series total left without its largest supplier. */
  n1RemainingShare: number;
}

export async function peerConcentration(conn: DuckDBConnection): Promise<Map<string, PeerRow>> {
  const r = await conn.runAndReadAll(PEER_SQL);
  const out = new Map<string, PeerRow>();
  for (const x of r.getRows()) {
    const key = [x[0], x[1], x[2], x[3], x[4], x[5], x[6]].join('|');
    out.set(key, { key, hhi: Number(x[7]), top3: Number(x[8]), n1Removals: Number(x[10]), n1RemainingShare: Number(x[11]) });
  }
  return out;
}
