/** Checks that need the whole USGS MCS 2022-2025 world files (npm run test:sources); the excerpt tests are in usgs-world.test.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { importUsgsWorld } from '../../src/ingest/usgs/world.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { concentrationRow } from '../../src/engine/concentration-report.ts';
import type { ImportBatch, Stage } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidBatch } from './malformed.ts';

const PATHS = {
  2025: sharedData('usgs-mcs-2025/world/MCS2025_World_Data.csv'),
  2024: sharedData('usgs-mcs-2024/world'),
  2023: sharedData('usgs-mcs-2023/world'),
  2022: sharedData('usgs-mcs-2022-subset'),
};

const batches: Record<number, ImportBatch> = {};
let index: DatasetIndex;
beforeAll(async () => {
  for (const [ed, path] of Object.entries(PATHS)) batches[Number(ed)] = await importUsgsWorld(path);
  const all = Object.values(batches);
  index = new DatasetIndex({
    observations: all.flatMap((b) => b.observations),
    sources: new Map(all.flatMap((b) => b.sources).map((s) => [s.id, s])),
    governance: [],
    groupings: [],
  });
});

describe('importUsgsWorld on the whole MCS 2022-2025 world files', () => {
  it('imports every edition as one schema-valid batch citing its edition, with thousands of figures', () => {
    for (const [ed, b] of Object.entries(batches)) {
      expectValidBatch(b);
      expect(b.sources.map((s) => s.id)).toEqual([`usgs-mcs-${ed}-world`]);
    }
    expect(batches[2025].observations.length).toBeGreaterThan(3000);
    expect(batches[2024].observations.length).toBeGreaterThan(3000);
    expect(batches[2023].observations.length).toBeGreaterThan(3000);
  });

  it('reads the 12 commodities of the MCS2022 subset: production 2020 and 2021 only', () => {
    expect(new Set(batches[2022].observations.map((o) => o.sourceId))).toEqual(new Set(['usgs-mcs-2022-world']));
    expect(new Set(batches[2022].observations.map((o) => o.year))).toEqual(new Set([2020, 2021]));
    expect(batches[2022].observations.some((o) => o.measure === 'reserves')).toBe(false);
    // 12 files: the PGM file gives platinum and palladium, titanium mineral concentrates ilmenite, rutile and their sum
    expect([...new Set(batches[2022].observations.map((o) => o.materialId))].sort()).toEqual([
      'cobalt',
      'copper',
      'gallium',
      'germanium',
      'graphite',
      'ilmenite',
      'lithium',
      'manganese',
      'nickel',
      'palladium',
      'platinum',
      'rare-earths',
      'rutile',
      'titanium-minerals',
      'tungsten',
    ]);
  });

  it('keeps every aggregate as an aggregate entity and never as a country, in every edition', () => {
    for (const b of Object.values(batches)) {
      const ids = new Set(b.observations.map((o) => o.countryId));
      expect([...ids].every((id) => /^[A-Z]{3}$/.test(id) || id.startsWith('X-'))).toBe(true);
    }
  });
});

describe('USGS MCS 2025 shares on the whole dataset (DRC ~75% of mined cobalt, China ~70% of mined rare earths, Indonesia ~60% of mined nickel, China ~98% of primary gallium)', () => {
  const share = (m: string, stage: Stage, year: number, country: string) => {
    const r = concentrationRow(index, { materialId: m, stage, year })!;
    expect(r.source.sourceId).toBe('usgs-mcs-2025-world');
    return r.shares.find((s) => s.countryId === country)!.share;
  };
  it('gives the published shares', () => {
    expect(share('cobalt', 'mining', 2024, 'COD')).toBeCloseTo(220_000 / 290_000, 6);
    expect(share('rare-earths', 'mining', 2024, 'CHN')).toBeGreaterThan(0.68);
    expect(share('rare-earths', 'mining', 2024, 'CHN')).toBeLessThan(0.7);
    expect(share('nickel', 'mining', 2024, 'IDN')).toBeCloseTo(2_200_000 / 3_700_000, 6);
    expect(share('gallium', 'refining', 2024, 'CHN')).toBeCloseTo(750 / 760, 6);
  });
  it('takes each year from the newest edition that has it, back to 2020', () => {
    expect(concentrationRow(index, { materialId: 'cobalt', stage: 'mining', year: 2023 })!.source.sourceId).toBe('usgs-mcs-2025-world');
    expect(concentrationRow(index, { materialId: 'cobalt', stage: 'mining', year: 2022 })!.source.sourceId).toBe('usgs-mcs-2024-world');
    expect(concentrationRow(index, { materialId: 'cobalt', stage: 'mining', year: 2021 })!.source.sourceId).toBe('usgs-mcs-2023-world');
    expect(concentrationRow(index, { materialId: 'cobalt', stage: 'mining', year: 2020 })!.source.sourceId).toBe('usgs-mcs-2022-world');
    expect(index.years('cobalt', 'mining')).toEqual([2020, 2021, 2022, 2023, 2024]);
  });
});
