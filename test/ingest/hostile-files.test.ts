/**
 * Hostile files, for every importer kind in IMPORTERS (issue "Safe under bad files"): header-only, truncated,
 * duplicated, out-of-range, oversized and non-regular inputs. Each one is imported through `importPath` into a store
 * that already holds the kind's committed excerpt, and must be refused with an ImportError (never another exception)
 * leaving the store as it was: 0 silent wipes, 0 crashes. Exceptions, stated per spec: importers that import identical
 * repeats once by a stated key, with a warning (Comtrade, China exports, groupings, IEA policies, APRI; conflicting
 * repeats are their errors) must leave the counts unchanged; kinds with no measured numbers to poison (registry, policy
 * trackers, groupings) or that cannot repeat a key (IEA JSON objects) skip that case. Memory on large files is measured
 * per streamed kind by test/ingest/import-memory.test.ts (npm run test:memory).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BUNDLE_DIR } from '../../src/ingest/bundle.ts';
import { csvCell, parseCsvRecords } from '../../src/ingest/csv.ts';
import { importLimitOf, IMPORTERS, importerFor, importPath, validateBatch } from '../../src/ingest/index.ts';
import { REGISTRY_SEED_FILE } from '../../src/ingest/registry.ts';
import { ImportError } from '../../src/model/schema.ts';
import { Store } from '../../src/store/store.ts';
import { fixturePath, removeTempDirs, tempDir, writeTemp } from './malformed.ts';

afterAll(removeTempDirs);

// ---- text mutations

const splitLines = (text: string) => text.split(/\r?\n/).filter((l) => l.trim() !== '');
const headerOnly = (text: string) => splitLines(text)[0] + '\n';
/** Cut at a quarter of the bytes, mid-row as a broken download would be. */
const firstQuarter = (text: string) => text.slice(0, Math.floor(text.length / 4));
const bodyTwice = (text: string) => {
  const [head, ...body] = splitLines(text);
  return [head, ...body, ...body].join('\n') + '\n';
};

/** Set one cell of a CSV: in `column`, on the first data record whose cell there is a plain number. */
function setCsvCell(text: string, column: string, value: string): string {
  const records = parseCsvRecords(text).filter((r) => r.cells.some((c) => c.trim() !== ''));
  const col = records[0].cells.map((h) => h.trim()).indexOf(column);
  if (col < 0) throw new Error(`test setup: no column ${column}`);
  const row = records.slice(1).find((r) => /^-?[\d.]+%?$/.test(r.cells[col]?.trim() ?? ''));
  if (!row) throw new Error(`test setup: no numeric ${column}`);
  row.cells[col] = value;
  return records.map((r) => r.cells.map(csvCell).join(',')).join('\n') + '\n';
}

const jsonDoubled = (key: string | null) => (text: string) => {
  const data = JSON.parse(text);
  if (key === null) return JSON.stringify([...data, ...data]);
  return JSON.stringify({ ...data, [key]: [...data[key], ...data[key]] });
};

// ---- one spec per importer kind

interface Spec {
  kind: string;
  /** the committed excerpt: a file, or a folder for kinds that read one */
  source: string;
  /** inside a folder source: the file the mutations apply to */
  target?: string;
  headerOnly: (text: string) => string;
  truncated: (text: string) => string;
  /**
   * Every record twice: an error, or for importers that state a key and import identical repeats once (with a warning;
   * conflicting repeats are errors) 'once'; a string says why the format cannot hold a duplicate.
   */
  duplicated: { mutate: (text: string) => string; outcome: 'error' | 'once' } | string;
  outOfRange: { mutate: (text: string) => string; field: RegExp } | string; // a string: why there is no number to poison
}

const csv = (kind: string, source: string, column: string, value: string, field: RegExp, target?: string): Spec => ({
  kind,
  source,
  target,
  headerOnly,
  truncated: firstQuarter,
  duplicated: { mutate: bodyTwice, outcome: 'error' },
  outOfRange: { mutate: (t) => setCsvCell(t, column, value), field },
});

const NO_NUMBERS = 'records without measured numbers (ids, parties, dates); schema and id checks cover them';

const SPECS: Spec[] = [
  csv('usgs-world', fixturePath('usgs-mcs-2025/world/MCS2025_World_Data.csv'), 'PROD_2023', '99999999999999999999', /value/),
  csv('usgs-salient', fixturePath('usgs-mcs-2025/salient/mcs2025-cobal_salient.csv'), 'Imports_t', '-290000', /value/),
  csv(
    'usgs-nir',
    fixturePath('usgs-mcs-2025/industry-trends/MCS2025_Fig2_Net_Import_Reliance.csv'),
    'Net_Import_Reliance_pct_2024',
    '250',
    /value|Net_Import_Reliance/,
  ),
  {
    kind: 'iea',
    source: fixturePath('iea-critical-minerals/iea_cm_data_explorer_2025_processed.json'),
    headerOnly: () => '{}',
    truncated: (t) => t.slice(0, Math.floor(t.length / 4)),
    duplicated: 'JSON objects: a repeated key is one key (JSON.parse keeps the last)',
    outOfRange: { mutate: (t) => t.replace(/("2024":\s*)[\d.]+/, '$11e300'), field: /value|2024/ },
  },
  csv('wgi', fixturePath('wb-wgi/wgi_2024_update_1996_2023.csv'), 'estimate', '1e308', /estimate/),
  csv('eu-crm', fixturePath('eu-crm-2023/fact_GlobalSupplyShares_t.csv'), 't', '1e308', /value|t/),
  {
    ...csv('groupings', fixturePath('country-groupings/country_groupings.csv'), '', '', /x/),
    duplicated: { mutate: bodyTwice, outcome: 'once' },
    outOfRange: NO_NUMBERS,
  },
  {
    ...csv('comtrade', fixturePath('trade-comtrade-cmm-sample/cobalt_trade_data.csv'), 'primaryValue', '1e300', /valueUsd|primaryValue/),
    duplicated: { mutate: bodyTwice, outcome: 'once' },
  },
  {
    ...csv('china-exports', fixturePath('trade-china-cm-exports/deep_dive_hs6_monthly.csv'), 'qty', '1e300', /quantityKg|qty/),
    duplicated: { mutate: bodyTwice, outcome: 'once' },
  },
  {
    kind: 'registry',
    source: REGISTRY_SEED_FILE,
    headerOnly: () => 'version: 1\n',
    truncated: firstQuarter,
    duplicated: {
      mutate: (t) => {
        const data = parseYaml(t) as Record<string, unknown>;
        const twice = (k: string) => (Array.isArray(data[k]) ? [...(data[k] as unknown[]), ...(data[k] as unknown[])] : data[k]);
        return JSON.stringify({ ...data, agreements: twice('agreements'), measures: twice('measures') });
      },
      outcome: 'error',
    },
    outOfRange: NO_NUMBERS,
  },
  {
    ...csv('iea-policies', fixturePath('iea-cm-policies/IEA_CM_Policies.csv'), '', '', /x/),
    duplicated: { mutate: bodyTwice, outcome: 'once' },
    outOfRange: NO_NUMBERS,
  },
  {
    kind: 'gta',
    source: fixturePath('gta-cm-interventions/gta-interventions.json'),
    headerOnly: () => '{"interventions":[]}',
    truncated: (t) => t.slice(0, Math.floor(t.length / 4)),
    duplicated: { mutate: jsonDoubled('interventions'), outcome: 'error' },
    outOfRange: NO_NUMBERS,
  },
  {
    kind: 'apri',
    source: fixturePath('apri-cm-partnerships/multiPartner.json'),
    headerOnly: () => '[]',
    truncated: (t) => t.slice(0, Math.floor(t.length / 4)),
    duplicated: { mutate: jsonDoubled(null), outcome: 'once' },
    outOfRange: NO_NUMBERS,
  },
  csv('consumption', fixturePath('consumption/usgs-mcs-2025-us-consumption.csv'), 'value', '99999999999999999', /value/),
  csv('bundle', BUNDLE_DIR, 'value', '1.5', /value/, 'observations.csv'), // row 1 is a supply share (a fraction): 1.5 > 1
  csv('baci', fixturePath('baci/BACI_HS17_Y2022_V202401-generated.csv'), 'v', '1e300', /^v$/), // streamed by DuckDB (src/store/baci.ts)
];

it('covers every importer kind', () => {
  expect(SPECS.map((s) => s.kind).sort()).toEqual(IMPORTERS.map((i) => i.kind).sort());
});

/** A copy of the spec's source in a temp folder with one file replaced (or made sparse); returns the path to import. */
function variant(spec: Spec, content: string | { sparseBytes: number }): string {
  const dir = tempDir();
  const isFolder = spec.target !== undefined;
  const root = isFolder ? join(dir, basename(spec.source)) : dir;
  if (isFolder) cpSync(spec.source, root, { recursive: true });
  const file = isFolder ? join(root, spec.target!) : join(dir, basename(spec.source));
  mkdirSync(dirname(file), { recursive: true });
  if (typeof content === 'string') writeFileSync(file, content);
  else {
    writeFileSync(file, '');
    truncateSync(file, content.sparseBytes); // sparse: no disk blocks, but stat reports the size
  }
  return isFolder ? root : file;
}

const sourceText = (spec: Spec) => readFileSync(spec.target ? join(spec.source, spec.target) : spec.source, 'utf8');

async function refused(store: Store, kind: string, path: string, what: string): Promise<ImportError> {
  const before = await store.counts();
  const e = await importPath(store, kind, path).catch((x) => x);
  expect(e, `${kind} ${what} ${path}: expected an ImportError, got ${e?.name}: ${e?.message}`).toBeInstanceOf(ImportError);
  expect((e as ImportError).file.startsWith(path) || path.startsWith((e as ImportError).file)).toBe(true);
  expect(await store.counts(), `${kind}: store changed by a refused import`).toEqual(before);
  return e as ImportError;
}

describe.each(SPECS)('$kind: hostile files are refused, store unchanged', (spec) => {
  it('header-only, truncated, duplicated, out-of-range, oversized and non-regular inputs', async () => {
    const store = await Store.open(':memory:');
    try {
      const first = await importPath(store, spec.kind, spec.source);
      expect(first.unchanged).toBe(false);
      const held = await store.counts();
      const text = sourceText(spec);

      const e1 = await refused(store, spec.kind, variant(spec, spec.headerOnly(text)), 'header-only');
      expect(e1.message).toMatch(/no data rows|would replace|empty|no \w+|missing|expected/i);

      // cut to a quarter: either malformed (unterminated JSON) or, if it still parses, the drop check refuses it
      await refused(store, spec.kind, variant(spec, spec.truncated(text)), 'truncated');

      if (typeof spec.duplicated !== 'string') {
        const doubled = variant(spec, spec.duplicated.mutate(text));
        if (spec.duplicated.outcome === 'error') {
          const e3 = await refused(store, spec.kind, doubled, 'duplicated');
          expect(e3.message).toMatch(/duplicate|twice|already|second .*row|also in/i);
        } else {
          // imported once: nothing summed or double-counted, and the repeat is reported
          const r = await importPath(store, spec.kind, doubled);
          expect({ ...(await store.counts()), imports: held.imports }).toEqual(held);
          expect(r.warnings.join(' | ')).toMatch(/repeated|twice|duplicate|once/i);
        }
      }

      if (typeof spec.outOfRange !== 'string') {
        const e4 = await refused(store, spec.kind, variant(spec, spec.outOfRange.mutate(text)), 'out-of-range');
        expect(e4.field ?? '', e4.message).toMatch(spec.outOfRange.field);
        expect(e4.message).toMatch(/plausible range|negative|expected|not a number|out of range|outside|invalid|too (big|large)/i);
      }

      // each kind's limit follows its memory: BACI streams through DuckDB, row-by-row kinds hold one chunk, the rest the file
      const limit = importLimitOf(spec.kind);
      const started = Date.now();
      const e5 = await refused(store, spec.kind, variant(spec, { sparseBytes: limit.bytes + 1 }), 'oversized');
      expect(e5.message).toMatch(/over the import limit of \d+ MB; nothing read/);
      expect(e5.message).toContain(limit.setting);
      expect(Date.now() - started).toBeLessThan(5_000); // refused from stat, not after reading

      const e6 = await refused(store, spec.kind, '/dev/zero', 'non-regular');
      expect(e6.message).toMatch(/not a regular file/);

      expect({ ...(await store.counts()), imports: held.imports }).toEqual(held);
    } finally {
      store.close();
    }
  }, 60_000);
});

it('an out-of-range value names file, line and field; a duplicate names both lines', async () => {
  const wgi = readFileSync(fixturePath('wb-wgi/wgi_2024_update_1996_2023.csv'), 'utf8');
  const poisoned = writeTemp(tempDir(), 'wgi.csv', setCsvCell(wgi, 'estimate', '1e308'));
  const e = await importerFor('wgi')
    .run(poisoned)
    .then(validateBatch)
    .catch((x) => x);
  expect(e).toBeInstanceOf(ImportError);
  expect(e.file).toBe(poisoned);
  expect(e.line).toBe(2);
  expect(e.field).toMatch(/governance #1 \(\w{3} \w\w \d{4}\) estimate/);
  expect(e.message).toContain('outside the plausible range -3.5..3.5');

  const world = readFileSync(fixturePath('usgs-mcs-2025/world/MCS2025_World_Data.csv'), 'utf8');
  const lines = splitLines(world);
  const doubled = writeTemp(tempDir(), 'MCS2025_World_Data.csv', [...lines, lines[1]].join('\n') + '\n');
  const d = await importerFor('usgs-world')
    .run(doubled)
    .catch((x) => x);
  expect(d).toBeInstanceOf(ImportError);
  expect(d.line).toBe(lines.length + 1);
  expect(d.message).toContain('already on line 2');
});

it('ranges: tonnes not negative, fractions at most 1, the real small USGS trade negatives allowed, unconverted units unknown', async () => {
  const { observationRange } = await import('../../src/model/schema.ts');
  expect(observationRange('production', 't')!.min).toBe(0);
  expect(observationRange('supply_share', 'fraction')!.max).toBe(1);
  expect(observationRange('imports', 't')!.min).toBeLessThanOrEqual(-4); // MCS2024 asbestos imports 2023: -4 t
  expect(observationRange('production', 'kg')).toBeUndefined(); // units are converted to tonnes at import
});
