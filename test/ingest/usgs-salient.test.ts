import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importUsgsSalient, parseUsgsCell, productMaterial } from '../../src/ingest/usgs/salient.ts';
import { importPath } from '../../src/ingest/index.ts';
import { loadDataset } from '../../src/store/load.ts';
import { Store } from '../../src/store/store.ts';
import { ImportError, type ImportBatch, type Measure, type Observation } from '../../src/model/schema.ts';
import { BINARY_JUNK, expectResultOrImportError, fixturePath, expectValidBatch, mutate, removeTempDirs, rng, tempDir, writeTemp } from './malformed.ts';

// whole per-commodity salient files, the ones the checks below name: 24 of 85 (MCS2025), 10 of 85 (MCS2024), 2 of 83
// CSVs (MCS2023), 2 of 12 (MCS2022 subset, beside its world files) (PROVENANCE.md per edition)
const FOLDERS = {
  2025: fixturePath('usgs-mcs-2025/salient'),
  2024: fixturePath('usgs-mcs-2024/salient'),
  2023: fixturePath('usgs-mcs-2023/salient'),
  2022: fixturePath('usgs-mcs-2022-subset'),
} as const;
type Edition = keyof typeof FOLDERS;

const batches = {} as Record<Edition, ImportBatch>;
beforeAll(async () => {
  for (const ed of Object.keys(FOLDERS)) batches[Number(ed) as Edition] = await importUsgsSalient(FOLDERS[Number(ed) as Edition]);
});

const find = (ed: Edition, materialId: string, measure: Measure, year: number, detail: string): Observation | undefined =>
  batches[ed].observations.find((o) => o.materialId === materialId && o.measure === measure && o.year === year && o.detail === detail);
const warning = (ed: Edition, re: RegExp) => batches[ed].warnings.find((w) => re.test(w));

describe('importUsgsSalient on excerpts of the MCS 2022-2025 salient folders', () => {
  it('imports every edition as one schema-valid batch citing one U.S.-only source per edition', () => {
    for (const ed of [2025, 2024, 2023, 2022] as Edition[]) {
      const b = batches[ed];
      expectValidBatch(b);
      expect(b.kind).toBe('usgs-salient');
      expect(b.sources).toHaveLength(1);
      expect(b.sources[0]).toMatchObject({
        id: `usgs-mcs-${ed}-salient`,
        dataset: 'usgs-mcs-salient',
        editionYear: ed,
        edition: `MCS${ed}`,
        publisher: 'U.S. Geological Survey',
        table: 'U.S. salient statistics',
        licence: 'U.S. public domain (USGS data release)',
        file: `mcs${ed}-<code>_salient.csv`,
      });
      expect(b.observations.every((o) => o.countryId === 'USA' && o.sourceId === `usgs-mcs-${ed}-salient`)).toBe(true);
      expect(b.observations.every((o) => o.measure !== 'production')).toBe(true);
      expect(new Set(b.observations.map((o) => o.measure))).toEqual(new Set(['net_import_reliance', 'imports', 'exports', 'consumption']));
    }
    const materials = (ed: Edition) => [...new Set(batches[ed].observations.map((o) => o.materialId))].sort();
    expect(materials(2023)).toEqual(['cobalt', 'lead']);
    expect(materials(2022)).toEqual(['cobalt', 'germanium']);
    expect(batches[2025].sources[0].url).toBe('https://doi.org/10.5066/P13XCP3R');
    expect(batches[2024].sources[0].url).toBe('https://doi.org/10.5066/P144BA54');
    expect(batches[2023].sources[0].url).toBe('https://doi.org/10.5066/P9WCYUI6');
    expect(batches[2022].sources[0].url).toBe('https://doi.org/10.5066/P9KKMCP4');
    // salient years: 2020-2024 in MCS2025 ... 2017-2021 in the MCS2022 subset
    expect(new Set(batches[2025].observations.map((o) => o.year))).toEqual(new Set([2020, 2021, 2022, 2023, 2024]));
    expect(new Set(batches[2022].observations.map((o) => o.year))).toEqual(new Set([2017, 2018, 2019, 2020, 2021]));
  });

  it('has no two observations for the same material, measure, year and column', () => {
    for (const b of Object.values(batches)) {
      const keys = b.observations.map((o) => [o.materialId, o.measure, o.stage, o.year, o.detail].join('|'));
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('reads cobalt: NIR 76% in 2024 (MCS2025, same as Fig. 2), imports, exports, apparent and estimated consumption in tonnes', () => {
    expect(find(2025, 'cobalt', 'net_import_reliance', 2024, 'NIR_pct')).toMatchObject({
      value: 76,
      unit: 'percent',
      basis: 'ratio',
      stage: 'end_use',
      status: 'reported',
      estimated: true,
    });
    expect(find(2025, 'cobalt', 'net_import_reliance', 2023, 'NIR_pct')).toMatchObject({ value: 69, estimated: false });
    expect(find(2025, 'cobalt', 'imports', 2024, 'Imports_t')).toMatchObject({ value: 11_000, unit: 't', stage: 'refining', basis: 'unspecified' });
    expect(find(2025, 'cobalt', 'exports', 2020, 'Exports_t')!.value).toBe(3_430);
    expect(find(2025, 'cobalt', 'consumption', 2024, 'Consump_Apparent_t')).toMatchObject({ value: 8_500, stage: 'end_use' });
    // the column says "Estimated": flagged even for a final year
    expect(find(2025, 'cobalt', 'consumption', 2021, 'Consump_Estimated_t')).toMatchObject({ value: 7_270, estimated: true });
    // MCS2022 subset extends the series back to 2017
    expect(find(2022, 'cobalt', 'net_import_reliance', 2017, 'NIR_pct')!.value).toBe(69);
  });

  it('converts kt, kg and mmt to tonnes', () => {
    expect(find(2025, 'copper', 'imports', 2024, 'Imports_Refined_kt')!.value).toBe(810_000);
    expect(find(2025, 'copper', 'consumption', 2024, 'Consump_Apparent_kt')!.value).toBe(1_800_000);
    expect(find(2025, 'platinum', 'imports', 2024, 'Imports_Platinum_kg')!.value).toBe(72); // 72,000 kg
    expect(find(2025, 'iron-steel', 'imports', 2020, 'Imports_Total_mmt')!.value).toBeGreaterThan(1e6);
  });

  it('reads bounds, withheld, not-available and net-exporter tokens', () => {
    // germanium NIR ">50" (header NIR_ct) in every year
    expect(find(2025, 'germanium', 'net_import_reliance', 2024, 'NIR_ct')).toMatchObject({ value: 50, status: 'lower_bound', note: 'published as ">50"' });
    // MCS2022 writes ">50%"
    expect(find(2022, 'germanium', 'net_import_reliance', 2021, 'NIR_pct')).toMatchObject({ value: 50, status: 'lower_bound' });
    // iodine 2023 "<50" in MCS2025
    expect(find(2025, 'iodine', 'net_import_reliance', 2023, 'NIR_pct')).toMatchObject({ value: 50, status: 'upper_bound' });
    // bauxite: ">75" NIR and withheld apparent consumption
    expect(find(2025, 'bauxite', 'net_import_reliance', 2024, 'Bauxite_NIR_pct')).toMatchObject({ value: 75, status: 'lower_bound' });
    expect(find(2025, 'bauxite', 'consumption', 2024, 'Bauxite_Consump_Apprnt_kt')).toMatchObject({ value: null, status: 'withheld' });
    expect(find(2025, 'bauxite', 'consumption', 2024, 'Bauxite_Consump_Rprtd_kt')!.value).toBe(1_800_000);
    // beryllium: net exporter in 2023 and 2024 ("E"), not available government shipments are not stored at all
    expect(find(2025, 'beryllium', 'net_import_reliance', 2024, 'NIR_pct')).toMatchObject({
      value: null,
      status: 'not_applicable',
      note: 'net exporter (USGS "E")',
    });
    expect(find(2025, 'beryllium', 'net_import_reliance', 2022, 'NIR_pct')!.value).toBe(6);
    // rare earths: NIR of concentrate "E" beside NIR of compounds and metals 80 (header unit "_t" is still percent)
    expect(find(2025, 'rare-earths', 'net_import_reliance', 2024, 'NIR_Concentrate_t')!.note).toMatch(/export/);
    expect(find(2025, 'rare-earths', 'net_import_reliance', 2024, 'NIR_Compounds-Metals_t')).toMatchObject({ value: 80, unit: 'percent' });
    // germanium imports of GeCl4 "NA"
    expect(find(2025, 'germanium', 'imports', 2024, 'Imports_GeCl4_kg')).toMatchObject({ value: null, status: 'not_available' });
    // copper ore imports "Less than ½ unit." (kt): below 500 t
    expect(find(2025, 'copper', 'imports', 2024, 'Imports_Ores_kt')).toMatchObject({ value: 500, status: 'upper_bound', stage: 'mining' });
  });

  it('splits products the registry keeps apart, as the world importer does', () => {
    expect(find(2025, 'palladium', 'net_import_reliance', 2024, 'NIR_Palladium_pct')!.value).toBe(36);
    expect(find(2025, 'platinum', 'net_import_reliance', 2024, 'NIR_Platinum_pct')!.value).toBe(85);
    expect(find(2025, 'alumina', 'net_import_reliance', 2024, 'Alumina_NIR_pct')!.value).toBe(59);
    expect(find(2025, 'alumina', 'consumption', 2024, 'Alumina_Apparent_kt')!.value).toBe(2_000_000);
    expect(find(2025, 'titanium-metal', 'net_import_reliance', 2024, 'NIR_Sponge_pct')).toBeDefined();
    expect(find(2025, 'mica-sheet', 'net_import_reliance', 2024, 'NIR_Sheet_pct')).toBeDefined();
    expect(find(2025, 'ferrosilicon', 'imports', 2024, 'Imports_FeSi_kt')).toBeDefined();
    expect(find(2025, 'silicon', 'net_import_reliance', 2024, 'NIR_FeSi-Si_pct')).toBeDefined(); // both together stay silicon
    expect(find(2025, 'silicon-carbide', 'net_import_reliance', 2024, 'NIR_SiC_pct')).toBeDefined();
    expect(find(2025, 'kaolin', 'exports', 2024, 'Exports_Kaolin_kt')).toBeDefined();
    expect(productMaterial('abrasives', 'NIR_Met_Abras_pct')).toBeNull(); // metallic abrasives: no material, not stored
    expect(productMaterial('silicon', 'SILICON, metal and ferrosilicon')).toBe('silicon');
    expect(productMaterial('titanium', 'TITANIUM, sponge metal')).toBe('titanium-metal');
  });

  it('stages imports and exports of ore and concentrate as mining, others as refining; consumption and NIR as end use', () => {
    expect(find(2025, 'molybdenum', 'imports', 2024, 'Imports_ore_concentrates_t')!.stage).toBe('mining');
    expect(find(2025, 'molybdenum', 'imports', 2024, 'Imports_products_t')!.stage).toBe('refining');
    expect(find(2025, 'zinc', 'exports', 2024, 'Exports_Ores_kt')!.stage).toBe('mining');
    expect(find(2025, 'bauxite', 'imports', 2024, 'Bauxite_Imports_kt')!.stage).toBe('mining');
    expect(find(2025, 'zirconium', 'consumption', 2024, 'Consump_ZrO2_content_t')).toMatchObject({ stage: 'end_use', basis: 'contained' });
    expect(find(2025, 'arsenic', 'exports', 2024, 'Exports_All_Gross_t')!.basis).toBe('gross_weight');
  });

  it('keeps the raw column name in detail, so apparent and reported consumption stay apart', () => {
    expect(find(2025, 'copper', 'consumption', 2024, 'Consump_Reported_kt')!.value).toBe(1_600_000);
    // iodine publishes two columns both named Consump_t (apparent, withheld; then reported)
    const iodine = batches[2025].observations.filter((o) => o.materialId === 'iodine' && o.measure === 'consumption' && o.year === 2024);
    expect(iodine.map((o) => [o.detail, o.value])).toEqual([
      ['Consump_t (column 7, 1st of 2 so named)', null],
      ['Consump_t (column 8, 2nd of 2 so named)', 2_900],
    ]);
  });

  it('never stores U.S. production, and lists every column it does not store', () => {
    expect(batches[2025].warnings).toContain(
      'U.S. production columns are not stored as measure "production" (a U.S.-only row would be read as a world series); U.S. production is carried by the USGS world files (usgs-world).',
    );
    expect(warning(2025, /^mcs2025-cobal_salient\.csv: columns not stored/)).toBe(
      'mcs2025-cobal_salient.csv: columns not stored — U.S. production (carried by the world files): USprod_Mine_t, USprod_Secondary_t; stocks: Stocks_Industry_t, Stocks_LME_t',
    );
    expect(warning(2025, /^mcs2025-gemst_salient\.csv: columns not stored/)).toMatch(/non-mass units: Imports_mdol, Exports_mdol, Consump_mdol/);
    // the cobalt prices go to the prices table instead
    const cobalt = batches[2025].prices!.filter((p) => p.materialId === 'cobalt' && p.year === 2024);
    expect(cobalt.map((p) => [p.series, p.value, p.unit, p.market])).toEqual([
      ['Spot', 17, 'USD/lb', 'spot'],
      ['LME', 12, 'USD/lb', 'LME'],
    ]);
  });

  it('reports commodities that are not in the registry instead of guessing', () => {
    expect(warning(2025, /mcs2025-thall_salient\.csv: commodity "Thallium" is not in the material registry; 5 row\(s\) not imported/)).toBeDefined();
    expect(warning(2025, /Iron and Steel Scrap/)).toBeDefined();
    expect(warning(2025, /Quartz Crystal \(Industrial\)/)).toBeDefined();
  });

  it('skips the MCS2024 files that are not salient statistics or whose header is misaligned, saying why', () => {
    for (const code of ['cobal', 'gypsu', 'kyani']) {
      expect(warning(2024, new RegExp(`^mcs2024-${code}_salient\\.csv: holds world data`))).toBeDefined();
    }
    expect(batches[2024].observations.some((o) => o.materialId === 'cobalt')).toBe(false);
    // feldspar and fluorspar: values under blank header cells; read by name, NIR_Feldspar_pct would be 240%
    expect(warning(2024, /^mcs2024-felds_salient\.csv: values under blank header cell/)).toBeDefined();
    expect(warning(2024, /^mcs2024-fluor_salient\.csv: values under blank header cell/)).toBeDefined();
    expect(batches[2024].observations.some((o) => o.materialId === 'feldspar' || o.materialId === 'fluorspar')).toBe(false);
    const nir = batches[2024].observations.filter((o) => o.measure === 'net_import_reliance' && o.value !== null);
    expect(nir.every((o) => o.value! >= 0 && o.value! <= 100)).toBe(true);
  });

  it('reads units the header omits or misstates in the one unit of the file, with a note', () => {
    // germanium "Consump_g" beside kg columns: 30,000 kg in 2020, as MCS2022 publishes under Consump_kg
    const ge = find(2025, 'germanium', 'consumption', 2020, 'Consump_g')!;
    expect(ge.value).toBe(30);
    expect(ge.note).toMatch(/read as kg/);
    expect(find(2022, 'germanium', 'consumption', 2020, 'Consump_kg')!.value).toBe(30);
    expect(find(2024, 'gallium', 'consumption', 2019, 'Consump_g')!.value).toBeCloseTo(14.9, 9);
    // tin 2024 "Consump_" (no unit), every other mass column in t
    expect(find(2024, 'tin', 'consumption', 2019, 'Consump_')!.value).toBe(43_200);
    // glued units: tungsten 2024 "Consump_Apparentt", "Imports_Concentratet"
    expect(find(2024, 'tungsten', 'imports', 2019, 'Imports_Concentratet')).toMatchObject({ value: 2_760, stage: 'mining' });
    expect(warning(2024, /^mcs2024-galli_salient\.csv: Consump_g read as kg/)).toBeDefined();
  });

  it('corrects the lead and iron-and-steel column names that earlier editions show to be wrong', () => {
    // MCS2023 lead "Consump_t" holds kt (1,400 kt in 2020; MCS2025 has 1,450 kt)
    expect(find(2023, 'lead', 'consumption', 2020, 'Consump_kt [published header: Consump_t]')!.value).toBe(1_400_000);
    // MCS2024/2025 lead: concentrate and refined-metal labels shifted; 2020 matches MCS2023
    expect(find(2023, 'lead', 'imports', 2020, 'Imports_Metal_kt')!.value).toBe(382_000);
    expect(find(2025, 'lead', 'imports', 2020, 'Imports_Metal_kt [published header: Imports_Concentrates_kt]')).toMatchObject({
      value: 382_000,
      stage: 'refining',
    });
    expect(find(2025, 'lead', 'imports', 2020, 'Imports_Concentrates_kt [published header: Imports_Metal_kt]')).toMatchObject({
      value: 500,
      status: 'upper_bound',
      stage: 'mining',
    });
    expect(find(2025, 'lead', 'exports', 2020, 'Exports_Concentrates_kt [published header: Exports_Metal_kt]')).toMatchObject({
      value: 265_000,
      stage: 'mining',
    });
    // MCS2024 iron and steel: the first "Consump_mmt" holds continuous-casting percentages and is not stored
    const steel = batches[2024].observations.filter((o) => o.materialId === 'iron-steel' && o.measure === 'consumption' && o.year === 2019);
    expect(steel.map((o) => [o.detail, o.value])).toEqual([['Consump_mmt', 100_000_000]]);
  });
});

describe('parseUsgsCell', () => {
  const f = 'x.csv';
  it('reads numbers with separators and the USGS tokens', () => {
    expect(parseUsgsCell(f, 2, 'c', ' 1,670 ', 'quantity')).toMatchObject({ value: 1670, status: 'reported', estimated: false });
    expect(parseUsgsCell(f, 2, 'c', '1 700', 'quantity')!.value).toBe(1700);
    expect(parseUsgsCell(f, 2, 'c', 'e40', 'quantity')).toMatchObject({ value: 40, estimated: true });
    expect(parseUsgsCell(f, 2, 'c', '−88', 'quantity')!.value).toBe(-88);
    expect(parseUsgsCell(f, 2, 'c', 'W', 'quantity')).toMatchObject({ value: null, status: 'withheld' });
    expect(parseUsgsCell(f, 2, 'c', '        NA', 'quantity')).toMatchObject({ value: null, status: 'not_available' });
    expect(parseUsgsCell(f, 2, 'c', 'XX', 'nir')).toMatchObject({ value: null, status: 'not_applicable' });
    expect(parseUsgsCell(f, 2, 'c', 'E', 'nir')).toMatchObject({ value: null, status: 'not_applicable', note: 'net exporter (USGS "E")' });
    expect(parseUsgsCell(f, 2, 'c', '>25', 'nir')).toMatchObject({ value: 25, status: 'lower_bound' });
    expect(parseUsgsCell(f, 2, 'c', '<1', 'nir')).toMatchObject({ value: 1, status: 'upper_bound' });
    expect(parseUsgsCell(f, 2, 'c', '<1,000', 'quantity')).toMatchObject({ value: 1000, status: 'upper_bound' });
    for (const dash of ['—', '--', '-', '–'])
      expect(parseUsgsCell(f, 2, 'c', dash, 'quantity')).toMatchObject({ value: 0, status: 'reported', note: 'USGS dash: zero' });
    expect(parseUsgsCell(f, 2, 'c', 'Less than ½ unit.', 'quantity')).toMatchObject({ value: 0.5, status: 'upper_bound' });
    expect(parseUsgsCell(f, 2, 'c', 'Less than 50,000\u00a0tons', 'quantity')).toMatchObject({ value: 50_000, status: 'upper_bound', tonnes: true });
    expect(parseUsgsCell(f, 2, 'c', '  ', 'quantity')).toBeNull();
  });
  it('throws an ImportError naming file, line and column for anything else', () => {
    for (const bad of ['lots', '12abc', '1,2,3', 'E', '>', 'Small', '50–300']) {
      const e = (() => {
        try {
          parseUsgsCell(f, 7, 'Imports_t', bad, 'quantity');
        } catch (err) {
          return err;
        }
      })();
      expect(e, bad).toBeInstanceOf(ImportError);
      expect((e as ImportError).line).toBe(7);
      expect((e as ImportError).field).toBe('Imports_t');
    }
  });
});

describe('importUsgsSalient on malformed input', () => {
  afterAll(removeTempDirs);
  const COBALT = join(FOLDERS[2025], 'mcs2025-cobal_salient.csv');
  const text = readFileSync(COBALT, 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const [header, ...rows] = lines;
  const validate = (b: ImportBatch) => expectValidBatch(b);
  // each case in its own folder so the file can keep the real name (the edition is read from it)
  const write = (content: string | Uint8Array, name = 'mcs2025-cobal_salient.csv') => writeTemp(tempDir(), name, content);
  const expectImportError = async (content: string | Uint8Array, line?: number | null, field?: string | null, name?: string) => {
    const file = write(content, name);
    const r = await expectResultOrImportError(() => importUsgsSalient(file), file, validate);
    expect(r).toBeInstanceOf(ImportError);
    if (line !== undefined) expect((r as ImportError).line).toBe(line);
    if (field !== undefined) expect((r as ImportError).field).toBe(field);
    return r as ImportError;
  };

  it('reads a single file like the same file in its folder', async () => {
    const b = await importUsgsSalient(COBALT);
    expectValidBatch(b);
    // a source of its own (importing it next to the folder adds, never replaces, the folder's rows)
    expect(b.sources[0]).toMatchObject({ id: 'usgs-mcs-2025-salient-cobal', file: 'mcs2025-cobal_salient.csv' });
    const inFolder = batches[2025].observations.filter((o) => o.materialId === 'cobalt');
    expect(b.observations).toEqual(inFolder.map((o) => ({ ...o, sourceId: 'usgs-mcs-2025-salient-cobal' })));
  });

  it('rejects empty, binary and missing input, and a folder without salient files', async () => {
    await expectImportError('', null);
    await expectImportError(BINARY_JUNK);
    const missing = join(tempDir(), 'mcs2025-none_salient.csv');
    expect(await expectResultOrImportError(() => importUsgsSalient(missing), missing, validate)).toBeInstanceOf(ImportError);
    const empty = tempDir();
    writeTemp(empty, 'README.md', 'nothing here');
    expect(await expectResultOrImportError(() => importUsgsSalient(empty), empty, validate)).toBeInstanceOf(ImportError);
  });

  it('names line 1 and the Year column when Year is missing, and the line of a bad year', async () => {
    const drop = (l: string) =>
      l
        .split(',')
        .filter((_, i) => i !== 2)
        .join(',');
    await expectImportError(lines.map(drop).join('\n'), 1, 'Year');
    await expectImportError([header, rows[0], rows[1].replace(',2021,', ',2021e,')].join('\n'), 3, 'Year');
    await expectImportError([header, rows[0], rows[0]].join('\n'), 3, 'Year'); // the same year twice
  });

  it('names the line and column of a non-numeric cell, including "E" outside the NIR column', async () => {
    await expectImportError([header, rows[0], rows[1].replace(',9790,', ',lots,')].join('\n'), 3, 'Imports_t');
    await expectImportError([header, rows[0].replace(',3430,', ',E,')].join('\n'), 2, 'Exports_t');
    await expectImportError([header, rows[0].replace(/,76$/, ',76%%')].join('\n'), 2, 'NIR_pct');
  });

  it('checks the edition: DataSource against the file name, and at least one of them', async () => {
    await expectImportError([header, rows[0], rows[1].replace(/^MCS2025/, 'MCS2031')].join('\n'), 3, 'DataSource');
    await expectImportError([header, rows[0].replace(/^MCS2025/, 'MCS2024')].join('\n'), 2, 'DataSource');
    await expectImportError([header, rows[0].replace(/^MCS2025/, 'twenty')].join('\n'), 2, 'DataSource');
    const noSource = (l: string) => l.split(',').slice(1).join(',');
    await expectImportError([header, rows[0]].map(noSource).join('\n'), 1, 'DataSource', 'cobalt_salient.csv');
    // the file name alone is enough
    const b = await importUsgsSalient(write([header, rows[0]].map(noSource).join('\n')));
    expect(b.sources.map((s) => s.id)).toEqual(['usgs-mcs-2025-salient-cobal']);
    // and so is DataSource alone
    const c = await importUsgsSalient(write([header, rows[0]].join('\n'), 'cobalt_salient.csv'));
    expect(c.observations.length).toBeGreaterThan(0);
  });

  it('rejects a short row and an unterminated quote, naming the line', async () => {
    await expectImportError([header, rows[0], 'MCS2025,Cobalt,2021,650'].join('\n'), 3, null);
    await expectImportError([header, rows[0], 'MCS2025,"Cobalt,2021,650'].join('\n'), 3);
  });

  it('warns about an unknown commodity instead of guessing', async () => {
    const b = await importUsgsSalient(write([header, rows[0].replace(',Cobalt,', ',Unobtainium,')].join('\n')));
    expectValidBatch(b);
    expect(b.observations).toHaveLength(0);
    expect(b.warnings).toContain('mcs2025-cobal_salient.csv: commodity "Unobtainium" is not in the material registry; 1 row(s) not imported (lines 2)');
    // no figures, no source: importing it must not clear the edition's rows already in the store
    expect(b.sources).toEqual([]);
  });

  it('rejects the same figure from two files of one folder, naming the second file', async () => {
    const dir = tempDir();
    writeTemp(dir, 'mcs2025-cobal_salient.csv', text);
    const copy = writeTemp(dir, 'mcs2025-cobalt_salient.csv', text);
    const e = await expectResultOrImportError(() => importUsgsSalient(dir), dir, validate);
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).file).toBe(copy);
  });

  it('in a folder, one bad file fails the whole import, naming that file; xlsx and non-salient files are left alone', async () => {
    const dir = tempDir();
    writeTemp(dir, 'mcs2025-cobal_salient.csv', text);
    writeTemp(dir, 'mcs2025-coppe_world.csv', 'not,a,salient,file\n1,2,3,4');
    writeTemp(dir, 'MCS2025-NICKE_SALIENT.CSV', readFileSync(join(FOLDERS[2025], 'mcs2025-nicke_salient.csv')));
    writeTemp(dir, 'mcs2025-quart_salient.xlsx', BINARY_JUNK);
    const ok = await importUsgsSalient(dir);
    expectValidBatch(ok);
    expect(new Set(ok.observations.map((o) => o.materialId))).toEqual(new Set(['cobalt', 'nickel']));
    expect(ok.warnings).toContain('XLSX files not read (CSV only; convert to CSV to import them): mcs2025-quart_salient.xlsx');
    const bad = writeTemp(dir, 'mcs2025-zinc_salient.csv', [header, rows[0].replace(',9740,', ',9x740,')].join('\n'));
    const e = await expectResultOrImportError(() => importUsgsSalient(dir), dir, validate);
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).file).toBe(bad);
    expect((e as ImportError).line).toBe(2);
  });

  it('survives 200 random truncations and byte flips of real salient files', async () => {
    const samples = ['mcs2025-cobal_salient.csv', 'mcs2025-plati_salient.csv', 'mcs2025-bauxi_salient.csv', 'mcs2025-iodin_salient.csv'].map((n) => ({
      name: n,
      bytes: new Uint8Array(readFileSync(join(FOLDERS[2025], n))),
    }));
    samples.push({ name: 'mcs2024-tungs_salient.csv', bytes: new Uint8Array(readFileSync(join(FOLDERS[2024], 'mcs2024-tungs_salient.csv'))) });
    const rand = rng(2025);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 200; i++) {
      const s = samples[i % samples.length];
      const file = write(mutate(s.bytes, rand), s.name);
      const r = await expectResultOrImportError(() => importUsgsSalient(file), file, validate);
      outcomes[r === 'ok' ? 'ok' : 'error']++;
    }
    console.log(`USGS salient mutations: ${outcomes.ok} valid batches, ${outcomes.error} ImportErrors`);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });

  it('is atomic and idempotent through the store', async () => {
    const store = await Store.open(':memory:');
    try {
      const dir = tempDir();
      const file = writeTemp(dir, 'mcs2025-cobal_salient.csv', text);
      writeTemp(dir, 'mcs2025-nicke_salient.csv', readFileSync(join(FOLDERS[2025], 'mcs2025-nicke_salient.csv')));
      const first = await importPath(store, 'usgs-salient', dir);
      expect(first.unchanged).toBe(false);
      expect(first.sourceIds).toEqual(['usgs-mcs-2025-salient']);
      const counts = await store.counts();
      const state = await loadDataset(store);
      expect(state.observations).toHaveLength(first.observations);

      // the same folder again: nothing to do
      expect((await importPath(store, 'usgs-salient', dir)).unchanged).toBe(true);
      expect(await store.counts()).toEqual(counts);

      // a malformed file in the folder: rejected, store unchanged
      writeFileSync(file, [header, rows[0], rows[1].replace(',9790,', ',nine,')].join('\n'));
      await expect(importPath(store, 'usgs-salient', dir)).rejects.toBeInstanceOf(ImportError);
      expect(await store.counts()).toEqual(counts);

      // the good content back: re-imported (new hash) to exactly the same state
      writeFileSync(file, text);
      writeTemp(dir, 'notes.txt', 'changes the folder hash, not the data');
      expect((await importPath(store, 'usgs-salient', dir)).unchanged).toBe(false);
      expect(await store.counts()).toEqual({ ...counts, imports: counts.imports + 1 }); // one more import logged, same data
      const again = await loadDataset(store);
      expect(sortObs(again.observations)).toEqual(sortObs(state.observations));
      expect(again.sources.get('usgs-mcs-2025-salient')).toEqual(state.sources.get('usgs-mcs-2025-salient'));
    } finally {
      store.close();
    }
  });
});

const sortObs = (os: Observation[]) => [...os].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
