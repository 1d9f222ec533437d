/**
 * EU Critical Raw Materials assessment 2023: input tables of the study, from an unofficial transcription.
 *  - `fact_GlobalSupplyShares_t.csv` / `fact_EUSupplyShares_t.csv`: per material, stage (E extraction, P processing)
 *    and country, the share of global supply or of EU sourcing, and the trade-related variable t
 *    (1 default, >1 export restrictions, 0.8 EU trade-agreement partners) → observations;
 *  - `fact_MaterialUseShares.csv` (end-use shares) and `dimension_ScreenedMatGroupings.csv` (material groups)
 *    → typed arrays for the criticality work (`readEuMaterialUseShares`, `readEuMaterialGroupings`).
 * All files are read as latin-1: the supply files spell "Türkiye" with byte 0xFC, the use-share header ends in a
 * windows-1252 "€" (0x80, which Node's latin-1 decoder leaves as U+0080); the groupings file is plain ASCII.
 */
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ImportError, ObservationSchema, type ImportBatch, type Observation, type Source, type Stage, type ValueStatus } from '../model/schema.ts';
import { resolveCountry } from '../model/countries.ts';
import { resolveMaterial } from '../model/materials.ts';
import { append, checked, columns, numberCell, parseNumber, readCsv, readText } from './kit.ts';

export const EU_CRM_SOURCE: Source = {
  id: 'eu-crm-2023',
  dataset: 'eu-crm',
  editionYear: 2023,
  publisher: 'European Commission (JRC)',
  title: 'Study on the Critical Raw Materials for the EU 2023 - Final Report',
  edition: '2023',
  table: 'Appendix 7: global supply shares and trade-related variable t; EU sourcing shares',
  licence: 'CC BY 4.0',
  url: 'https://doi.org/10.2873/725585',
  file: null,
  caveat: 'unofficial transcription (CC BY 4.0) of the report tables (github.com/erikemilsson/EU-Critical-Raw-Materials-CRM-Reports-Datasets)',
};

const SUPPLY_FILES = { global: 'fact_GlobalSupplyShares_t.csv', eu_sourcing: 'fact_EUSupplyShares_t.csv' } as const;
type Scope = keyof typeof SUPPLY_FILES;
const USE_SHARES_FILE = 'fact_MaterialUseShares.csv';
const GROUPINGS_FILE = 'dimension_ScreenedMatGroupings.csv';

const STAGES: Record<string, Stage> = { E: 'mining', P: 'refining' };
const YEAR = 2023; // the assessment; the shares themselves are 2016-2020 averages (see NOTES)
const NOTES: Record<Scope, { share: string; t: string }> = {
  global: {
    share: 'Share of global supply, 2016-2020 average as used in the 2023 assessment (year = assessment year)',
    t: 'Trade-related variable t for global supply (1 default, >1 export restrictions), 2023 assessment',
  },
  eu_sourcing: {
    share: 'Share of EU sourcing (domestic production + imports), 2016-2020 average as used in the 2023 assessment (year = assessment year)',
    t: 'Trade-related variable t for EU sourcing (0.8 EU trade-agreement partners, >1 export restrictions), 2023 assessment',
  },
};
const SUM_TOLERANCE = 0.05; // listed shares are rounded to 0.1-1 %; beyond this a supplier is likely missing

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
}

/** The named file inside a folder, or the path itself when it is a file. */
const fileIn = (path: string, name: string) => (isDirectory(path) ? join(path, name) : path);

/** "62.8%" → 0.628; "<0.1%" → 0.001 as an upper bound; ">0%" → 0 as a lower bound. `percentSign` false for a bare "6". */
function parseShare(raw: string): { value: number; status: ValueStatus; percentSign: boolean } | null {
  const m = /^([<>])?\s*([^%\s]+)\s*(%)?$/.exec(raw.trim());
  const pct = m ? parseNumber(m[2]) : null;
  if (!m || pct === null || pct > 100) return null;
  return { value: pct / 100, status: m[1] === '<' ? 'upper_bound' : m[1] === '>' ? 'lower_bound' : 'reported', percentSign: m[3] === '%' };
}

/**
 * Import the folder (both supply files) or one supply file. Both files share the source id, and a store import
 * replaces everything under a source id, so importing one file alone drops the other's rows: prefer the folder.
 */
export async function importEuCrm2023(path: string): Promise<ImportBatch> {
  const files = isDirectory(path) ? Object.values(SUPPLY_FILES).map((n) => join(path, n)) : [path];
  const warnings: string[] = [];
  const observations: Observation[] = [];
  for (const file of files) {
    const scope = (Object.keys(SUPPLY_FILES) as Scope[]).find((s) => basename(file) === SUPPLY_FILES[s]);
    if (!scope)
      throw new ImportError(file, null, null, `not an EU CRM supply-shares file; expected ${Object.values(SUPPLY_FILES).join(' or ')} (or their folder)`);
    append(observations, supplyShares(file, scope, warnings));
  }
  return { kind: 'eu-crm', file: path, sources: [EU_CRM_SOURCE], observations, warnings };
}

function supplyShares(file: string, scope: Scope, warnings: string[]): Observation[] {
  const table = readCsv(file, readText(file, 'latin1'));
  const col = columns(file, table, ['Material', 'Stage', 'Country', 'Share', 't']);
  const out: Observation[] = [];
  const seen = new Set<string>();
  const sums = new Map<string, number>();
  const unresolved = new Map<string, number[]>();
  for (const { line, cells } of table.rows) {
    const [material, stageCode, country] = [cells[col.Material].trim(), cells[col.Stage].trim(), cells[col.Country].trim()];
    const stage = STAGES[stageCode];
    if (!stage) throw new ImportError(file, line, 'Stage', `expected E (extraction) or P (processing), found "${stageCode}"`);
    const share = parseShare(cells[col.Share]);
    if (!share) throw new ImportError(file, line, 'Share', `expected a percentage such as "62.8%" or "<0.1%", found "${cells[col.Share]}"`);
    // Every share in these files is a percentage; one transcribed cell lacks its "%" sign.
    if (!share.percentSign) warnings.push(`${basename(file)}:${line}: share "${cells[col.Share]}" has no % sign; read as ${cells[col.Share].trim()}%`);
    const t = numberCell(file, line, 't', cells[col.t]);
    if (t <= 0) throw new ImportError(file, line, 't', `expected a positive factor, found ${t}`);
    const materialId = resolveMaterial(material);
    const countryId = resolveCountry(country)?.id;
    if (!materialId || !countryId) {
      const label = !materialId ? `material "${material}"` : `country "${country}"`;
      unresolved.set(label, [...(unresolved.get(label) ?? []), line]);
      continue;
    }
    const key = `${materialId}|${stage}|${countryId}`;
    if (seen.has(key)) throw new ImportError(file, line, 'Country', `second ${material} ${stageCode} row for ${country} (${countryId})`);
    seen.add(key);
    sums.set(`${material} ${stageCode}`, (sums.get(`${material} ${stageCode}`) ?? 0) + share.value);
    const base = {
      materialId,
      stage,
      countryId,
      year: YEAR,
      basis: 'ratio',
      estimated: false,
      scenario: null,
      sector: null,
      detail: scope,
      sourceId: EU_CRM_SOURCE.id,
    } as const;
    out.push(
      checked(
        ObservationSchema,
        { ...base, measure: 'supply_share', value: share.value, unit: 'fraction', status: share.status, note: NOTES[scope].share },
        file,
        line,
        'supply_share',
      ),
      checked(
        ObservationSchema,
        { ...base, measure: 'trade_variable_t', value: t, unit: 'index', status: 'reported', note: NOTES[scope].t },
        file,
        line,
        'trade_variable_t',
      ),
    );
  }
  for (const [label, lines] of unresolved)
    warnings.push(
      `${basename(file)}: ${label} not resolved; ${lines.length} row(s) not imported (lines ${lines.slice(0, 5).join(', ')}${lines.length > 5 ? ', ...' : ''})`,
    );
  const off = [...sums].filter(([, s]) => Math.abs(s - 1) > SUM_TOLERANCE);
  if (off.length)
    warnings.push(
      `${basename(file)}: listed shares do not add up to 100% (±${SUM_TOLERANCE * 100} points) for ${off.map(([k, s]) => `${k} ${(s * 100).toFixed(1)}%`).join(', ')}`,
    );
  return out;
}

export interface EuMaterialUseShare {
  material: string; // as published
  materialId: string | null; // null when the name does not resolve
  application: string;
  share: number; // fraction of EU end use
  shareBound: 'lower' | 'upper' | null; // ">0%" is a lower bound
  naceSector: string | null; // NACE Rev.2 2-digit sector the application is mapped to; empty for "Other"
  valueAddedMEur: number | null; // value added of that sector, million EUR
}

/** End-use shares of each material with their NACE sector and its value added (input to economic importance). */
export async function readEuMaterialUseShares(path: string): Promise<EuMaterialUseShare[]> {
  const file = fileIn(path, USE_SHARES_FILE);
  const table = readCsv(file, readText(file, 'latin1'));
  // Matched by prefix: the header's last character is the windows-1252 euro sign (see top of file).
  const vaColumn = table.header.find((h) => h.startsWith('VA in million')) ?? 'VA in million EUR';
  const col = columns(file, table, ['Material', 'Application', 'Share', 'NACE sector', vaColumn]);
  return table.rows.map(({ line, cells }) => {
    const share = parseShare(cells[col.Share]);
    if (!share) throw new ImportError(file, line, 'Share', `expected a percentage, found "${cells[col.Share]}"`);
    const va = cells[col[vaColumn]].trim();
    return {
      material: cells[col.Material].trim(),
      materialId: resolveMaterial(cells[col.Material]),
      application: cells[col.Application].trim(),
      share: share.value,
      shareBound: share.status === 'lower_bound' ? 'lower' : share.status === 'upper_bound' ? 'upper' : null,
      naceSector: cells[col['NACE sector']].trim() || null,
      valueAddedMEur: va === '' ? null : numberCell(file, line, vaColumn, va),
    };
  });
}

/**
 * The assessment's material groups under four permutations: whether rare earths are split into LREE/HREE
 * (`XREE`) or kept as one REE group, and whether PGMs are a group of their own or counted as precious metals.
 */
export interface EuMaterialGrouping {
  material: string; // as published (lower case, some misspelt: "flourspar", "krupton")
  materialId: string | null; // null when the name does not resolve, e.g. the combined "aluminium/bauxite"
  groups: { noXREE_noPGM: string; noXREE_PGM: string; XREE_noPGM: string; XREE_PGM: string };
}

export async function readEuMaterialGroupings(path: string): Promise<EuMaterialGrouping[]> {
  const file = fileIn(path, GROUPINGS_FILE);
  const table = readCsv(file, readText(file, 'latin1'));
  const perms = ['noXREE_noPGM', 'noXREE_PGM', 'XREE_noPGM', 'XREE_PGM'] as const;
  const col = columns(file, table, ['screened_material', ...perms.map((p) => `perm_${p}` as const)]);
  return table.rows.map(({ line, cells }) => {
    const groups = Object.fromEntries(
      perms.map((p) => {
        const g = cells[col[`perm_${p}`]].trim();
        if (!g) throw new ImportError(file, line, `perm_${p}`, 'empty group');
        return [p, g];
      }),
    ) as EuMaterialGrouping['groups'];
    return { material: cells[col.screened_material].trim(), materialId: resolveMaterial(cells[col.screened_material]), groups };
  });
}
