/**
 * CEPII BACI bilateral trade (one yearly CSV per HS revision, e.g. BACI_HS17_Y2022_V202401.csv) streamed into the store
 * by DuckDB's own CSV reader: the file is never parsed in JavaScript, so a 10M-row year costs DuckDB's memory, not
 * JS objects. Layout (CEPII, "BACI: description", cepii.fr/DATA_DOWNLOAD/baci/doc/DescriptionBACI.html): columns
 * t (year), i (exporter), j (importer), k (HS6 product), v (value, thousand current USD, FOB), q (quantity, metric
 * tons; missing for ~2% of flows). Country codes are ISO 3166 numeric (Comtrade's own codes for a few areas: 842 USA,
 * 251 France, 757 Switzerland, 579 Norway, 699 India, 490 Other Asia n.e.s. = Taiwan); HS codes may have lost their
 * leading zero (CEPII advises reading k as text; a reader that did not is forgiven: k is left-padded to 6 digits).
 *
 * Steps: read_csv (every column as text) into a staging table; validate in SQL, the first bad cell reported as an
 * ImportError with file, line and field; then one transaction replaces the rows of the file's source.
 * Rules, like the Comtrade importer's (src/ingest/comtrade.ts):
 * - every flow is stored twice, as the exporter's export to j and as the importer's import from i (BACI reconciles
 *   both declarations into one figure), quantityKg = q × 1000, valueUsd = v × 1000;
 * - a country's total over all partners in the file is stored as its "World" row (partner WLD), so importer exposure
 *   (GeoPolRisk's F_A) has a total; it is null when a partner's quantity is missing (never a partial sum);
 * - HS code → material(s) through HS_MATERIALS (longest prefix); other codes are counted in a warning and skipped;
 * - a country code with no ISO3 country is reported in a warning and its rows skipped, never guessed;
 * - the same (t, i, j, k) twice is an error naming both lines; negative or non-numeric values are errors.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { comtradeArea, hsMaterials } from '../ingest/comtrade.ts';
import { AGGREGATE_IDS, ImportError, TRADE_FLOW_RANGES, type Source } from '../model/schema.ts';
import type { ImportSummary } from './store.ts';

export const BACI_KIND = 'baci';
const COLUMNS = ['t', 'i', 'j', 'k', 'v', 'q'] as const;
const COLUMN_MEANING: Record<(typeof COLUMNS)[number], string> = {
  t: 'year',
  i: 'exporter code',
  j: 'importer code',
  k: 'HS6 product code',
  v: 'value (thousand USD)',
  q: 'quantity (tonnes)',
};

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;
const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** What the file name says: HS revision (BACI_HS17_... → "17") and release (V202401 → 2024-01). */
export function baciFileInfo(file: string): { revision: string | null; release: string | null; slug: string } {
  const name = basename(file).replace(/\.csv$/i, '');
  const rev = /HS(\d{2})/i.exec(name)?.[1] ?? null;
  const rel = /V(\d{6})/i.exec(name)?.[1] ?? null;
  const slug =
    name
      .toLowerCase()
      .replace(/^baci[_-]?/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'file';
  return { revision: rev, release: rel, slug };
}

export interface BaciImportOptions {
  replace?: boolean;
}

type Tx = <T>(fn: () => Promise<T>) => Promise<T>;

async function one(conn: DuckDBConnection, sql: string): Promise<unknown[] | null> {
  const r = await conn.runAndReadAll(sql);
  return r.getRows()[0] ?? null;
}

/**
 * Validate and import one BACI file. `tx` runs a function in the store's transaction (all or nothing). Staging lives in
 * temp tables dropped afterwards, whatever happens.
 */
export async function importBaciFile(conn: DuckDBConnection, tx: Tx, file: string, contentHash: string, opts: BaciImportOptions = {}): Promise<ImportSummary> {
  const { revision, release, slug } = baciFileInfo(file);
  const f = sqlString(file);
  try {
    // 1. Header.
    const header = headerOf(file);
    const missing = COLUMNS.filter((c) => !header.includes(c));
    if (missing.length)
      throw new ImportError(
        file,
        1,
        missing.join(', '),
        `missing BACI column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `${c} (${COLUMN_MEANING[c]})`).join(', ')}; the header has ${header.join(', ')}`,
      );

    // 2. Staging, one pass over the file: typed columns, in file order (line = rowid + 2). A cell that does not parse
    //    becomes null (q: null and q_text set), found by the checks below; its text is read back only for the message.
    const types = `{${header.map((h) => `${sqlString(h)}: 'VARCHAR'`).join(', ')}}`;
    try {
      await conn.run(
        `create or replace temp table baci_typed as select
           try_cast(trim(t) as integer) as year, try_cast(trim(i) as integer) as exporter, try_cast(trim(j) as integer) as importer,
           case when regexp_full_match(trim(k), '[0-9]{5,6}') then lpad(trim(k), 6, '0') end as hs6,
           try_cast(trim(v) as double) as value_k, try_cast(nullif(nullif(trim(q), 'NA'), '') as double) as qty_t,
           nullif(nullif(trim(q), 'NA'), '') is not null as q_given
         from read_csv(${f}, header = true, delim = ',', quote = '"', columns = ${types}, auto_detect = false, strict_mode = true, null_padding = false)`,
      );
    } catch (e) {
      const msg = (e as Error).message;
      const line = /line:?\s*(\d+)/i.exec(msg);
      throw new ImportError(file, line ? Number(line[1]) : null, null, `malformed CSV row: ${firstLine(msg)}; nothing imported`);
    }
    const rows = Number((await one(conn, 'select count(*) from baci_typed'))![0]);
    if (!rows) throw new ImportError(file, null, null, 'the file holds no data rows (only a header?); nothing imported');

    // 3. Types and ranges, the first bad cell by line.
    const maxValueK = TRADE_FLOW_RANGES.valueUsd.max / 1000;
    const maxQtyT = TRADE_FLOW_RANGES.quantityKg.max / 1000;
    const bad = await one(
      conn,
      `select rowid + 2 as line,
          case when year is null or year < 1900 or year > 2100 then 't'
               when exporter is null then 'i' when importer is null then 'j' when hs6 is null then 'k'
               when value_k is null or not isfinite(value_k) or value_k < 0 or value_k > ${maxValueK} then 'v'
               when qty_t is null and q_given then 'q'
               when qty_t is not null and (not isfinite(qty_t) or qty_t < 0 or qty_t > ${maxQtyT}) then 'q' end as field
        from baci_typed where field is not null order by rowid limit 1`,
    );
    if (bad) {
      const [line, field] = [Number(bad[0]), String(bad[1]) as (typeof COLUMNS)[number]];
      const raw = await one(
        conn,
        `select ${field} from read_csv(${f}, header = true, delim = ',', quote = '"', columns = ${types}, auto_detect = false) limit 1 offset ${line - 2}`,
      );
      const why: Record<(typeof COLUMNS)[number], string> = {
        t: 'a year 1900..2100',
        i: 'a numeric country code',
        j: 'a numeric country code',
        k: 'an HS6 code (5-6 digits)',
        v: `a value in thousand USD, not negative, at most ${maxValueK.toExponential()} (${TRADE_FLOW_RANGES.valueUsd.why})`,
        q: `a quantity in tonnes, not negative, at most ${maxQtyT.toExponential()}, or NA`,
      };
      throw new ImportError(file, line, field, `"${raw?.[0] ?? ''}" is not ${why[field]}; nothing imported`);
    }
    const dup = await one(
      conn,
      `select year, exporter, importer, hs6, min(rowid) + 2, max(rowid) + 2 from baci_typed group by year, exporter, importer, hs6 having count(*) > 1 order by min(rowid) limit 1`,
    );
    if (dup)
      throw new ImportError(
        file,
        Number(dup[5]),
        't,i,j,k',
        `duplicate flow ${dup[0]} ${dup[1]} → ${dup[2]} HS ${dup[3]}: also on line ${dup[4]} (same year, exporter, importer and product twice); nothing imported`,
      );

    // 4. Code tables: countries (ISO3 from the numeric code) and HS codes (materials), built in JS from the same tables
    //    the Comtrade importer uses, for the distinct codes only.
    const codes = (await conn.runAndReadAll('select distinct exporter from baci_typed union select distinct importer from baci_typed'))
      .getRows()
      .map((x) => Number(x[0]));
    await conn.run('create or replace temp table baci_country (code integer, iso3 varchar)');
    const known = codes.map((c) => [c, comtradeArea(String(c))] as const).filter(([, iso]) => iso !== null && iso !== AGGREGATE_IDS.world);
    if (known.length) await conn.run(`insert into baci_country values ${known.map(([c, iso]) => `(${c}, ${sqlString(iso!)})`).join(', ')}`);
    const years = (await conn.runAndReadAll('select distinct year from baci_typed order by year')).getRows().map((x) => Number(x[0]));
    const hs2022 = revision !== null ? revision === '22' : years[0] >= 2022;
    const hsCodes = (await conn.runAndReadAll('select distinct hs6 from baci_typed')).getRows().map((x) => String(x[0]));
    await conn.run('create or replace temp table baci_hs (hs6 varchar, material_id varchar, scope varchar)');
    const hsRows: string[] = [];
    for (const code of hsCodes) {
      const m = hsMaterials(code, hs2022);
      if (m) for (const mat of m.materials) hsRows.push(`(${sqlString(code)}, ${sqlString(mat)}, ${sqlString(m.scope)})`);
    }
    if (hsRows.length) await conn.run(`insert into baci_hs values ${hsRows.join(', ')}`);

    const warnings: string[] = [];
    const unknownCountries = await conn.runAndReadAll(
      `select code, count(*) from (select exporter as code from baci_typed union all select importer from baci_typed) where code not in (select code from baci_country) group by code order by count(*) desc`,
    );
    for (const [code, n] of unknownCountries.getRows())
      warnings.push(
        `country code ${code} has no ISO3 country (not an M49 country or known Comtrade code): ${plural(Number(n), 'row')} not imported as a bilateral flow (counted in the partner's "World" total)`,
      );
    const unmapped = await one(conn, `select count(distinct hs6), count(*) from baci_typed where hs6 not in (select hs6 from baci_hs)`);
    if (unmapped && Number(unmapped[1]) > 0)
      warnings.push(
        `${plural(Number(unmapped[0]), 'HS code')} not mapped to a material (HS_MATERIALS): ${plural(Number(unmapped[1]), 'row')} of ${rows.toLocaleString('en-US')} skipped`,
      );
    const noQty = Number((await one(conn, 'select count(*) from baci_typed where qty_t is null'))![0]);
    if (noQty) warnings.push(`${plural(noQty, 'flow')} without a quantity (q = NA): value only; their reporters' "World" quantity is left null`);

    const source: Source = {
      id: `cepii-baci-${slug}`,
      dataset: 'cepii-baci',
      editionYear: release ? Number(release.slice(0, 4)) : years[years.length - 1],
      publisher: 'CEPII',
      title: 'BACI: international trade database at the product level',
      edition: `${revision ? `HS${revision} ` : ''}${release ? `release ${release.slice(0, 4)}-${release.slice(4)}, ` : ''}${years[0] === years[years.length - 1] ? years[0] : `${years[0]}-${years[years.length - 1]}`}`,
      table: 'bilateral trade flows by HS6 product (exporter i, importer j), value FOB in thousand USD, quantity in tonnes',
      licence: 'Etalab Open Licence 2.0 (CEPII BACI)',
      url: 'https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37',
      file: basename(file),
      caveat:
        'Reconciled mirror flows (one figure per exporter-importer-product-year, values FOB): stored as both the export and the import. ' +
        'Quantities are the product weight, not contained metal; an HS code can be wider than the material (see productScope). ' +
        'A country\'s "World" row is our sum over every partner in the file (null when a partner\'s quantity is missing), not a published total.',
    };
    const sid = sqlString(source.id);

    // 5. One transaction: replace the source's rows.
    return await tx(async () => {
      const before = Number((await one(conn, `select count(*) from trade_flows where source_id = ${sid}`))![0]);
      await conn.run(`delete from trade_flows where source_id = ${sid}`);
      await conn.run(`delete from sources where id = ${sid}`);
      await conn.run(
        'insert into sources (id, dataset, edition_year, publisher, title, edition, "table", licence, url, file, caveat) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
        [
          source.id,
          source.dataset,
          source.editionYear,
          source.publisher,
          source.title,
          source.edition,
          source.table,
          source.licence,
          source.url,
          source.file,
          source.caveat,
        ],
      );
      // Named flows of our HS codes with both countries' ISO3 (null for an area without a country), materialised once.
      await conn.run(`create or replace temp table baci_flows as
        select b.year, e.iso3 as exporter, m.iso3 as importer, b.hs6, b.value_k, b.qty_t
        from baci_typed b semi join baci_hs h on h.hs6 = b.hs6
        left join baci_country e on e.code = b.exporter left join baci_country m on m.code = b.importer`);
      await conn.run(`create or replace temp table baci_sides as
        select exporter as reporter_id, importer as partner_id, 'export' as flow, hs6, year, qty_t, value_k from baci_flows where exporter is not null
        union all
        select importer, exporter, 'import', hs6, year, qty_t, value_k from baci_flows where importer is not null`);
      await conn.run('drop table baci_flows');
      // each reporter's World row: every partner in the file, those without an ISO3 country included
      await conn.run(`insert into baci_sides
        select reporter_id, 'WLD', flow, hs6, year, case when count(qty_t) = count(*) then sum(qty_t) end, sum(value_k)
        from baci_sides group by reporter_id, flow, hs6, year`);
      await conn.run(`insert into trade_flows
        select s.reporter_id, s.partner_id, s.flow, h.material_id, s.hs6, s.year, null, s.qty_t * 1000, s.value_k * 1000, h.scope, ${sid}
        from baci_sides s join baci_hs h on h.hs6 = s.hs6 where s.partner_id is not null`);
      const written = Number((await one(conn, `select count(*) from trade_flows where source_id = ${sid}`))![0]);
      if (written === 0) throw new ImportError(file, null, null, `no row maps to a country pair and a material (${warnings.join('; ')}); nothing imported`);
      if (!opts.replace && before >= 20 && written < before / 2)
        throw new ImportError(
          file,
          null,
          null,
          `would replace the ${before.toLocaleString('en-US')} rows of source "${source.id}" with ${written.toLocaleString('en-US')} (a drop of ${Math.round(100 * (1 - written / before))}%): a truncated or partial file? Nothing imported. If the smaller file is right, import it with --replace`,
        );
      await conn.run('insert into imports (kind, file, sha256, observations, source_ids) values ($1, $2, $3, 0, $4)', [
        BACI_KIND,
        file,
        contentHash,
        source.id,
      ]);
      return {
        kind: BACI_KIND,
        file,
        sourceIds: [source.id],
        observations: 0,
        governance: 0,
        groupings: 0,
        tradeFlows: written,
        registry: 0,
        prices: 0,
        unchanged: false,
        warnings,
      };
    });
  } finally {
    for (const t of ['baci_typed', 'baci_flows', 'baci_sides', 'baci_country', 'baci_hs']) await conn.run(`drop table if exists ${t}`).catch(() => undefined);
  }
}

const firstLine = (s: string) => s.split('\n')[0].slice(0, 300);

/** The header line's column names (read from the first 64 KB, not the whole file). */
function headerOf(file: string): string[] {
  const buf = Buffer.alloc(64 * 1024);
  let n: number;
  const fd = openSync(file, 'r');
  try {
    n = readSync(fd, buf, 0, buf.length, 0);
  } finally {
    closeSync(fd);
  }
  const text = buf
    .subarray(0, n)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  const end = text.search(/\r?\n/);
  if (end < 0 && n === buf.length) throw new ImportError(file, 1, null, 'no header line in the first 64 KB: not a BACI CSV');
  return (end < 0 ? text : text.slice(0, end)).split(',').map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
}
