/**
 * One share per cell (bundled data): the concentration report, the stress engine (stage supply, N-1 sweep, scenario run)
 * and the coalition engine give the same share for the same country in the same cell. Cells: IEA cells whose country rows
 * add up to more than the published total (nickel, graphite: the case where the engines used to disagree, 46.2% vs
 * 45.3% for Indonesia's nickel refining 2035), an IEA cell whose rows match its total, USGS cells with a usable world
 * total, and USGS cells whose world total is below the rows (the sum of the rows is the total).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { importBundle } from '../../src/ingest/bundle.ts';
import { DatasetIndex } from '../../src/engine/dataset.ts';
import { concentrationRow } from '../../src/engine/concentration-report.ts';
import { supplyShares } from '../../src/engine/coalition/share.ts';
import { pickStageSupply } from '../../src/engine/stress/inputs.ts';
import { n1Sweep } from '../../src/engine/stress/sweep.ts';
import { runScenario, scenarioFromFlags } from '../../src/scenario/run.ts';
import type { NetworkStage } from '../../src/engine/stress/network.ts';

let ix: DatasetIndex;
beforeAll(async () => {
  const b = await importBundle();
  ix = new DatasetIndex({ observations: b.observations, sources: new Map(b.sources.map((s) => [s.id, s])), governance: [], groupings: b.groupings ?? [] });
}, 120_000);

const CELLS: Array<{
  materialId: string;
  stage: NetworkStage;
  year: number;
  dataset: string;
  totalBasis: 'world_total' | 'sum_of_entries';
  rowsAboveTotal: boolean;
}> = [
  { materialId: 'nickel', stage: 'refining', year: 2035, dataset: 'iea-cm', totalBasis: 'world_total', rowsAboveTotal: true },
  { materialId: 'nickel', stage: 'mining', year: 2035, dataset: 'iea-cm', totalBasis: 'world_total', rowsAboveTotal: true },
  { materialId: 'nickel', stage: 'refining', year: 2024, dataset: 'iea-cm', totalBasis: 'world_total', rowsAboveTotal: true },
  { materialId: 'graphite', stage: 'mining', year: 2024, dataset: 'iea-cm', totalBasis: 'world_total', rowsAboveTotal: true },
  { materialId: 'graphite', stage: 'refining', year: 2035, dataset: 'iea-cm', totalBasis: 'world_total', rowsAboveTotal: true },
  { materialId: 'cobalt', stage: 'refining', year: 2035, dataset: 'iea-cm', totalBasis: 'world_total', rowsAboveTotal: false },
  { materialId: 'cobalt', stage: 'mining', year: 2024, dataset: 'usgs-mcs', totalBasis: 'world_total', rowsAboveTotal: false },
  { materialId: 'gallium', stage: 'refining', year: 2024, dataset: 'usgs-mcs', totalBasis: 'world_total', rowsAboveTotal: true },
  { materialId: 'copper', stage: 'refining', year: 2024, dataset: 'usgs-mcs', totalBasis: 'sum_of_entries', rowsAboveTotal: false },
  { materialId: 'rare-earths', stage: 'mining', year: 2024, dataset: 'usgs-mcs', totalBasis: 'sum_of_entries', rowsAboveTotal: false },
];

describe('one share per cell: concentration = stress = coalition', () => {
  for (const cell of CELLS) {
    const name = `${cell.materialId} ${cell.stage} ${cell.year} (${cell.dataset})`;
    it(name, () => {
      const q = { materialId: cell.materialId, stage: cell.stage, year: cell.year, dataset: cell.dataset };
      const row = concentrationRow(ix, q)!;
      expect(row, name).not.toBeNull();
      expect(row.totalBasis).toBe(cell.totalBasis);
      const supply = pickStageSupply(ix, cell.materialId, cell.stage, cell.year, { dataset: cell.dataset }).supply!;
      const coalition = supplyShares(ix, q)!;
      expect(supply.totalTonnes).toBe(row.total);
      expect(coalition.total).toBe(row.total);
      // the stress network's nodes add up to the total the shares are of (conservation needs it), except where a rounded
      // USGS world total is up to 0.5% below the named countries alone (gallium 2024: 760 t vs 762 t), kept as published
      const named = row.shares.reduce((a, s) => a + s.value, 0);
      expect(supply.countries.reduce((a, c) => a + c.tonnes, 0)).toBeCloseTo(Math.max(row.total, named), 6);
      expect(Boolean(supply.notes?.length)).toBe(cell.rowsAboveTotal);

      const sweep = n1Sweep(ix, { materials: [cell.materialId], stages: [cell.stage], years: [cell.year], dataset: cell.dataset, allCountries: true });
      const positive = row.shares.filter((s) => s.value > 0);
      expect(positive.length).toBeGreaterThan(0);
      for (const s of positive) {
        const node = supply.countries.find((c) => c.countryId === s.countryId)!;
        expect(node.tonnes / supply.totalTonnes, `${name} ${s.countryId}: stress network`).toBe(s.share);
        expect(coalition.countries.find((c) => c.countryId === s.countryId)!.share, `${name} ${s.countryId}: coalition`).toBe(s.share);
        expect(sweep.find((r) => r.removed === s.countryId)!.removedShare, `${name} ${s.countryId}: N-1 sweep`).toBe(s.share);
      }
      // a scenario run removing the largest supplier reports the same share, at the shocked stage and in the network table
      const r = runScenario(ix, { ...scenarioFromFlags({ material: cell.materialId, stage: cell.stage, year: cell.year, n1: true }), dataset: cell.dataset });
      expect(r.excluded.map((e) => e.countryId)).toEqual([row.largest!.countryId]);
      expect(r.excluded[0].share).toBe(row.largest!.share);
      expect(r.network[cell.stage]!.countries.find((c) => c.countryId === row.largest!.countryId)!.share).toBe(row.largest!.share);
      expect(r.coverage.supplyTonnes).toBe(row.total);
    });
  }

  it('IEA nickel refining 2035: Indonesia is 46.2% of the published total, not 45.3% of the sum of the rows', () => {
    const row = concentrationRow(ix, { materialId: 'nickel', stage: 'refining', year: 2035, dataset: 'iea-cm' })!;
    const published = ix.rows('nickel', 'refining', 'production', 2035).find((o) => o.countryId === 'WLD' && o.scenario === 'base')!.value!;
    const rows = ix
      .rows('nickel', 'refining', 'production', 2035)
      .filter((o) => o.countryId !== 'WLD' && o.scenario === 'base')
      .reduce((a, o) => a + o.value!, 0);
    const idn = ix.rows('nickel', 'refining', 'production', 2035).find((o) => o.countryId === 'IDN' && o.scenario === 'base')!.value!;
    expect(rows).toBeGreaterThan(published); // the IEA's rows add up to more than its total
    expect(row.total).toBe(published);
    expect(row.largest!.countryId).toBe('IDN');
    expect(row.largest!.share).toBeCloseTo(idn / published, 12);
    expect((idn / published).toFixed(3)).toBe('0.462');
    expect((idn / rows).toFixed(3)).toBe('0.453');
    const r = runScenario(ix, scenarioFromFlags({ material: 'nickel', stage: 'refining', year: 2035, exclude: ['IDN'] }));
    expect(r.excluded[0].share).toBe(row.largest!.share);
    expect(r.assumptions.join(' ')).toMatch(/add up to 1\.9% more than its published total/);
  });
});
