/**
 * USGS Mineral Commodity Summaries, U.S. salient statistics: one CSV per commodity (`mcs2025-cobal_salient.csv`;
 * the 2022 subset prefixes a commodity word: `cobalt_mcs2022-cobal_salient.csv`), a row per year, and columns
 * whose names carry measure, product and unit (`Imports_ore_concentrates_t`, `Consump_Apprnt_kt`, `NIR_pct`,
 * `Bauxite_Imports_kt`, `Price_dlb`, ...). The column scheme differs per commodity and edition, so each column
 * is classified by its name:
 *  - stored: net import reliance (`NIR`, percent of apparent consumption), imports, exports and consumption in
 *    mass units (converted to tonnes), all for countryId USA;
 *  - products that share a commodity file but are materials of their own in the registry (platinum/palladium,
 *    alumina, bentonite/kaolin/fuller's earth, titanium sponge, sheet mica, ferrosilicon, silicon carbide) are stored
 *    under that material, as the world importer does (`productMaterial`);
 *  - prices (`Price_*` columns with a money-per-mass unit) go to the batch's `prices` (store table `prices`), one series
 *    per column named by the words between `Price` and the unit (see planPrices);
 *  - not stored, listed in one warning per file: U.S. production (the world files carry it; stored here it would be
 *    mistaken for a world series), stocks, employment, shipments/sales, quantities in non-mass units, and price
 *    columns without a money-per-mass unit.
 *
 * Quirks of the real release handled here (see the data folders' PROVENANCE.md):
 *  - MCS2024 ships three `*_salient.csv` files that hold world data (`Source,Country,Type,...`: cobal, gypsu,
 *    kyani) and two whose header is one name short so every value after a gap sits one column to the right
 *    (felds, fluor: values under blank header cells). Both are skipped with a warning, not read wrongly.
 *  - Units glued to the name (`Imports_GaAskg`, `Consump_Apparentt`), a missing unit (`Consump_`,
 *    `Exports_Total`) and `_g` beside `_kg` columns whose values are kilograms (gallium 2024, germanium 2025):
 *    read in the one mass unit the file's other columns use, with a note and a warning; never guessed otherwise.
 *  - Repeated column names (`Consump_t,Consump_t` for iodine: apparent, then reported) keep their position in
 *    `detail` so the two series stay apart.
 *  - The edition's latest year is a USGS estimate ("Data for 2024 were estimated based on available 2023 data and
 *    industry trends", MCS2025 metadata), so it is flagged `estimated`.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  ImportError,
  ObservationSchema,
  type Basis,
  type ImportBatch,
  type Measure,
  type Observation,
  PricePointSchema,
  PRICE_UNITS,
  type PricePoint,
  type PriceUnit,
  type Source,
  type Stage,
  type ValueStatus,
} from '../../model/schema.ts';
import { getMaterial, resolveMaterial } from '../../model/materials.ts';
import { append, checked, parseNumber, readCsv, readText } from '../kit.ts';
import type { CsvTable } from '../csv.ts';

// ---------------------------------------------------------------------------------------------------------------
// Sources (shared with nir.ts)
// ---------------------------------------------------------------------------------------------------------------

/** DOIs of the MCS data releases, from the data folders' PROVENANCE.md. */
export const MCS_DOI: Record<number, string> = {
  2022: 'https://doi.org/10.5066/P9KKMCP4',
  2023: 'https://doi.org/10.5066/P9WCYUI6',
  2024: 'https://doi.org/10.5066/P144BA54',
  2025: 'https://doi.org/10.5066/P13XCP3R',
};
export const MCS_HOME = 'https://www.usgs.gov/centers/national-minerals-information-center/mineral-commodity-summaries';

/** Source family of U.S.-only USGS rows; never 'usgs-mcs', which picks world production series. */
export const SALIENT_DATASET = 'usgs-mcs-salient';

export const salientSourceId = (edition: number) => `usgs-mcs-${edition}-salient`;

/**
 * Give the sources of a one-file import of a per-commodity release ids of their own (`<id>-<code>`), so importing it
 * next to a folder import of the same edition adds rather than replaces the other commodities' rows (the store
 * replaces a source's rows as a whole). Mutates the sources and the observations citing them.
 */
export function ownSourcePerFile(sources: Iterable<Source>, observations: Array<{ sourceId: string }>, code: string): void {
  for (const src of sources) {
    const id = `${src.id}-${code}`;
    for (const o of observations) if (o.sourceId === src.id) o.sourceId = id;
    src.id = id;
    src.table = `${src.table} (${code} file only)`;
  }
}

export function usgsSalientSource(edition: number, file: string): Source {
  return {
    id: salientSourceId(edition),
    dataset: SALIENT_DATASET,
    editionYear: edition,
    publisher: 'U.S. Geological Survey',
    title: `Mineral Commodity Summaries ${edition} Data Release`,
    edition: `MCS${edition}`,
    table: 'U.S. salient statistics',
    licence: 'U.S. public domain (USGS data release)',
    url: MCS_DOI[edition] ?? MCS_HOME,
    file,
    caveat:
      edition === 2022
        ? `MCS2022 subset of 12 commodities (files renamed by a third-party copy); ${edition - 1} figures are USGS estimates.`
        : `U.S. figures only; ${edition - 1} figures are USGS estimates.`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Cells (shared with nir.ts)
// ---------------------------------------------------------------------------------------------------------------

export interface ParsedCell {
  value: number | null; // in the column's unit, or in tonnes when `tonnes` is set
  status: ValueStatus;
  estimated: boolean;
  note: string | null;
  tonnes?: boolean; // the cell named its own mass unit ("Less than 50,000 tons")
}

export const NET_EXPORTER_NOTE = 'net exporter (USGS "E")';
const DASH_NOTE = 'USGS dash: zero';
const HALF_UNIT = /^less than (?:½|1\/2|one[- ]half|a half) (?:a )?unit\.?$/i;
const LESS_THAN_TONS = /^less than ([\d,.\s]+?)\s*(?:metric )?tons?\.?$/i;
const DASHES = new Set(['-', '--', '—', '–', '−', '---']);
const GROUPED = /^[+-]?\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?$/;

/** A plain or thousands-grouped number ("1,670", "1 700", "−88"); null when the text is anything else. */
export function parseGroupedNumber(raw: string): number | null {
  const s = raw
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\u2212/g, '-')
    .trim();
  if (GROUPED.test(s)) return parseNumber(s.replace(/[,\s]/g, ''));
  return parseNumber(s);
}

/**
 * One USGS cell: a number or one of the published tokens. Returns null for an empty cell (no observation) and
 * throws an ImportError naming file, line and column for anything else.
 */
export function parseUsgsCell(file: string, line: number, field: string, raw: string, kind: 'nir' | 'quantity'): ParsedCell | null {
  const s = raw.replace(/[\u00a0\u202f]/g, ' ').trim();
  if (s === '') return null;
  const fail = (): never => {
    throw new ImportError(file, line, field, `expected a number or a USGS token (W, NA, XX${kind === 'nir' ? ', E' : ''}, >n, <n, —), found "${raw}"`);
  };
  const upper = s.toUpperCase();
  if (upper === 'W') return { value: null, status: 'withheld', estimated: false, note: null };
  if (upper === 'NA') return { value: null, status: 'not_available', estimated: false, note: null };
  if (upper === 'XX') return { value: null, status: 'not_applicable', estimated: false, note: null };
  if (DASHES.has(s)) return { value: 0, status: 'reported', estimated: false, note: DASH_NOTE };
  if (kind === 'nir') {
    if (s === 'E') return { value: null, status: 'not_applicable', estimated: false, note: NET_EXPORTER_NOTE };
  }
  const pct = kind === 'nir' ? s.replace(/\s*%$/, '') : s;
  const bound = /^([<>])\s*(.+)$/.exec(pct);
  if (bound) {
    const v = parseGroupedNumber(bound[2]);
    if (v === null) return fail();
    return { value: v, status: bound[1] === '>' ? 'lower_bound' : 'upper_bound', estimated: false, note: `published as "${s}"` };
  }
  if (kind === 'quantity') {
    if (HALF_UNIT.test(s)) return { value: 0.5, status: 'upper_bound', estimated: false, note: `published as "${s}"` };
    const tons = LESS_THAN_TONS.exec(s);
    if (tons) {
      const v = parseGroupedNumber(tons[1]);
      if (v === null) return fail();
      return { value: v, status: 'upper_bound', estimated: false, note: `published as "${s}"`, tonnes: true };
    }
  }
  // "e40" / "40e": USGS estimate marker (lower-case e; a bare "E" is the net-exporter token)
  const est = /^e\s*(\d.*)$/.exec(pct) ?? /^(.*\d)\s*e$/.exec(pct);
  if (est) {
    const v = parseGroupedNumber(est[1]);
    if (v !== null) return { value: v, status: 'reported', estimated: true, note: `published as "${s}" (estimate)` };
  }
  const v = parseGroupedNumber(pct);
  if (v === null) return fail();
  return { value: v, status: 'reported', estimated: false, note: null };
}

// ---------------------------------------------------------------------------------------------------------------
// Editions
// ---------------------------------------------------------------------------------------------------------------

const EDITION_TOKEN = /^MCS\s*(\d{4})$/i;

/** Edition year in a file name ("mcs2025-cobal_salient.csv", "MCS2024_Fig2_...", "cobalt_mcs2022-..."), or null. */
export function editionFromFileName(file: string): number | null {
  const m = /mcs(\d{4})/i.exec(basename(file));
  return m ? Number(m[1]) : null;
}

/**
 * The edition of a file: every row's DataSource/Source cell and the file name must agree, and at least one of
 * them must be present. Throws an ImportError naming the line and column that disagree.
 */
export function editionOf(file: string, table: CsvTable, sourceCol: number | null, sourceName: string | null): number {
  const fromName = editionFromFileName(file);
  let fromColumn: number | null = null;
  if (sourceCol !== null) {
    for (const { line, cells } of table.rows) {
      const raw = cells[sourceCol].trim();
      const m = EDITION_TOKEN.exec(raw);
      if (!m) throw new ImportError(file, line, sourceName, `expected an edition like "MCS2025", found "${raw}"`);
      const y = Number(m[1]);
      if (fromColumn !== null && y !== fromColumn)
        throw new ImportError(file, line, sourceName, `edition MCS${y} differs from MCS${fromColumn} on earlier rows`);
      if (fromName !== null && y !== fromName) throw new ImportError(file, line, sourceName, `edition MCS${y} disagrees with the file name (MCS${fromName})`);
      fromColumn = y;
    }
  }
  const edition = fromColumn ?? fromName;
  if (edition === null)
    throw new ImportError(file, 1, sourceName ?? 'DataSource', 'cannot tell the MCS edition: no DataSource/Source values and no "mcsYYYY" in the file name');
  if (edition < 1990 || edition > 2100) throw new ImportError(file, null, sourceName ?? 'DataSource', `implausible edition year ${edition}`);
  return edition;
}

/** Published file name: the third-party 2022 copy prefixed a commodity word ("cobalt_mcs2022-cobal_salient.csv"). */
function publishedName(file: string): string {
  const name = basename(file);
  const m = /(mcs\d{4}.*)$/i.exec(name);
  return m ? m[1] : name;
}

// ---------------------------------------------------------------------------------------------------------------
// Columns
// ---------------------------------------------------------------------------------------------------------------

const MASS: Record<string, number> = { t: 1, kt: 1e3, kg: 1e-3, mt: 1e6, Mt: 1e6, mmt: 1e6 };
/** Non-mass units that appear on quantity columns: million dollars, million carats, million cubic metres, ... */
const NON_MASS = new Set([
  'mdol',
  'mct',
  'kct',
  'ct',
  'mcm',
  'msqft',
  'pct',
  'num',
  'dct',
  'dt',
  'dkg',
  'dlb',
  'dto',
  'dtoz',
  'dst',
  'ctslb',
  'dg',
  'index',
  'um',
  'm',
  'df',
]);
/** Qualifier words that the release glues to their unit ("Imports_GaAskg", "Consump_Apparentt"). */
const GLUED = /^(Mine|Primary|Secondary|Concentrate|Other|Reported|Apparent|Metal|GaAs)(kg|kt|t)$/;
/** Words saying imports or exports are of ore or concentrate (mining stage) rather than metal or products. */
const MINING_WORDS = /^(ores?|concentrates?|concentratet|mine|bauxite|celestite|colemanite|ulexite|ilmenite|rutile|chromite)$/i;
/** Commodities that are themselves mine products: their imports and exports are ore or concentrate. */
const MINED_COMMODITIES = new Set(['iron-ore', 'bauxite', 'phosphate-rock', 'titanium-minerals']);

type SkipReason =
  | 'U.S. production (carried by the world files)'
  | 'prices'
  | 'stocks'
  | 'employment'
  | 'other quantities (shipments, sales, supply, ...)'
  | 'non-mass units'
  | 'unit unclear'
  | 'products without a registry material';
const SKIP_ORDER: SkipReason[] = [
  'U.S. production (carried by the world files)',
  'prices',
  'stocks',
  'employment',
  'other quantities (shipments, sales, supply, ...)',
  'non-mass units',
  'unit unclear',
  'products without a registry material',
];

interface StoredColumn {
  index: number;
  header: string;
  detail: string;
  measure: Extract<Measure, 'net_import_reliance' | 'imports' | 'exports' | 'consumption'>;
  materialId: string;
  stage: Stage;
  basis: Basis;
  factor: number; // to tonnes; 1 for percent
  unit: 't' | 'percent';
  estimated: boolean;
  note: string | null;
}

interface ColumnPlan {
  stored: StoredColumn[];
  skipped: Map<SkipReason, string[]>;
  notes: string[]; // file-level remarks for the warning list
}

const tokensOf = (header: string) => header.split('_');
const isMeasureWord = (t: string) =>
  /^(US)?prod/i.test(t) ||
  /^(Imports|Exports|Consump|Consumption|Consumtion|NIR|Price|Stocks|Employment|Shipments|Sales|Sold|SoldFinished|Recycled|Supply|Furnace|Continuous|Products|Extracted|Withdrawn|Apparent|Apprnt|Mine|Refinery|Production|Quantity|CASE STATEMENT ERROR.*)$/i.test(
    t,
  );

/** Unit token of a header: the last `_` part, or a unit glued to a known qualifier word. */
function unitToken(header: string): { unit: string } {
  const tokens = tokensOf(header);
  const last = tokens[tokens.length - 1];
  const glued = GLUED.exec(last);
  if (glued && tokens.length > 1) return { unit: glued[2] };
  return { unit: tokens.length > 1 ? last : '' };
}

type Kind = 'nir' | 'imports' | 'exports' | 'consumption' | SkipReason;

function kindOf(header: string): Kind {
  const tokens = tokensOf(header);
  // a leading product word ("Bauxite_Imports_kt", "Bort_NIR_pct", "Granite_Sold_kt") is not the measure
  const start = tokens.length > 1 && !isMeasureWord(tokens[0]) && isMeasureWord(tokens[1]) ? 1 : 0;
  const head = tokens[start];
  if (/^Price/i.test(head) || /^Prod_Price/i.test(header)) return 'prices';
  if (/^Employment/i.test(head)) return 'employment';
  if (/^Stocks/i.test(head)) return 'stocks';
  if (/NIR/.test(header)) return 'nir';
  if (/^Imports$/i.test(head)) return 'imports';
  if (/^Exports$/i.test(head)) return 'exports';
  if (/^(Consump|Consumption|Consumtion|Apparent|Apprnt)$/i.test(head)) return 'consumption';
  if (/^(US)?prod/i.test(head) || /^(Mine|Refinery|Production|Quantity)$/i.test(head)) return 'U.S. production (carried by the world files)';
  return 'other quantities (shipments, sales, supply, ...)';
}

/**
 * Products that share a commodity file or figure label but that the registry keeps as materials of their own,
 * the same split the world importer makes: platinum and palladium (PGM), alumina (bauxite file), bentonite,
 * kaolin and fuller's earth (clays), titanium sponge (titanium metal), sheet mica, ferrosilicon and silicon
 * carbide. `text` is a salient column name ("Imports_FeSi_kt") or a Fig. 2 label ("TITANIUM, sponge metal").
 * Returns null for a product the registry has no material for (metallic abrasives), which is then not stored.
 */
export function productMaterial(commodityId: string, text: string): string | null {
  const t = ` ${text
    .toLowerCase()
    .replace(/[_\-,()]+/g, ' ')
    .replace(/\s+/g, ' ')} `;
  const has = (re: RegExp) => re.test(t);
  switch (commodityId) {
    case 'pgm':
      for (const m of ['palladium', 'platinum', 'iridium', 'osmium', 'rhodium', 'ruthenium']) if (t.includes(` ${m} `)) return m;
      return commodityId;
    case 'bauxite':
      return has(/ alumina /) ? 'alumina' : commodityId;
    case 'clays':
      return has(/ bentonite /) ? 'bentonite' : has(/ kaolin /) ? 'kaolin' : has(/ fuller'?s? /) ? 'fullers-earth' : commodityId;
    case 'titanium':
      return has(/ sponge /) ? 'titanium-metal' : commodityId;
    case 'mica':
      return has(/ sheet /) ? 'mica-sheet' : commodityId;
    case 'silicon': {
      // "FeSi-Si", "FeSi2_Si", "metal and ferrosilicon": both products together stay silicon
      const ferro = has(/ (fesi2?|ferrosilicon) /);
      const metal = has(/ (si|metal) /);
      return ferro && !metal ? 'ferrosilicon' : commodityId;
    }
    case 'abrasives':
      if (has(/ (sic|silicon carbide) /)) return 'silicon-carbide';
      if (has(/ met abras /) || has(/ metallic /)) return null;
      return commodityId;
    default:
      return commodityId;
  }
}

/**
 * Column names the release gets wrong, found by comparing editions (values for the same year under different
 * names or units). Each applies to one edition, commodity and published name only, so a corrected re-release
 * is not "fixed" twice; the value is then read as `read` and the observation's detail says both names.
 */
interface HeaderFix {
  editions: number[];
  materialId: string;
  header: string;
  nth?: number; // which of several columns with this name (1-based)
  read: string;
  why: string;
}
const LEAD_SWAP =
  'lead 2024/2025 files: metal and concentrate labels are shifted (MCS2023 has 2020 imports of concentrates "Less than ½ unit", refined metal 382 kt, exports of concentrates 265 kt, refined 17 kt; these files have the same numbers under Imports_Metal_kt, Imports_Concentrates_kt, Exports_Metal_kt, Exports_kt)';
export const HEADER_FIXES: HeaderFix[] = [
  {
    editions: [2023],
    materialId: 'lead',
    header: 'Consump_t',
    read: 'Consump_kt',
    why: 'values are thousand tonnes like every other mass column of the file (1,400 for 2020; MCS2024 and MCS2025 give 1,450 kt)',
  },
  { editions: [2024, 2025], materialId: 'lead', header: 'Imports_Metal_kt', read: 'Imports_Concentrates_kt', why: LEAD_SWAP },
  { editions: [2024, 2025], materialId: 'lead', header: 'Imports_Concentrates_kt', read: 'Imports_Metal_kt', why: LEAD_SWAP },
  { editions: [2024, 2025], materialId: 'lead', header: 'Exports_Metal_kt', read: 'Exports_Concentrates_kt', why: LEAD_SWAP },
  { editions: [2024, 2025], materialId: 'lead', header: 'Exports_kt', read: 'Exports_Metal_kt', why: LEAD_SWAP },
  {
    editions: [2024],
    materialId: 'iron-steel',
    header: 'Consump_mmt',
    nth: 1,
    read: 'Continuous_cast_pct',
    why: 'the first of two Consump_mmt columns sits where MCS2023 has Continuous_cast_pct and holds its percentages (100, 100, 99.8, ...); the second holds apparent consumption',
  },
];

function planColumns(header: string[], commodityId: string, edition: number, skipIndexes: Set<number>): ColumnPlan {
  const skipped = new Map<SkipReason, string[]>();
  const notes: string[] = [];
  const skip = (reason: SkipReason, h: string) => skipped.set(reason, [...(skipped.get(reason) ?? []), h]);

  // Names to read each column by: as published, unless a known fix applies.
  const published = new Map<string, number>();
  const fixed = new Map<string, string[]>(); // why -> "published → read"
  const names = header.map((h) => {
    const nth = (published.get(h) ?? 0) + 1;
    published.set(h, nth);
    const fix = HEADER_FIXES.find((f) => f.editions.includes(edition) && f.materialId === commodityId && f.header === h && (f.nth ?? nth) === nth);
    if (!fix) return { name: h, fix: null };
    fixed.set(fix.why, [...(fixed.get(fix.why) ?? []), `${h}${fix.nth ? ` (${ordinal(nth)} so named)` : ''} as ${fix.read}`]);
    return { name: fix.read, fix };
  });
  for (const [why, list] of fixed) notes.push(`column name(s) corrected, read ${list.join(', ')}: ${why}`);
  const kinds = names.map(({ name }, i) => (skipIndexes.has(i) || name === '' ? null : kindOf(name)));

  // The file's mass unit, for columns whose own unit is missing or implausible ("Consump_", "Consump_g").
  const massUnits = new Set<string>();
  names.forEach(({ name }, i) => {
    const k = kinds[i];
    if (k === null || k === 'nir' || k === 'prices' || k === 'employment') return;
    const { unit } = unitToken(name);
    if (unit in MASS) massUnits.add(unit);
  });
  const fileUnit = massUnits.size === 1 ? [...massUnits][0] : null;

  const counts = new Map<string, number>();
  for (const { name } of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  const seen = new Map<string, number>();

  const stored: StoredColumn[] = [];
  names.forEach(({ name: h, fix }, index) => {
    const kind = kinds[index];
    if (kind === null) return;
    const nth = (seen.get(h) ?? 0) + 1;
    seen.set(h, nth);
    const repeated = (counts.get(h) ?? 1) > 1;
    const label = fix ? `${h} [published header: ${header[index]}]` : h;
    const detail = repeated ? `${label} (column ${index + 1}, ${ordinal(nth)} of ${counts.get(h)} so named)` : label;
    if (kind === 'prices') return; // planPrices reads them (stored in the prices table, or listed as not stored)
    if (kind !== 'nir' && kind !== 'imports' && kind !== 'exports' && kind !== 'consumption') {
      skip(kind, fix ? `${header[index]} (read as ${h})` : h);
      return;
    }
    const tokens = h.split(/[_\-\s]+/);
    const estimated = tokens.some((t) => /^(est|estimated)$/i.test(t));
    const materialId = productMaterial(commodityId, h);
    if (materialId === null) {
      skip('products without a registry material', header[index]);
      return;
    }
    const noteParts: string[] = [];
    if (fix) noteParts.push(`published as ${header[index]}; ${fix.why}`);
    if (repeated) noteParts.push(`column name "${h}" appears ${counts.get(h)} times in the file; told apart by position`);
    const note = () => (noteParts.length ? noteParts.join('; ') : null);
    if (kind === 'nir') {
      stored.push({
        index,
        header: header[index],
        detail,
        measure: 'net_import_reliance',
        materialId,
        stage: 'end_use',
        basis: 'ratio',
        factor: 1,
        unit: 'percent',
        estimated,
        note: note(),
      });
      return;
    }
    let { unit } = unitToken(h);
    if (!(unit in MASS)) {
      if (NON_MASS.has(unit)) {
        skip('non-mass units', header[index]);
        return;
      }
      if (fileUnit === null) {
        skip('unit unclear', header[index]);
        return;
      }
      const why = unit === 'g' ? 'header says "_g" beside kilogram columns' : 'no unit in the header';
      notes.push(`${h} read as ${fileUnit} (${why}; every other mass column of the file is in ${fileUnit})`);
      noteParts.push(`${why}; read as ${fileUnit}, the unit of every other mass column in the file`);
      unit = fileUnit;
    }
    const measure = kind;
    const mining = tokens.some((t) => MINING_WORDS.test(t)) || MINED_COMMODITIES.has(materialId);
    const stage: Stage = measure === 'consumption' ? 'end_use' : mining ? 'mining' : 'refining';
    const basis: Basis = /content|contained/i.test(h) ? 'contained' : /gross/i.test(h) ? 'gross_weight' : 'unspecified';
    stored.push({ index, header: header[index], detail, measure, materialId, stage, basis, factor: MASS[unit], unit: 't', estimated, note: note() });
  });
  return { stored, skipped, notes };
}

const ordinal = (n: number) => (n === 1 ? '1st' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`);

// ---------------------------------------------------------------------------------------------------------------
// Prices
// ---------------------------------------------------------------------------------------------------------------

/** Money-per-mass unit suffixes of the salient price columns (data folders' PROVENANCE.md: `_dt` $/t, `_dkg` $/kg ...). */
const PRICE_UNIT_TOKENS: Record<string, PriceUnit> = {
  dt: 'USD/t',
  dkg: 'USD/kg',
  dg: 'USD/g',
  dlb: 'USD/lb',
  ctslb: 'USc/lb',
  dto: 'USD/troy oz',
  dtoz: 'USD/troy oz',
  dst: 'USD/short ton',
};
/** A price published as a range ("50–300", zeolites). */
const PRICE_RANGE_CELL = /^(\d[\d,.]*)\s*[–—-]\s*(\d[\d,.]*)$/;
const GLUED_PRICE_UNIT = /^(.+?)(ctslb|dtoz|dto|dkg|dlb|dst|dt|dg)$/;
/** Words of a price column that name a market, exchange or delivery term rather than the product. */
const MARKET_WORDS: Record<string, string> = {
  lme: 'LME',
  comex: 'COMEX',
  us: 'U.S.',
  ny: 'New York',
  europe: 'Europe',
  european: 'Europe',
  rotterdam: 'Rotterdam',
  india: 'India',
  france: 'France',
  cn: 'China',
  cif: 'CIF',
  fob: 'FOB',
  fas: 'FAS',
  spot: 'spot',
  import: 'imports',
  imports: 'imports',
  imported: 'imports',
  customs: 'customs value',
  plant: 'plant',
  mine: 'mine',
  north: 'North America',
  american: 'North America',
};

/**
 * Price columns whose unit suffix is wrong, found by magnitude: each applies to one material and published name. The
 * tungsten column says `_dt` but holds 172-326 in MCS2022-MCS2025: tungsten concentrate and APT are quoted per metric ton
 * unit of WO3 (10 kg; USGS Minerals Yearbook, tungsten chapter), and a metric ton of WO3 costs about a hundred times that.
 */
interface PriceUnitFix {
  materialId: string;
  header: RegExp;
  unit: PriceUnit;
  why: string;
}
export const PRICE_UNIT_FIXES: PriceUnitFix[] = [
  {
    materialId: 'tungsten',
    header: /^Price_WO3_?dt$/,
    unit: 'USD/mtu WO3',
    why: 'header says dollars per metric ton, but the values (172-326 in MCS2022-MCS2025) are dollars per metric ton unit (10 kg) of WO3, the unit USGS quotes tungsten in (Minerals Yearbook, tungsten chapter); read as USD/mtu WO3',
  },
];

interface PriceColumn {
  index: number;
  header: string;
  materialId: string;
  series: string;
  unit: PriceUnit;
  market: string | null;
  basis: string;
  note: string | null;
}

/**
 * The price columns of a salient file. A column is stored when its name ends in a money-per-mass unit (`_dt`, `_dkg`,
 * `_dlb`, `_ctslb`, `_dto(z)`, `_dst`, `_dg`, or one glued to the last word: `Price_WO3dt`); the words between `Price`
 * and the unit name the series (product, grade, market). Columns in other units (million dollars, carats, an index,
 * dollars per flask) or with a mass-only unit (`Price_Flake_t`, `Alumina_Price_kt`: the money unit is missing) are
 * listed in a warning and not stored: the unit is never guessed.
 */
function planPrices(header: string[], commodityId: string, materialName: string): { stored: PriceColumn[]; skipped: string[] } {
  const stored: PriceColumn[] = [];
  const skipped: string[] = [];
  const seen = new Map<string, string>();
  const counts = new Map<string, number>();
  for (const h of header) counts.set(h, (counts.get(h) ?? 0) + 1);
  header.forEach((h, index) => {
    if (h === '' || kindOf(h) !== 'prices') return;
    if ((counts.get(h) ?? 0) > 1) {
      // MCS2025 titanium mineral concentrates: four columns all named Price_dt (MCS2024: rutile, ilmenite ...)
      skipped.push(`${h} (column ${index + 1}; ${counts.get(h)} columns share the name, so which product each prices is not said)`);
      return;
    }
    const tokens = h.split('_').filter(Boolean);
    const at = tokens.findIndex((t) => /price/i.test(t));
    const before = tokens.slice(0, at).concat(/^.+price$/i.test(tokens[at] ?? '') ? [tokens[at].replace(/price$/i, '')] : []);
    let after = tokens.slice(at + 1);
    const unitToken = after.length ? after[after.length - 1] : '';
    let unit: PriceUnit | undefined = PRICE_UNIT_TOKENS[unitToken];
    if (unit) after = after.slice(0, -1);
    else {
      const glued = GLUED_PRICE_UNIT.exec(unitToken);
      if (glued && after.length > 0) {
        unit = PRICE_UNIT_TOKENS[glued[2]];
        after = [...after.slice(0, -1), glued[1]];
      }
    }
    if (!unit || /\s/.test(h)) {
      skipped.push(h);
      return;
    }
    const fix = PRICE_UNIT_FIXES.find((f) => f.materialId === commodityId && f.header.test(h));
    if (fix) unit = fix.unit;
    const words = [...before, ...after].flatMap((w) => w.split(/[-\s]+/)).filter(Boolean);
    const marketWords = [...new Set(words.flatMap((w) => (MARKET_WORDS[w.toLowerCase()] ? [MARKET_WORDS[w.toLowerCase()]] : [])))];
    const series = [...before, ...after].join(' ').replace(/-/g, ' ').trim() || 'average';
    const materialId = productMaterial(commodityId, h);
    if (materialId === null) {
      skipped.push(h);
      return;
    }
    const key = `${materialId}|${series}`;
    const first = seen.get(key);
    if (first !== undefined) {
      // the same series twice (nickel: Price_dt and Price_dlb, one LME price in two units): the first is kept
      skipped.push(`${h} (same series as ${first})`);
      return;
    }
    seen.set(key, h);
    const product = series === 'average' ? materialName : `${materialName}, ${series}`;
    stored.push({
      index,
      header: h,
      materialId,
      series,
      unit,
      market: marketWords.length ? marketWords.join(', ') : null,
      basis: `${product} (as the column "${h}" names it), ${PRICE_UNITS[unit].label}, U.S. salient statistics; the column name is the only label the file gives`,
      note: fix ? fix.why : null,
    });
  });
  return { stored, skipped };
}

// ---------------------------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------------------------

const SALIENT_FILE = /_salient\.csv$/i;
const XLSX_FILE = /\.xlsx$/i;

interface FileResult {
  edition: number | null; // null when the file was skipped before its edition was known
  observations: Observation[];
  prices: PricePoint[];
  warnings: string[];
  read: boolean; // false: skipped as a whole (not salient statistics, or misaligned)
}

const IDENTITY = new Set(['DataSource', 'Source', 'Commodity', 'Year']);

function readSalientFile(file: string): FileResult {
  const name = basename(file);
  const table = readCsv(file, readText(file));
  const { header } = table;
  for (const row of table.rows) {
    if (row.cells.length !== header.length) throw new ImportError(file, row.line, null, `expected ${header.length} fields, found ${row.cells.length}`);
  }
  const skipWhole = (why: string): FileResult => ({
    edition: editionFromFileName(file),
    observations: [],
    prices: [],
    warnings: [`${name}: ${why}; file not imported`],
    read: false,
  });

  // MCS2024 ships world-data tables under *_salient.csv names (cobal, gypsu, kyani).
  if (!header.includes('Commodity') && header.includes('Country') && header.includes('Type')) {
    return skipWhole('holds world data (Source, Country, Type, ...), not U.S. salient statistics; the world files carry these figures');
  }
  const at = (n: string) => header.indexOf(n);
  if (at('Year') < 0) throw new ImportError(file, 1, 'Year', `missing column Year; header is: ${header.join(', ')}`);
  if (at('Commodity') < 0) throw new ImportError(file, 1, 'Commodity', `missing column Commodity; header is: ${header.join(', ')}`);
  const sourceName = at('DataSource') >= 0 ? 'DataSource' : at('Source') >= 0 ? 'Source' : null;
  const sourceCol = sourceName ? at(sourceName) : null;
  const edition = editionOf(file, table, sourceCol, sourceName);

  // Values under a blank header cell mean the header is short and later values sit in the wrong columns.
  const blankWithData = header.flatMap((h, i) => (h === '' && table.rows.some((r) => r.cells[i].trim() !== '') ? [i] : []));
  if (blankWithData.length) {
    return {
      ...skipWhole(
        `values under blank header cell(s) at column ${blankWithData.map((i) => i + 1).join(', ')}: the header is shorter than the rows, so values sit under the wrong column names (e.g. ${describeShift(table, header, blankWithData[0])})`,
      ),
      edition,
    };
  }

  const yearCol = at('Year');
  const commodityCol = at('Commodity');
  const warnings: string[] = [];
  const observations: Observation[] = [];
  const unresolved = new Map<string, number[]>();
  const years = new Map<string, number>(); // materialLabel|year -> line
  const plans = new Map<string, ColumnPlan>();
  const pricePlans = new Map<string, ReturnType<typeof planPrices>>();
  const prices: PricePoint[] = [];
  const identity = new Set(header.flatMap((h, i) => (IDENTITY.has(h) ? [i] : [])));

  for (const { line, cells } of table.rows) {
    const yearRaw = cells[yearCol].trim();
    if (!/^\d{4}$/.test(yearRaw)) throw new ImportError(file, line, 'Year', `expected a four-digit year, found "${cells[yearCol]}"`);
    const year = Number(yearRaw);
    if (year < 1900 || year > 2100) throw new ImportError(file, line, 'Year', `year ${year} out of range`);
    if (year > edition) throw new ImportError(file, line, 'Year', `year ${year} is after the MCS${edition} edition`);
    const label = cells[commodityCol].trim();
    if (label === '') throw new ImportError(file, line, 'Commodity', 'empty commodity');
    const materialId = resolveMaterial(label);
    if (!materialId) {
      unresolved.set(label, [...(unresolved.get(label) ?? []), line]);
      continue;
    }
    const key = `${label}|${year}`;
    if (years.has(key)) throw new ImportError(file, line, 'Year', `second row for ${label} ${year} (first on line ${years.get(key)})`);
    years.set(key, line);
    let plan = plans.get(materialId);
    if (!plan) {
      plan = planColumns(header, materialId, edition, identity);
      plans.set(materialId, plan);
    }
    let pricePlan = pricePlans.get(materialId);
    if (!pricePlan) {
      pricePlan = planPrices(header, materialId, getMaterial(materialId)?.name ?? label);
      pricePlans.set(materialId, pricePlan);
    }
    for (const c of pricePlan.stored) {
      const raw = cells[c.index].trim();
      const range = PRICE_RANGE_CELL.exec(raw);
      if (range) {
        const [low, high] = [parseGroupedNumber(range[1]), parseGroupedNumber(range[2])];
        if (low === null || high === null || low > high) throw new ImportError(file, line, c.header, `expected a price range "low–high", found "${raw}"`);
        const point: PricePoint = {
          materialId: c.materialId,
          series: c.series,
          year,
          value: null,
          low,
          high,
          unit: c.unit,
          usdPerTonne: null,
          basis: c.basis,
          market: c.market,
          status: 'reported',
          estimated: year === edition - 1,
          edition,
          detail: c.header,
          note: [c.note, `published as the range "${raw}"`].filter(Boolean).join('; '),
          sourceId: salientSourceId(edition),
        };
        prices.push(checked(PricePointSchema, point, file, line, c.header));
        continue;
      }
      const cell = parseUsgsCell(file, line, c.header, cells[c.index], 'quantity');
      if (!cell) continue;
      if (cell.tonnes || cell.status === 'upper_bound' || cell.status === 'lower_bound')
        throw new ImportError(file, line, c.header, `expected a price, found "${cells[c.index].trim()}"`);
      const usd = cell.value === null ? null : round(cell.value * PRICE_UNITS[c.unit].perTonne);
      const point: PricePoint = {
        materialId: c.materialId,
        series: c.series,
        year,
        value: cell.value,
        low: null,
        high: null,
        unit: c.unit,
        usdPerTonne: usd,
        basis: c.basis,
        market: c.market,
        status: cell.status,
        estimated: cell.estimated || year === edition - 1,
        edition,
        detail: c.header,
        note: [c.note, cell.note].filter(Boolean).join('; ') || null,
        sourceId: salientSourceId(edition),
      };
      prices.push(checked(PricePointSchema, point, file, line, c.header));
    }
    for (const c of plan.stored) {
      const cell = parseUsgsCell(file, line, c.header, cells[c.index], c.measure === 'net_import_reliance' ? 'nir' : 'quantity');
      if (!cell) continue;
      const value = cell.value === null ? null : cell.tonnes ? cell.value : cell.value * c.factor;
      const record: Observation = {
        materialId: c.materialId,
        stage: c.stage,
        measure: c.measure,
        countryId: 'USA',
        year,
        value: value === null ? null : round(value),
        unit: c.unit,
        basis: c.basis,
        status: cell.status,
        estimated: c.estimated || cell.estimated || year === edition - 1,
        scenario: null,
        sector: null,
        detail: c.detail,
        note: [c.note, cell.note].filter(Boolean).join('; ') || null,
        sourceId: salientSourceId(edition),
      };
      observations.push(checked(ObservationSchema, record, file, line, c.header));
    }
  }

  const negative = observations.filter((o) => o.value !== null && o.value < 0 && o.measure !== 'net_import_reliance');
  if (negative.length) {
    warnings.push(`${name}: negative quantities stored as published: ${negative.map((o) => `${o.detail} ${o.year} = ${o.value} t`).join(', ')}`);
  }
  for (const [label, lines] of unresolved) {
    warnings.push(`${name}: commodity "${label}" is not in the material registry; ${lines.length} row(s) not imported (lines ${lines.join(', ')})`);
  }
  for (const plan of pricePlans.values()) {
    if (plan.skipped.length)
      warnings.push(
        `${name}: price columns not stored (no money-per-mass unit in the name, a product without a registry material, or a column that repeats a series or a name): ${plan.skipped.join(', ')}`,
      );
  }
  for (const plan of plans.values()) {
    const parts = SKIP_ORDER.filter((r) => plan.skipped.has(r)).map((r) => `${r}: ${plan.skipped.get(r)!.join(', ')}`);
    if (parts.length) warnings.push(`${name}: columns not stored — ${parts.join('; ')}`);
    for (const n of plan.notes) warnings.push(`${name}: ${n}`);
    const nir = new Map<string, string[]>();
    for (const c of plan.stored) if (c.measure === 'net_import_reliance') nir.set(c.materialId, [...(nir.get(c.materialId) ?? []), c.detail]);
    for (const [id, cols] of nir) {
      if (cols.length > 1) warnings.push(`${name}: ${cols.length} net import reliance series for ${id} (${cols.join(', ')}); told apart by detail`);
    }
  }
  return { edition, observations, prices, warnings, read: true };
}

/** What the shift looks like on the first row with a value under the blank header cell, for the warning. */
function describeShift(table: CsvTable, header: string[], blank: number): string {
  const row = table.rows.find((r) => r.cells[blank].trim() !== '') ?? table.rows[0];
  const named = header.map((h, i) => [h, row.cells[i].trim()] as const).filter(([h, v], i) => h !== '' && v !== '' && i < blank);
  const last = named[named.length - 1];
  return last ? `line ${row.line} has ${last[0]} = "${last[1]}" and "${row.cells[blank].trim()}" under no name` : `line ${row.line}`;
}

/** Floating-point noise from unit factors (0.001 × 5740) trimmed to 12 significant digits. */
const round = (v: number) => (v === 0 ? 0 : Number(v.toPrecision(12)));

function listFolder(path: string): { files: string[]; xlsx: string[] } {
  let names: string[];
  try {
    names = readdirSync(path).sort();
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read folder: ${(e as Error).message}`);
  }
  const isFile = (n: string) => {
    try {
      return statSync(join(path, n)).isFile();
    } catch {
      return false;
    }
  };
  return {
    files: names.filter((n) => SALIENT_FILE.test(n) && isFile(n)).map((n) => join(path, n)),
    xlsx: names.filter((n) => XLSX_FILE.test(n) && isFile(n)),
  };
}

export async function importUsgsSalient(path: string): Promise<ImportBatch> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
  const warnings: string[] = [];
  let files: string[];
  if (isDir) {
    const listed = listFolder(path);
    files = listed.files;
    if (listed.xlsx.length) warnings.push(`XLSX files not read (CSV only; convert to CSV to import them): ${listed.xlsx.join(', ')}`);
    if (!files.length) throw new ImportError(path, null, null, 'no *_salient.csv files in this folder');
  } else {
    if (XLSX_FILE.test(path)) throw new ImportError(path, null, null, 'XLSX is not read; convert the sheet to CSV');
    files = [path];
  }

  const observations: Observation[] = [];
  const prices: PricePoint[] = [];
  const editions = new Map<number, string[]>(); // edition -> published names read
  const seen = new Map<string, string>(); // figure -> file
  for (const file of files) {
    const r = readSalientFile(file);
    warnings.push(...r.warnings);
    if (!r.read) continue;
    // The same figure from two files (a commodity published twice under different codes) would be ambiguous.
    for (const o of r.observations) {
      const k = [o.sourceId, o.materialId, o.measure, o.stage, o.year, o.detail].join('|');
      const first = seen.get(k);
      if (first) throw new ImportError(file, null, o.detail, `${o.materialId} ${o.measure} ${o.year} (${o.detail}) is also in ${basename(first)}`);
      seen.set(k, file);
    }
    for (const p of r.prices) {
      const k = [p.sourceId, p.materialId, p.series, p.year].join('|');
      const first = seen.get(k);
      if (first) throw new ImportError(file, null, p.detail, `${p.materialId} price "${p.series}" ${p.year} is also in ${basename(first)}`);
      seen.set(k, file);
    }
    append(observations, r.observations);
    append(prices, r.prices);
    // A source only for editions with figures: importing a source replaces all its rows in the store, so a file
    // that yields nothing (an unknown commodity) must not cite, and thereby clear, its edition.
    if (r.edition !== null && (r.observations.length || r.prices.length)) editions.set(r.edition, [...(editions.get(r.edition) ?? []), publishedName(file)]);
  }

  const sources = [...editions.entries()]
    .sort(([a], [b]) => a - b)
    .map(([edition, names]) => usgsSalientSource(edition, isDir ? `mcs${edition}-<code>_salient.csv` : names[0]));
  // one file of a per-commodity release: a source of its own (see ownSourcePerFile)
  const code = isDir ? null : (/mcs\d{4}-([a-z]+(?:-[a-z]+)?)_salient\.csv$/i.exec(basename(path))?.[1].toLowerCase() ?? null);
  if (code) ownSourcePerFile(sources, [...observations, ...prices], code);
  if (observations.length) {
    warnings.push(
      'U.S. production columns are not stored as measure "production" (a U.S.-only row would be read as a world series); U.S. production is carried by the USGS world files (usgs-world).',
    );
  }
  return { kind: 'usgs-salient', file: path, sources, observations, prices, warnings };
}
