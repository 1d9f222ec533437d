/**
 * Acceptance: the shares USGS MCS 2025 states for 2024 (DRC about 75% of mined cobalt, China about 70% of mined rare
 * earths, ~98% of primary gallium and ~80% of natural graphite, Indonesia about 60% of mined nickel), computed by the
 * concentration engine on the bundled dataset as `chokepoint` ships it (default series choice: USGS first).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetIndex } from '../../src/engine/dataset.ts';
import { concentrationRow } from '../../src/engine/concentration-report.ts';
import type { Stage } from '../../src/model/schema.ts';
import { bundledIndex } from './bundled-index.ts';

let index: DatasetIndex;
beforeAll(async () => {
  index = await bundledIndex();
});

/** The 2024 series the product picks by default, which must be USGS MCS 2025's, and the named country's share of it. */
function share2024(materialId: string, stage: Stage, countryId: string): { share: number; rank: number } {
  const row = concentrationRow(index, { materialId, stage, year: 2024 })!;
  expect(row.source.sourceId).toBe('usgs-mcs-2025-world');
  const rank = row.shares.findIndex((s) => s.countryId === countryId);
  expect(rank, `${countryId} in ${materialId} ${stage}`).toBeGreaterThanOrEqual(0);
  return { share: row.shares[rank].share, rank };
}

describe('USGS MCS 2025 shares of 2024 production, on the bundled dataset', () => {
  it('DRC about 75% of mined cobalt (220,000 of 290,000 t)', () => {
    const s = share2024('cobalt', 'mining', 'COD');
    expect(s.rank).toBe(0);
    expect(s.share).toBeCloseTo(220_000 / 290_000, 6);
    expect(Math.abs(s.share - 0.75)).toBeLessThan(0.03);
  });

  it('China about 70% of mined rare earths (270,000 t REO)', () => {
    const s = share2024('rare-earths', 'mining', 'CHN');
    expect(s.rank).toBe(0);
    expect(Math.abs(s.share - 0.7)).toBeLessThan(0.03);
  });

  it('China ~98% of primary gallium (750 of 760 t)', () => {
    const s = share2024('gallium', 'refining', 'CHN');
    expect(s.rank).toBe(0);
    expect(s.share).toBeCloseTo(750 / 760, 6);
    expect(s.share).toBeGreaterThanOrEqual(0.98);
  });

  it('China about 80% of natural graphite (1.27 Mt)', () => {
    const s = share2024('graphite', 'mining', 'CHN');
    expect(s.rank).toBe(0);
    expect(Math.abs(s.share - 0.8)).toBeLessThan(0.03);
  });

  it('Indonesia about 60% of mined nickel (2.2 of 3.7 Mt)', () => {
    const s = share2024('nickel', 'mining', 'IDN');
    expect(s.rank).toBe(0);
    expect(s.share).toBeCloseTo(2_200_000 / 3_700_000, 6);
    expect(Math.abs(s.share - 0.6)).toBeLessThan(0.03);
  });
});
