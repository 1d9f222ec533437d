/**
 * U.S. net import reliance across MCS editions (committed fixtures test/fixtures/usgs-mcs-2023/2024/2025): the newest
 * edition's figure wins for a year, and the older editions' figures stay beside it with the revision.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { netImportRelianceByYear, revisionText } from '../../src/engine/nir.ts';
import { materialProfile } from '../../src/engine/profile.ts';
import { importUsgsSalient } from '../../src/ingest/usgs/salient.ts';
import { importUsgsNetImportReliance } from '../../src/ingest/usgs/nir.ts';
import type { ImportBatch } from '../../src/model/schema.ts';

const fx = (p: string) => fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url));

async function indexOf(batches: Promise<ImportBatch>[]): Promise<DatasetIndex> {
  const bs = await Promise.all(batches);
  return new DatasetIndex({
    observations: bs.flatMap((b) => b.observations),
    sources: new Map(bs.flatMap((b) => b.sources).map((s) => [s.id, s])),
    governance: [],
    groupings: [],
  });
}

const files = () => [
  importUsgsSalient(fx('usgs-mcs-2023/salient/mcs2023-cobal_salient.csv')),
  importUsgsNetImportReliance(fx('usgs-mcs-2023/industry-trends/MCS2023_Fig2_Net_Import_Reliance.csv')),
  importUsgsNetImportReliance(fx('usgs-mcs-2024/industry-trends/MCS2024_Fig2_Net_Import_Reliance.csv')),
  importUsgsSalient(fx('usgs-mcs-2025/salient/mcs2025-cobal_salient.csv')),
  importUsgsNetImportReliance(fx('usgs-mcs-2025/industry-trends/MCS2025_Fig2_Net_Import_Reliance.csv')),
];

describe('net import reliance: edition precedence with revisions kept', () => {
  it('cobalt: MCS2025 revises 2021-2023; the newer figure wins and the older ones are listed with the revision', async () => {
    const rows = netImportRelianceByYear(await indexOf(files()), 'cobalt');
    const y = (year: number) => rows.find((r) => r.countryId === 'USA' && r.year === year)!;
    expect(rows.map((r) => r.year)).toEqual([2018, 2019, 2020, 2021, 2022, 2023, 2024]);
    // 2022: MCS2023 published 76% (estimate, salient and Fig. 2); MCS2025 revised it to 73%
    expect(y(2022)).toMatchObject({ percent: 73, edition: 'MCS2025', revised: true });
    expect(y(2022).revisions.map((r) => [r.edition, r.percent, r.revision])).toEqual([['MCS2023', 76, -3]]);
    // 2023: MCS2024 Fig. 2 said 67%; MCS2025 salient says 69%
    expect(y(2023)).toMatchObject({ percent: 69, edition: 'MCS2025', revised: true });
    expect(revisionText(y(2023))).toBe('MCS2024: 67% (revised +2 points)');
    // 2020: both editions say 76%: kept, not a revision
    expect(y(2020)).toMatchObject({ percent: 76, edition: 'MCS2025', revised: false });
    expect(revisionText(y(2020))).toBe('MCS2023: 76% (unchanged)');
    // 2024: only MCS2025; its Fig. 2 figure comes before the salient row of the same edition
    expect(y(2024).revisions).toEqual([]);
    expect(y(2024).source.sourceId).toBe('usgs-mcs-2025-nir');
    // 2018: only MCS2023 has it
    expect(y(2018)).toMatchObject({ percent: 64, edition: 'MCS2023', revisions: [] });
  });

  it('does not depend on import order, and the profile shows the same rows', async () => {
    const a = netImportRelianceByYear(await indexOf(files()), 'cobalt');
    const ix = await indexOf(files().reverse());
    const b = netImportRelianceByYear(ix, 'cobalt');
    expect(b).toEqual(a);
    expect(materialProfile(ix, 'cobalt').netImportReliance).toEqual(a);
  });
});
