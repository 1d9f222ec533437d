/**
 * Turns the stress engine's supply network (src/engine/stress/network.ts) into the operator form the Monte Carlo uses:
 * supplier tonnes by stage and the ore flows as shares of each refiner's intake. Pure.
 */
import { isAggregateEntity } from '../../model/schema.ts';
import { networkFlows, type StageSupply, type SupplyNetwork } from '../stress/network.ts';
import type { RiskMaterial, RiskStageSupply, RiskUnit } from './model.ts';

const stage = (s: StageSupply | null): RiskStageSupply | null =>
  s ? { countries: s.countries.map((c) => c.countryId), tonnes: s.countries.map((c) => c.tonnes), unit: s.unit, totalTonnes: s.totalTonnes } : null;

export interface MaterialInputs {
  name: string;
  demandTonnesPerYear: number;
  demandProxy: boolean;
  sectors: Array<{ sector: string; tonnes: number }>;
  spareCapacityShare: number;
  spareLeadMonths: number;
  rampUpSharePerYear: number;
  demandElasticity: number;
  supplyElasticity: number;
  stockpileTonnes: number;
}

export function riskMaterialFromNetwork(net: SupplyNetwork, inp: MaterialInputs): RiskMaterial {
  const last = net.refining ?? net.mining;
  if (!last) throw new Error(`no supply data for ${net.materialId} ${net.year}`);
  const mining = stage(net.mining);
  const refining = stage(net.refining);
  const twoStage = !!(mining && refining && net.yieldRefinedPerMined);
  const flows = twoStage
    ? networkFlows(net).map((f) => ({
        miner: mining!.countries.indexOf(f.from),
        refiner: refining!.countries.indexOf(f.to),
        oreTonnes: f.oreTonnes,
        intakeShare: net.requirementOreTonnes[f.to] > 0 ? f.oreTonnes / net.requirementOreTonnes[f.to] : 0,
        domestic: f.from === f.to,
      }))
    : [];
  const use = inp.sectors.reduce((a, s) => a + s.tonnes, 0);
  return {
    materialId: net.materialId,
    name: inp.name,
    unit: last.unit,
    year: net.year,
    lastStage: last.stage,
    lastStageTotalTonnes: last.totalTonnes,
    demandTonnesPerYear: inp.demandTonnesPerYear,
    demandProxy: inp.demandProxy,
    mining: twoStage || last.stage === 'mining' ? mining : null,
    refining,
    yieldRefinedPerMined: twoStage ? net.yieldRefinedPerMined : null,
    flows,
    sectors: use > 0 ? inp.sectors.map((s) => ({ sector: s.sector, share: s.tonnes / use })) : [{ sector: 'All uses', share: 1 }],
    spareCapacityShare: inp.spareCapacityShare,
    spareLeadMonths: inp.spareLeadMonths,
    rampUpSharePerYear: inp.rampUpSharePerYear,
    demandElasticity: inp.demandElasticity,
    supplyElasticity: inp.supplyElasticity,
    stockpileTonnes: inp.stockpileTonnes,
  };
}

/** The disruption units of a material: every named supplier at each stage the operator links (not 'OTH'). */
export function unitsOf(mat: RiskMaterial): Array<Omit<RiskUnit, 'country' | 'material' | 'probability'> & { share: number }> {
  const out: Array<Omit<RiskUnit, 'country' | 'material' | 'probability'> & { share: number }> = [];
  const stages: Array<['mining' | 'refining', RiskStageSupply | null]> = mat.flows.length
    ? [
        ['mining', mat.mining],
        ['refining', mat.refining],
      ]
    : [[mat.lastStage, mat.lastStage === 'refining' ? mat.refining : mat.mining]];
  for (const [st, s] of stages)
    s?.countries.forEach((c, i) => {
      if (!isAggregateEntity(c) && s.tonnes[i] > 0) out.push({ countryId: c, stage: st, supplier: i, share: s.tonnes[i] / s.totalTonnes });
    });
  return out;
}
