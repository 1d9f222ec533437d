/**
 * Builds src/data/countries.json (our curated country reference: ISO3, ISO2, M49, short name, region)
 * from the ISO 3166 / UN M49 table in ../shared/data/country-codes (ODC-PDDL). Run when that table changes:
 *   npx tsx scripts/build-countries.ts [path/to/country-codes.csv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseCsv } from '../src/ingest/csv.ts';

const path = process.argv[2] ?? new URL('../../shared/data/country-codes/country-codes.csv', import.meta.url).pathname;
const { header, rows } = parseCsv(readFileSync(path, 'utf8'), path);
const col = (name: string) => {
  const i = header.indexOf(name);
  if (i < 0) throw new Error(`${path}: missing column ${name}`);
  return i;
};
const out = rows
  .map((r) => ({
    id: r.cells[col('ISO3166-1-Alpha-3')],
    iso2: r.cells[col('ISO3166-1-Alpha-2')] || null,
    m49: r.cells[col('ISO3166-1-numeric')] || null,
    name: r.cells[col('CLDR display name')] || r.cells[col('official_name_en')],
    officialName: r.cells[col('official_name_en')] || null,
    untermShort: r.cells[col('UNTERM English Short')] || null,
    region: r.cells[col('Region Name')] || null,
    subregion: r.cells[col('Sub-region Name')] || null,
  }))
  .filter((c) => c.id);
// Kosovo is absent from ISO 3166; XKX is the convention WGI and the EU use.
out.push({ id: 'XKX', iso2: 'XK', m49: null, name: 'Kosovo', officialName: 'Kosovo', untermShort: null, region: 'Europe', subregion: 'Southern Europe' });
out.sort((a, b) => a.id.localeCompare(b.id));
writeFileSync(new URL('../src/data/countries.json', import.meta.url), JSON.stringify(out, null, 0).replace(/\},\{/g, '},\n{') + '\n');
console.log(`wrote ${out.length} countries`);
