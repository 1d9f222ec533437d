/**
 * The bundled dataset: Chokepoint's own normalized table of figures (not the public source files), each row
 * citing its primary source by id. Built by `npm run bundle:build` from the public files; shipped in
 * src/data/bundle so `npm start` works on a machine with no data at hand.
 *
 * Files: sources.json (Source[]), observations.csv, governance.csv, groupings.csv, prices.csv, manifest.json.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  ImportError,
  ObservationSchema,
  PricePointSchema,
  SourceSchema,
  GovernanceSchema,
  GroupingMemberSchema,
  type ImportBatch,
  type Observation,
  type Governance,
  type GroupingMember,
  type PricePoint,
} from '../model/schema.ts';
import { parseCsv, toCsv, type CsvTable } from './csv.ts';
import { readText, setRecordOrigin } from './kit.ts';

export const BUNDLE_DIR = fileURLToPath(new URL('../data/bundle/', import.meta.url));

const OBS_COLUMNS = [
  'materialId',
  'stage',
  'measure',
  'countryId',
  'year',
  'value',
  'unit',
  'basis',
  'status',
  'estimated',
  'scenario',
  'sector',
  'detail',
  'note',
  'sourceId',
] as const;
const GOV_COLUMNS = ['countryId', 'year', 'indicator', 'estimate', 'stdErr', 'percentileRank', 'sourceId'] as const;
const GRP_COLUMNS = ['groupId', 'groupName', 'countryId', 'asOf', 'sourceId'] as const;
const PRICE_COLUMNS = [
  'materialId',
  'series',
  'year',
  'value',
  'low',
  'high',
  'unit',
  'usdPerTonne',
  'basis',
  'market',
  'status',
  'estimated',
  'edition',
  'detail',
  'note',
  'sourceId',
] as const;

export const ManifestSchema = z.object({
  format: z.literal(1),
  description: z.string(),
  inputs: z.array(z.object({ kind: z.string(), path: z.string(), sha256: z.string() })),
  counts: z.record(z.string(), z.number()),
});
export type Manifest = z.infer<typeof ManifestSchema>;

function readTable(dir: string, name: string): { file: string; table: CsvTable } {
  const file = join(dir, name);
  const text = readText(file);
  try {
    return { file, table: parseCsv(text, file) };
  } catch (e) {
    throw new ImportError(file, null, null, (e as Error).message);
  }
}

/** Decode typed cells of one CSV row into an object and validate it; errors name file, line and field. */
function decodeRows<T>(
  file: string,
  table: CsvTable,
  columns: readonly string[],
  schema: z.ZodType<T>,
  types: Record<string, 'number' | 'int' | 'bool' | 'nullable'>,
): T[] {
  const missing = columns.filter((c) => !table.header.includes(c));
  if (missing.length) throw new ImportError(file, 1, missing[0], `missing column(s): ${missing.join(', ')}`);
  const idx = columns.map((c) => table.header.indexOf(c));
  return table.rows.map((row) => {
    if (row.cells.length !== table.header.length)
      throw new ImportError(file, row.line, null, `expected ${table.header.length} fields, found ${row.cells.length}`);
    const obj: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      const raw = row.cells[idx[i]];
      const t = types[c];
      if (t === 'number' || t === 'int') {
        if (raw === '') obj[c] = null;
        else {
          const n = Number(raw);
          if (!Number.isFinite(n)) throw new ImportError(file, row.line, c, `not a number: "${raw}"`);
          obj[c] = n;
        }
      } else if (t === 'bool') {
        if (raw !== 'true' && raw !== 'false') throw new ImportError(file, row.line, c, `expected true/false, found "${raw}"`);
        obj[c] = raw === 'true';
      } else if (t === 'nullable') obj[c] = raw === '' ? null : raw;
      else obj[c] = raw;
    });
    const r = schema.safeParse(obj);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new ImportError(file, row.line, String(issue.path[0] ?? ''), issue.message);
    }
    if (r.data && typeof r.data === 'object') setRecordOrigin(r.data, file, row.line);
    return r.data;
  });
}

export async function importBundle(dir: string = BUNDLE_DIR): Promise<ImportBatch> {
  const sourcesFile = join(dir, 'sources.json');
  let sourcesJson: unknown;
  try {
    sourcesJson = JSON.parse(readText(sourcesFile));
  } catch (e) {
    throw new ImportError(sourcesFile, null, null, `not readable JSON: ${(e as Error).message}`);
  }
  const sources = z.array(SourceSchema).safeParse(sourcesJson);
  if (!sources.success) throw new ImportError(sourcesFile, null, sources.error.issues[0].path.join('.'), sources.error.issues[0].message);

  const o = readTable(dir, 'observations.csv');
  const observations = decodeRows<Observation>(o.file, o.table, OBS_COLUMNS, ObservationSchema, {
    year: 'int',
    value: 'number',
    estimated: 'bool',
    scenario: 'nullable',
    sector: 'nullable',
    detail: 'nullable',
    note: 'nullable',
  });
  const g = readTable(dir, 'governance.csv');
  const governance = decodeRows<Governance>(g.file, g.table, GOV_COLUMNS, GovernanceSchema, {
    year: 'int',
    estimate: 'number',
    stdErr: 'number',
    percentileRank: 'number',
  });
  const gr = readTable(dir, 'groupings.csv');
  const groupings = decodeRows<GroupingMember>(gr.file, gr.table, GRP_COLUMNS, GroupingMemberSchema, { asOf: 'nullable' });
  const p = readTable(dir, 'prices.csv');
  const prices = decodeRows<PricePoint>(p.file, p.table, PRICE_COLUMNS, PricePointSchema, {
    year: 'int',
    value: 'number',
    low: 'number',
    high: 'number',
    usdPerTonne: 'number',
    market: 'nullable',
    estimated: 'bool',
    edition: 'int',
    note: 'nullable',
  });
  return { kind: 'bundle', file: dir, sources: sources.data, observations, governance, groupings, prices, warnings: [] };
}

/** Write a bundle from importer batches (used by scripts/build-bundle.ts). */
export function writeBundle(dir: string, batches: ImportBatch[], manifest: Omit<Manifest, 'counts' | 'format'>): Manifest {
  mkdirSync(dir, { recursive: true });
  const sources = batches.flatMap((b) => b.sources).sort((a, b) => a.id.localeCompare(b.id));
  const observations = batches.flatMap((b) => b.observations);
  const governance = batches.flatMap((b) => b.governance ?? []);
  const groupings = batches.flatMap((b) => b.groupings ?? []);
  const prices = batches.flatMap((b) => b.prices ?? []);
  writeFileSync(join(dir, 'sources.json'), JSON.stringify(sources, null, 1) + '\n');
  writeFileSync(join(dir, 'observations.csv'), toCsv(observations as unknown as Record<string, unknown>[], [...OBS_COLUMNS]));
  writeFileSync(join(dir, 'governance.csv'), toCsv(governance as unknown as Record<string, unknown>[], [...GOV_COLUMNS]));
  writeFileSync(join(dir, 'groupings.csv'), toCsv(groupings as unknown as Record<string, unknown>[], [...GRP_COLUMNS]));
  writeFileSync(join(dir, 'prices.csv'), toCsv(prices as unknown as Record<string, unknown>[], [...PRICE_COLUMNS]));
  const full: Manifest = {
    format: 1,
    ...manifest,
    counts: { sources: sources.length, observations: observations.length, governance: governance.length, groupings: groupings.length, prices: prices.length },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(full, null, 1) + '\n');
  return full;
}
