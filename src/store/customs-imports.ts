/**
 * Every importer's customs imports of a material at one stage, in one SQL pass over trade_flows: the GeoPolRisk input
 * (imports by partner f_Ai and total imports F_A) and the importers table's figures, for every reporting country at once.
 *
 * The rules are those of `customsImports` (src/engine/criticality/inputs.ts) for a single-country assessor, which stays
 * the canonical statement and is what test/store/customs-imports.test.ts compares this with, reporter by reporter:
 * - the reporter's import declarations of the HS codes counted at the stage (`stageCodes`, from `hsStage`);
 * - per source, the years ≤ `year` with imports from a named partner (quantity > 0); of those, the latest whose "World"
 *   total is reported for every code, else the latest;
 * - annual rows of that year where there are any, else its months summed;
 * - a code whose heading is also held for the same partner (8105 ⊃ 810520) is not counted twice;
 * - per code, F_A = the "World" row where it is at least the named partners' sum, else that sum (and the code then
 *   counts as without a "World" total);
 * - among sources, the one naming the most partners (then the later year, then the source met first in the table).
 * Why SQL: the engine reads one assessor's flows at a time from the trade table in JS, a scan of the material's flows
 * per importer; here a few grouped scans serve every importer, no trade flow enters JS, and only the chosen figures come
 * back. On 62k flows and 249 importers both cost about the same CPU (docs/performance.md).
 */
import { INTEGER, LIST, listValue, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { EU_STAGES } from '../engine/criticality/eu.ts';
import { noImportsAtStageReason, type Assessor, type AssessorCustoms, type CustomsLookup } from '../engine/criticality/inputs.ts';
import {
  customsImportsFromRow,
  gapReason,
  importerLookupsFromRows,
  importersTable,
  stageCodes,
  type DeclaredTrade,
  type ImporterCustoms,
  type ImporterCustomsGap,
  type ImportersQuery,
  type ImportersReport,
} from '../engine/importer/importers.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import { tradeByCode } from '../engine/demand/apparent.ts';
import type { StoreApi } from './gate.ts';
import { AGGREGATE_IDS } from '../model/schema.ts';

export interface CustomsImportsQuery {
  materialId: string;
  year: number;
  /** HS codes of the material counted at the stage (hsStage), as held in trade_flows. */
  stageCodes: string[];
  /** HS codes of the material counted at no stage (hsStage: not counted): listed per importer as excluded. */
  excludedCodes: string[];
  /** This reporter only (one assessor's GeoPolRisk); absent: every reporter. */
  reporterId?: string;
}

/** Partners largest first, then by id (customsImports' order). */
function partnersOf(ids: string[], kg: number[]): Array<{ countryId: string; kg: number }> {
  return ids
    .map((countryId, i) => ({ countryId, kg: kg[i] }))
    .sort((a, b) => b.kg - a.kg || (a.countryId < b.countryId ? -1 : a.countryId > b.countryId ? 1 : 0));
}

/** `isAggregateEntity` (src/model/schema.ts) in SQL: World, "Other", and group aggregates "X-…". */
const AGGREGATE = (col: string) => `(${col} in ('${AGGREGATE_IDS.world}', '${AGGREGATE_IDS.other}') or starts_with(${col}, 'X-'))`;

/** Every reporter's chosen figures and the reporters left without any. */
export async function readCustomsImports(conn: DuckDBConnection, q: CustomsImportsQuery): Promise<{ rows: ImporterCustoms[]; gaps: ImporterCustomsGap[] }> {
  if (!q.stageCodes.length) return { rows: [], gaps: [] };
  // A literal, not a parameter: the gaps query reads only the first three parameters. Country ids are checked first.
  if (q.reporterId !== undefined && !/^[A-Za-z0-9_-]+$/.test(q.reporterId)) throw new Error(`not a country id: ${JSON.stringify(q.reporterId)}`);
  const oneReporter = q.reporterId === undefined ? '' : `and reporter_id = '${q.reporterId}'`;
  const params = [q.materialId, listValue(q.stageCodes), q.year, listValue(q.excludedCodes)];
  // typed: an empty list has no item type of its own
  const types = [VARCHAR, LIST(VARCHAR), INTEGER, LIST(VARCHAR)];
  const base = `
    base as materialized (
      select reporter_id as r, partner_id as p, source_id as s, year as y, month as mo, hs_code as hs, quantity_kg as q,
             product_scope as sc, rowid as rid, not ${AGGREGATE('partner_id')} as named
      from trade_flows
      where material_id = $1 and flow = 'import' and list_contains($2::varchar[], hs_code) and not ${AGGREGATE('reporter_id')} ${oneReporter}
    ),
    usable as (select distinct r, s, y from base where named and p <> r and q > 0),
    eligible as materialized (select * from usable where y <= $3)`;
  // CTEs read more than once are materialized (computed once); lists are grouped joins on the picked (reporter, source,
  // year), not correlated subqueries per importer.
  const chosen = `
    with ${base},
    in_year as materialized (select b.* from base b semi join eligible e on b.r = e.r and b.s = e.s and b.y = e.y),
    annual as (select r, s, y, bool_or(mo is null) as has_annual from in_year group by all),
    rows_used as materialized (
      select i.* from in_year i join annual a on a.r = i.r and a.s = i.s and a.y = i.y where i.mo is null or not a.has_annual
    ),
    pairs as materialized (select distinct r, s, y, p, hs from rows_used),
    nested as materialized (
      select a.r, a.s, a.y, a.p, a.hs, min(b.hs) as parent
      from pairs a join pairs b on a.r = b.r and a.s = b.s and a.y = b.y and a.p = b.p and a.hs <> b.hs and starts_with(a.hs, b.hs)
      group by all
    ),
    kept as materialized (select k.* from rows_used k anti join nested n on k.r = n.r and k.s = n.s and k.y = n.y and k.p = n.p and k.hs = n.hs),
    codes as (
      select r, s, y, hs,
             sum(q) filter (where p = '${AGGREGATE_IDS.world}' and q is not null) as world_kg,
             coalesce(sum(q) filter (where named and p <> r and q is not null), 0) as partners_kg,
             coalesce(sum(q) filter (where named and p = r and q is not null), 0) as intra_kg,
             arg_min(sc, rid) filter (where sc is not null and sc <> '') as scope,
             bool_or(q is not null) as has_quantity
      from kept group by all
    ),
    code_totals as materialized (
      select *, case when world_ok then world_kg - intra_kg else partners_kg end as total_kg
      from (select *, coalesce(world_kg - intra_kg >= partners_kg, false) as world_ok from codes)
    ),
    partner_kg as materialized (select r, s, y, p, sum(q) as kg from kept where named and p <> r and q is not null group by all),
    n_partners as (select r, s, y, count(*) as n from partner_kg group by all),
    cand as materialized (
      select c.r, c.s, c.y, bool_and(c.world_ok) as complete, coalesce(any_value(np.n), 0) as n_partners
      from code_totals c left join n_partners np on np.r = c.r and np.s = c.s and np.y = c.y
      group by c.r, c.s, c.y
    ),
    per_source as (
      select r, s, coalesce(max(y) filter (where complete), max(y)) as y, max(y) as latest from cand group by all
    ),
    first_seen as (select r, s, min(rid) as rid from base group by all),
    pick as materialized (
      select ps.r, ps.s, ps.y, ps.latest from per_source ps
        join cand c on c.r = ps.r and c.s = ps.s and c.y = ps.y
        join first_seen f on f.r = ps.r and f.s = ps.s
      qualify row_number() over (partition by ps.r order by c.n_partners desc, ps.y desc, f.rid) = 1
    ),
    months as (
      select u.r, count(distinct u.mo)::integer as n from rows_used u join pick on u.r = pick.r and u.s = pick.s and u.y = pick.y
      where u.mo is not null group by all
    ),
    code_list as (
      select c.r, list({'hs': hs, 'world': world_kg, 'ok': world_ok, 'partners': partners_kg, 'intra': intra_kg, 'total': total_kg, 'scope': scope, 'qty': has_quantity} order by hs) as codes
      from code_totals c join pick on c.r = pick.r and c.s = pick.s and c.y = pick.y group by all
    ),
    -- two plain lists, sorted in JS: an ordered list of structs was a third of the query's time
    partner_list as (
      select pk.r, list(p) as partner_ids, list(kg) as partner_kg
      from partner_kg pk join pick on pk.r = pick.r and pk.s = pick.s and pk.y = pick.y group by all
    ),
    nested_list as (
      select n.r, list(distinct 'HS ' || n.hs || ' within HS ' || n.parent) as nested
      from nested n join pick on n.r = pick.r and n.s = pick.s and n.y = pick.y group by all
    ),
    value_only_list as (
      select k.r, list(k.r || '←' || k.p || ' HS ' || k.hs order by k.hs, k.rid) as value_only
      from kept k join pick on k.r = pick.r and k.s = pick.s and k.y = pick.y where k.named and k.q is null group by all
    ),
    later_list as (
      select c.r, list(hs order by hs) as later_without_world
      from code_totals c join pick on c.r = pick.r and c.s = pick.s and c.y = pick.latest where not c.world_ok group by all
    ),
    excluded_list as (
      select t.reporter_id as r, list(distinct t.hs_code order by t.hs_code) as excluded
      from trade_flows t semi join pick on t.reporter_id = pick.r
      where t.material_id = $1 and t.flow = 'import' and list_contains($4::varchar[], t.hs_code) group by all
    )
    select pick.r, pick.s, pick.y, pick.latest, coalesce(months.n, 0) as months, codes, partner_ids, partner_kg, nested, value_only, later_without_world, excluded
    from pick
      left join months on months.r = pick.r
      left join code_list on code_list.r = pick.r
      left join partner_list on partner_list.r = pick.r
      left join nested_list on nested_list.r = pick.r
      left join value_only_list on value_only_list.r = pick.r
      left join later_list on later_list.r = pick.r
      left join excluded_list on excluded_list.r = pick.r
    order by pick.r`;
  const gaps = `
    with ${base}
    select r, s, list(distinct y order by y) filter (where named and p <> r and q > 0) as usable_years,
           list(distinct y order by y) filter (where y <= $3) as years_before,
           bool_or(p = '${AGGREGATE_IDS.world}' and q is not null and y <= $3) as world_before
    from base
    where r not in (select r from eligible)
    group by all order by r, min(rid)`;

  const rows: ImporterCustoms[] = [];
  const read = await conn.runAndReadAll(chosen, params, types);
  for (const x of read.getRowObjectsJS() as Array<Record<string, any>>) {
    type CodeRow = { hs: string; world: number | null; ok: boolean; partners: number; intra: number; total: number; scope: string | null; qty: boolean };
    rows.push({
      reporterId: x.r,
      sourceId: x.s,
      year: Number(x.y),
      months: Number(x.months),
      codes: ((x.codes ?? []) as CodeRow[]).map((c) => ({
        hsCode: c.hs,
        worldRowKg: c.world,
        partnersKg: c.partners,
        intraKg: c.intra,
        totalKg: c.total,
        totalFrom: c.ok ? 'world' : 'partners',
        productScope: c.scope,
        hasQuantity: c.qty,
      })),
      partners: partnersOf((x.partner_ids ?? []) as string[], (x.partner_kg ?? []) as number[]),
      nested: [...((x.nested ?? []) as string[])].sort(),
      valueOnly: (x.value_only ?? []) as string[],
      laterYearWithoutWorld: Number(x.latest) !== Number(x.y) ? Number(x.latest) : null,
      laterCodesWithoutWorld: Number(x.latest) !== Number(x.y) ? ((x.later_without_world ?? []) as string[]) : [],
      excluded: (x.excluded ?? []) as string[],
    });
  }
  const gapRows = (await conn.runAndReadAll(gaps, params.slice(0, 3), types.slice(0, 3))).getRowObjectsJS() as Array<Record<string, any>>;
  const byReporter = new Map<string, ImporterCustomsGap>();
  for (const g of gapRows) {
    const e: ImporterCustomsGap = byReporter.get(g.r) ?? { reporterId: g.r, sources: [] };
    e.sources.push({
      sourceId: g.s,
      usableYears: ((g.usable_years ?? []) as number[]).map(Number),
      yearsBefore: ((g.years_before ?? []) as number[]).map(Number),
      worldBefore: g.world_before === true,
    });
    byReporter.set(g.r, e);
  }
  return { rows, gaps: [...byReporter.values()] };
}

/**
 * Every importer's own declarations for apparent consumption (`bilateralImports` and `declaredExports` in
 * src/engine/demand/apparent.ts, as the importer view reads them): per reporter, the source naming the most suppliers
 * (the first met on a tie) and its latest year ≤ `year` (else its first year after), then imports from named partners
 * and exports to anyone but "World", in that source and year, summed per HS code. Quantities only (rows without one
 * are not flows here).
 */
export async function readDeclaredTrade(conn: DuckDBConnection, q: Omit<CustomsImportsQuery, 'excludedCodes'>): Promise<DeclaredTrade[]> {
  if (!q.stageCodes.length) return [];
  const sql = `
    with decl as (
      select reporter_id as r, partner_id as p, source_id as s, year as y, hs_code as hs, quantity_kg as q, rowid as rid
      from trade_flows
      where material_id = $1 and flow = 'import' and list_contains($2::varchar[], hs_code) and quantity_kg is not null
        and not ${AGGREGATE('reporter_id')} and not ${AGGREGATE('partner_id')} and partner_id <> reporter_id
    ),
    per_source as (select r, s, coalesce(max(y) filter (where y <= $3), min(y)) as y, min(rid) as first_rid from decl group by all),
    suppliers as (
      select ps.r, ps.s, ps.y, ps.first_rid, count(distinct d.p) as n
      from per_source ps join decl d on d.r = ps.r and d.s = ps.s and d.y = ps.y group by all
    ),
    pick as (select r, s, y from suppliers qualify row_number() over (partition by r order by n desc, first_rid) = 1)
    select pick.r, pick.s, pick.y,
      (select list({'hs': hs, 'kg': kg} order by hs) from (
         select d.hs, sum(d.q) as kg from decl d where d.r = pick.r and d.s = pick.s and d.y = pick.y group by all)) as imports,
      (select list({'hs': hs, 'kg': kg} order by hs) from (
         select t.hs_code as hs, sum(t.quantity_kg) as kg from trade_flows t
         where t.material_id = $1 and t.flow = 'export' and list_contains($2::varchar[], t.hs_code) and t.quantity_kg is not null
           and t.reporter_id = pick.r and t.source_id = pick.s and t.year = pick.y and t.partner_id <> t.reporter_id and t.partner_id <> '${AGGREGATE_IDS.world}'
         group by all)) as exports
    from pick order by pick.r`;
  const r = await conn.runAndReadAll(sql, [q.materialId, listValue(q.stageCodes), q.year], [VARCHAR, LIST(VARCHAR), INTEGER]);
  return (r.getRowObjectsJS() as Array<Record<string, any>>).map((x) => {
    const perCode = (list: Array<{ hs: string; kg: number }> | null) => (list ?? []).map((c) => ({ hsCode: c.hs, kg: c.kg }));
    return { reporterId: x.r as string, sourceId: x.s as string, year: Number(x.y), byCode: tradeByCode(perCode(x.imports), perCode(x.exports)) };
  });
}

/**
 * The importers table from the store: the material's HS codes split by stage, every importer's figures in one SQL pass,
 * then the engine's table (GeoPolRisk from the index's supply and governance tables).
 */
export async function storeImporters(
  store: Pick<StoreApi, 'readImportCodes' | 'readCustomsImports' | 'readDeclaredTrade'>,
  index: DatasetIndex,
  q: ImportersQuery,
): Promise<ImportersReport> {
  const codes = await store.readImportCodes(q.materialId);
  const { counted, excluded } = stageCodes(codes, q.stage);
  const { rows, gaps } = await store.readCustomsImports({ materialId: q.materialId, year: q.year, stageCodes: counted, excludedCodes: excluded });
  const declared = await store.readDeclaredTrade({ materialId: q.materialId, year: q.year, stageCodes: counted });
  return importersTable(index, q, importerLookupsFromRows(index, q, rows, gaps, declared));
}

/**
 * One country's GeoPolRisk customs inputs for a criticality run, from the store: for every material it declares imports
 * of, per stage, its row of `readCustomsImports` (that reporter only), turned into the
 * engine's lookup. What `tradeDataStatus` and `customsImports` give from the index's trade table, with no trade flow in
 * JS (test/store/customs-imports.test.ts compares the two runs).
 */
export async function storeAssessorCustoms(
  store: Pick<StoreApi, 'readImportCodes' | 'readImportCodesOf' | 'readCustomsImports'>,
  index: DatasetIndex,
  assessor: Assessor,
  year: number,
): Promise<AssessorCustoms> {
  if (assessor.kind !== 'country' || assessor.members.length !== 1) throw new Error(`customs inputs in SQL are read for one country, not ${assessor.id}`);
  const reporterId = assessor.members[0];
  const held = await store.readImportCodesOf(reporterId);
  const byMaterial: AssessorCustoms['byMaterial'] = {};
  for (const [materialId, codesHeld] of Object.entries(held.byMaterial)) {
    const stages: Partial<Record<(typeof EU_STAGES)[number], CustomsLookup>> = {};
    let materialCodes: string[] | null = null;
    for (const stage of EU_STAGES) {
      if (!stageCodes(codesHeld, stage).counted.length) {
        stages[stage] = { imports: null, reason: noImportsAtStageReason(stage, codesHeld) };
        continue;
      }
      materialCodes ??= await store.readImportCodes(materialId);
      const { counted, excluded } = stageCodes(materialCodes, stage);
      const { rows, gaps } = await store.readCustomsImports({ materialId, year, stageCodes: counted, excludedCodes: excluded, reporterId });
      const gap = gaps.find((g) => g.reporterId === reporterId);
      const row = rows.find((r) => r.reporterId === reporterId);
      if (row) stages[stage] = { imports: customsImportsFromRow(index, row, materialId, stage, year), reason: null };
      else if (gap) stages[stage] = { imports: null, reason: gapReason(gap, year) };
      else throw new Error(`customs inputs: ${reporterId} declares ${materialId} imports at the ${stage} stage, but SQL found neither figures nor a gap`);
    }
    byMaterial[materialId] = stages;
  }
  return { assessorId: assessor.id, year, storeHasFlows: held.storeHasFlows, byMaterial };
}
