/** Small synthetic specs for the Monte Carlo tests: supplies and probabilities chosen so expectations have closed forms. */
import { buildNetwork, type StageSupply } from '../../../src/engine/stress/network.ts';
import { riskMaterialFromNetwork, unitsOf, type MaterialInputs } from '../../../src/engine/risk/network.ts';
import type { RiskSpec, RiskUnit } from '../../../src/engine/risk/model.ts';

export const stageSupply = (stage: 'mining' | 'refining', rows: Array<[string, number]>): StageSupply => ({
  stage,
  year: 2024,
  unit: 't',
  basis: 'contained',
  scenario: null,
  sourceId: 'test',
  countries: rows.map(([countryId, tonnes]) => ({ countryId, tonnes })),
  totalTonnes: rows.reduce((a, [, t]) => a + t, 0),
  gaps: [],
});

export const NO_RECOVERY: Omit<MaterialInputs, 'name' | 'demandTonnesPerYear'> = {
  demandProxy: false,
  sectors: [],
  spareCapacityShare: 0,
  spareLeadMonths: 3,
  rampUpSharePerYear: 0,
  demandElasticity: -0.2,
  supplyElasticity: 0.1,
  stockpileTonnes: 0,
};

/** A spec from materials given as (mining rows | null, refining rows) and a probability per (country, material, stage). */
export function specOf(
  materials: Array<{ id: string; mining: Array<[string, number]> | null; refining: Array<[string, number]> | null; inputs?: Partial<MaterialInputs> }>,
  probability: (countryId: string, materialId: string, stage: string) => number,
  over: Partial<RiskSpec> = {},
): RiskSpec {
  const mats = materials.map((m) => {
    const net = buildNetwork(m.id, 2024, m.mining && stageSupply('mining', m.mining), m.refining && stageSupply('refining', m.refining));
    const last = net.refining ?? net.mining!;
    return riskMaterialFromNetwork(net, { name: m.id, demandTonnesPerYear: last.totalTonnes, ...NO_RECOVERY, ...m.inputs });
  });
  const countries: string[] = [];
  const units: RiskUnit[] = [];
  mats.forEach((mat, mi) =>
    unitsOf(mat).forEach((u) => {
      if (!countries.includes(u.countryId)) countries.push(u.countryId);
      units.push({ ...u, country: countries.indexOf(u.countryId), material: mi, probability: probability(u.countryId, mat.materialId, u.stage) });
    }),
  );
  for (const u of units) delete (u as Partial<typeof u & { share: number }>).share;
  return {
    version: 1,
    name: 'test',
    materials: mats,
    countries,
    units,
    correlation: 0,
    severity: { low: 1, high: 1 },
    durationMonths: { min: 12, max: 12 },
    samples: 20_000,
    basket: null,
    ...over,
  };
}
