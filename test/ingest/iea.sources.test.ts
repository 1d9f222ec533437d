/** Checks that need the whole IEA Critical Minerals Data Explorer JSON (npm run test:sources); the excerpt tests are in iea.test.ts. */
import { beforeAll, describe, expect, it } from 'vitest';
import { importIeaCriticalMinerals } from '../../src/ingest/iea.ts';
import { ObservationSchema, type ImportBatch } from '../../src/model/schema.ts';
import { sharedData } from '../sources/shared-data.ts';
import { expectValidBatch } from './malformed.ts';

const FILE = sharedData('iea-critical-minerals/iea_cm_data_explorer_2025_processed.json');
const MINERALS = ['copper', 'cobalt', 'lithium', 'nickel', 'graphite', 'rare-earths'];

let batch: ImportBatch;
beforeAll(async () => {
  batch = await importIeaCriticalMinerals(FILE);
});

describe('importIeaCriticalMinerals on the whole file', () => {
  it('reads supply for 6 minerals and demand for 38 minerals, every record schema-valid', () => {
    expectValidBatch(batch);
    for (const o of batch.observations) ObservationSchema.parse(o);
    // supply: 73 country/rest-of-world entries + 12 totals, 4 years each
    expect(batch.observations.filter((o) => o.measure === 'production')).toHaveLength(340);
    expect(batch.observations.filter((o) => o.measure === 'demand')).toHaveLength(1664);
    expect(new Set(batch.observations.filter((o) => o.measure === 'demand').map((o) => o.materialId)).size).toBe(38);
  });

  it('has the three demand totals consistent for all six supply minerals', () => {
    const demand = batch.observations.filter((o) => o.measure === 'demand');
    const get = (m: string, sector: string, scenario: string | null, year: number, detail?: string) =>
      demand.find((o) => o.materialId === m && o.sector === sector && o.scenario === scenario && o.year === year && (!detail || o.detail === detail))?.value;
    for (const m of MINERALS) {
      for (const [scenario, year] of [
        [null, 2024],
        ['STEPS', 2030],
        ['NZE', 2050],
      ] as const) {
        const clean = get(m, 'Total clean technologies', scenario, year, m === 'graphite' ? 'demand' : undefined)!;
        const other = get(m, 'Other uses', scenario, year)!;
        expect(get(m, 'Total', scenario, year), `${m} ${scenario} ${year}`).toBeCloseTo(clean + other, 3);
      }
    }
  });

  it('skips exactly the two byTechnology tables that contradict the main ones', () => {
    expect(batch.warnings.filter((w) => w.includes('contradict')).map((w) => w.split(':')[0])).toEqual([
      'byTechnology["Solar PV"].minerals',
      'byTechnology.Wind.minerals',
    ]);
  });
});
