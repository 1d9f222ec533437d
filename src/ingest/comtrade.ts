/**
 * UN Comtrade API v1 CSV (the standard comtradeplus download schema: typeCode, freqCode, refYear, refMonth, period,
 * reporterCode, flowCode, partnerCode, cmdCode, qtyUnitCode, qty, netWgt, primaryValue, ...) → bilateral trade flows.
 * `path` is one CSV or a folder whose *.csv files are read together (one source for the folder).
 *
 * Rules (each one is a choice a reader of the figures should know about):
 * - Reporter/partner codes are Comtrade's numeric area codes. Most equal UN M49, but Comtrade keeps its own codes for
 *   areas that include dependencies (842 USA with Puerto Rico and the US Virgin Islands, 251 France with Monaco,
 *   757 Switzerland with Liechtenstein, 579 Norway with Svalbard and Jan Mayen, 699 India, 381 Italy, 841 USA before
 *   1981) and files Taiwan's trade under 490 "Other Asia, nes", which is read as TWN by the usual convention. Partner
 *   0 is the world total ('WLD'). Any other code without an M49 match (historical areas such as 58 Belgium-Luxembourg,
 *   711 SACU; "nes" areas, bunkers, free zones) is reported in a warning and its rows are skipped, never guessed.
 * - flowCode X → export, M → import. Re-exports/re-imports (RX/RM) and Comtrade's other flow codes (DX, FM, processing
 *   flows ...) are skipped with a warning.
 * - Only totals are imported: rows broken down by mode of transport (motCode ≠ 0), customs procedure
 *   (customsCode ≠ C00) or second partner (partner2Code ≠ 0) sit next to their total and would double count.
 * - quantityKg = netWgt when > 0, else qty when qtyUnitCode is 8 (kg), else null; a zero quantity next to a positive
 *   value means "not reported" and becomes null. valueUsd = primaryValue. Negative or non-numeric numbers are errors.
 * - HS code → material(s) through HS_MATERIALS (longest prefix of cmdCode). A code wider than one material is stored
 *   under each headline material with `productScope` saying what else it covers (HS 811292 → gallium and germanium).
 * - The same (reporter, partner, flow, HS code, year, month) read twice (the sample's heavy/light REE files are the
 *   same query saved twice) is imported once, with a warning; different figures for one key are an ImportError.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { COUNTRIES } from '../model/countries.ts';
import { AGGREGATE_IDS, ImportError, TradeFlowSchema, type ImportBatch, type Source } from '../model/schema.ts';
import { checked, parseNumber, streamCsv } from './kit.ts';
import { collectBatch, type RecordOut, type StreamedImport } from './stream.ts';

// ---------------------------------------------------------------------------------------------------------------
// HS code → material table (shared with the China exports importer)

export interface HsMaterial {
  materials: readonly string[]; // material ids (src/model/materials.ts)
  scope: string; // what the code covers (HS 2022 text, shortened); product weight, not contained metal
  /** Scope under HS 2007/2012/2017 where the 2022 edition changed the code's coverage. */
  scopeBefore2022?: string;
}

/**
 * Built from hs-codes-critical-minerals/wto_hs_codes.json (mineral → HS6 list), china_cm_hs_map.csv (China's 8-digit
 * lines) and the codes of the Comtrade sample, with descriptions checked against harmonized-system.csv. Keys are HS
 * prefixes (4, 6 or 8 digits); a cmdCode is matched by its longest key. Codes that are only loosely linked to a
 * material in the WTO list (252700 cryolite, 253040 micaceous iron oxide, 284590 isotopes, 282550/282741/283325
 * copper salts, 2620 slags) are left out: their tonnes say little about the material.
 */
export const HS_MATERIALS: Readonly<Record<string, HsMaterial>> = {
  // cobalt
  '260500': { materials: ['cobalt'], scope: 'HS 260500: cobalt ores and concentrates (ore weight)' },
  '282200': { materials: ['cobalt'], scope: 'HS 282200: cobalt oxides and hydroxides; commercial cobalt oxides' },
  '8105': {
    materials: ['cobalt'],
    scope: 'HS 8105: cobalt mattes and other intermediate products, unwrought cobalt, powders, waste and scrap, articles of cobalt',
  },
  '810520': { materials: ['cobalt'], scope: 'HS 810520: cobalt mattes and other intermediate products, unwrought cobalt, powders' },
  '810530': { materials: ['cobalt'], scope: 'HS 810530: cobalt waste and scrap' },
  '810590': { materials: ['cobalt'], scope: 'HS 810590: articles of cobalt n.e.c.' },
  // copper
  '260300': { materials: ['copper'], scope: 'HS 260300: copper ores and concentrates (ore weight)' },
  '7401': { materials: ['copper'], scope: 'HS 7401: copper mattes; cement copper (precipitated copper)' },
  '7402': { materials: ['copper'], scope: 'HS 7402: unrefined copper; copper anodes for electrolytic refining' },
  '7403': { materials: ['copper'], scope: 'HS 7403: refined copper and copper alloys, unwrought (includes brass/bronze and other alloys)' },
  // gallium, germanium (HS 2022 split hafnium and rhenium out of 811292/811299)
  '811292': {
    materials: ['gallium', 'germanium'],
    scope: 'HS 811292 (HS 2022): unwrought gallium, germanium, indium, niobium and vanadium; waste and scrap; powders',
    scopeBefore2022: 'HS 811292 (HS 2007-2017): unwrought gallium, germanium, hafnium, indium, niobium, rhenium and vanadium; waste and scrap; powders',
  },
  '811299': {
    materials: ['gallium', 'germanium'],
    scope: 'HS 811299 (HS 2022): articles of gallium, germanium, indium, niobium and vanadium other than unwrought, waste and scrap, powders',
    scopeBefore2022:
      'HS 811299 (HS 2007-2017): articles of gallium, germanium, hafnium, indium, niobium, rhenium and vanadium other than unwrought, waste and scrap, powders',
  },
  '81129210': { materials: ['gallium'], scope: 'China tariff line 81129210: unwrought gallium' },
  '81129220': { materials: ['germanium'], scope: 'China tariff line 81129220: unwrought germanium' },
  '81129910': { materials: ['gallium'], scope: 'China tariff line 81129910: wrought gallium' },
  '28256000': { materials: ['germanium'], scope: 'China tariff line 28256000: germanium oxides and zirconium dioxide' },
  // graphite
  '2504': { materials: ['graphite'], scope: 'HS 2504: natural graphite (all forms)' },
  '250410': { materials: ['graphite'], scope: 'HS 250410: natural graphite in powder or flakes' },
  '250490': { materials: ['graphite'], scope: 'HS 250490: natural graphite in other forms' },
  '25041010': { materials: ['graphite'], scope: 'China tariff line 25041010: spherical (battery-anode) natural graphite' },
  '25041091': { materials: ['graphite'], scope: 'China tariff line 25041091: natural flake graphite' },
  '380110': { materials: ['graphite'], scope: 'HS 380110: artificial (synthetic) graphite, not natural graphite' },
  // lithium
  '253090': {
    materials: ['lithium'],
    scope:
      'HS 253090: mineral substances n.e.c. in chapter 25 — much wider than lithium (spodumene and other lithium ores are declared here, together with many unrelated minerals)',
  },
  '282520': { materials: ['lithium'], scope: 'HS 282520: lithium oxide and hydroxide' },
  '283691': { materials: ['lithium'], scope: 'HS 283691: lithium carbonate' },
  // manganese
  '260200': { materials: ['manganese'], scope: 'HS 260200: manganese ores and concentrates (ore weight)' },
  '2820': { materials: ['manganese'], scope: 'HS 2820: manganese oxides' },
  // nickel
  '260400': { materials: ['nickel'], scope: 'HS 260400: nickel ores and concentrates (ore weight)' },
  '7501': { materials: ['nickel'], scope: 'HS 7501: nickel mattes, nickel oxide sinters and other intermediate products of nickel metallurgy' },
  '750110': { materials: ['nickel'], scope: 'HS 750110: nickel mattes' },
  '750120': { materials: ['nickel'], scope: 'HS 750120: nickel oxide sinters and other intermediate products of nickel metallurgy' },
  '7502': { materials: ['nickel'], scope: 'HS 7502: unwrought nickel (not alloyed and alloys)' },
  '750210': { materials: ['nickel'], scope: 'HS 750210: unwrought nickel, not alloyed' },
  '750220': { materials: ['nickel'], scope: 'HS 750220: unwrought nickel alloys' },
  '7503': { materials: ['nickel'], scope: 'HS 7503: nickel waste and scrap' },
  // rare earths
  '280530': { materials: ['rare-earths'], scope: 'HS 280530: rare-earth metals, scandium and yttrium, whether or not intermixed or interalloyed' },
  '2846': {
    materials: ['rare-earths'],
    scope: 'HS 2846: compounds of rare-earth metals, yttrium or scandium (oxides, chlorides, carbonates ...), product weight',
  },
  '284610': { materials: ['rare-earths'], scope: 'HS 284610: cerium compounds' },
  '284690': { materials: ['rare-earths'], scope: 'HS 284690: compounds of rare-earth metals, yttrium or scandium other than cerium' },
  '85051110': { materials: ['rare-earths'], scope: 'China tariff line 85051110: rare-earth (NdFeB) permanent magnets, magnet weight' },
  // silicon
  '280461': { materials: ['silicon'], scope: 'HS 280461: silicon containing ≥ 99.99 % Si (polysilicon)' },
  '280469': { materials: ['silicon'], scope: 'HS 280469: silicon containing < 99.99 % Si' },
};

export interface HsMatch {
  key: string; // the HS_MATERIALS key that matched
  materials: readonly string[];
  scope: string;
}

/**
 * The materials of an HS code by longest matching prefix, or null. `hs2022` says which edition the code is in
 * (true: HS 2022, false: an earlier edition); it only matters for codes whose coverage changed in 2022.
 */
export function hsMaterials(code: string, hs2022: boolean): HsMatch | null {
  if (!/^\d{4,10}$/.test(code)) return null;
  for (let n = code.length; n >= 4; n--) {
    const key = code.slice(0, n);
    const m = HS_MATERIALS[key];
    if (m) return { key, materials: m.materials, scope: !hs2022 && m.scopeBefore2022 ? m.scopeBefore2022 : m.scope };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Comtrade area codes

/** Comtrade area codes that are not the M49 code of the ISO country they stand for. */
const COMTRADE_CODES: Readonly<Record<string, string>> = {
  '0': AGGREGATE_IDS.world, // World (partner only)
  '842': 'USA', // USA incl. Puerto Rico and US Virgin Islands (M49 840)
  '841': 'USA', // USA before 1981
  '699': 'IND', // India (M49 356; 356 is "India, excl. Sikkim" in Comtrade)
  '251': 'FRA', // France incl. Monaco (M49 250)
  '757': 'CHE', // Switzerland incl. Liechtenstein (M49 756)
  '579': 'NOR', // Norway incl. Svalbard and Jan Mayen (M49 578)
  '381': 'ITA', // Italy (Comtrade reporter code; M49 380)
  '490': 'TWN', // "Other Asia, nes": Taiwan's trade by the usual convention (M49 158)
};

const BY_M49 = new Map(COUNTRIES.filter((c) => c.kind === 'country' && c.m49).map((c) => [c.m49!, c.id]));

/** ISO3 (or WLD) for a Comtrade area code, or null when the code has no country (never guessed). */
export function comtradeArea(code: string): string | null {
  return COMTRADE_CODES[code] ?? BY_M49.get(code) ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// importer

const REQUIRED = [
  'freqCode',
  'refYear',
  'refMonth',
  'reporterCode',
  'flowCode',
  'partnerCode',
  'cmdCode',
  'qtyUnitCode',
  'qty',
  'netWgt',
  'primaryValue',
] as const;
const KG = 8; // Comtrade qtyUnitCode for kilograms
const HS2022 = 'H6';

/** Short stable slug of a file or folder name, for the source id. */
function slug(path: string): string {
  const s = basename(path.replace(/[\\/]+$/, ''))
    .replace(/\.csv$/i, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || 'extract';
}

/** The CSV files to read: `path` itself, or the *.csv files of a folder (sorted, so results do not depend on the OS). */
function csvFiles(path: string): { files: string[]; others: string[]; folder: boolean } {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
  if (!isDir) return { files: [path], others: [], folder: false };
  let names: string[];
  try {
    names = readdirSync(path).sort();
  } catch (e) {
    throw new ImportError(path, null, null, `cannot list folder: ${(e as Error).message}`);
  }
  const files = names.filter((n) => /\.csv$/i.test(n)).map((n) => join(path, n));
  if (!files.length) throw new ImportError(path, null, null, 'folder has no *.csv files');
  return { files, others: names.filter((n) => !/\.csv$/i.test(n)), folder: true };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function importComtrade(path: string): Promise<ImportBatch> {
  return collectBatch('comtrade', path, streamComtrade);
}

/** The number of a code in `codes`, numbering it if new; at most `max` codes (keys below stay exact integers). */
function codeIndex(codes: Map<string, number>, code: string, max: number, file: string, line: number, field: string): number {
  let i = codes.get(code);
  if (i === undefined) {
    if (codes.size >= max)
      throw new ImportError(file, line, field, `more than ${max.toLocaleString('en-US')} distinct ${field} values: not a Comtrade extract?`);
    codes.set(code, (i = codes.size));
  }
  return i;
}

// Keys as exact integers below 2^53, so a large file costs a number per row, not a string: 2613 periods (201 years ×
// 12 months + annual), up to 1000 area codes each side, a bounded count of flow and HS codes.
const PERIODS = 201 * 13;
const MAX_FLOW_CODES = 64;
const MAX_RAW_CMD_CODES = 40_000;
const MAX_AREAS = 1024;
const MAX_CMD_CODES = 1_000_000;

/**
 * Read the CSV files row by row, each trade flow handed to `out` when its key is first read. Held across rows, as
 * numbers: the keys of total and breakdown rows (to name flows given only as breakdowns) and, per imported key, its
 * first file, line and figures (to import identical repeats once and refuse conflicting ones) in typed arrays.
 */
export async function streamComtrade(path: string, out: RecordOut): Promise<StreamedImport> {
  const { files, others, folder } = csvFiles(path);
  const warnings: string[] = [];
  if (others.length) warnings.push(`not Comtrade CSV, not read: ${others.join(', ')}`);
  const unknownArea = new Map<string, number>(); // "reporter 58" → rows
  const unknownHs = new Map<string, number>();
  const skippedFlows = new Map<string, number>();
  const breakdown = { mot: 0, customs: 0, partner2: 0 };
  const nonGoods = new Map<string, number>();
  const flowCodes = new Map<string, number>();
  const rawCmdCodes = new Map<string, number>();
  const totalKeys = new Set<number>(); // reporter partner flow cmd year month, as codes
  const breakdownKeys = new Set<number>();
  let minYear = Infinity;
  let maxYear = -Infinity;
  const areaIds = new Map<string, number>();
  const cmdCodes = new Map<string, number>();
  const seen = new Map<number, number>(); // imported key → slot in the arrays below
  let slotFile = new Int32Array(1024);
  let slotLine = new Int32Array(1024);
  let figures = new Float64Array(2048); // quantity, value per slot; NaN for null
  const reporters = new Set<string>();
  const partners = new Set<string>();
  const duplicates = new Map<string, number>(); // "b.csv duplicates a.csv" → rows
  let zeroQuantity = 0;
  const sourceId = `un-comtrade-${slug(path)}`;

  for (let fileNo = 0; fileNo < files.length; fileNo++) {
    const file = files[fileNo];
    const { col, opt: optional, rows } = await streamCsv(file, REQUIRED);
    const at = (name: string) => {
      const i = optional(name);
      return i < 0 ? null : i;
    };
    const opt = {
      typeCode: at('typeCode'),
      motCode: at('motCode'),
      customsCode: at('customsCode'),
      partner2Code: at('partner2Code'),
      classificationCode: at('classificationCode'),
    };
    let dataRows = 0;

    for await (const { line, cells } of rows) {
      dataRows++;
      const cell = (k: (typeof REQUIRED)[number]) => cells[col[k]].trim();
      const optCell = (k: keyof typeof opt) => (opt[k] === null ? '' : cells[opt[k]!].trim());
      const integer = (field: (typeof REQUIRED)[number], min: number, max: number): number => {
        const raw = cell(field);
        const v = parseNumber(raw);
        if (v === null || !Number.isInteger(v) || v < min || v > max)
          throw new ImportError(file, line, field, `expected an integer ${min}..${max}, found "${raw}"`);
        return v;
      };
      const amount = (field: 'qty' | 'netWgt' | 'primaryValue'): number | null => {
        const raw = cell(field);
        if (raw === '') return null;
        const v = parseNumber(raw);
        if (v === null) throw new ImportError(file, line, field, `expected a number, found "${raw}"`);
        if (v < 0) throw new ImportError(file, line, field, `negative ${field} ${raw}`);
        return v;
      };

      // Parse every field first, so a corrupt number is an error even on a row that is skipped below.
      const year = integer('refYear', 1900, 2100);
      const freq = cell('freqCode');
      let month: number | null;
      if (freq === 'A') month = null;
      else if (freq === 'M') month = integer('refMonth', 1, 12);
      else throw new ImportError(file, line, 'freqCode', `expected A (annual) or M (monthly), found "${freq}"`);
      const reporterNo = integer('reporterCode', 0, 999);
      const partnerNo = integer('partnerCode', 0, 999);
      const reporterCode = String(reporterNo);
      const partnerCode = String(partnerNo);
      const flowCode = cell('flowCode');
      if (!/^[A-Z]{1,4}$/.test(flowCode))
        throw new ImportError(file, line, 'flowCode', `expected a Comtrade flow code (X, M, RX, RM ...), found "${flowCode}"`);
      const cmdCode = cell('cmdCode');
      if (!/^(\d{2,10}|TOTAL|AG\d)$/.test(cmdCode)) throw new ImportError(file, line, 'cmdCode', `expected an HS code, found "${cmdCode}"`);
      const unitRaw = cell('qtyUnitCode');
      const unit = unitRaw === '' ? null : integer('qtyUnitCode', -1, 999);
      const qty = amount('qty');
      const netWgt = amount('netWgt');
      const valueUsd = amount('primaryValue');
      if (year < minYear) minYear = year;
      if (year > maxYear) maxYear = year;
      const period = (year - 1900) * 13 + (month ?? 0);

      const typeCode = optCell('typeCode');
      if (typeCode && typeCode !== 'C') {
        nonGoods.set(typeCode, (nonGoods.get(typeCode) ?? 0) + 1);
        continue;
      }
      const rawKey =
        (((reporterNo * 1000 + partnerNo) * MAX_FLOW_CODES + codeIndex(flowCodes, flowCode, MAX_FLOW_CODES, file, line, 'flowCode')) * MAX_RAW_CMD_CODES +
          codeIndex(rawCmdCodes, cmdCode, MAX_RAW_CMD_CODES, file, line, 'cmdCode')) *
          PERIODS +
        period;
      const mot = optCell('motCode');
      const customs = optCell('customsCode');
      const partner2 = optCell('partner2Code');
      const part =
        mot !== '' && mot !== '0' ? 'mot' : customs !== '' && customs !== 'C00' ? 'customs' : partner2 !== '' && partner2 !== '0' ? 'partner2' : null;
      if (part) {
        breakdown[part]++;
        breakdownKeys.add(rawKey);
        continue;
      }
      totalKeys.add(rawKey);
      let flow: 'export' | 'import';
      if (flowCode === 'X') flow = 'export';
      else if (flowCode === 'M') flow = 'import';
      else {
        skippedFlows.set(flowCode, (skippedFlows.get(flowCode) ?? 0) + 1);
        continue;
      }
      const reporterId = reporterCode === '0' ? null : comtradeArea(reporterCode);
      const partnerId = comtradeArea(partnerCode);
      if (!reporterId || !partnerId) {
        const what = !reporterId ? `reporter code ${reporterCode}` : `partner code ${partnerCode}`;
        unknownArea.set(what, (unknownArea.get(what) ?? 0) + 1);
        continue;
      }
      if (!hsMaterials(cmdCode, true)) {
        unknownHs.set(cmdCode, (unknownHs.get(cmdCode) ?? 0) + 1);
        continue;
      }
      let quantityKg = netWgt !== null && netWgt > 0 ? netWgt : unit === KG ? qty : null;
      if (quantityKg === 0 && valueUsd !== null && valueUsd > 0) {
        quantityKg = null;
        zeroQuantity++;
      }
      const cls = optCell('classificationCode');
      const hs2022 = cls ? cls === HS2022 : year >= 2022;

      // reporter partner flow period, then the HS code: a flow's codes sit next to each other (nested-code check below)
      const flowKey =
        ((codeIndex(areaIds, reporterId, MAX_AREAS, file, line, 'reporterCode') * MAX_AREAS +
          codeIndex(areaIds, partnerId, MAX_AREAS, file, line, 'partnerCode')) *
          2 +
          (flow === 'export' ? 0 : 1)) *
          PERIODS +
        period;
      const key = flowKey * MAX_CMD_CODES + codeIndex(cmdCodes, cmdCode, MAX_CMD_CODES, file, line, 'cmdCode');
      const slot = seen.get(key);
      if (slot !== undefined) {
        const same = (a: number, b: number | null) => (b === null ? Number.isNaN(a) : a === b);
        const firstQuantity = figures[2 * slot];
        const firstValue = figures[2 * slot + 1];
        const firstFile = files[slotFile[slot]];
        if (!same(firstQuantity, quantityKg) || !same(firstValue, valueUsd)) {
          const field = !same(firstValue, valueUsd) ? 'primaryValue' : 'netWgt';
          const shown = (v: number) => (Number.isNaN(v) ? null : v);
          throw new ImportError(
            file,
            line,
            field,
            `${reporterId} ${flow} ${partnerId} HS ${cmdCode} ${year}${month ? `-${month}` : ''} is ${quantityKg} kg / ${valueUsd} USD here but ` +
              `${shown(firstQuantity)} kg / ${shown(firstValue)} USD in ${firstFile} line ${slotLine[slot]}`,
          );
        }
        const pair = firstFile === file ? `${basename(file)} repeats rows of itself` : `${basename(file)} repeats rows of ${basename(firstFile)}`;
        duplicates.set(pair, (duplicates.get(pair) ?? 0) + 1);
        continue;
      }
      const n = seen.size;
      if (n >= slotLine.length) {
        const grow = <T extends Int32Array | Float64Array>(a: T, make: (len: number) => T): T => {
          const b = make(a.length * 2);
          b.set(a);
          return b;
        };
        slotFile = grow(slotFile, (l) => new Int32Array(l));
        slotLine = grow(slotLine, (l) => new Int32Array(l));
        figures = grow(figures, (l) => new Float64Array(l));
      }
      seen.set(key, n);
      slotFile[n] = fileNo;
      slotLine[n] = line;
      figures[2 * n] = quantityKg ?? NaN;
      figures[2 * n + 1] = valueUsd ?? NaN;
      reporters.add(reporterId);
      partners.add(partnerId);
      const hs = hsMaterials(cmdCode, hs2022)!;
      for (const materialId of hs.materials) {
        const record = {
          reporterId,
          partnerId,
          flow,
          materialId,
          hsCode: cmdCode,
          year,
          month,
          quantityKg,
          valueUsd,
          productScope: hs.scope,
          sourceId,
        };
        await out.tradeFlow(checked(TradeFlowSchema, record, file, line, 'tradeFlow'));
      }
    }
    if (!dataRows) throw new ImportError(file, null, null, 'no data rows below the header');
  }

  const list = (ids: string[]) => (ids.length <= 12 ? ` (${ids.join(', ')})` : '');
  const fileNames = files.map((f) => basename(f));
  const source: Source = {
    id: sourceId,
    dataset: 'un-comtrade',
    editionYear: maxYear,
    publisher: 'United Nations Statistics Division (UN Comtrade)',
    title: 'UN Comtrade database, API v1 extract',
    edition: minYear === maxYear ? String(minYear) : `${minYear}-${maxYear}`,
    table: 'annual/monthly merchandise trade by HS code',
    licence: 'UN Comtrade terms of use (attribution; bulk redistribution restricted)',
    url: 'https://comtradeplus.un.org/',
    file: fileNames.join(', '),
    caveat:
      `Extract with ${plural(reporters.size, 'reporter')}${list([...reporters].sort())} and ${plural(partners.size, 'partner')}${list([...partners].sort())}` +
      `${folder ? ` from ${plural(files.length, 'file')}` : ''}: selected reporter/partner pairs only, not a full bilateral matrix. ` +
      'Quantities are customs net weight of the product (not contained metal); an HS code can be wider than the material (see productScope). ' +
      'Comtrade area 490 "Other Asia, nes" is read as Taiwan by convention. UN Comtrade terms: attribution required, bulk redistribution restricted.',
  };

  // A heading and one of its subheadings (2846 and 284690) for the same flow would be counted twice when summed.
  const codeOf = [...cmdCodes.keys()];
  const prefixes = codeOf.map((b) => codeOf.flatMap((a, i) => (a !== b && b.startsWith(a) ? [i] : [])));
  const nested = new Set<string>();
  if (prefixes.some((p) => p.length)) {
    for (const key of seen.keys()) {
      const b = key % MAX_CMD_CODES;
      const flowBase = key - b;
      for (const a of prefixes[b]) if (seen.has(flowBase + a)) nested.add(`${codeOf[a]} ⊃ ${codeOf[b]}`);
    }
  }
  if (nested.size) warnings.push(`HS codes nested in one another for the same flows (${[...nested].sort().join(', ')}): do not add them up`);
  for (const [pair, n] of duplicates)
    warnings.push(`${pair}: ${plural(n, 'identical record')} (same reporter, partner, flow, HS code and period) imported once`);
  if (breakdown.mot) warnings.push(`${plural(breakdown.mot, 'row')} broken down by mode of transport (motCode ≠ 0) skipped: the all-modes total is imported`);
  if (breakdown.customs)
    warnings.push(`${plural(breakdown.customs, 'row')} broken down by customs procedure (customsCode ≠ C00) skipped: the total is imported`);
  if (breakdown.partner2) warnings.push(`${plural(breakdown.partner2, 'row')} broken down by second partner (partner2Code ≠ 0) skipped: the total is imported`);
  const flowCodeOf = [...flowCodes.keys()];
  const rawCmdOf = [...rawCmdCodes.keys()];
  const rawKeyText = (k: number): string => {
    const period = k % PERIODS;
    let rest = (k - period) / PERIODS;
    const cmd = rest % MAX_RAW_CMD_CODES;
    rest = (rest - cmd) / MAX_RAW_CMD_CODES;
    const flow = rest % MAX_FLOW_CODES;
    rest = (rest - flow) / MAX_FLOW_CODES;
    const partner = rest % 1000;
    const reporter = (rest - partner) / 1000;
    const month = period % 13;
    return [reporter, partner, flowCodeOf[flow], rawCmdOf[cmd], 1900 + (period - month) / 13, month || 'year'].join(' ');
  };
  const noTotal = [...breakdownKeys].filter((k) => !totalKeys.has(k));
  if (noTotal.length)
    warnings.push(
      `${plural(noTotal.length, 'flow')} given only as breakdown rows, without a total row, not imported (reporter partner flow HS year month): ${noTotal.slice(0, 10).map(rawKeyText).join('; ')}${noTotal.length > 10 ? ' ...' : ''}`,
    );
  for (const [code, n] of skippedFlows)
    warnings.push(
      `flowCode ${code}${code === 'RX' ? ' (re-export)' : code === 'RM' ? ' (re-import)' : ''}: ${plural(n, 'row')} skipped (only X exports and M imports are imported)`,
    );
  for (const [t, n] of nonGoods) warnings.push(`typeCode ${t} (not goods): ${plural(n, 'row')} skipped`);
  for (const [what, n] of unknownArea) warnings.push(`${what} has no country id (not an M49 country or known Comtrade code); ${plural(n, 'row')} not imported`);
  for (const [code, n] of unknownHs) warnings.push(`HS code ${code} is not mapped to a material (HS_MATERIALS); ${plural(n, 'row')} not imported`);
  if (zeroQuantity) warnings.push(`${plural(zeroQuantity, 'row')} with a positive value but zero quantity: quantity taken as not reported (null)`);
  return { sources: [source], warnings };
}
