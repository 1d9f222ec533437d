/**
 * Reads the trade_flows table into a column table (src/engine/trade-table.ts) without making a JS object per flow:
 * DuckDB codes the strings against sorted dictionaries (joins on small lists) and sorts the rows by material, and the
 * result is read chunk by chunk into typed arrays. 1M flows: ~1 s and ~35 MB, against ~12 s and ~700 MB of heap as
 * objects (bench/trade-load.ts).
 */
import { LIST, listValue, VARCHAR, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { allocateTradeTable, emptyTradeTable, type TradeTable } from '../engine/trade-table.ts';

/**
 * Every flow, or those of `materialIds` plus, with `touching`, those of other materials whose reporter or partner is one
 * of the countries listed for that material, plus, with `touchingAll`, those of any material whose reporter or partner
 * is one of those countries (what a computation asked for: `withAskedTrade`, src/store/load.ts).
 */
export async function readTradeTable(
  conn: DuckDBConnection,
  materialIds?: string[],
  touching?: Readonly<Record<string, readonly string[]>>,
  touchingAll?: readonly string[],
): Promise<TradeTable> {
  const some = materialIds !== undefined || touching !== undefined || touchingAll !== undefined;
  const everywhere = [...new Set(touchingAll ?? [])].sort();
  const whole = [...new Set(materialIds ?? [])].sort();
  const pairs = Object.entries(touching ?? {})
    .filter(([m, cs]) => !whole.includes(m) && cs.length)
    .map(([m, cs]) => [m, [...new Set(cs)].sort()] as const);
  // Some materials only: the table says which, and whether the store holds other flows (engine/trade-table.ts, `partial`).
  const partial = some
    ? {
        materials: whole,
        ...(pairs.length ? { touching: Object.fromEntries(pairs) } : {}),
        ...(everywhere.length ? { touchingAll: everywhere } : {}),
        storeHasFlows: Boolean((await conn.runAndReadAll('select exists(select 1 from trade_flows)')).getRowsJS()[0][0]),
      }
    : undefined;
  if (some && !whole.length && !pairs.length && !everywhere.length) return emptyTradeTable(partial);
  // Only the conditions asked for: a scope of some materials (most CLI commands') tests material_id alone.
  const params: DuckDBValue[] = [];
  const when: string[] = [];
  const param = (list: string[]) => `$${params.push(listValue(list))}::varchar[]`;
  if (whole.length) when.push(`list_contains(${param(whole)}, material_id)`);
  // per material, not a material|country string built for every row of the table (7× slower on 1M flows)
  for (const [m, cs] of pairs) {
    const c = param(cs);
    when.push(`(list_contains(${param([m])}, material_id) and (list_contains(${c}, reporter_id) or list_contains(${c}, partner_id)))`);
  }
  if (everywhere.length) {
    const p = param(everywhere);
    when.push(`list_contains(${p}, reporter_id) or list_contains(${p}, partner_id)`);
  }
  const where = some ? `where (${when.join(' or ')})` : '';
  // The dictionaries and the rows per material in one scan of the selection (the where clause once, not once per list).
  const listOf = (sql: string) => `coalesce((${sql}), []::varchar[])`;
  const [[country, hs, source, scopes, counts]] = (
    await conn.runAndReadAll(
      `with sel as materialized (select material_id, reporter_id, partner_id, hs_code, source_id, product_scope from trade_flows ${where})
       select ${listOf('select list(id order by id) from (select reporter_id as id from sel union select partner_id from sel)')},
         ${listOf('select list(distinct hs_code order by hs_code) from sel')},
         ${listOf('select list(distinct source_id order by source_id) from sel')},
         ${listOf('select list(distinct product_scope order by product_scope) from sel where product_scope is not null')},
         (select list({ m: material_id, n: n } order by material_id) from (select material_id, count(*)::bigint as n from sel group by 1))`,
      params,
      params.map(() => LIST(VARCHAR)),
    )
  ).getRowsJS() as unknown as Array<[string[], string[], string[], string[], Array<{ m: string; n: bigint }> | null]>;
  const ranges: Record<string, [number, number]> = {};
  let length = 0;
  for (const { m, n } of counts ?? []) {
    ranges[m] = [length, length + Number(n)];
    length += Number(n);
  }
  const t = allocateTradeTable(length, { country, hs, source, scope: [null, ...scopes] }, ranges, partial);
  if (!length) return t;

  // Dictionary codes by joins on the sorted lists (0-based; scope 0 = null), rows by material then in insertion order.
  const dict = (n: number) => `(select unnest($${n}::varchar[]) as id, generate_subscripts($${n}::varchar[], 1) - 1 as k)`;
  const p = params.length;
  const result = await conn.stream(
    `select c1.k::integer, c2.k::integer, h.k::integer, s.k::integer, coalesce(sc.k + 1, 0)::integer, (t.flow = 'import')::integer,
       t.year::integer, coalesce(t.month, 0)::integer, t.quantity_kg, t.value_usd
     from trade_flows t
       join ${dict(p + 1)} c1 on c1.id = t.reporter_id
       join ${dict(p + 1)} c2 on c2.id = t.partner_id
       join ${dict(p + 2)} h on h.id = t.hs_code
       join ${dict(p + 3)} s on s.id = t.source_id
       left join ${dict(p + 4)} sc on sc.id = t.product_scope
     ${where}
     order by t.material_id, t.rowid`,
    [...params, listValue(country), listValue(hs), listValue(source), listValue(scopes)],
    // typed: an empty list (no product scopes) has no item type of its own
    Array.from({ length: p + 4 }, () => LIST(VARCHAR)),
  );
  let row = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    // Item by item from the vectors: no array of JS values per column and chunk.
    const v = Array.from({ length: 10 }, (_, i) => chunk.getColumnVector(i));
    for (let i = 0; i < n; i++, row++) {
      t.reporter[row] = v[0].getItem(i) as number;
      t.partner[row] = v[1].getItem(i) as number;
      t.hs[row] = v[2].getItem(i) as number;
      t.source[row] = v[3].getItem(i) as number;
      t.scope[row] = v[4].getItem(i) as number;
      t.flow[row] = v[5].getItem(i) as number;
      t.year[row] = v[6].getItem(i) as number;
      t.month[row] = v[7].getItem(i) as number;
      t.quantityKg[row] = (v[8].getItem(i) as number | null) ?? NaN;
      t.valueUsd[row] = (v[9].getItem(i) as number | null) ?? NaN;
    }
  }
  if (row !== length) throw new Error(`trade_flows: read ${row} rows, expected ${length}`);
  return t;
}
