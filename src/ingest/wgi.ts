/**
 * World Bank Worldwide Governance Indicators, long CSV (one row per economy, indicator and year). `..` marks a
 * missing estimate: such rows carry no numbers and are skipped, counted in one warning. Economy codes are WGI's
 * own (mostly ISO3; ZAR, ROM, ADO, KSV, TMP, WBG differ) and go through `resolveCountry` like any other label.
 */
import { GovernanceSchema, ImportError, type Governance, type ImportBatch, type Source } from '../model/schema.ts';
import { resolveCountry } from '../model/countries.ts';
import { checked, numberCell, streamCsv } from './kit.ts';
import { collectBatch, type RecordOut, type StreamedImport } from './stream.ts';

export const WGI_SOURCE: Source = {
  id: 'wb-wgi-2024',
  dataset: 'wgi',
  editionYear: 2024,
  publisher: 'World Bank',
  title: 'Worldwide Governance Indicators',
  edition: '2024 update',
  table: 'Estimates, standard errors and percentile ranks, 1996-2023 (long format)',
  licence: 'CC BY 4.0',
  url: 'https://www.worldbank.org/en/publication/worldwide-governance-indicators',
  file: 'wgidataset.xlsx',
  caveat:
    'Converted sheet to CSV from a third-party copy of wgidataset.xlsx; licence as listed in the World Bank Data Catalog, re-check before redistribution.',
};

const MISSING = '..';
const INDICATORS = GovernanceSchema.shape.indicator.options;
const isIndicator = (s: string): s is Governance['indicator'] => (INDICATORS as readonly string[]).includes(s);
const COLUMNS = ['code', 'countryname', 'year', 'indicator', 'estimate', 'stddev', 'pctrank'] as const;

export async function importWgi(path: string): Promise<ImportBatch> {
  return collectBatch('wgi', path, streamWgi);
}

/**
 * Read the CSV row by row, each governance record handed to `out` as it is made. Memory held across rows: the set of
 * keys seen (country × indicator × year, at most ~214 × 6 × years: about 1 MB for 1996-2023) and the warning counts.
 */
export async function streamWgi(path: string, out: RecordOut): Promise<StreamedImport> {
  const { col, rows } = await streamCsv(path, COLUMNS);
  const warnings: string[] = [];
  const seen = new Set<string>();
  const unresolved = new Map<string, number>();
  let missing = 0;
  for await (const { line, cells } of rows) {
    const code = cells[col.code].trim();
    const indicator = cells[col.indicator].trim();
    if (!isIndicator(indicator)) {
      throw new ImportError(path, line, 'indicator', `expected one of ${INDICATORS.join(', ')}, found "${indicator}"`);
    }
    const year = numberCell(path, line, 'year', cells[col.year]);
    if (cells[col.estimate].trim() === MISSING) {
      missing++;
      continue;
    }
    const country = resolveCountry(code);
    if (!country) {
      const economy = `${code} (${cells[col.countryname].trim()})`;
      unresolved.set(economy, (unresolved.get(economy) ?? 0) + 1);
      continue;
    }
    const key = `${country.id}|${indicator}|${year}`;
    if (seen.has(key)) throw new ImportError(path, line, 'code', `second row for ${country.id} ${indicator} ${year}`);
    seen.add(key);
    const optional = (field: 'stddev' | 'pctrank') => (cells[col[field]].trim() === MISSING ? null : numberCell(path, line, field, cells[col[field]]));
    const record = {
      countryId: country.id,
      year,
      indicator,
      estimate: numberCell(path, line, 'estimate', cells[col.estimate]),
      stdErr: optional('stddev'),
      percentileRank: optional('pctrank'),
      sourceId: WGI_SOURCE.id,
    };
    await out.governance(checked(GovernanceSchema, record, path, line, 'governance'));
  }
  if (missing) warnings.push(`${missing} rows without an estimate ("${MISSING}") skipped`);
  for (const [economy, rows] of unresolved) warnings.push(`economy ${economy} has no country id (no current ISO code); ${rows} rows not imported`);
  return { sources: [WGI_SOURCE], warnings };
}
