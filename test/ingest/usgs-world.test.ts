import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classify, importUsgsWorld, parseCell, statusFromNote } from '../../src/ingest/usgs/world.ts';
import { importPath } from '../../src/ingest/index.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { concentrationRow } from '../../src/engine/concentration-report.ts';
import { ImportError, type ImportBatch, type Stage } from '../../src/model/schema.ts';
import { Store } from '../../src/store/store.ts';
import { BINARY_JUNK, expectResultOrImportError, fixturePath, expectValidBatch, mutate, removeTempDirs, rng, tempDir, writeTemp } from './malformed.ts';

// excerpts: 102 rows of the MCS2025 file (whole cobalt, gallium, lithium, nickel, niobium, PGM and rare-earth blocks, single
// rows for the other cases below) and a few whole per-commodity files of earlier editions (PROVENANCE.md per edition)
const MCS2025 = fixturePath('usgs-mcs-2025/world/MCS2025_World_Data.csv');
const FOLDERS = { 2024: fixturePath('usgs-mcs-2024/world'), 2023: fixturePath('usgs-mcs-2023/world'), 2022: fixturePath('usgs-mcs-2022-subset') };

const batches: Record<number, ImportBatch> = {};
let index: DatasetIndex;
beforeAll(async () => {
  batches[2025] = await importUsgsWorld(MCS2025);
  for (const [ed, dir] of Object.entries(FOLDERS)) batches[Number(ed)] = await importUsgsWorld(dir);
  const all = Object.values(batches);
  index = new DatasetIndex({
    observations: all.flatMap((b) => b.observations),
    sources: new Map(all.flatMap((b) => b.sources).map((s) => [s.id, s])),
    governance: [],
    groupings: [],
  });
});

const find = (ed: number, m: string, stage: Stage, country: string, year: number) =>
  batches[ed].observations.find((o) => o.materialId === m && o.stage === stage && o.countryId === country && o.year === year);

describe('importUsgsWorld on excerpts of the MCS 2022-2025 files', () => {
  it('imports every edition as one schema-valid batch citing its edition', () => {
    for (const [ed, b] of Object.entries(batches)) {
      expectValidBatch(b);
      expect(b.sources.map((s) => s.id)).toEqual([`usgs-mcs-${ed}-world`]);
      expect(b.sources[0].url).toMatch(/^https:\/\/doi\.org\/10\.5066\//);
    }
    const materials = (ed: number) => [...new Set(batches[ed].observations.map((o) => o.materialId))].sort();
    // the rutile rows also give titanium-minerals (ilmenite plus rutile; no ilmenite rows in the MCS2025 excerpt)
    expect(materials(2025)).toEqual([
      'alumina',
      'bauxite',
      'cobalt',
      'copper',
      'diamond-industrial',
      'gallium',
      'iron-steel',
      'lithium',
      'nickel',
      'niobium',
      'palladium',
      'platinum',
      'rare-earths',
      'rutile',
      'titanium-minerals',
    ]);
    expect(materials(2024)).toEqual(['cobalt', 'gallium', 'ilmenite', 'lithium', 'rutile', 'titanium-minerals']);
    expect(materials(2023)).toEqual(['lithium', 'rare-earths']);
    // the MCS2022 subset: production 2020 and 2021 only
    expect(materials(2022)).toEqual(['cobalt', 'lithium']);
    expect(new Set(batches[2022].observations.map((o) => o.year))).toEqual(new Set([2020, 2021]));
    expect(batches[2022].observations.some((o) => o.measure === 'reserves')).toBe(false);
  });

  it('converts units to tonnes (kt, kg, Mt) and keeps carats and cubic metres apart', () => {
    expect(find(2025, 'cobalt', 'mining', 'COD', 2024)!.value).toBe(220_000); // metric tons
    expect(find(2025, 'copper', 'mining', 'CHL', 2024)!.value).toBe(5_300_000); // thousand metric tons
    expect(find(2025, 'gallium', 'refining', 'CHN', 2024)!.value).toBe(750); // 750,000 kg
    expect(find(2024, 'gallium', 'refining', 'CHN', 2023)!.value).toBe(600); // MCS2024: 600,000 kg (Prod_kg_est_2023), revised up in MCS2025
    expect(find(2025, 'iron-steel', 'refining', 'CHN', 2024)!.unit).toBe('t'); // million metric tons
    const diamond = batches[2025].observations.find((o) => o.materialId === 'diamond-industrial' && o.measure === 'production')!;
    expect(diamond.unit).toBe('carats');
  });

  it('reads bounds, estimates, withheld and not-available figures as such', () => {
    // MCS2025 reserves ">17,000,000" style: lower bounds with thousands separators
    const bounds = batches[2025].observations.filter((o) => o.status === 'lower_bound');
    expect(bounds.length).toBeGreaterThan(0);
    expect(bounds.every((o) => o.value !== null && o.value > 0)).toBe(true);
    // U.S. lithium production is withheld in every edition
    expect(find(2025, 'lithium', 'mining', 'USA', 2024)).toMatchObject({ value: null, status: 'withheld' });
    expect(find(2024, 'lithium', 'mining', 'USA', 2023)).toMatchObject({ value: null, status: 'withheld' });
    expect(find(2023, 'lithium', 'mining', 'USA', 2022)).toMatchObject({ value: null, status: 'withheld' }); // "W" token
    expect(find(2023, 'lithium', 'mining', 'BRA', 2021)!.value).toBe(1_700); // "1,700", quoted with a separator
    // the estimated year of each edition is flagged
    expect(find(2025, 'cobalt', 'mining', 'COD', 2024)!.estimated).toBe(true);
    expect(find(2024, 'cobalt', 'mining', 'COD', 2023)!.estimated).toBe(true);
    expect(find(2023, 'rare-earths', 'reserves', 'MMR', 2022)).toMatchObject({ value: null, status: 'not_available' });
  });

  it('separates products that share a commodity file', () => {
    expect(find(2025, 'platinum', 'mining', 'ZAF', 2024)).toBeDefined();
    expect(find(2025, 'palladium', 'mining', 'RUS', 2024)).toBeDefined();
    expect(find(2025, 'alumina', 'refining', 'CHN', 2024)!.basis).toBe('compound');
    expect(find(2025, 'bauxite', 'mining', 'GIN', 2024)!.basis).toBe('gross_weight');
    expect(find(2025, 'rutile', 'mining', 'AUS', 2024)!.value).toBe(200_000); // unit label corrected to kt, as in MCS2024
    expect(find(2024, 'rutile', 'mining', 'AUS', 2023)!.value).toBe(200_000);
    expect(find(2025, 'copper', 'refining', 'CHN', 2024)).toBeDefined();
  });

  it('keeps aggregates as aggregate entities and never as countries', () => {
    const cobalt = batches[2025].observations.filter((o) => o.materialId === 'cobalt' && o.stage === 'mining' && o.year === 2024);
    expect(cobalt.find((o) => o.countryId === 'WLD')!.value).toBe(290_000);
    expect(cobalt.find((o) => o.countryId === 'OTH')).toBeDefined();
    const ids = new Set(batches[2025].observations.map((o) => o.countryId));
    expect([...ids].every((id) => /^[A-Z]{3}$/.test(id) || id.startsWith('X-'))).toBe(true);
  });
});

describe('USGS MCS 2025 shares (published: DRC ~75% of mined cobalt, China ~70% of mined rare earths, Indonesia ~60% of mined nickel, China ~98% of primary gallium)', () => {
  const share = (m: string, stage: Stage, year: number, country: string) => {
    const r = concentrationRow(index, { materialId: m, stage, year })!;
    expect(r.source.sourceId).toBe('usgs-mcs-2025-world');
    return r.shares.find((s) => s.countryId === country)!.share;
  };
  it('DRC share of 2024 mined cobalt: 220,000 / 290,000 t', () => {
    expect(share('cobalt', 'mining', 2024, 'COD')).toBeCloseTo(220_000 / 290_000, 6);
    expect(Math.round(share('cobalt', 'mining', 2024, 'COD') * 100)).toBe(76);
  });
  it("China's share of 2024 rare-earth mine production (REO): 270,000 t, about 69%", () => {
    const s = share('rare-earths', 'mining', 2024, 'CHN');
    expect(s).toBeGreaterThan(0.68);
    expect(s).toBeLessThan(0.7);
  });
  it("Indonesia's share of 2024 nickel mine production: 2,200,000 / 3,700,000 t", () => {
    expect(share('nickel', 'mining', 2024, 'IDN')).toBeCloseTo(2_200_000 / 3_700_000, 6);
  });
  it("China's share of 2024 primary gallium: 750 / 760 t", () => {
    expect(share('gallium', 'refining', 2024, 'CHN')).toBeCloseTo(750 / 760, 6);
  });
  it('newest edition wins for overlapping years, and earlier editions extend the series back to 2020', () => {
    expect(concentrationRow(index, { materialId: 'cobalt', stage: 'mining', year: 2023 })!.source.sourceId).toBe('usgs-mcs-2025-world');
    expect(concentrationRow(index, { materialId: 'cobalt', stage: 'mining', year: 2022 })!.source.sourceId).toBe('usgs-mcs-2024-world');
    expect(concentrationRow(index, { materialId: 'cobalt', stage: 'mining', year: 2020 })!.source.sourceId).toBe('usgs-mcs-2022-world');
    expect(index.years('cobalt', 'mining')).toEqual([2020, 2021, 2022, 2023, 2024]);
  });
});

describe('cell and type parsing', () => {
  it('parses USGS tokens', () => {
    expect(parseCell(' 1,700 ')).toMatchObject({ value: 1700, status: 'reported' });
    expect(parseCell('e3,900')).toMatchObject({ value: 3900, estimated: true });
    expect(parseCell('>90,000,000')).toMatchObject({ value: 90_000_000, status: 'lower_bound' });
    expect(parseCell('<100')).toMatchObject({ value: 100, status: 'upper_bound' });
    expect(parseCell('W')).toMatchObject({ value: null, status: 'withheld' });
    expect(parseCell('        NA')).toMatchObject({ value: null, status: 'not_available' });
    expect(parseCell('XX')).toMatchObject({ value: null, status: 'not_applicable' });
    expect(parseCell('Less than ½ unit.')).toMatchObject({ value: 0.5, status: 'upper_bound' });
    expect(parseCell('Included with “Other countries.”')).toMatchObject({ status: 'included_elsewhere' });
    expect(parseCell('Categorized as "large"')).toMatchObject({ status: 'qualitative' });
    expect(parseCell('')).toBeNull();
    expect(() => parseCell('12abc')).toThrow(/expected a number/);
  });
  it('reads W/NA from MCS2025 notes for the years they name', () => {
    expect(statusFromNote('W for 23-24', 2023)?.status).toBe('withheld');
    expect(statusFromNote('W for 23-24', 2024)?.status).toBe('withheld');
    expect(statusFromNote('na for 2023', 2024)).toBeNull();
    expect(statusFromNote('na for 2023', 2023)?.status).toBe('not_available');
    expect(statusFromNote('Production quota', 2023)).toBeNull();
  });
  it('classifies stage and basis from TYPE', () => {
    expect(classify('cobalt', 'Mine production, metric tons of contained cobalt', null)).toEqual({ materialId: 'cobalt', stage: 'mining', basis: 'contained' });
    expect(classify('copper', 'Refinery production, copper', null)).toMatchObject({ stage: 'refining' });
    expect(classify('rare-earths', 'Mine production, rare-earth-oxide equivalent', null)).toMatchObject({ basis: 'oxide' });
    expect(classify('iron-ore', 'Iron ore - mine production - usable ore -thousand metric tons', null)).toMatchObject({ basis: 'gross_weight' });
    expect(classify('iron-ore', 'Iron ore - mine production - iron content - thousand metric tons', null)).toMatchObject({ basis: 'contained' });
    expect(classify('titanium', 'Sponge Metal Production and Sponge and Pigment Capacity', 'Sponge')).toMatchObject({
      materialId: 'titanium-metal',
      stage: 'refining',
    });
    expect(typeof classify('soda-ash', 'Soda ash, total natural and synthetic', null)).toBe('string');
  });
});

describe('importUsgsWorld on malformed input', () => {
  afterAll(removeTempDirs);
  const dir = tempDir();
  const text = readFileSync(MCS2025, 'utf8');
  const lines = text.split(/\r?\n/);
  const header = lines[0];
  const cobaltRow = lines.find((l) => l.includes(',Cobalt,Congo (Kinshasa),'))!;
  const validate = (b: ImportBatch) => expectValidBatch(b);
  const expectImportError = async (name: string, content: string | Uint8Array, line?: number, field?: string) => {
    const file = writeTemp(dir, name, content);
    const r = await expectResultOrImportError(() => importUsgsWorld(file), file, validate);
    expect(r).toBeInstanceOf(ImportError);
    if (line !== undefined) expect((r as ImportError).line).toBe(line);
    if (field !== undefined) expect((r as ImportError).field).toBe(field);
    return r as ImportError;
  };

  it('rejects empty, binary and missing input', async () => {
    await expectImportError('MCS2025_empty.csv', '');
    await expectImportError('MCS2025_junk.csv', BINARY_JUNK);
    const missing = `${dir}/MCS2025_missing.csv`;
    expect(await expectResultOrImportError(() => importUsgsWorld(missing), missing, validate)).toBeInstanceOf(ImportError);
  });

  it('names the line and column of a bad number, an unknown unit, a missing column and a truncated quote', async () => {
    const bad = cobaltRow.replace(',175000,220000,', ',175000,lots,');
    await expectImportError('MCS2025_badnum.csv', [header, lines[1], bad].join('\n'), 3, 'PROD_EST_ 2024');
    await expectImportError('MCS2025_badunit.csv', [header, cobaltRow.replace(',metric tons,', ',furlongs,')].join('\n'), 2, 'UNIT_MEAS');
    const noCountry = header.replace('COUNTRY', 'NATION');
    await expectImportError('MCS2025_nocountry.csv', [noCountry, cobaltRow].join('\n'), 1, 'Country');
    await expectImportError('MCS2025_truncated.csv', `${header}\n${cobaltRow}\nMCS2025,Cobalt,"Congo (Kinsh`, 3);
    await expectImportError('MCS2025_edition.csv', [header, cobaltRow.replace(/^MCS2025/, 'MCS2031')].join('\n'), null as unknown as undefined, 'Source');
  });

  it('a per-commodity file with a bad token names its line and column', async () => {
    const file = fixturePath('usgs-mcs-2024/world/mcs2024-cobal_world.csv');
    const l = readFileSync(file, 'utf8').split(/\r?\n/);
    const row = l[4].replace(',144000,', ',14four000,');
    await expectImportError('mcs2024-cobal_world.csv', [l[0], l[1], l[2], l[3], row].join('\n'), 5, 'Prod_t_est_2022');
  });

  it('warns about unknown countries and commodities instead of guessing', async () => {
    const file = writeTemp(
      dir,
      'MCS2025_unknown.csv',
      [header, cobaltRow.replace('Congo (Kinshasa)', 'Atlantis'), cobaltRow.replace(',Cobalt,', ',Unobtainium,')].join('\n'),
    );
    const b = await importUsgsWorld(file);
    expectValidBatch(b);
    expect(b.observations).toHaveLength(0);
    expect(b.warnings.join('\n')).toMatch(/Atlantis/);
    expect(b.warnings.join('\n')).toMatch(/Unobtainium/);
  });

  it('survives 150 random truncations and byte flips of the MCS2025 excerpt', async () => {
    const sample = new TextEncoder().encode(lines.join('\r\n'));
    const rand = rng(2025);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 150; i++) {
      const file = writeTemp(dir, `MCS2025_mutant-${i}.csv`, mutate(sample, rand));
      const r = await expectResultOrImportError(() => importUsgsWorld(file), file, validate);
      outcomes[r === 'ok' ? 'ok' : 'error']++;
    }
    console.log(`USGS world mutations: ${outcomes.ok} valid batches, ${outcomes.error} ImportErrors`);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });

  it('is atomic and idempotent through the store', async () => {
    const store = await Store.open(':memory:');
    try {
      const count = async () => Number((await store.conn.runAndReadAll('select count(*) from observations')).getRows()[0][0]);
      const first = await importPath(store, 'usgs-world', MCS2025);
      expect(first.unchanged).toBe(false);
      const n = await count();
      expect(n).toBe(batches[2025].observations.length);
      const again = await importPath(store, 'usgs-world', MCS2025);
      expect(again.unchanged).toBe(true);
      expect(await count()).toBe(n);
      const bad = writeTemp(dir, 'MCS2025_bad_store.csv', [header, cobaltRow, cobaltRow.replace('220000', 'twenty')].join('\n'));
      await expect(importPath(store, 'usgs-world', bad)).rejects.toBeInstanceOf(ImportError);
      expect(await count()).toBe(n);
      // one per-commodity file next to its edition's folder: its own source, nothing of the folder's is replaced
      await importPath(store, 'usgs-world', FOLDERS[2024]);
      const withFolder = await count();
      const single = await importPath(store, 'usgs-world', `${FOLDERS[2024]}/mcs2024-cobal_world.csv`);
      expect(single.sourceIds).toEqual(['usgs-mcs-2024-world-cobal']);
      expect(await count()).toBe(withFolder + single.observations);
    } finally {
      store.close();
    }
  });
});
