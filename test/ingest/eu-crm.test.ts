import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  importEuCrm2023,
  readEuMaterialGroupings,
  readEuMaterialUseShares,
  type EuMaterialGrouping,
  type EuMaterialUseShare,
} from '../../src/ingest/eu-crm.ts';
import { ImportError, ObservationSchema, type ImportBatch, type Observation } from '../../src/model/schema.ts';
import {
  BINARY_JUNK,
  expectNoNaN,
  expectResultOrImportError,
  fixturePath,
  expectValidBatch,
  mutate,
  rng,
  tempDir,
  writeTemp,
  removeTempDirs,
} from './malformed.ts';

// excerpts of all four files: whole material-stage blocks of the supply files, so listed shares still add up (PROVENANCE.md)
const DIR = fixturePath('eu-crm-2023');
const GLOBAL = 'fact_GlobalSupplyShares_t.csv';
const EU = 'fact_EUSupplyShares_t.csv';

let batch: ImportBatch;
beforeAll(async () => {
  batch = await importEuCrm2023(DIR);
});

const find = (materialId: string, stage: string, countryId: string, measure: string, detail: string): Observation | undefined =>
  batch.observations.find((o) => o.materialId === materialId && o.stage === stage && o.countryId === countryId && o.measure === measure && o.detail === detail);

function shareSums(detail: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const o of batch.observations.filter((x) => x.measure === 'supply_share' && x.detail === detail)) {
    const k = `${o.materialId} ${o.stage}`;
    sums.set(k, (sums.get(k) ?? 0) + o.value!);
  }
  return sums;
}

describe('importEuCrm2023 on the excerpt folder', () => {
  it('turns every row of both supply files into a share and a t observation, each schema-valid', () => {
    expectValidBatch(batch);
    for (const o of batch.observations) ObservationSchema.parse(o);
    // 285 global + 102 EU-sourcing rows, two observations each
    expect(batch.observations).toHaveLength(2 * (285 + 102));
    expect(batch.observations.filter((o) => o.detail === 'global' && o.measure === 'supply_share')).toHaveLength(285);
    expect(batch.observations.filter((o) => o.detail === 'eu_sourcing' && o.measure === 'trade_variable_t')).toHaveLength(102);
    expect(batch.observations.every((o) => o.year === 2023 && o.basis === 'ratio')).toBe(true);
    expect(batch.observations.filter((o) => o.measure === 'supply_share').every((o) => o.unit === 'fraction' && o.note?.includes('2016-2020 average'))).toBe(
      true,
    );
    expect(batch.warnings.some((w) => w.includes('not resolved'))).toBe(false);
  });

  it('decodes latin-1 names and maps the transcription misspellings', () => {
    expect(find('titanium', 'mining', 'TUR', 'supply_share', 'global')).toBeDefined(); // "Türkiye"
    expect(find('cobalt', 'mining', 'COD', 'supply_share', 'global')).toBeDefined(); // "Congo, D.R."
    expect(find('hree', 'mining', 'CHN', 'supply_share', 'eu_sourcing')).toBeDefined(); // "Heavy Rare earths Elements"
    for (const id of [
      'barite',
      'boron',
      'graphite',
      'phosphate-rock',
      'phosphorus',
      'platinum',
      'natural-rubber',
      'sapele-wood',
      'bentonite',
      'kaolin',
      'titanium-metal',
    ]) {
      expect(
        batch.observations.some((o) => o.materialId === id),
        id,
      ).toBe(true);
    }
  });

  it('has gallium processing: China 93.8 % of global supply and 69 % of EU sourcing', () => {
    expect(find('gallium', 'refining', 'CHN', 'supply_share', 'global')!.value).toBeCloseTo(0.938, 12);
    expect(find('gallium', 'refining', 'CHN', 'supply_share', 'eu_sourcing')!.value).toBeCloseTo(0.69, 12);
  });

  it('keeps "<0.1%" as an upper bound of 0.001', () => {
    const gypsum = find('gypsum', 'mining', 'AFG', 'supply_share', 'global')!;
    expect(gypsum.value).toBe(0.001);
    expect(gypsum.status).toBe('upper_bound');
  });

  it('has t > 1 for known export restrictions and t = 0.8 for EU trade partners', () => {
    const t = (m: string, st: string, c: string, d = 'global') => find(m, st, c, 'trade_variable_t', d)!.value;
    expect(t('nickel', 'mining', 'IDN')).toBe(1.3); // Indonesian nickel ore export ban
    expect(t('tin', 'refining', 'CHN')).toBe(1.5);
    expect(t('phosphate-rock', 'mining', 'CHN')).toBe(1.4);
    expect(t('cobalt', 'mining', 'COD')).toBe(1.1);
    expect(t('gallium', 'refining', 'DEU')).toBe(0.8);
    expect(t('gallium', 'refining', 'CHN')).toBe(1);
  });

  it('global shares add up to about 1 per material and stage (rounded transcription; outliers warned)', () => {
    const sums = shareSums('global');
    expect(sums.size).toBe(11); // the excerpt's material-stage blocks
    expect([...sums.values()].every((s) => s >= 0.88 && s <= 1.04)).toBe(true);
    // beyond 5 points the importer warns: the excerpt keeps all four blocks the whole file warns about
    expect(batch.warnings).toContain(
      `${GLOBAL}: listed shares do not add up to 100% (±5 points) for Nickel E 91.3%, Roundwood E 93.0%, Titanium P 92.0%, Vanadium P 88.7%`,
    );
  });

  it('EU-sourcing shares never exceed 1 and may list only the main suppliers', () => {
    const sums = shareSums('eu_sourcing');
    expect([...sums.values()].every((s) => s <= 1.012)).toBe(true);
    expect(sums.get('chromium mining')).toBeCloseTo(0.09, 9); // one listed supplier
  });

  it('reads a bare "6" share as 6 % with a warning', () => {
    expect(batch.warnings).toContain(`${EU}:86: share "6" has no % sign; read as 6%`); // line 712 of the whole file
    expect(find('silicon', 'refining', 'DEU', 'supply_share', 'eu_sourcing')!.value).toBeCloseTo(0.06, 12);
  });

  it('imports a single file too, with the scope taken from its name', async () => {
    const one = await importEuCrm2023(join(DIR, EU));
    expect(one.observations).toHaveLength(2 * 102);
    expect(one.observations.every((o) => o.detail === 'eu_sourcing')).toBe(true);
  });
});

describe('EU CRM end-use shares and material groupings', () => {
  let uses: EuMaterialUseShare[];
  let groups: EuMaterialGrouping[];
  beforeAll(async () => {
    uses = await readEuMaterialUseShares(DIR);
    groups = await readEuMaterialGroupings(join(DIR, 'dimension_ScreenedMatGroupings.csv'));
  });

  it('reads end-use shares with NACE sector and value added; every material resolves', () => {
    expect(uses).toHaveLength(48); // 52 lines under the header: the NACE cells of 4 rows break over two lines
    expectNoNaN(uses);
    expect(uses.every((u) => u.materialId !== null && u.share >= 0 && u.share <= 1)).toBe(true);
    expect(uses[0]).toEqual({
      material: 'Aggregates',
      materialId: 'aggregates',
      application: 'Construction and infrastructures',
      share: 1,
      shareBound: null,
      naceSector: 'C23 - Manufacture of other non-metallic mineral products',
      valueAddedMEur: 64990,
    });
    const noSector = uses.filter((u) => u.naceSector === null);
    expect(noSector.map((u) => u.material)).toEqual(['Beryllium']); // "Beryllium,Other,14%,,"
    expect(noSector.every((u) => /^other/i.test(u.application) && u.valueAddedMEur === null)).toBe(true);
    expect(uses.find((u) => u.application === 'Automotive industry')!.naceSector).toBe('C29 - Manufacture of motor\nvehicles, trailers and semi-trailers');
    expect(uses.find((u) => u.shareBound === 'lower')).toMatchObject({ materialId: 'copper', share: 0 }); // ">0%"
  });

  it('reads the four grouping permutations; only the combined "aluminium/bauxite" has no material id', () => {
    expect(groups).toHaveLength(31);
    expect(groups.filter((g) => g.materialId === null).map((g) => g.material)).toEqual(['aluminium/bauxite']);
    expect(groups.find((g) => g.materialId === 'dysprosium')!.groups).toEqual({ noXREE_noPGM: 'REE', noXREE_PGM: 'REE', XREE_noPGM: 'HREE', XREE_PGM: 'HREE' });
    expect(groups.find((g) => g.materialId === 'platinum')!.groups.noXREE_PGM).toBe('PGM');
    expect(groups.find((g) => g.material === 'krupton')!.materialId).toBe('krypton');
  });
});

describe('EU CRM readers on malformed input', () => {
  afterAll(removeTempDirs);
  const files = [GLOBAL, EU, 'fact_MaterialUseShares.csv', 'dimension_ScreenedMatGroupings.csv'];
  const originals = Object.fromEntries(files.map((f) => [f, readFileSync(join(DIR, f))]));
  /** A temp folder with the real files, one of them replaced. */
  const folder = (name: string, content: string | Uint8Array) => {
    const dir = tempDir();
    for (const f of files) writeTemp(dir, f, f === name ? content : originals[f]);
    return dir;
  };
  /** The reader of a file in `dir`, and what a valid result of it looks like. */
  const readerOf = (name: string, dir: string): (() => Promise<ImportBatch | object[]>) =>
    name.startsWith('fact_Material')
      ? () => readEuMaterialUseShares(dir)
      : name.startsWith('dimension')
        ? () => readEuMaterialGroupings(dir)
        : () => importEuCrm2023(dir);
  const validate = (r: ImportBatch | object[]) => (Array.isArray(r) ? expectNoNaN(r) : expectValidBatch(r));
  const expectImportError = async (name: string, content: string | Uint8Array, line?: number, field?: string) => {
    const dir = folder(name, content);
    const r = await expectResultOrImportError(readerOf(name, dir), join(dir, name), validate);
    expect(r).toBeInstanceOf(ImportError);
    if (line !== undefined) expect((r as ImportError).line).toBe(line);
    if (field !== undefined) expect((r as ImportError).field).toBe(field);
  };
  const head = (f: string) => originals[f].toString('latin1').split('\n').slice(0, 3).join('\n');

  it('rejects empty, binary and truncated files, and a folder without the files', async () => {
    for (const f of files) {
      await expectImportError(f, '');
      await expectImportError(f, BINARY_JUNK);
    }
    await expectImportError(GLOBAL, `${head(GLOBAL)}\nGallium,P,"Korea, South`, 4);
    const empty = tempDir();
    const r = await expectResultOrImportError(() => importEuCrm2023(empty), empty, validate);
    expect(r).toBeInstanceOf(ImportError);
    const other = writeTemp(empty, 'other.csv', 'a,b\n1,2');
    expect(await expectResultOrImportError(() => importEuCrm2023(other), other, validate)).toBeInstanceOf(ImportError);
  });

  it('names the line and field of a wrong type or a missing column', async () => {
    await expectImportError(GLOBAL, `${head(GLOBAL)}\nGallium,P,China,lots,1.0`, 4, 'Share');
    await expectImportError(GLOBAL, `${head(GLOBAL)}\nGallium,P,China,93.8%,one`, 4, 't');
    await expectImportError(GLOBAL, `${head(GLOBAL)}\nGallium,X,China,93.8%,1.0`, 4, 'Stage');
    await expectImportError(GLOBAL, `${head(GLOBAL)}\nGallium,P,China,193.8%,1.0`, 4, 'Share');
    await expectImportError(EU, 'Material,Stage,Country,Share\nGallium,P,China,69%', 1, 't');
    await expectImportError(
      'fact_MaterialUseShares.csv',
      'Material,Application,Share,NACE sector,VA in million\nCopper,Wires,50%,C27,lots',
      2,
      'VA in million',
    );
    await expectImportError('dimension_ScreenedMatGroupings.csv', 'screened_material,perm_noXREE_noPGM\ngold,precious metals', 1, 'perm_noXREE_PGM');
  });

  it('warns about names it cannot resolve instead of guessing', async () => {
    const dir = folder(GLOBAL, `${head(GLOBAL)}\nUnobtainium,E,China,50%,1.0\nGallium,P,Atlantis,1%,1.0`);
    const b = await importEuCrm2023(dir);
    expectValidBatch(b);
    expect(b.warnings).toEqual(
      expect.arrayContaining([
        `${GLOBAL}: material "Unobtainium" not resolved; 1 row(s) not imported (lines 4)`,
        `${GLOBAL}: country "Atlantis" not resolved; 1 row(s) not imported (lines 5)`,
      ]),
    );
  });

  it('survives 200 random truncations and byte flips of the excerpts', async () => {
    const samples: Record<string, Uint8Array> = originals;
    const rand = rng(2023);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 200; i++) {
      const name = files[i % files.length];
      const dir = tempDir();
      for (const f of files) writeTemp(dir, f, f === name ? mutate(samples[f], rand) : samples[f]);
      outcomes[(await expectResultOrImportError(readerOf(name, dir), dir, validate)) === 'ok' ? 'ok' : 'error']++;
    }
    console.log(`EU CRM mutations: ${outcomes.ok} valid results, ${outcomes.error} ImportErrors`);
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.error).toBeGreaterThan(0);
  });
});
