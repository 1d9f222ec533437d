import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comtradeArea, HS_MATERIALS, hsMaterials, importComtrade } from '../../src/ingest/comtrade.ts';
import { getMaterial } from '../../src/model/materials.ts';
import { ImportError, type ImportBatch, type TradeFlow } from '../../src/model/schema.ts';
import { BINARY_JUNK, expectResultOrImportError, fixturePath, expectValidBatch, mutate, removeTempDirs, rng, tempDir, writeTemp } from './malformed.ts';

// all 8 files, each cut to a few rows (43 of 720) that keep the quirks the tests exercise (PROVENANCE.md)
const FOLDER = fixturePath('trade-comtrade-cmm-sample');
const GALLIUM = join(FOLDER, 'gallium_trade_data.csv');

let batch: ImportBatch;
let flows: TradeFlow[];
beforeAll(async () => {
  batch = await importComtrade(FOLDER);
  flows = batch.tradeFlows!;
});

const find = (q: Partial<TradeFlow>) => flows.filter((f) => Object.entries(q).every(([k, v]) => f[k as keyof TradeFlow] === v));

describe('importComtrade on the excerpt of the sample folder', () => {
  it('reads all 8 files into one source, validated, with the duplicate REE file and transport-mode rows counted once', () => {
    expectValidBatch(batch);
    expect(batch.kind).toBe('comtrade');
    expect(batch.observations).toEqual([]);
    expect(batch.sources).toHaveLength(1);
    const s = batch.sources[0];
    expect(s.id).toBe('un-comtrade-trade-comtrade-cmm-sample');
    expect(s).toMatchObject({ dataset: 'un-comtrade', edition: '2020-2024', editionYear: 2024, url: 'https://comtradeplus.un.org/' });
    expect(s.file!.split(', ')).toHaveLength(8);
    expect(s.caveat).toContain('5 reporters (AUS, CHN, COD, IDN, USA) and 3 partners (CHN, USA, WLD)');
    expect(s.caveat).toContain('selected reporter/partner pairs only');
    // 43 rows − 3 light-REE rows repeating the heavy-REE file − 9 rows by mode of transport (8 lithium, 1 nickel) = 31 rows;
    // the 6 rows of HS 811292 give two records each (gallium and germanium)
    expect(flows).toHaveLength(31 + 6);
    expect(batch.warnings).toEqual([
      'not Comtrade CSV, not read: PROVENANCE.md',
      'light_ree_trade_data.csv repeats rows of heavy_ree_trade_data.csv: 3 identical records (same reporter, partner, flow, HS code and period) imported once',
      '9 rows broken down by mode of transport (motCode ≠ 0) skipped: the all-modes total is imported',
    ]);
  });

  it('has US imports of HS 811292 from China in 2020 as two records, gallium and germanium, with the HS 2017 scope', () => {
    const rows = find({ reporterId: 'USA', partnerId: 'CHN', flow: 'import', hsCode: '811292', year: 2020 });
    expect(rows.map((r) => r.materialId).sort()).toEqual(['gallium', 'germanium']);
    for (const r of rows) {
      expect(r).toMatchObject({ month: null, quantityKg: 35_970, valueUsd: 12_636_598 });
      expect(r.productScope).toContain('HS 811292');
      expect(r.productScope).toMatch(/gallium, germanium, hafnium, indium, niobium, rhenium and vanadium/);
    }
    // classificationCode H6 (HS 2022): hafnium and rhenium have their own subheadings
    const y2022 = find({ reporterId: 'USA', partnerId: 'CHN', flow: 'import', hsCode: '811292', year: 2022, materialId: 'gallium' });
    expect(y2022).toHaveLength(1);
    expect(y2022[0].productScope).toBe('HS 811292 (HS 2022): unwrought gallium, germanium, indium, niobium and vanadium; waste and scrap; powders');
  });

  it('maps Comtrade codes 842 / 156 / 36 / 360 / 180 / 0 and months of annual rows to null', () => {
    expect(new Set(flows.map((f) => f.reporterId))).toEqual(new Set(['USA', 'CHN', 'AUS', 'IDN', 'COD']));
    expect(new Set(flows.map((f) => f.partnerId))).toEqual(new Set(['USA', 'CHN', 'WLD']));
    expect(flows.every((f) => f.month === null)).toBe(true); // refMonth is 52 in annual rows
    expect(new Set(flows.map((f) => f.year))).toEqual(new Set([2020, 2021, 2022, 2023, 2024]));
    expect(new Set(flows.map((f) => f.materialId))).toEqual(
      new Set(['cobalt', 'copper', 'gallium', 'germanium', 'graphite', 'rare-earths', 'lithium', 'nickel']),
    );
  });

  it('takes netWgt, else qty in kg, else null; and primaryValue as value', () => {
    // US imports of HS 811292 from the world, 2020: qty 1,464,867 but netWgt 1,464,717
    expect(find({ reporterId: 'USA', partnerId: 'WLD', flow: 'import', hsCode: '811292', year: 2020, materialId: 'gallium' })[0]).toMatchObject({
      quantityKg: 1_464_717,
      valueUsd: 140_601_877,
    });
    // netWgt 0, qty 282,303 kg: US imports of unrefined copper (7402) from the world, 2020
    expect(find({ reporterId: 'USA', partnerId: 'WLD', flow: 'import', hsCode: '7402', year: 2020 })[0]).toMatchObject({
      quantityKg: 282_303,
      valueUsd: 2_101_337,
    });
    // qtyUnitCode -1 and no netWgt: US imports of cobalt oxides (282200) from the world, 2024
    expect(find({ reporterId: 'USA', partnerId: 'WLD', flow: 'import', hsCode: '282200', year: 2024 })[0]).toMatchObject({
      quantityKg: null,
      valueUsd: 36_511_866,
    });
    // qtyUnitCode 8 and an empty netWgt: qty, 125,840.223 kg of unrefined copper, 2023
    expect(find({ reporterId: 'USA', partnerId: 'WLD', flow: 'import', hsCode: '7402', year: 2023 })[0]).toMatchObject({
      quantityKg: 125_840.223,
      valueUsd: 2_114_330,
    });
  });

  it('imports the all-modes total, not the mode-of-transport breakdown, and the REE figures once', () => {
    const li = find({ reporterId: 'AUS', partnerId: 'CHN', flow: 'export', hsCode: '253090', year: 2023 });
    expect(li).toHaveLength(1);
    expect(li[0]).toMatchObject({ quantityKg: 3_553_252_482, valueUsd: 12_523_686_084.717 });
    expect(li[0].productScope).toMatch(/much wider than lithium/);
    expect(find({ reporterId: 'AUS', partnerId: 'CHN', flow: 'import', hsCode: '283691', year: 2024 })).toMatchObject([{ quantityKg: 197_814 }]);
    const ree = find({ reporterId: 'USA', partnerId: 'CHN', flow: 'import', hsCode: '2846', year: 2020 });
    expect(ree).toHaveLength(1);
    expect(ree[0]).toMatchObject({ materialId: 'rare-earths', quantityKg: 4_322_339.354, valueUsd: 45_649_703 });
    const keys = flows.map((f) => [f.reporterId, f.partnerId, f.flow, f.hsCode, f.year, f.month, f.materialId].join('|'));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('imports one file on its own with a source id from the file name', async () => {
    const b = await importComtrade(GALLIUM);
    expectValidBatch(b);
    expect(b.sources[0].id).toBe('un-comtrade-gallium-trade-data');
    expect(b.sources[0].file).toBe('gallium_trade_data.csv');
    expect(b.tradeFlows).toHaveLength(2 * 6);
    expect(b.warnings).toEqual([]);
  });
});

describe('HS and area tables', () => {
  it('names only materials that exist, and matches the longest prefix', () => {
    for (const [code, m] of Object.entries(HS_MATERIALS)) {
      expect(code).toMatch(/^\d{4,8}$/);
      for (const id of m.materials) expect(getMaterial(id), `${code} → ${id}`).toBeDefined();
    }
    expect(hsMaterials('810520', true)?.key).toBe('810520');
    expect(hsMaterials('810500', true)?.key).toBe('8105');
    expect(hsMaterials('81129210', true)?.materials).toEqual(['gallium']);
    expect(hsMaterials('811292', true)?.materials).toEqual(['gallium', 'germanium']);
    expect(hsMaterials('380110', false)?.scope).toMatch(/artificial/);
    expect(hsMaterials('8112', true)).toBeNull(); // heading 8112 is much wider (beryllium, chromium, ...)
    expect(hsMaterials('TOTAL', true)).toBeNull();
  });

  it('knows the Comtrade codes that differ from M49 and refuses to guess the rest', () => {
    expect(['842', '699', '251', '757', '579', '490', '0', '156', '36'].map(comtradeArea)).toEqual([
      'USA',
      'IND',
      'FRA',
      'CHE',
      'NOR',
      'TWN',
      'WLD',
      'CHN',
      'AUS',
    ]);
    expect(comtradeArea('899')).toBeNull(); // Areas, nes
    expect(comtradeArea('58')).toBeNull(); // Belgium-Luxembourg (historical)
  });
});

describe('importComtrade on malformed input', () => {
  afterAll(removeTempDirs);
  const dir = tempDir();
  const text = readFileSync(GALLIUM, 'utf8');
  const lines = text.trimEnd().split('\n');
  const header = lines[0].split(',');
  const at = (name: string) => header.indexOf(name);
  /** Line 2 of the gallium file with some cells replaced. */
  const row = (changes: Record<string, string>, base = lines[1]) => {
    const cells = base.split(',');
    for (const [k, v] of Object.entries(changes)) cells[at(k)] = v;
    return cells.join(',');
  };
  const file = (name: string, ...rows: string[]) => writeTemp(dir, name, [lines[0], ...rows].join('\n'));
  const validate = (b: ImportBatch) => expectValidBatch(b);
  const expectImportError = async (path: string, line?: number | null, field?: string | null) => {
    const r = await expectResultOrImportError(() => importComtrade(path), path, validate);
    expect(r).toBeInstanceOf(ImportError);
    if (line !== undefined) expect((r as ImportError).line).toBe(line);
    if (field !== undefined) expect((r as ImportError).field).toBe(field);
    return r as ImportError;
  };

  it('rejects empty, binary, header-only and unreadable input', async () => {
    await expectImportError(writeTemp(dir, 'empty.csv', ''));
    await expectImportError(writeTemp(dir, 'junk.csv', BINARY_JUNK));
    await expectImportError(file('header-only.csv'));
    await expectImportError(join(dir, 'missing.csv'), null, null);
    const empty = join(dir, 'no-csv');
    mkdirSync(empty);
    writeTemp(empty, 'notes.txt', 'x');
    await expectImportError(empty, null, null);
  });

  it('names line and column of a non-numeric qty, a negative value, a bad year, month or flow', async () => {
    await expectImportError(file('text-qty.csv', lines[1], row({ qty: 'lots' })), 3, 'qty');
    await expectImportError(file('negative-value.csv', lines[1], row({ primaryValue: '-714021.0' }, lines[2])), 3, 'primaryValue');
    await expectImportError(file('negative-netwgt.csv', row({ netWgt: '-1' })), 2, 'netWgt');
    await expectImportError(file('bad-year.csv', row({ refYear: '20x0' })), 2, 'refYear');
    await expectImportError(file('bad-month.csv', row({ freqCode: 'M', refMonth: '52' })), 2, 'refMonth');
    await expectImportError(file('bad-freq.csv', row({ freqCode: 'Q' })), 2, 'freqCode');
    await expectImportError(file('bad-flow.csv', row({ flowCode: '' })), 2, 'flowCode');
    await expectImportError(file('short-row.csv', lines[1], '2020,52'), 3);
  });

  it('rejects a file without the netWgt column, naming the column', async () => {
    const drop = (l: string) =>
      l
        .split(',')
        .filter((_, i) => i !== at('netWgt'))
        .join(',');
    await expectImportError(writeTemp(dir, 'no-netwgt.csv', lines.slice(0, 5).map(drop).join('\n')), 1, 'netWgt');
  });

  it('warns about unknown partner codes, unknown HS codes and re-exports, and skips those rows', async () => {
    const b = await importComtrade(
      file('skips.csv', lines[1], row({ partnerCode: '899' }), row({ cmdCode: '8112' }), row({ flowCode: 'RX' }), row({ reporterCode: '58' })),
    );
    expectValidBatch(b);
    expect(b.tradeFlows).toHaveLength(2); // line 2 only, as gallium and germanium
    expect(b.warnings).toEqual([
      'flowCode RX (re-export): 1 row skipped (only X exports and M imports are imported)',
      'partner code 899 has no country id (not an M49 country or known Comtrade code); 1 row not imported',
      'reporter code 58 has no country id (not an M49 country or known Comtrade code); 1 row not imported',
      'HS code 8112 is not mapped to a material (HS_MATERIALS); 1 row not imported',
    ]);
  });

  it('reads monthly rows and the Comtrade-specific codes', async () => {
    const b = await importComtrade(file('monthly.csv', row({ freqCode: 'M', refMonth: '3', reporterCode: '699', partnerCode: '490' })));
    expect(b.tradeFlows![0]).toMatchObject({ reporterId: 'IND', partnerId: 'TWN', month: 3, year: 2020 });
  });

  it('de-duplicates identical records across files and rejects conflicting ones, naming both files', async () => {
    const same = join(dir, 'same');
    mkdirSync(same);
    writeTemp(same, 'a.csv', [lines[0], lines[1], lines[2]].join('\n'));
    writeTemp(same, 'b.csv', [lines[0], lines[2], lines[1]].join('\n'));
    const b = await importComtrade(same);
    expectValidBatch(b);
    expect(b.tradeFlows).toHaveLength(4);
    expect(b.sources[0].id).toBe('un-comtrade-same');
    expect(b.warnings).toEqual(['b.csv repeats rows of a.csv: 2 identical records (same reporter, partner, flow, HS code and period) imported once']);

    const clash = join(dir, 'clash');
    mkdirSync(clash);
    writeTemp(clash, 'a.csv', [lines[0], lines[1]].join('\n'));
    const second = writeTemp(clash, 'b.csv', [lines[0], row({ primaryValue: '1.0' })].join('\n'));
    const e = await expectImportError(clash, 2, 'primaryValue');
    expect(e.file).toBe(second);
    expect(e.reason).toContain(join(clash, 'a.csv'));
  });

  it('survives 150 random truncations and byte flips of the lithium excerpt (transport-mode rows included)', async () => {
    const sample = new Uint8Array(readFileSync(join(FOLDER, 'lithium_trade_data.csv')));
    const rand = rng(2020);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 150; i++) {
      const path = writeTemp(dir, `mutant-${i}.csv`, mutate(sample, rand));
      const r = await expectResultOrImportError(() => importComtrade(path), path, validate);
      outcomes[r === 'ok' ? 'ok' : 'error']++;
    }
    console.log(`Comtrade mutations: ${outcomes.ok} valid batches, ${outcomes.error} ImportErrors`);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });
});
