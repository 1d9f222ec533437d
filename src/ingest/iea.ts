/**
 * IEA Critical Minerals Data Explorer, processed JSON (third-party reshaping of the IEA workbook; see the
 * data folder's PROVENANCE.md). Two parts:
 *  - supply: `supply.{mineral}.mining|refining.countries.{country}.{year}` plus `total`, base year and base-case
 *    projections, in kt;
 *  - demand: `totalDemand` (6 minerals by sector, with totals), `cleantechByTech` and `cleantechByMineral`
 *    (clean-technology demand for up to 38 minerals) and `byTechnology` (the same cut by technology), by
 *    scenario, in kt. The four demand sections repeat many figures; each figure is kept once, and a block that
 *    contradicts figures already read is not imported (see `mergeDemand`).
 */
import { AGGREGATE_IDS, ImportError, ObservationSchema, type ImportBatch, type Observation, type Source, type Stage } from '../model/schema.ts';
import { resolveCountry } from '../model/countries.ts';
import { resolveMaterial } from '../model/materials.ts';
import { checked, readText } from './kit.ts';

export const IEA_SOURCE: Source = {
  id: 'iea-cm-2025',
  dataset: 'iea-cm',
  editionYear: 2025,
  publisher: 'International Energy Agency',
  title: 'Critical Minerals Data Explorer / Global Critical Minerals Outlook 2025',
  edition: '2025',
  table: 'Supply by country (base case) and demand by scenario',
  licence: 'CC BY 4.0',
  url: 'https://www.iea.org/data-and-statistics/data-tools/critical-minerals-data-explorer',
  file: 'CM_Data_Explorer.xlsx',
  caveat:
    'Read from a third-party JSON reshaping of the IEA workbook (github.com/barrytho/uk-critical-minerals-dashboard, data/iea.json), ' +
    'not from the IEA file itself; values have a 2024 base year (2025 edition) but the exact edition is unverified.',
};

const KT = 1000; // the explorer publishes kilotonnes; the store keeps tonnes
const SCENARIOS = ['STEPS', 'APS', 'NZE'];
const STAGES = ['mining', 'refining'] as const satisfies readonly Stage[];
const YEAR = /^(19|20)\d{2}$/;

/** What a published mineral label covers, where the name alone would mislead. */
const SCOPE: Record<string, string> = {
  Lithium: 'lithium content, not LCE',
  'Rare Earth Elements': 'magnet rare earths (Nd, Pr, Dy, Tb)',
  'Battery-grade graphite': 'battery-grade graphite only',
  'Total REE': 'all rare earths used in clean technologies',
};
const describe = (what: string, label: string) => (SCOPE[label] ? `${what}; ${SCOPE[label]}` : what);

const PROJECTION_NOTE =
  'IEA base case: pipeline of operating and announced projects, weighted by their probability of coming online (financing, permitting, feasibility).';

/** Demand totals in `totalDemand.{mineral}`, as sectors, with what each one is. */
const DEMAND_TOTALS: Record<string, { sector: string; note: string }> = {
  totalClean: { sector: 'Total clean technologies', note: 'IEA totalClean: sum of the clean-energy technology sectors' },
  otherUses: { sector: 'Other uses', note: 'IEA otherUses: demand outside clean-energy technologies' },
  totalDemand: { sector: 'Total', note: 'IEA totalDemand: clean technologies plus other uses' },
};
const CLEAN_TOTAL = DEMAND_TOTALS.totalClean;

type Obj = Record<string, unknown>;

/** JSON path for messages: dotted keys, bracketed when a key is not a plain word. */
const at = (path: string, key: string) => (/^[\w$]+$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Accessors that throw ImportError naming the JSON path when the shape is not what the format promises. */
function reader(file: string) {
  const fail = (path: string, reason: string): never => {
    throw new ImportError(file, null, path, reason);
  };
  const obj = (v: unknown, path: string): Obj =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : fail(path, `expected an object, found ${typeName(v)}`);
  const quantity = (v: unknown, path: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(path, `expected a number, found ${typeName(v)}`);
    return v < 0 ? fail(path, `negative quantity ${v}`) : v;
  };
  const year = (key: string, path: string): number => (YEAR.test(key) ? Number(key) : fail(at(path, key), `expected a year key, found "${key}"`));
  return { file, obj, quantity, year };
}
type Reader = ReturnType<typeof reader>;

function loadJson(file: string): Obj {
  const text = readText(file);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    // V8 reports "... at position N"; turn that into a line number when it does.
    const pos = /position (\d+)/.exec((e as Error).message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : null;
    throw new ImportError(file, line, '$', `not valid JSON: ${(e as Error).message}`);
  }
  return reader(file).obj(root, '$');
}

export async function importIeaCriticalMinerals(path: string): Promise<ImportBatch> {
  const root = loadJson(path);
  const r = reader(path);
  const warnings: string[] = [];
  const rows = [...supplyRows(r, root, warnings), ...demandRows(r, root, warnings)];
  warnings.push('Not stored (derived from stored figures): supply.*.top3Share (see readIeaPublishedTop3) and totalDemand.*.cleanShare.');
  const observations = rows.map((o, i) => checked(ObservationSchema, o, path, null, `observation #${i + 1}`));
  return { kind: 'iea', file: path, sources: [IEA_SOURCE], observations, warnings };
}

/** Minerals of a section with their material ids; labels that do not resolve are reported, not guessed. */
function minerals(r: Reader, section: unknown, path: string, warnings: string[]): Array<[label: string, materialId: string, value: unknown]> {
  const out: Array<[string, string, unknown]> = [];
  for (const [label, v] of Object.entries(r.obj(section, path))) {
    const id = resolveMaterial(label);
    if (id) out.push([label, id, v]);
    else warnings.push(`${at(path, label)}: not a known material, skipped`);
  }
  return out;
}

function supplyRows(r: Reader, root: Obj, warnings: string[]): Observation[] {
  const out: Observation[] = [];
  for (const [label, materialId, v] of minerals(r, root.supply, 'supply', warnings)) {
    const mineralPath = at('supply', label);
    const mineral = r.obj(v, mineralPath);
    for (const key of Object.keys(mineral)) {
      if (!(STAGES as readonly string[]).includes(key)) warnings.push(`${at(mineralPath, key)}: unknown stage, skipped`);
    }
    for (const stage of STAGES) {
      const path = at(mineralPath, stage);
      const block = r.obj(mineral[stage], path);
      const total = r.obj(block.total, at(path, 'total'));
      const years = Object.keys(total).map((y) => r.year(y, at(path, 'total')));
      if (!years.length) throw new ImportError(r.file, null, at(path, 'total'), 'no years');
      // The earliest year is the explorer's base year (reported); later years are base-case projections.
      const baseYear = Math.min(...years);
      const row = (countryId: string, year: number, kt: number | null): Observation => ({
        materialId,
        stage,
        measure: 'production',
        countryId,
        year,
        value: kt === null ? null : kt * KT,
        unit: 't',
        basis: 'contained',
        status: kt === null ? 'not_available' : 'reported',
        estimated: false,
        scenario: year === baseYear ? null : 'base',
        sector: null,
        detail: describe(`${stage} supply`, label),
        note: year === baseYear ? null : PROJECTION_NOTE,
        sourceId: IEA_SOURCE.id,
      });
      const sums = new Map<number, number>();
      const countriesPath = at(path, 'countries');
      for (const [name, seriesValue] of Object.entries(r.obj(block.countries, countriesPath))) {
        const namePath = at(countriesPath, name);
        const series = r.obj(seriesValue, namePath);
        const country = resolveCountry(name);
        if (!country) {
          const footnote = Object.values(series).every((x) => x === null);
          warnings.push(`${namePath}: not a country${footnote ? ' (a footnote parsed as a key; all values null)' : ''}, dropped`);
          continue;
        }
        for (const [y, x] of Object.entries(series)) {
          const year = r.year(y, namePath);
          const kt = x === null ? null : r.quantity(x, at(namePath, y));
          out.push(row(country.id, year, kt));
          sums.set(year, (sums.get(year) ?? 0) + (kt ?? 0));
        }
      }
      const gaps: string[] = [];
      for (const y of Object.keys(total)) {
        const kt = r.quantity(total[y], at(at(path, 'total'), y));
        out.push(row(AGGREGATE_IDS.world, Number(y), kt));
        const diff = (sums.get(Number(y)) ?? 0) / kt - 1;
        if (kt > 0 && Math.abs(diff) > 1e-6) gaps.push(`${y} ${diff > 0 ? '+' : ''}${(diff * 100).toFixed(2)}%`);
      }
      if (gaps.length)
        warnings.push(`${path}: countries (incl. rest of world) do not add up to the published total: ${gaps.join(', ')}; total kept as published`);
    }
  }
  return out;
}

/** One demand figure before it becomes an observation. */
interface DemandCell {
  materialId: string;
  label: string;
  sector: string;
  scenario: string | null;
  year: number;
  kt: number;
  note: string | null;
  block: string;
}

/** A base-year value plus `{scenario: {year: value}}`, as every demand series in the explorer is laid out. */
function series(r: Reader, v: unknown, path: string, warnings: string[]): Array<{ scenario: string | null; year: number; kt: number }> {
  const out: Array<{ scenario: string | null; year: number; kt: number }> = [];
  for (const [key, x] of Object.entries(r.obj(v, path))) {
    if (YEAR.test(key)) out.push({ scenario: null, year: Number(key), kt: r.quantity(x, at(path, key)) });
    else if (SCENARIOS.includes(key)) {
      const sp = at(path, key);
      for (const [y, z] of Object.entries(r.obj(x, sp))) out.push({ scenario: key, year: r.year(y, sp), kt: r.quantity(z, at(sp, y)) });
    } else warnings.push(`${at(path, key)}: unknown scenario, skipped`);
  }
  return out;
}

function demandRows(r: Reader, root: Obj, warnings: string[]): Observation[] {
  const blocks: DemandCell[][] = [];
  const cells = (block: string, materialId: string, label: string, sector: string, note: string | null, v: unknown, path: string): DemandCell[] =>
    series(r, v, path, warnings).map((s) => ({ materialId, label, sector, note, block, ...s }));

  for (const [label, materialId, v] of minerals(r, root.totalDemand, 'totalDemand', warnings)) {
    const path = at('totalDemand', label);
    const m = r.obj(v, path);
    const block: DemandCell[] = [];
    for (const [sector, s] of Object.entries(r.obj(m.sectors, at(path, 'sectors')))) {
      block.push(...cells(path, materialId, label, sector, null, s, at(at(path, 'sectors'), sector)));
    }
    for (const [key, { sector, note }] of Object.entries(DEMAND_TOTALS)) block.push(...cells(path, materialId, label, sector, note, m[key], at(path, key)));
    for (const key of Object.keys(m)) {
      if (key !== 'sectors' && key !== 'cleanShare' && !(key in DEMAND_TOTALS)) warnings.push(`${at(path, key)}: unknown field, skipped`);
    }
    blocks.push(block);
  }
  for (const [label, materialId, v] of minerals(r, root.cleantechByTech, 'cleantechByTech', warnings)) {
    const path = at('cleantechByTech', label);
    const m = r.obj(v, path);
    const block: DemandCell[] = [];
    for (const [sector, s] of Object.entries(r.obj(m.sectors, at(path, 'sectors')))) {
      block.push(...cells(path, materialId, label, sector, null, s, at(at(path, 'sectors'), sector)));
    }
    block.push(...cells(path, materialId, label, CLEAN_TOTAL.sector, CLEAN_TOTAL.note, m.total, at(path, 'total')));
    blocks.push(block);
  }
  for (const [label, materialId, v] of minerals(r, root.cleantechByMineral, 'cleantechByMineral', warnings)) {
    const path = at('cleantechByMineral', label);
    blocks.push(cells(path, materialId, label, CLEAN_TOTAL.sector, CLEAN_TOTAL.note, v, path));
  }
  // byTechnology is cut the other way round: one block per technology, so a technology table that disagrees
  // with the tables above is left out as a whole rather than mixed in cell by cell.
  for (const [tech, t] of Object.entries(r.obj(root.byTechnology, 'byTechnology'))) {
    const path = at(at('byTechnology', tech), 'minerals');
    blocks.push(
      minerals(r, r.obj(t, at('byTechnology', tech)).minerals, path, warnings).flatMap(([label, id, s]) =>
        cells(path, id, label, tech, null, s, at(path, label)),
      ),
    );
  }

  return mergeDemand(blocks, warnings).map((c) => ({
    materialId: c.materialId,
    stage: 'end_use',
    measure: 'demand',
    countryId: AGGREGATE_IDS.world,
    year: c.year,
    value: c.kt * KT,
    unit: 't',
    basis: 'contained',
    status: 'reported',
    estimated: false,
    scenario: c.scenario,
    sector: c.sector,
    detail: describe('demand', c.label),
    note: c.note,
    sourceId: IEA_SOURCE.id,
  }));
}

/**
 * Keep each demand figure once. A figure is identified by material, scope (label), sector, scenario and year;
 * a repeat with the same value is dropped, a repeat with a different value means the block contradicts what was
 * already read, so the whole block is skipped with a warning (earlier sections are the explorer's main tables).
 */
function mergeDemand(blocks: DemandCell[][], warnings: string[]): DemandCell[] {
  const kept = new Map<string, DemandCell>();
  const key = (c: DemandCell) => [c.materialId, SCOPE[c.label] ?? '', c.sector, c.scenario ?? '', c.year].join('|');
  const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  for (const block of blocks) {
    const local = new Map<string, DemandCell>();
    const conflicts: string[] = [];
    for (const c of block) {
      const k = key(c);
      const prior = kept.get(k) ?? local.get(k);
      if (prior && !same(prior.kt, c.kt))
        conflicts.push(`${c.label}/${c.sector}/${c.scenario ?? 'base year'} ${c.year}: ${c.kt} vs ${prior.kt} kt in ${prior.block}`);
      else if (!prior) local.set(k, c);
    }
    if (conflicts.length) {
      warnings.push(`${block[0].block}: not imported, ${conflicts.length} figure(s) contradict figures already read, e.g. ${conflicts.slice(0, 3).join('; ')}`);
      continue;
    }
    for (const [k, c] of local) kept.set(k, c);
  }
  return [...kept.values()];
}

/** The explorer's own top-3 share of supply per mineral, stage and year, to check our concentration engine against. */
export async function readIeaPublishedTop3(path: string): Promise<Array<{ materialId: string; stage: Stage; year: number; top3Share: number }>> {
  const root = loadJson(path);
  const r = reader(path);
  const out: Array<{ materialId: string; stage: Stage; year: number; top3Share: number }> = [];
  for (const [label, materialId, v] of minerals(r, root.supply, 'supply', [])) {
    const mineral = r.obj(v, at('supply', label));
    for (const stage of STAGES) {
      const stagePath = at(at('supply', label), stage);
      const path = at(stagePath, 'top3Share');
      for (const [y, s] of Object.entries(r.obj(r.obj(mineral[stage], stagePath).top3Share, path))) {
        out.push({ materialId, stage, year: r.year(y, path), top3Share: r.quantity(s, at(path, y)) });
      }
    }
  }
  return out;
}
