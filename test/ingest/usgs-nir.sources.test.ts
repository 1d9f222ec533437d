/** Checks that need the whole MCS Fig. 2 files and salient folders (npm run test:sources); the excerpt tests are in usgs-nir.test.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { importUsgsNetImportReliance } from '../../src/ingest/usgs/nir.ts';
import { importUsgsSalient } from '../../src/ingest/usgs/salient.ts';
import type { ImportBatch } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidBatch } from './malformed.ts';

const EDITIONS = [2025, 2024, 2023] as const;
type Edition = (typeof EDITIONS)[number];

const batches = {} as Record<Edition, ImportBatch>;
beforeAll(async () => {
  for (const ed of EDITIONS)
    batches[ed] = await importUsgsNetImportReliance(sharedData(`usgs-mcs-${ed}/industry-trends/MCS${ed}_Fig2_Net_Import_Reliance.csv`));
});

describe('importUsgsNetImportReliance on the whole MCS 2023-2025 Fig. 2 files', () => {
  it('imports every row but cesium, rubidium and nepheline syenite (not registry materials)', () => {
    for (const [ed, rows] of [
      [2025, 64],
      [2024, 63],
      [2023, 65],
    ] as const) {
      expectValidBatch(batches[ed]);
      expect(batches[ed].observations).toHaveLength(rows - 3);
      expect(batches[ed].warnings.filter((w) => /is not in the material registry/.test(w))).toHaveLength(3);
    }
  });

  it('agrees with the NIR column of the salient files for the same edition, but for three figures USGS publishes differently', async () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const ed of EDITIONS) {
      const salient = await importUsgsSalient(sharedData(`usgs-mcs-${ed}/salient`));
      for (const o of batches[ed].observations) {
        const c = salient.observations.filter((x) => x.measure === 'net_import_reliance' && x.materialId === o.materialId && x.year === o.year);
        if (!c.length) continue; // e.g. MCS2024 cobalt and fluorspar salient files are not readable
        compared++;
        if (!c.some((x) => x.value === o.value && x.status === o.status)) mismatches.push(`MCS${ed} ${o.detail}`);
      }
    }
    expect(compared).toBeGreaterThan(170);
    expect(mismatches).toEqual(['MCS2025 POTASH', 'MCS2023 PEAT', 'MCS2023 CHROMIUM, all forms']); // 93 vs 94, 82 vs 81, 80 vs 83
  });
});
