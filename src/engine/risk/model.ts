/**
 * The plain-data description of a Monte Carlo disruption run (`RiskSpec`): per material, the supply network the stress
 * engine builds (stage supply by country, ore → refinery flows, demand by sector, price and recovery parameters), and
 * the disruption units (supplier country × material × stage) with their annual probability of an export control.
 * Built from the knowledge base by `src/scenario/risk-build.ts`; everything here is JSON-serialisable, so a spec can be
 * sent to worker threads or another machine and the same seed gives the same result there.
 */
import type { NetworkStage } from '../stress/network.ts';

export interface RiskStageSupply {
  /** ISO3 ids, or 'OTH' for supply not attributed to a named country (never a disruption unit). */
  countries: string[];
  tonnes: number[];
  unit: string;
  totalTonnes: number;
}

export interface RiskFlow {
  /** Index into `mining.countries`. */
  miner: number;
  /** Index into `refining.countries`. */
  refiner: number;
  oreTonnes: number;
  /** The flow's share of the refiner's ore intake (oreTonnes ÷ requirement); Σ over a refiner's inflows = 1. */
  intakeShare: number;
  /** A country's own ore to its own refiners: an export control does not stop it. */
  domestic: boolean;
}

export interface RiskMaterial {
  materialId: string;
  name: string;
  unit: string;
  year: number;
  lastStage: NetworkStage;
  lastStageTotalTonnes: number;
  demandTonnesPerYear: number;
  demandProxy: boolean;
  mining: RiskStageSupply | null;
  refining: RiskStageSupply | null;
  yieldRefinedPerMined: number | null;
  flows: RiskFlow[];
  sectors: Array<{ sector: string; share: number }>;
  /** Central values of the stress parameters (src/scenario/parameters.ts), after scenario overrides. */
  spareCapacityShare: number;
  spareLeadMonths: number;
  rampUpSharePerYear: number;
  demandElasticity: number;
  supplyElasticity: number;
  stockpileTonnes: number;
}

export interface RiskUnit {
  countryId: string;
  /** Index into `RiskSpec.countries`. */
  country: number;
  /** Index into `RiskSpec.materials`. */
  material: number;
  stage: NetworkStage;
  /** Index into that stage's `countries`. */
  supplier: number;
  /** Annual probability that the country puts an export control on this material at this stage (0..1). */
  probability: number;
}

export interface RiskSpec {
  version: 1;
  name: string | null;
  materials: RiskMaterial[];
  /** Countries with at least one unit; each has one shared shock variable and one episode duration per sample. */
  countries: string[];
  units: RiskUnit[];
  /** ρ: share of a unit's latent variance that is its country's shock (0 = independent, 1 = all of a country's
   * controls come together). Gaussian copula: unit u is hit when √ρ·Z_country + √(1−ρ)·ε_u < Φ⁻¹(p_u). */
  correlation: number;
  /** Share of the unit's flows stopped when hit: uniform on [low, high]. */
  severity: { low: number; high: number };
  /** Duration of a country's control episode in whole months: uniform on {min, …, max}. */
  durationMonths: { min: number; max: number };
  samples: number;
  /** When set, results include the basket reading (Leontief: the scarcest input limits output). */
  basket: { id: string; name: string } | null;
}

/** 32-bit FNV-1a of a string, hex: the identity of a spec, so summaries of different specs are never merged. */
export function specKey(spec: RiskSpec): string {
  const text = JSON.stringify(spec);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0') + text.length.toString(16);
}
