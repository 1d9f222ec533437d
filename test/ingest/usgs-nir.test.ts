import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanImportSources, importUsgsNetImportReliance, nirLabelMaterial } from '../../src/ingest/usgs/nir.ts';
import { importPath } from '../../src/ingest/index.ts';
import { loadDataset } from '../../src/store/load.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { netImportReliance } from '../../src/engine/criticality/inputs.ts';
import { Store } from '../../src/store/store.ts';
import { ImportError, type ImportBatch, type Observation } from '../../src/model/schema.ts';
import { BINARY_JUNK, expectResultOrImportError, fixturePath, expectValidBatch, mutate, removeTempDirs, rng, tempDir, writeTemp } from './malformed.ts';

// excerpts: the first 19-20 rows of each edition (incl. the three non-registry labels on lines 4, 12 and 19) and the
// rows named below (PROVENANCE.md of each edition folder)
const FILES = {
  2025: fixturePath('usgs-mcs-2025/industry-trends/MCS2025_Fig2_Net_Import_Reliance.csv'),
  2024: fixturePath('usgs-mcs-2024/industry-trends/MCS2024_Fig2_Net_Import_Reliance.csv'),
  2023: fixturePath('usgs-mcs-2023/industry-trends/MCS2023_Fig2_Net_Import_Reliance.csv'),
} as const;
type Edition = keyof typeof FILES;

const batches = {} as Record<Edition, ImportBatch>;
beforeAll(async () => {
  for (const ed of [2025, 2024, 2023] as Edition[]) batches[ed] = await importUsgsNetImportReliance(FILES[ed]);
});
const byLabel = (ed: Edition, label: string): Observation | undefined => batches[ed].observations.find((o) => o.detail === label);

describe('importUsgsNetImportReliance on excerpts of the MCS 2023-2025 Fig. 2 files', () => {
  it('imports every edition as one schema-valid batch with its own source and data year', () => {
    for (const [ed, year, rows] of [
      [2025, 2024, 30],
      [2024, 2023, 22],
      [2023, 2022, 24],
    ] as const) {
      const b = batches[ed];
      expectValidBatch(b);
      expect(b.kind).toBe('usgs-nir');
      expect(b.sources).toEqual([
        expect.objectContaining({
          id: `usgs-mcs-${ed}-nir`,
          dataset: 'usgs-mcs-salient',
          editionYear: ed,
          edition: `MCS${ed}`,
          table: 'Fig. 2, net import reliance and major import sources',
          file: `MCS${ed}_Fig2_Net_Import_Reliance.csv`,
          publisher: 'U.S. Geological Survey',
          licence: 'U.S. public domain (USGS data release)',
        }),
      ]);
      // every row but cesium, rubidium and nepheline syenite (not registry materials)
      expect(b.observations).toHaveLength(rows - 3);
      for (const o of b.observations) {
        expect(o).toMatchObject({ measure: 'net_import_reliance', countryId: 'USA', stage: 'end_use', unit: 'percent', basis: 'ratio', year, estimated: true });
      }
    }
    expect(batches[2025].sources[0].url).toBe('https://doi.org/10.5066/P13XCP3R');
    expect(batches[2023].sources[0].url).toBe('https://doi.org/10.5066/P9WCYUI6');
  });

  it('reads cobalt: 76% in 2024 (MCS2025), 67% in 2023 (MCS2024), 76% in 2022 (MCS2023), with the import sources', () => {
    expect(byLabel(2025, 'COBALT, metal, oxides, and salts')).toMatchObject({
      materialId: 'cobalt',
      year: 2024,
      value: 76,
      status: 'reported',
      note: 'major import sources 2020–2023: Norway, Finland, Japan, Canada; Descending order of import share.',
      sourceId: 'usgs-mcs-2025-nir',
    });
    expect(byLabel(2024, 'COBALT')).toMatchObject({ materialId: 'cobalt', year: 2023, value: 67 });
    expect(byLabel(2023, 'COBALT')).toMatchObject({
      materialId: 'cobalt',
      year: 2022,
      value: 76,
      note: 'major import sources 2018–2021: Norway, Canada, Finland, Japan',
    });
  });

  it('reads bounds as bounds', () => {
    expect(byLabel(2025, 'ABRASIVES, fused aluminum oxide')).toMatchObject({ materialId: 'abrasives', value: 95, status: 'lower_bound' });
    expect(byLabel(2025, 'SILICON, metal and ferrosilicon')).toMatchObject({ materialId: 'silicon', value: 50, status: 'upper_bound' });
    expect(byLabel(2025, 'SILICON, metal and ferrosilicon')!.note).toMatch(
      /^published as "<50"; major import sources 2020–2023: Brazil, Russia, Canada, Malaysia/,
    );
    expect(byLabel(2025, 'LITHIUM')).toMatchObject({ value: 50, status: 'lower_bound' });
    expect(byLabel(2024, 'LITHIUM')).toMatchObject({ value: 25, status: 'lower_bound' });
    expect(byLabel(2023, 'CADMIUM, unwrought')).toMatchObject({ materialId: 'cadmium', value: 25, status: 'upper_bound' });
    expect(byLabel(2023, 'RARE EARTHS, compounds and metals, including lanthanides')).toMatchObject({
      materialId: 'rare-earths',
      value: 95,
      status: 'lower_bound',
    });
  });

  it('resolves labels with qualifiers to the registry products', () => {
    expect(byLabel(2025, 'GRAPHITE (NATURAL)')!.materialId).toBe('graphite');
    expect(byLabel(2025, 'NIOBIUM (COLUMBIUM)')!.materialId).toBe('niobium');
    expect(byLabel(2025, 'MICA (NATURAL), sheet')).toMatchObject({ materialId: 'mica-sheet', value: 100 });
    expect(byLabel(2025, 'MICA (NATURAL), scrap and flake')).toMatchObject({ materialId: 'mica', value: 41 });
    expect(byLabel(2025, 'TITANIUM, sponge metal')).toMatchObject({ materialId: 'titanium-metal', value: 95, status: 'lower_bound' });
    expect(byLabel(2025, 'ABRASIVES, silicon carbide')).toMatchObject({ materialId: 'silicon-carbide', value: 69 });
    expect(byLabel(2023, 'ABRASIVES, crude silicon carbide')!.materialId).toBe('silicon-carbide');
    expect(byLabel(2025, 'PLATINUM')!.value).toBe(85);
    expect(byLabel(2025, 'PALLADIUM')!.value).toBe(36);
    expect(nirLabelMaterial('CESIUM')).toBeNull();
  });

  it('warns about the labels that are not registry materials, and about two figures for one material', () => {
    for (const ed of [2025, 2024, 2023] as Edition[]) {
      expect(batches[ed].warnings).toEqual(
        expect.arrayContaining([
          'line 4: commodity "CESIUM" is not in the material registry; not imported',
          'line 12: commodity "RUBIDIUM" is not in the material registry; not imported',
          'line 19: commodity "NEPHELINE SYENITE" is not in the material registry; not imported',
        ]),
      );
      expect(batches[ed].warnings.some((w) => /^2 net import reliance figures for diamond-industrial/.test(w))).toBe(true);
    }
  });

  it('cleans the import-source lists (footnote digits, padding) and keeps the notes', () => {
    expect(byLabel(2025, 'GARNET (INDUSTRIAL)')!.note).toBe(
      'major import sources 2020–2023: South Africa, Australia, India, China; Descending order of import share.',
    );
    expect(byLabel(2025, 'NIOBIUM (COLUMBIUM)')!.note).toMatch(/: Brazil, Canada;/);
    expect(byLabel(2025, 'RARE EARTHS, compounds and metals')!.note).toMatch(/Imports from Hong Kong are included with China\. Includes lanthanides cerium/);
    expect(cleanImportSources('South Africa, Congo (Kinshasa),  India, Sierra Leone')).toBe('South Africa, Congo (Kinshasa), India, Sierra Leone');
  });

  it('feeds the criticality engine: cobalt 2024 at 76%, and lithium ">50" kept as a lower bound', () => {
    const index = new DatasetIndex({
      observations: batches[2025].observations,
      sources: new Map(batches[2025].sources.map((s) => [s.id, s])),
      governance: [],
      groupings: [],
    });
    expect(netImportReliance(index, 'USA', 'cobalt', 2024)).toMatchObject({ value: 0.76, year: 2024 });
    expect(netImportReliance(index, 'USA', 'lithium', 2024)!.note).toMatch(/lower bound/);
  });
});

describe('importUsgsNetImportReliance on malformed input', () => {
  afterAll(removeTempDirs);
  const text = readFileSync(FILES[2025], 'utf8');
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  const [header, ...rows] = lines;
  const NAME = 'MCS2025_Fig2_Net_Import_Reliance.csv';
  const validate = (b: ImportBatch) => expectValidBatch(b);
  const write = (content: string | Uint8Array, name = NAME) => writeTemp(tempDir(), name, content);
  const expectImportError = async (content: string | Uint8Array, line?: number | null, field?: string | null, name?: string) => {
    const file = write(content, name);
    const r = await expectResultOrImportError(() => importUsgsNetImportReliance(file), file, validate);
    expect(r).toBeInstanceOf(ImportError);
    if (line !== undefined) expect((r as ImportError).line).toBe(line);
    if (field !== undefined) expect((r as ImportError).field).toBe(field);
    return r as ImportError;
  };
  const cobalt = rows.find((r) => r.includes('COBALT'))!;

  it('rejects empty, binary and missing input', async () => {
    await expectImportError('', null);
    await expectImportError(BINARY_JUNK);
    const missing = `${tempDir()}/${NAME}`;
    expect(await expectResultOrImportError(() => importUsgsNetImportReliance(missing), missing, validate)).toBeInstanceOf(ImportError);
  });

  it('names the line and column of a non-numeric NIR, a missing column, a short row, a duplicate and a bad edition', async () => {
    await expectImportError([header, rows[0], cobalt.replace(',76,', ',most,')].join('\n'), 3, 'Net_Import_Reliance_pct_2024');
    await expectImportError([header.replace('Net_Import_Reliance_pct_2024', 'Share_2024'), rows[0]].join('\n'), 1, 'Net_Import_Reliance_pct');
    await expectImportError([header.replace(',Commodity,', ',Mineral,'), rows[0]].join('\n'), 1, 'Commodity');
    await expectImportError([header, rows[0], 'MCS2025,31,COBALT,76'].join('\n'), 3, null);
    await expectImportError([header, cobalt, cobalt].join('\n'), 3, 'Commodity');
    await expectImportError([header, rows[0], cobalt.replace(/^MCS2025/, 'MCS2024')].join('\n'), 3, 'Source');
    await expectImportError([header, rows[0]].join('\n'), 2, 'Source', 'MCS2024_Fig2_Net_Import_Reliance.csv');
  });

  it('takes the data year from the header, else edition − 1', async () => {
    const b = await importUsgsNetImportReliance(write([header.replace('Net_Import_Reliance_pct_2024', 'Net_Import_Reliance_pct'), cobalt].join('\n')));
    expect(b.observations[0]).toMatchObject({ year: 2024, value: 76 });
    await expectImportError([header.replace('pct_2024', 'pct_2031'), cobalt].join('\n'), 1, 'Net_Import_Reliance_pct_2031');
  });

  it('reads E (net exporter) and a dash, and skips an empty cell with a warning', async () => {
    const b = await importUsgsNetImportReliance(
      write([header, cobalt.replace(',76,', ',E,'), rows[0].replace(',100,', ',—,'), rows[1].replace(',100,', ',,')].join('\n')),
    );
    expectValidBatch(b);
    expect(b.observations[0]).toMatchObject({ materialId: 'cobalt', value: null, status: 'not_applicable' });
    expect(b.observations[0].note).toMatch(/^net exporter \(USGS "E"\); major import sources/);
    expect(b.observations[1]).toMatchObject({ materialId: 'arsenic', value: 0 });
    expect(b.observations[1].note).toMatch(/USGS dash: zero/);
    expect(b.observations).toHaveLength(2);
    expect(b.warnings).toContain('line 4: ASBESTOS has no net import reliance figure; not imported');
  });

  it('survives 200 random truncations and byte flips of the excerpts', async () => {
    const samples = ([2025, 2024, 2023] as Edition[]).map((ed) => ({
      name: `MCS${ed}_Fig2_Net_Import_Reliance.csv`,
      bytes: new Uint8Array(readFileSync(FILES[ed])),
    }));
    const rand = rng(2024);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 200; i++) {
      const s = samples[i % samples.length];
      const file = write(mutate(s.bytes, rand), s.name);
      const r = await expectResultOrImportError(() => importUsgsNetImportReliance(file), file, validate);
      outcomes[r === 'ok' ? 'ok' : 'error']++;
    }
    console.log(`USGS Fig. 2 mutations: ${outcomes.ok} valid batches, ${outcomes.error} ImportErrors`);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });

  it('is atomic and idempotent through the store', async () => {
    const store = await Store.open(':memory:');
    try {
      const dir = tempDir();
      const file = writeTemp(dir, NAME, text);
      const first = await importPath(store, 'usgs-nir', file);
      expect(first).toMatchObject({ unchanged: false, sourceIds: ['usgs-mcs-2025-nir'], observations: 27 });
      const counts = await store.counts();
      const state = await loadDataset(store);
      expect((await importPath(store, 'usgs-nir', file)).unchanged).toBe(true);
      expect(await store.counts()).toEqual(counts);

      writeTemp(dir, NAME, [header, rows[0], cobalt.replace(',76,', ',7 6x,')].join('\n'));
      const err = await importPath(store, 'usgs-nir', file).catch((e) => e);
      expect(err).toBeInstanceOf(ImportError);
      expect(err.line).toBe(3);
      expect(await store.counts()).toEqual(counts);

      // different content under the same source replaces it (a much smaller file only with replace: a truncated file
      // must not wipe the source); the original content restores the same state
      writeTemp(dir, NAME, [header, cobalt].join('\n'));
      await expect(importPath(store, 'usgs-nir', file)).rejects.toThrow(/a drop of 96%/);
      expect((await importPath(store, 'usgs-nir', file, { replace: true })).observations).toBe(1);
      writeTemp(dir, NAME, text);
      expect((await importPath(store, 'usgs-nir', file)).unchanged).toBe(false);
      expect(await store.counts()).toEqual({ ...counts, imports: counts.imports + 2 });
      const again = await loadDataset(store);
      const sort = (os: Observation[]) => [...os].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      expect(sort(again.observations)).toEqual(sort(state.observations));
    } finally {
      store.close();
    }
  });
});
