/**
 * USGS Mineral Commodity Summaries, world production / capacity / reserves by country.
 *
 * Two layouts:
 *  - MCS2025 onwards: one file (`MCS2025_World_Data.csv`) with fixed columns SOURCE, COMMODITY, COUNTRY, TYPE,
 *    UNIT_MEAS, PROD_<year>, PROD_EST_ <year>, PROD_NOTES, CAP_..., RESERVES_<year>, RESERVE_NOTES. Withheld and
 *    not-available figures are mostly empty cells plus a note ("W for 23-24", "NA").
 *  - MCS2022-2024: one file per commodity (`mcs2024-cobal_world.csv`) whose value columns carry measure, unit,
 *    estimate flag and year in the header (`Prod_kt_est_2023`, `Reserves_t`, `Cap_Pigment_t_2023`) and whose
 *    cells carry tokens (`W`, `NA`, `XX`, `e3,900`, `>90,000,000`, `Less than ½ unit.`, `Included in World total.`).
 *
 * Each row's TYPE says what was measured; `classify` turns commodity + TYPE into material, stage and basis
 * (several products share one commodity file: bauxite and alumina, platinum and palladium, ilmenite and rutile...).
 * Masses are converted to tonnes. Aggregates (World total, Other countries, United States and Canada) are kept as
 * aggregate entities. Anything that cannot be read as a number or a known token is an ImportError naming file,
 * line and column; labels that are well-formed but unknown (a new commodity or country) become warnings.
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
  type Source,
  type Stage,
  type ValueStatus,
} from '../../model/schema.ts';
import { cleanCountryLabel as cleanLabel, countryName, resolveCountry } from '../../model/countries.ts';
import { resolveMaterial } from '../../model/materials.ts';
import { append, checked, readCsv, readText } from '../kit.ts';
import { MCS_DOI, MCS_HOME, ownSourcePerFile } from './salient.ts';
import type { CsvTable } from '../csv.ts';

export function usgsWorldSource(edition: number, file: string): Source {
  return {
    id: `usgs-mcs-${edition}-world`,
    dataset: 'usgs-mcs',
    editionYear: edition,
    publisher: 'U.S. Geological Survey',
    title: `Mineral Commodity Summaries ${edition} Data Release`,
    edition: `MCS${edition}`,
    table: 'World mine production, refinery production, capacity and reserves',
    licence: 'U.S. public domain (USGS data release)',
    url: MCS_DOI[edition] ?? MCS_HOME,
    file,
    caveat:
      edition === 2022
        ? 'MCS2022 subset of 12 commodities, production only (no reserves).'
        : 'Latest year is a USGS estimate; world totals are rounded and some exclude U.S. production.',
  };
}

/** Unit tokens (2022-2024 headers) and labels (2025 UNIT_MEAS) → stored unit and multiplier. */
const UNITS: Record<string, { unit: string; factor: number }> = {
  t: { unit: 't', factor: 1 },
  kt: { unit: 't', factor: 1e3 },
  kg: { unit: 't', factor: 1e-3 },
  mt: { unit: 't', factor: 1e6 },
  mmt: { unit: 't', factor: 1e6 },
  Mt: { unit: 't', factor: 1e6 },
  mct: { unit: 'carats', factor: 1e6 },
  kct: { unit: 'carats', factor: 1e3 },
  mcm: { unit: 'm3', factor: 1e6 },
  'metric tons': { unit: 't', factor: 1 },
  'thousand metric tons': { unit: 't', factor: 1e3 },
  'thousand metric dry tons': { unit: 't', factor: 1e3 },
  kilograms: { unit: 't', factor: 1e-3 },
  'million metric tons': { unit: 't', factor: 1e6 },
  'thousand carats': { unit: 'carats', factor: 1e3 },
  'million carats': { unit: 'carats', factor: 1e6 },
  'million cubic meters': { unit: 'm3', factor: 1e6 },
};

type Kind = 'prod' | 'cap' | 'res';
interface ValueColumn {
  index: number;
  header: string;
  kind: Kind;
  subtype: string | null; // "Sponge", "Pigment", "ore", "ore_K2O_equiv"
  unitToken: string | null; // null in the 2025 layout: the row's UNIT_MEAS applies
  estimated: boolean;
  year: number;
  notesIndex: number | null;
}

/** Product of one row: what the numbers are numbers of. */
export interface Product {
  materialId: string;
  stage: Exclude<Stage, 'reserves'>;
  basis: Basis;
}

/**
 * Commodity defaults: stage and basis when TYPE does not say. Stage "refining" covers smelting, refining and
 * plant production (USGS "refinery", "smelter", "plant", "primary production").
 */
const DEFAULTS: Record<string, Partial<Product>> = {
  abrasives: { stage: 'refining', basis: 'gross_weight' },
  aluminium: { stage: 'refining', basis: 'refined' },
  arsenic: { stage: 'refining', basis: 'compound' },
  bismuth: { stage: 'refining', basis: 'refined' },
  bromine: { stage: 'refining', basis: 'contained' },
  cadmium: { stage: 'refining', basis: 'refined' },
  cement: { stage: 'refining', basis: 'gross_weight' },
  gallium: { stage: 'refining', basis: 'refined' },
  germanium: { stage: 'refining', basis: 'refined' },
  indium: { stage: 'refining', basis: 'refined' },
  'iron-steel': { stage: 'refining', basis: 'gross_weight' },
  lime: { stage: 'refining', basis: 'gross_weight' },
  magnesium: { stage: 'refining', basis: 'refined' },
  nitrogen: { stage: 'refining', basis: 'contained' },
  selenium: { stage: 'refining', basis: 'contained' },
  sulfur: { stage: 'refining', basis: 'contained' },
  tellurium: { stage: 'refining', basis: 'contained' },
  titanium: { stage: 'refining', basis: 'compound' },
  silicon: { stage: 'refining', basis: 'contained' },
  // mined commodities whose TYPE rarely states the basis
  cobalt: { basis: 'contained' },
  copper: { basis: 'contained' },
  nickel: { basis: 'contained' },
  lithium: { basis: 'contained' },
  lead: { basis: 'contained' },
  zinc: { basis: 'contained' },
  tin: { basis: 'contained' },
  tungsten: { basis: 'contained' },
  gold: { basis: 'contained' },
  silver: { basis: 'contained' },
  platinum: { basis: 'contained' },
  palladium: { basis: 'contained' },
  'rare-earths': { basis: 'oxide' },
  potash: { basis: 'oxide' },
  helium: { basis: 'contained' },
  iodine: { basis: 'contained' },
};

const lc = (s: string) => s.toLowerCase();

/**
 * Material, stage and basis of a row from its commodity and TYPE (and a header subtype in the 2022-2024 layout).
 * Returns a string (the reason) when the row is a sum of other rows and is not stored.
 */
export function classify(commodity: string, type: string, subtype: string | null): Product | string {
  const t = lc(type);
  let materialId = commodity;
  let stage: Product['stage'] | undefined;
  let basis: Basis | undefined;

  // products that share a commodity file
  if (commodity === 'pgm') {
    if (t.includes('palladium')) materialId = 'palladium';
    else if (t.includes('platinum')) materialId = 'platinum';
  } else if (commodity === 'bauxite' && t.includes('alumina')) {
    materialId = 'alumina';
    stage = 'refining';
    basis = 'compound';
  } else if (commodity === 'clays') {
    if (t.includes('bentonite')) materialId = 'bentonite';
    else if (t.includes('kaolin')) materialId = 'kaolin';
    else if (t.includes('fuller')) materialId = 'fullers-earth';
  } else if (commodity === 'titanium-minerals') {
    const ilm = /ilmen/.test(t);
    const rut = t.includes('rutile');
    if (ilm && !rut) materialId = 'ilmenite';
    else if (rut && !ilm) materialId = 'rutile';
    basis = 'oxide';
  } else if (commodity === 'titanium') {
    if (subtype === 'Sponge' || (subtype === null && t.includes('sponge'))) {
      materialId = 'titanium-metal';
      basis = 'refined';
    } else if (subtype === 'Pigment' || t.includes('pigment')) basis = 'compound';
    stage = 'refining';
  } else if (commodity === 'mica' && t.includes('sheet')) {
    materialId = 'mica-sheet';
  } else if (commodity === 'silicon') {
    if (t.includes('ferosilicon') || t.includes('ferrosilicon')) {
      if (t.includes('silicon metal'))
        basis = 'contained'; // "combined totals for ferrosilicon and silicon metal"
      else materialId = 'ferrosilicon';
    } else if (t.includes('silicon metal')) basis = 'refined';
  } else if (commodity === 'abrasives' && t.includes('silicon carbide')) {
    materialId = 'silicon-carbide';
  } else if (commodity === 'iron-steel') {
    // pig iron is the smelting stage; raw steel is made from it (and scrap): an intermediate
    if (t.includes('raw steel')) stage = 'intermediate';
  } else if (commodity === 'soda-ash') {
    if (t.includes('total')) return 'sum of natural and synthetic soda ash (both are stored separately)';
    if (t.includes('synthetic')) stage = 'refining';
  } else if (commodity === 'cement' && t.includes('clinker')) {
    basis = 'compound';
  }

  const d = DEFAULTS[materialId] ?? DEFAULTS[commodity] ?? {};
  if (!stage) {
    if (/refinery|smelter|plant|primary production|sponge/.test(t)) stage = 'refining';
    else if (/\bmine\b|\bmne\b|mining|\bore\b|concentrate/.test(t)) stage = 'mining';
    else stage = d.stage ?? 'mining';
  }
  if (!basis) {
    if (subtype === 'ore') basis = 'ore';
    else if (subtype === 'ore_K2O_equiv') basis = 'oxide';
    else if (/gross ?s? weight|usable ore|marketable|dry tons/.test(t)) basis = 'gross_weight';
    else if (/oxide equivalent|oxide \(|\breo\b|\btio2\b|\bk2o\b|\bmgo\b|boric oxide|oxide eq/.test(t)) basis = 'oxide';
    else if (/content|contained/.test(t)) basis = 'contained';
    else if (/crude ore|\bore\b/.test(t)) basis = 'ore';
    else basis = d.basis ?? 'gross_weight';
  }
  return { materialId, stage, basis };
}

/** One cell: value in the column's unit (before conversion), status and flags. `null` when the cell is empty. */
export interface Cell {
  value: number | null;
  status: ValueStatus;
  estimated: boolean;
  note: string | null;
}

const NUM = /^\d+(\.\d+)?$|^\.\d+$/;

/** Parse a value cell; throws (message only) on anything that is neither a number nor a known USGS token. */
export function parseCell(raw: string): Cell | null {
  let s = raw.replace(/\u00a0/g, ' ').trim();
  if (s === '') return null;
  const plain = (v: string) => {
    const x = v.replace(/[, ]/g, '');
    return NUM.test(x) ? Number(x) : null;
  };
  let estimated = false;
  if (/^e\s*\d/i.test(s)) {
    estimated = true;
    s = s.replace(/^e\s*/i, '');
  }
  const v = plain(s);
  if (v !== null) return { value: v, status: 'reported', estimated, note: null };
  const bound = /^([<>])\s*(.+)$/.exec(s);
  if (bound && plain(bound[2]) !== null) {
    return { value: plain(bound[2]), status: bound[1] === '>' ? 'lower_bound' : 'upper_bound', estimated, note: `published as ${s}` };
  }
  const t = s.toLowerCase().replace(/\.$/, '');
  if (t === 'w') return { value: null, status: 'withheld', estimated: false, note: 'W: withheld to avoid disclosing company proprietary data' };
  if (t === 'na') return { value: null, status: 'not_available', estimated: false, note: 'NA: not available' };
  if (t === 'xx') return { value: null, status: 'not_applicable', estimated: false, note: 'XX: not applicable' };
  if (/^less than (½|1\/2) unit$/.test(t)) return { value: 0.5, status: 'upper_bound', estimated: false, note: 'published as less than ½ unit' };
  if (/^included (in|with)/.test(t)) return { value: null, status: 'included_elsewhere', estimated: false, note: `published as "${s}"` };
  if (/large|small|moderate/.test(t)) return { value: null, status: 'qualitative', estimated: false, note: `published as "${s}"` };
  if (/^[—–-]+$/.test(t)) return { value: 0, status: 'reported', estimated: false, note: 'published as a dash (zero)' };
  throw new Error(`expected a number or a USGS token (W, NA, XX, e…, >…, <…), found "${raw.trim()}"`);
}

/** Status implied by a note when the value cell is empty (MCS2025 puts W/NA in the notes column). */
export function statusFromNote(note: string, year: number): Cell | null {
  const n = note.trim();
  if (!n) return null;
  // "na for 2023" applies to one year; "W for 23-24" to both; no year: all years of the row
  const years = [...n.matchAll(/\b(?:19|20)?(\d{2})\b/g)].map((m) => 2000 + Number(m[1]));
  const range = /\b(?:20)?(\d{2})\s*[-–]\s*(?:20)?(\d{2})\b/.exec(n);
  const applies = range ? year >= 2000 + Number(range[1]) && year <= 2000 + Number(range[2]) : years.length === 0 || years.includes(year);
  if (!applies) return null;
  const t = n.toLowerCase();
  if (/^w\b/.test(t)) return { value: null, status: 'withheld', estimated: false, note: `note: ${n}` };
  if (/^na\b/.test(t)) return { value: null, status: 'not_available', estimated: false, note: `note: ${n}` };
  if (/^xx\b/.test(t)) return { value: null, status: 'not_applicable', estimated: false, note: `note: ${n}` };
  if (/^included (in|with)/.test(t)) return { value: null, status: 'included_elsewhere', estimated: false, note: `note: ${n}` };
  if (/^less than (½|1\/2) unit/.test(t)) return { value: 0.5, status: 'upper_bound', estimated: false, note: `note: ${n}` };
  if (/^(very )?(large|small|moderate)/.test(t)) return { value: null, status: 'qualitative', estimated: false, note: `note: ${n}` };
  return null;
}

const HEADER_2024 = /^(Prod|Cap|Reserves)((?:_(?:Sponge|Pigment|ore|ore_K2O_equiv)))?_(t|kt|kg|mt|Mt|mmt|mct|kct|mcm)(_est)?(?:_(\d{4}))?$/i;
const HEADER_2025 = /^(PROD|CAP|RESERVES)_(EST_)?\s*(\d{4})$/i;

function valueColumns(file: string, table: CsvTable, edition: number, warnings: string[]): ValueColumn[] {
  const h = table.header;
  const notesFor = (kind: Kind): number | null => {
    const names = kind === 'prod' ? ['prod_notes', 'prod_note'] : kind === 'cap' ? ['cap_notes', 'cap_note'] : ['reserves_notes', 'reserve_notes'];
    const i = h.findIndex((x) => names.includes(x.toLowerCase()));
    return i < 0 ? null : i;
  };
  const out: ValueColumn[] = [];
  h.forEach((name, index) => {
    const kindOf = (k: string): Kind => (/^prod/i.test(k) ? 'prod' : /^cap/i.test(k) ? 'cap' : 'res');
    let m = HEADER_2025.exec(name);
    if (m) {
      const kind = kindOf(m[1]);
      out.push({ index, header: name, kind, subtype: null, unitToken: null, estimated: !!m[2], year: Number(m[3]), notesIndex: notesFor(kind) });
      return;
    }
    m = HEADER_2024.exec(name);
    if (m) {
      const kind = kindOf(m[1]);
      // reserves without a year are as of the edition's reference year (edition − 1)
      const year = m[5] ? Number(m[5]) : edition - 1;
      const unitToken = m[3] === 'Mt' || m[3] === 'MT' ? 'Mt' : m[3].length <= 3 ? m[3].toLowerCase() : m[3];
      if (!UNITS[unitToken]) throw new ImportError(file, 1, name, `unknown unit token "${m[3]}"`);
      out.push({ index, header: name, kind, subtype: m[2] ? m[2].slice(1) : null, unitToken, estimated: !!m[4], year, notesIndex: notesFor(kind) });
      return;
    }
    if (name && !/^(source|commodity|country|type|unit_meas|(prod|cap|reserves?)_notes?)$/i.test(name) && index !== 2) {
      warnings.push(`${basename(file)}: column "${name}" not recognised, not imported`);
    }
  });
  if (!out.length)
    throw new ImportError(file, 1, null, `no value columns (expected Prod_<unit>_<year>, Reserves_<unit> or PROD_<year>); header is: ${h.join(', ')}`);
  return out;
}

/** Files a path stands for: the file itself, or every *_world.csv / *World_Data.csv in a folder. */
function worldFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
  if (!st.isDirectory()) return [path];
  const files = readdirSync(path)
    .filter((f) => /_world\.csv$|world_data\.csv$/i.test(f))
    .sort()
    .map((f) => join(path, f));
  if (!files.length) throw new ImportError(path, null, null, 'no USGS world files (*_world.csv or MCS*_World_Data.csv) in this folder');
  return files;
}

function editionOf(file: string, table: CsvTable): number {
  const fromName = /mcs(\d{4})/i.exec(basename(file));
  const srcCol = table.header.findIndex((x) => x.toLowerCase() === 'source');
  const fromCells = new Set<number>();
  if (srcCol >= 0) {
    for (const r of table.rows) {
      const c = (r.cells[srcCol] ?? '').trim();
      if (!c) continue;
      const m = /^MCS\s*(\d{4})$/i.exec(c);
      if (!m) throw new ImportError(file, r.line, table.header[srcCol], `expected an edition like MCS2025, found "${c}"`);
      fromCells.add(Number(m[1]));
    }
  }
  if (fromCells.size > 1) throw new ImportError(file, null, 'Source', `several editions in one file: ${[...fromCells].join(', ')}`);
  const cell = [...fromCells][0];
  const name = fromName ? Number(fromName[1]) : undefined;
  if (cell && name && cell !== name) throw new ImportError(file, null, 'Source', `file name says MCS${name}, Source column says MCS${cell}`);
  const ed = cell ?? name;
  if (!ed) throw new ImportError(file, null, 'Source', 'cannot tell the MCS edition (no Source column value, no MCSyyyy in the file name)');
  return ed;
}

/** USGS file code from a per-commodity file name: "mcs2024-cobal_world.csv", "cobalt_mcs2022-cobal_world.csv". */
function commodityFromFileName(file: string): string | null {
  const m = /mcs\d{4}-([a-z]+)(?:-[a-z]+)?_world\.csv$/i.exec(basename(file));
  return m ? m[1].toLowerCase() : null;
}

export async function importUsgsWorld(path: string): Promise<ImportBatch> {
  const files = worldFiles(path);
  const warnings: string[] = [];
  const observations: Observation[] = [];
  const sources = new Map<number, Source>();
  for (const file of files) {
    const table = readCsv(file, readText(file));
    const edition = editionOf(file, table);
    if (!sources.has(edition)) {
      sources.set(edition, usgsWorldSource(edition, files.length > 1 ? `mcs${edition}-<code>_world.csv` : basename(file)));
    }
    append(observations, readWorldTable(file, table, edition, warnings));
  }
  if (sources.size > 1) throw new ImportError(path, null, 'Source', `files from several editions in one import: MCS${[...sources.keys()].join(', MCS')}`);
  dedupe(observations, warnings);
  append(observations, titaniumMineralsTotals(observations));
  // one per-commodity file: a source of its own (see ownSourcePerFile)
  const code = files.length === 1 ? commodityFromFileName(files[0]) : null;
  if (code) ownSourcePerFile(sources.values(), observations, code);
  return { kind: 'usgs-world', file: path, sources: [...sources.values()], observations, warnings };
}

function readWorldTable(file: string, table: CsvTable, edition: number, warnings: string[]): Observation[] {
  const h = table.header.map((x) => x.toLowerCase());
  const col = (name: string) => h.indexOf(name);
  const countryCol = col('country');
  if (countryCol < 0) throw new ImportError(file, 1, 'Country', `missing column Country; header is: ${table.header.join(', ')}`);
  let typeCol = col('type');
  if (typeCol < 0) {
    // mcs2024-fluor_world.csv: the third header is the type itself ("Mine production, fluorspar")
    if (table.header.length > 2 && !HEADER_2024.test(table.header[2]) && countryCol !== 2) {
      typeCol = 2;
      warnings.push(`${basename(file)}: no Type column; used the third column ("${table.header[2]}") as Type`);
    } else throw new ImportError(file, 1, 'Type', `missing column Type; header is: ${table.header.join(', ')}`);
  }
  const commodityCol = col('commodity');
  const unitCol = col('unit_meas');
  const layout2025 = commodityCol >= 0;
  if (layout2025 && unitCol < 0) throw new ImportError(file, 1, 'UNIT_MEAS', 'missing column UNIT_MEAS (needed with COMMODITY)');
  const fileCommodity = layout2025 ? null : commodityFromFileName(file);
  let fileMaterial: string | null = null;
  if (!layout2025) {
    if (!fileCommodity)
      throw new ImportError(file, null, null, 'cannot tell the commodity: no COMMODITY column and the file name is not like mcs2024-<code>_world.csv');
    fileMaterial = resolveMaterial(fileCommodity);
    if (!fileMaterial) {
      warnings.push(`${basename(file)}: USGS commodity code "${fileCommodity}" is not a known material; file skipped`);
      return [];
    }
  }
  const cols = valueColumns(file, table, edition, warnings);
  const out: Observation[] = [];
  const unknownCountries = new Set<string>();
  const unknownCommodities = new Set<string>();
  const skippedSums = new Set<string>();
  let lastType = '';
  let emptyTypeWarned = false;
  // A row repeated verbatim (same commodity, country label, type and unit) would be summed by `dedupe` and double the
  // country's figure; USGS's own repeats carry distinct labels ("United States (extracted from natural gas)").
  const rowSeen = new Map<string, number>();

  for (const row of table.rows) {
    const cell = (i: number) => (i >= 0 && i < row.cells.length ? row.cells[i] : '');
    const countryRaw = cell(countryCol).trim();
    const typeRaw = cell(typeCol).replace(/\s+/g, ' ').trim();
    if (!countryRaw) {
      if (cols.some((c) => cell(c.index).trim() !== '')) throw new ImportError(file, row.line, table.header[countryCol], 'values without a country');
      continue; // a note-only or padding row
    }
    if (row.cells.length < Math.max(countryCol, typeCol) + 1)
      throw new ImportError(file, row.line, null, `expected ${table.header.length} fields, found ${row.cells.length}`);
    let material = fileMaterial;
    if (layout2025) {
      const label = cell(commodityCol).trim();
      if (!label) throw new ImportError(file, row.line, 'COMMODITY', 'empty commodity');
      material = resolveMaterial(label);
      if (!material) {
        unknownCommodities.add(label);
        continue;
      }
    }
    // "Argentina, crude ore", "World total (rounded), natural": the product is glued to the country label
    let country = resolveCountry(countryRaw);
    let labelProduct = '';
    if (!country && countryRaw.includes(',')) {
      const i = countryRaw.indexOf(',');
      country = resolveCountry(countryRaw.slice(0, i));
      labelProduct = countryRaw.slice(i + 1).trim();
    }
    if (!country) {
      unknownCountries.add(countryRaw);
      continue;
    }
    // Some files leave TYPE blank on continuation rows ("XX"/"NA" as a type means the same); one file
    // (mcs2024-fepig) has no TYPE at all, and the commodity alone says what was measured.
    const type = typeRaw && !/^(xx|na)$/i.test(typeRaw) ? typeRaw : lastType;
    if (!type && !emptyTypeWarned) {
      emptyTypeWarned = true;
      warnings.push(`${basename(file)}: empty Type; the commodity's defaults are used for stage and basis`);
    }
    lastType = type;
    const rowKey = [layout2025 ? cell(commodityCol).trim() : '', countryRaw, type, layout2025 ? cell(unitCol).trim() : ''].join('\u0000');
    const firstLine = rowSeen.get(rowKey);
    if (firstLine !== undefined) {
      throw new ImportError(
        file,
        row.line,
        table.header[countryCol],
        `duplicate row: "${countryRaw}", "${type}" already on line ${firstLine}; a repeated row would be summed into the country's figure`,
      );
    }
    rowSeen.set(rowKey, row.line);
    // what the row measures, for classification: TYPE plus what the country label adds ("(ilmenite and rutile, rounded)")
    const paren =
      /\(([^)]*)\)/
        .exec(countryRaw)?.[1]
        .replace(/\brounded\b/gi, '')
        .replace(/^[\s,]+|[\s,]+$/g, '') ?? '';
    const labelQualifier = country.qualifier ?? (paren && !/^(kinshasa|brazzaville)$/i.test(paren) ? paren : '');
    const productText = [type, labelProduct, labelQualifier].filter(Boolean).join(' | ');
    const detail = [type || null, labelProduct || null].filter(Boolean).join(' — ') || null;
    const countryEstimated = /[a-z]e$/.test(cleanLabel(countryRaw)) && !/e$/i.test(countryName(country.id));

    for (const c of cols) {
      const product = classify(material!, productText, c.subtype);
      if (typeof product === 'string') {
        skippedSums.add(`${product}`);
        continue;
      }
      const raw = cell(c.index);
      let parsed: Cell | null;
      try {
        parsed = parseCell(raw);
      } catch (e) {
        throw new ImportError(file, row.line, c.header, (e as Error).message);
      }
      const noteText = c.notesIndex !== null ? cell(c.notesIndex).replace(/\s+/g, ' ').trim() : '';
      if (parsed === null) {
        parsed = noteText ? statusFromNote(noteText, c.year) : null;
        if (parsed === null) continue; // empty cell: no figure published
      }
      // Reserves belong to the mined product; refinery rows repeat them as NA or leave them blank.
      if (c.kind === 'res' && product.stage !== 'mining' && parsed.value === null) continue;
      // unit: header token (2022-2024) or UNIT_MEAS (2025)
      let unitLabel = c.unitToken ?? cell(unitCol).trim();
      let unitNote: string | null = null;
      if (edition === 2025 && material === 'titanium-minerals' && (unitLabel === 'metric tons' || unitLabel === '')) {
        // MCS2025 labels the ilmenite and rutile rows "metric tons" (one row blank), but the values are thousand
        // tonnes of TiO2: MCS2024 publishes the same Australian figures (ilmenite 400, rutile 200) as Prod_kt, and the
        // MCS2025 chapter gives thousand metric tons. Documented in the data folder's PROVENANCE.
        unitLabel = 'thousand metric tons';
        unitNote = 'unit corrected: MCS2025 labels these rows "metric tons"; the values are thousand metric tons (as in MCS2024 and the MCS2025 chapter)';
      }
      const unit = UNITS[unitLabel];
      if (!unit) throw new ImportError(file, row.line, layout2025 ? 'UNIT_MEAS' : c.header, `unknown unit "${unitLabel}"`);
      const measure: Measure = c.kind === 'prod' ? 'production' : c.kind === 'cap' ? 'capacity' : 'reserves';
      const stage: Stage = c.kind === 'res' ? 'reserves' : product.stage;
      const typeEstimated = /\bestimated\b/i.test(productText) && c.kind !== 'res';
      const noteEstimated =
        c.kind === 'prod' &&
        !c.estimated &&
        /estimated/i.test(noteText) &&
        (noteText.includes(String(c.year)) || /also|in \d{4} (is )?also|for \d{4}/i.test(noteText));
      const notes = [
        parsed.note,
        unitNote,
        country.qualifier ? `USGS row label "${countryRaw}"` : null,
        noteText && !parsed.note?.includes(noteText) ? noteText : null,
      ].filter(Boolean);
      out.push(
        checked(
          ObservationSchema,
          {
            materialId: product.materialId,
            stage,
            measure,
            countryId: country.id,
            year: c.year,
            value: parsed.value === null ? null : round(parsed.value * unit.factor),
            unit: unit.unit,
            basis: product.basis,
            status: parsed.status,
            estimated: c.estimated || parsed.estimated || countryEstimated || typeEstimated || noteEstimated,
            scenario: null,
            sector: null,
            detail,
            note: notes.length ? notes.join('; ').slice(0, 500) : null,
            sourceId: `usgs-mcs-${edition}-world`,
          },
          file,
          row.line,
          c.header,
        ),
      );
    }
  }
  if (unknownCountries.size) warnings.push(`${basename(file)}: country labels not recognised, rows skipped: ${[...unknownCountries].join(' | ')}`);
  if (skippedSums.size) warnings.push(`${basename(file)}: rows not stored: ${[...skippedSums].join('; ')}`);
  if (unknownCommodities.size)
    warnings.push(`${basename(file)}: commodities not in the material registry, rows skipped: ${[...unknownCommodities].join(' | ')}`);
  return out;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * One figure per country and series. USGS sometimes lists a country twice in one table (e.g. "Brazil" and
 * "Brazil (beneficiated)", or an aggregate typed twice): the rows are summed when both are numbers of the same kind,
 * and the merge is stated in the note.
 */
function dedupe(obs: Observation[], warnings: string[]): void {
  const seen = new Map<string, number>();
  const drop = new Set<number>();
  const merged: string[] = [];
  obs.forEach((o, i) => {
    const k = `${o.materialId}|${o.stage}|${o.measure}|${o.year}|${o.basis}|${o.unit}|${o.countryId}|${o.sourceId}`;
    const j = seen.get(k);
    if (j === undefined) {
      seen.set(k, i);
      return;
    }
    const a = obs[j];
    if (a.value !== null && o.value !== null && a.status === 'reported' && o.status === 'reported') {
      a.value = round(a.value + o.value);
      a.estimated = a.estimated || o.estimated;
      a.note = [a.note, `sum of two USGS rows (${a.detail} | ${o.detail})`].filter(Boolean).join('; ').slice(0, 500);
    } else if (a.value === null && o.value !== null) {
      obs[j] = o;
    }
    drop.add(i);
    merged.push(`${o.materialId} ${o.stage} ${o.year} ${o.countryId}`);
  });
  if (merged.length)
    warnings.push(
      `${merged.length} country rows listed twice in one table were merged (numbers summed, or the row with a number kept): ${merged.slice(0, 8).join(', ')}${merged.length > 8 ? ', …' : ''}`,
    );
  if (drop.size) {
    const kept = obs.filter((_, i) => !drop.has(i));
    obs.length = 0;
    append(obs, kept);
  }
}

/**
 * Titanium mineral concentrates by country = ilmenite + rutile (both TiO2 content). USGS gives the combined world
 * total but lists countries by mineral; without this sum the combined series would hold only the world total.
 * A country row is derived only where neither part is withheld or unavailable, and the note says it was derived.
 */
function titaniumMineralsTotals(obs: Observation[]): Observation[] {
  const parts = new Map<string, Observation[]>();
  const combined = new Set<string>();
  for (const o of obs) {
    const k = `${o.stage}|${o.measure}|${o.year}|${o.basis}|${o.unit}|${o.countryId}|${o.sourceId}`;
    if (o.materialId === 'titanium-minerals') combined.add(k);
    else if (o.materialId === 'ilmenite' || o.materialId === 'rutile') {
      const list = parts.get(k) ?? [];
      list.push(o);
      parts.set(k, list);
    }
  }
  const out: Observation[] = [];
  for (const [k, list] of parts) {
    if (combined.has(k)) continue;
    if (list.some((o) => o.value === null && o.status !== 'included_elsewhere')) continue;
    const numeric = list.filter((o) => o.value !== null);
    if (!numeric.length) continue;
    const bound = numeric.find((o) => o.status !== 'reported');
    out.push({
      ...numeric[0],
      materialId: 'titanium-minerals',
      value: round(numeric.reduce((a, o) => a + o.value!, 0)),
      status: bound ? bound.status : 'reported',
      estimated: list.some((o) => o.estimated),
      detail: 'Ilmenite and rutile, titanium dioxide (TiO2) content',
      note: `derived: sum of the USGS ${list.map((o) => o.materialId).join(' and ')} rows`,
    });
  }
  return out;
}
