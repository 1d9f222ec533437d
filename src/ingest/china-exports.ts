/**
 * China's monthly exports of export-controlled critical minerals by destination and HS6, 2017-2024: the table
 * `deep_dive_hs6_monthly.csv` (period_dt, partner_name, hs6, val, qty, uv) of the ChinaCriticalMineralComtrade project,
 * derived from UN Comtrade with China as reporter. `path` is that file or its folder; the folder's other tables are
 * aggregates by product group without HS codes and are not imported (one warning names them).
 *
 * Rules: reporter CHN, flow export; partner names → ISO3 with `resolveCountry` (unresolved names: one warning, rows
 * skipped); month from period_dt; quantityKg = qty (the provenance says qty is most likely kilograms, and the unit
 * values val/qty, about 1.7 USD/kg for natural graphite and a few hundred USD/kg for 811292, agree); a zero qty next
 * to a positive value is "not reported" (null; the table's uv is "inf" there); valueUsd = val; uv (= val/qty) is
 * derived and not read. HS codes map to materials through HS_MATERIALS of the Comtrade importer; China reported in
 * HS 2017 until 2021 and HS 2022 from 2022, which decides the productScope of 811292.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { resolveCountry } from '../model/countries.ts';
import { ImportError, TradeFlowSchema, type ImportBatch, type Source } from '../model/schema.ts';
import { hsMaterials } from './comtrade.ts';
import { checked, parseNumber, streamCsv } from './kit.ts';
import { collectBatch, type RecordOut, type StreamedImport } from './stream.ts';

export const CHINA_EXPORTS_FILE = 'deep_dive_hs6_monthly.csv';
const COLUMNS = ['period_dt', 'partner_name', 'hs6', 'val', 'qty'] as const;
const PERIOD = /^(\d{4})-(\d{2})(-\d{2})?$/;

const SOURCE_BASE = {
  id: 'china-cm-exports-2024',
  dataset: 'china-exports',
  editionYear: 2024,
  publisher: 'UN Comtrade (China as reporter), tables by the ChinaCriticalMineralComtrade project (Q. Ennis)',
  title: "China's monthly exports of export-controlled critical minerals by destination and HS6",
  table: 'deep_dive_hs6_monthly: exports by month, destination and HS6 (250410, 380110, 811292)',
  licence: 'no licence in source repository; UN Comtrade terms apply — reference use, not redistributed',
  url: 'https://github.com/qennis/ChinaCriticalMineralComtrade',
  caveat:
    'No licence file in the source repository (the README asks to cite the project/paper) and UN Comtrade terms apply: reference use for ' +
    'disruption case studies, do not redistribute without permission. Quantity is the Comtrade quantity, assumed to be kilograms (net weight; ' +
    "the project does not state the unit, unit values of about 1.7 USD/kg for natural graphite support it). Destinations are the project's " +
    "selection of partners, not all of China's partners; no world total. HS 811292 is stored under both gallium and germanium.",
} as const;

/** The number of a code in `codes`, numbering it if new. */
function codeIndex(codes: Map<string, number>, code: string): number {
  let i = codes.get(code);
  if (i === undefined) codes.set(code, (i = codes.size));
  return i;
}

/** The file to read and the other tables of its folder (not imported). */
function locate(path: string): { file: string; others: string[] } {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
  if (!isDir) return { file: path, others: [] };
  let names: string[];
  try {
    names = readdirSync(path).sort();
  } catch (e) {
    throw new ImportError(path, null, null, `cannot list folder: ${(e as Error).message}`);
  }
  if (!names.includes(CHINA_EXPORTS_FILE))
    throw new ImportError(path, null, null, `folder has no ${CHINA_EXPORTS_FILE} (the only table with HS6 by destination)`);
  return { file: join(path, CHINA_EXPORTS_FILE), others: names.filter((n) => /\.csv$/i.test(n) && n !== CHINA_EXPORTS_FILE) };
}

export async function importChinaExports(path: string): Promise<ImportBatch> {
  return collectBatch('china-exports', path, streamChinaExports);
}

/**
 * Read the table row by row, each trade flow handed to `out` as it is made. Held across rows: per partner × HS code ×
 * month, its first line and figures (to import identical repeats once and refuse conflicting ones), in typed arrays.
 */
export async function streamChinaExports(path: string, out: RecordOut): Promise<StreamedImport> {
  const { file, others } = locate(path);
  const { col, rows } = await streamCsv(file, COLUMNS);
  let dataRows = 0;
  const warnings: string[] = [];
  if (others.length) warnings.push(`tables without HS6 by destination not imported: ${others.join(', ')}`);
  const unresolved = new Map<string, number>();
  const unknownHs = new Map<string, number>();
  let zeroQuantity = 0;
  let firstPeriod: string | null = null;
  let lastPeriod: string | null = null;
  const seen = new Map<number, number>(); // key → slot in the arrays below
  const partnerIds = new Map<string, number>();
  const hsCodes = new Map<string, number>();
  let lines = new Int32Array(1024);
  let figures = new Float64Array(2048); // quantity, value per slot; NaN for null
  let duplicates = 0;

  for await (const { line, cells } of rows) {
    dataRows++;
    const cell = (k: (typeof COLUMNS)[number]) => cells[col[k]].trim();
    const amount = (field: 'val' | 'qty'): number | null => {
      const raw = cell(field);
      if (raw === '') return null;
      const v = parseNumber(raw);
      if (v === null) throw new ImportError(file, line, field, `expected a number, found "${raw}"`);
      if (v < 0) throw new ImportError(file, line, field, `negative ${field} ${raw}`);
      return v;
    };
    const periodRaw = cell('period_dt');
    const p = PERIOD.exec(periodRaw);
    const year = p ? Number(p[1]) : NaN;
    const month = p ? Number(p[2]) : NaN;
    if (!p || year < 1900 || year > 2100 || month < 1 || month > 12)
      throw new ImportError(file, line, 'period_dt', `expected a month as YYYY-MM-01, found "${periodRaw}"`);
    const hs6 = cell('hs6');
    if (!/^\d{4,10}$/.test(hs6)) throw new ImportError(file, line, 'hs6', `expected an HS code, found "${hs6}"`);
    const valueUsd = amount('val');
    let quantityKg = amount('qty');
    const period = `${p[1]}-${p[2]}`;
    if (firstPeriod === null || period < firstPeriod) firstPeriod = period;
    if (lastPeriod === null || period > lastPeriod) lastPeriod = period;

    const name = cell('partner_name');
    const partner = resolveCountry(name);
    if (!partner) {
      unresolved.set(name, (unresolved.get(name) ?? 0) + 1);
      continue;
    }
    const hs = hsMaterials(hs6, year >= 2022);
    if (!hs) {
      unknownHs.set(hs6, (unknownHs.get(hs6) ?? 0) + 1);
      continue;
    }
    if (quantityKg === 0 && valueUsd !== null && valueUsd > 0) {
      quantityKg = null;
      zeroQuantity++;
    }
    // partner × HS code × month as one small integer (no string per row): codes numbered as first seen
    const key = (codeIndex(partnerIds, partner.id) * 1e6 + codeIndex(hsCodes, hs6)) * 2412 + (year - 1900) * 12 + month - 1; // exact below 2^53
    const slot = seen.get(key);
    if (slot !== undefined) {
      const same = (a: number, b: number | null) => (b === null ? Number.isNaN(a) : a === b);
      const sameValue = same(figures[2 * slot + 1], valueUsd);
      if (!same(figures[2 * slot], quantityKg) || !sameValue) {
        throw new ImportError(
          file,
          line,
          !sameValue ? 'val' : 'qty',
          `second row for ${partner.id} HS ${hs6} ${periodRaw} with other figures than line ${lines[slot]}`,
        );
      }
      duplicates++;
      continue;
    }
    const at = seen.size;
    if (at >= lines.length) {
      const l = new Int32Array(lines.length * 2);
      l.set(lines);
      lines = l;
      const f = new Float64Array(figures.length * 2);
      f.set(figures);
      figures = f;
    }
    seen.set(key, at);
    lines[at] = line;
    figures[2 * at] = quantityKg ?? NaN;
    figures[2 * at + 1] = valueUsd ?? NaN;
    for (const materialId of hs.materials) {
      const record = {
        reporterId: 'CHN',
        partnerId: partner.id,
        flow: 'export' as const,
        materialId,
        hsCode: hs6,
        year,
        month,
        quantityKg,
        valueUsd,
        productScope: hs.scope,
        sourceId: SOURCE_BASE.id,
      };
      await out.tradeFlow(checked(TradeFlowSchema, record, file, line, 'tradeFlow'));
    }
  }
  if (!dataRows) throw new ImportError(file, null, null, 'no data rows below the header');

  const source: Source = { ...SOURCE_BASE, edition: `${firstPeriod} to ${lastPeriod}`, file: basename(file) };
  if (unresolved.size) {
    const rows = [...unresolved.values()].reduce((a, b) => a + b, 0);
    warnings.push(`partner names without a country id, ${rows} rows not imported: ${[...unresolved].map(([n, k]) => `"${n}" (${k})`).join(', ')}`);
  }
  for (const [code, n] of unknownHs) warnings.push(`HS code ${code} is not mapped to a material (HS_MATERIALS); ${n} rows not imported`);
  if (duplicates) warnings.push(`${duplicates} repeated rows (same partner, HS code and month, same figures) imported once`);
  if (zeroQuantity) warnings.push(`${zeroQuantity} rows with a positive value but zero quantity (uv "inf"): quantity taken as not reported (null)`);
  return { sources: [source], warnings };
}
