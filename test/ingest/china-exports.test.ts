import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importChinaExports } from '../../src/ingest/china-exports.ts';
import { ImportError, type ImportBatch, type TradeFlow } from '../../src/model/schema.ts';
import { BINARY_JUNK, expectResultOrImportError, fixturePath, expectValidBatch, mutate, removeTempDirs, rng, tempDir, writeTemp } from './malformed.ts';

// synthetic file in the format of the derived tables (PROVENANCE.md): 54 invented rows covering every destination once,
// twelve months of one series, zero-quantity rows; the five other tables as their header line. Checks of the real
// figures are in china-exports.sources.test.ts.
const FOLDER = fixturePath('trade-china-cm-exports');
const FILE = join(FOLDER, 'deep_dive_hs6_monthly.csv');

let batch: ImportBatch;
let flows: TradeFlow[];
beforeAll(async () => {
  batch = await importChinaExports(FOLDER);
  flows = batch.tradeFlows!;
});

describe('importChinaExports on the synthetic folder', () => {
  it('reads every row (HS 811292 twice: gallium and germanium), schema-valid, one source', () => {
    expectValidBatch(batch);
    expect(batch.kind).toBe('china-exports');
    expect(batch.sources).toHaveLength(1);
    expect(batch.sources[0]).toMatchObject({
      id: 'china-cm-exports-2024',
      dataset: 'china-exports',
      editionYear: 2024,
      edition: '2017-01 to 2024-12',
      file: 'deep_dive_hs6_monthly.csv',
    });
    expect(batch.sources[0].caveat).toMatch(/no licence/i);
    expect(batch.sources[0].caveat).toMatch(/kilograms/);
    expect(flows).toHaveLength(54 + 3); // 3 rows of HS 811292
    expect(flows.every((f) => f.reporterId === 'CHN' && f.flow === 'export')).toBe(true);
    expect(batch.warnings).toEqual([
      'tables without HS6 by destination not imported: concentration_destination_hhi.csv, concentration_product_hhi.csv, country_monthly_stats.csv, geopolitics_qty.csv, overview_monthly.csv',
      '2 rows with a positive value but zero quantity (uv "inf"): quantity taken as not reported (null)',
    ]);
  });

  it('resolves all 39 destinations and reads months 1-12', () => {
    const partners = new Set(flows.map((f) => f.partnerId));
    expect(partners.size).toBe(39);
    for (const id of ['USA', 'JPN', 'KOR', 'TWN', 'HKG', 'ARE', 'RUS', 'IRN', 'VNM', 'CZE', 'TUR', 'TZA', 'GBR']) expect(partners.has(id), id).toBe(true);
    expect(new Set(flows.map((f) => f.month))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    expect(new Set(flows.map((f) => `${f.year}-${f.month}`)).size).toBe(19); // 2017: 5 months, 2019-01, 2023-01, 2024: 12
    expect(new Set(flows.map((f) => f.hsCode))).toEqual(new Set(['250410', '380110', '811292']));
  });

  it('reads the synthetic natural-graphite series to Japan in 2024 with the exact kilograms and dollars', () => {
    const rows = flows.filter((f) => f.partnerId === 'JPN' && f.hsCode === '250410' && f.year === 2024 && f.month === 3);
    expect(rows).toEqual([
      {
        reporterId: 'CHN',
        partnerId: 'JPN',
        flow: 'export',
        materialId: 'graphite',
        hsCode: '250410',
        year: 2024,
        month: 3,
        quantityKg: 1_300_000,
        valueUsd: 2_275_000,
        productScope: 'HS 250410: natural graphite in powder or flakes',
        sourceId: 'china-cm-exports-2024',
      },
    ]);
    const year = flows.filter((f) => f.partnerId === 'JPN' && f.hsCode === '250410' && f.year === 2024);
    expect(year).toHaveLength(12);
    expect(year.map((f) => f.quantityKg)).toEqual(Array.from({ length: 12 }, (_, i) => 1_100_000 + 100_000 * i));
  });

  it('stores HS 811292 under gallium and germanium, with the HS edition of the year, and zero kg with a value as null', () => {
    const be = flows.filter((f) => f.partnerId === 'BEL' && f.hsCode === '811292' && f.year === 2017 && f.month === 1);
    expect(be.map((f) => f.materialId).sort()).toEqual(['gallium', 'germanium']);
    expect(be[0]).toMatchObject({ quantityKg: null, valueUsd: 50_000 }); // qty 0.0, uv inf in the file
    expect(be[0].productScope).toMatch(/HS 2007-2017.*hafnium/);
    const later = flows.find((f) => f.hsCode === '811292' && f.year === 2023)!;
    expect(later.productScope).toMatch(/^HS 811292 \(HS 2022\)/);
    expect(later).toMatchObject({ partnerId: 'AUS', quantityKg: 5, valueUsd: 1000 });
    expect(flows.find((f) => f.partnerId === 'ARE')).toMatchObject({ hsCode: '811292', quantityKg: null, valueUsd: 20_000 });
    expect(flows.find((f) => f.hsCode === '380110')!.productScope).toMatch(/artificial/);
  });

  it('imports the file given directly, without the warning about the other tables', async () => {
    const b = await importChinaExports(FILE);
    expect(b.tradeFlows).toHaveLength(flows.length);
    expect(b.warnings).toHaveLength(1);
  });
});

describe('importChinaExports on malformed input', () => {
  afterAll(removeTempDirs);
  const dir = tempDir();
  const lines = readFileSync(FILE, 'utf8').trimEnd().split('\n');
  const file = (name: string, ...rows: string[]) => writeTemp(dir, name, [lines[0], ...rows].join('\n'));
  const validate = (b: ImportBatch) => expectValidBatch(b);
  const expectImportError = async (path: string, line?: number | null, field?: string | null) => {
    const r = await expectResultOrImportError(() => importChinaExports(path), path, validate);
    expect(r).toBeInstanceOf(ImportError);
    if (line !== undefined) expect((r as ImportError).line).toBe(line);
    if (field !== undefined) expect((r as ImportError).field).toBe(field);
  };

  it('rejects empty, binary, header-only and missing input, and a folder without the table', async () => {
    await expectImportError(writeTemp(dir, 'empty.csv', ''));
    await expectImportError(writeTemp(dir, 'junk.csv', BINARY_JUNK));
    await expectImportError(file('header-only.csv'));
    await expectImportError(join(dir, 'missing.csv'), null, null);
    await expectImportError(fixturePath('trade-comtrade-cmm-sample'), null, null);
  });

  it('names line and column of a non-numeric qty, a negative value, a bad period or HS code', async () => {
    await expectImportError(file('text-qty.csv', lines[1], '2017-01-01,Australia,380110,40000.0,many,4.0'), 3, 'qty');
    await expectImportError(file('negative-val.csv', '2017-01-01,Australia,380110,-40000.0,10000.0,4.0'), 2, 'val');
    await expectImportError(file('bad-period.csv', '2017-13-01,Australia,380110,40000.0,10000.0,4.0'), 2, 'period_dt');
    await expectImportError(file('bad-hs.csv', '2017-01-01,Australia,38O110,40000.0,10000.0,4.0'), 2, 'hs6');
    await expectImportError(file('conflict.csv', lines[1], lines[1].replace('12000.0', '12500.0')), 3, 'val');
  });

  it('rejects a file without the hs6 column, naming the column', async () => {
    const drop = (l: string) =>
      l
        .split(',')
        .filter((_, i) => i !== 2)
        .join(',');
    await expectImportError(writeTemp(dir, 'no-hs6.csv', lines.slice(0, 5).map(drop).join('\n')), 1, 'hs6');
  });

  it('lists unresolved partner names in one warning, reads "World" as WLD and repeated rows once', async () => {
    const b = await importChinaExports(
      file(
        'names.csv',
        lines[1],
        '2017-01-01,Atlantis,250410,1.0,1.0,1.0',
        '2017-02-01,Atlantis,250410,1.0,1.0,1.0',
        '2017-01-01,Narnia,250410,1.0,1.0,1.0',
        '2017-01-01,World,250410,5.0,2.0,2.5',
        lines[1],
        '2017-01-01,Australia,999999,1.0,1.0,1.0',
      ),
    );
    expectValidBatch(b);
    expect(b.tradeFlows!.map((f) => f.partnerId)).toEqual(['AUS', 'WLD']);
    expect(b.warnings).toEqual([
      'partner names without a country id, 3 rows not imported: "Atlantis" (2), "Narnia" (1)',
      'HS code 999999 is not mapped to a material (HS_MATERIALS); 1 rows not imported',
      '1 repeated rows (same partner, HS code and month, same figures) imported once',
    ]);
  });

  it('survives 150 random truncations and byte flips of the synthetic file', async () => {
    const sample = new TextEncoder().encode(lines.join('\n'));
    const rand = rng(2023);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 150; i++) {
      const path = writeTemp(dir, `mutant-${i}.csv`, mutate(sample, rand));
      const r = await expectResultOrImportError(() => importChinaExports(path), path, validate);
      outcomes[r === 'ok' ? 'ok' : 'error']++;
    }
    console.log(`China exports mutations: ${outcomes.ok} valid batches, ${outcomes.error} ImportErrors`);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });
});
