/**
 * N-1 / exclude-set coverage (IEA Global Critical Minerals Outlook 2025 "N-1" reading, generalised to any set).
 *
 *   remaining            R' = S − Σ_{c∈X} S_c                (supply at the stage without the excluded set X)
 *   coverage vs world    C_w = R' / D                        (D = world demand)
 *   netted demand        D_n = D · (1 − Σ_{c∈X} d_c)         (d_c = country c's own share of world consumption)
 *   coverage netted      C_n = R' / D_n                      (the IEA-style reading: the excluded country serves itself)
 *   shortfall            max(0, D − R') tonnes, ÷ D for %
 *   remaining share      R' / S                              (demand-free reading: coverage if the market was balanced)
 *   implied share        d* = 1 − R' / (C* · D)              (the consumption share of X at which C_n would equal C*)
 *   recycled input       D_p = D · (1 − r), C_p = R' / D_p   (r = end-of-life recycling input rate, EoL-RIR: the share of
 *                                                            demand met by recycled scrap, which the shock does not touch;
 *                                                            D_p is what primary supply must meet, as the EU's SR discounts)
 * d_c is rarely published by country (the IEA's regional demand is not in its public data explorer), so it is an input
 * with a source, or unknown — then C_n is null and the gap is stated. Aggregates ('OTH') are never excluded.
 */
import { isAggregateEntity } from '../../model/schema.ts';
import type { CountryTonnes } from './network.ts';
import type { Citation } from '../../model/provenance.ts';

export interface ConsumptionShare {
  countryId: string;
  share: number; // fraction of world consumption of the material (0..1)
  source: Citation;
  /** Range of the share (allocation estimates); absent = the share is exact as given. */
  low?: number;
  high?: number;
  method?: string; // 'allocation' | 'apparent-consumption' | 'parameter'
  basis?: string;
}

/** End-of-life recycled input: the share r of demand met from recycled scrap (EoL-RIR), with its source. */
export interface RecycledInput {
  rate: number;
  source: Citation;
  note: string;
}

export interface CoverageInput {
  countries: CountryTonnes[]; // stage supply by country (incl. 'OTH' residual)
  totalTonnes: number;
  excluded: string[];
  demandTonnes: number | null; // world demand; null when unknown
  consumptionShares?: Record<string, ConsumptionShare | undefined>; // by excluded country
  recycledInput?: RecycledInput | null;
}

/** Coverage of the primary requirement: demand less what recycled end-of-life scrap meets (untouched by the shock). */
export interface RecycledCoverage extends RecycledInput {
  recycledTonnes: number; // r · D
  primaryDemandTonnes: number; // D · (1 − r)
  coveragePrimaryRatio: number; // R' / (D · (1 − r))
  shortfallPrimaryTonnes: number;
}

export interface Coverage {
  supplyTonnes: number;
  excludedTonnes: number;
  remainingTonnes: number;
  excluded: Array<{ countryId: string; tonnes: number; share: number }>;
  remainingSupplyShare: number; // R'/S
  demandWorldTonnes: number | null;
  baselineBalanceRatio: number | null; // S/D before the shock: ≠1 means supply and demand are on different bases
  coverageWorldRatio: number | null;
  shortfallWorldTonnes: number | null;
  shortfallWorldPct: number | null; // fraction of D
  excludedConsumptionShare: number | null; // Σ d_c; null when any is unknown
  consumptionShareInputs: ConsumptionShare[];
  consumptionShareUnknown: string[];
  demandNettedTonnes: number | null;
  coverageNettedRatio: number | null;
  /** Netted coverage at the low and high ends of the own-use range (low own use → low coverage). */
  coverageNettedRange: { low: number; high: number | null } | null; // high null: own use could reach all of demand
  shortfallNettedTonnes: number | null;
  shortfallNettedPct: number | null;
  /** With recycled input (null: no rate held for the material, a zero rate, or no demand). */
  recycled: RecycledCoverage | null;
}

export function coverage(inp: CoverageInput): Coverage {
  const ex = new Set(inp.excluded.filter((c) => !isAggregateEntity(c)));
  const excluded = inp.countries
    .filter((c) => ex.has(c.countryId))
    .map((c) => ({ countryId: c.countryId, tonnes: c.tonnes, share: inp.totalTonnes > 0 ? c.tonnes / inp.totalTonnes : 0 }));
  const excludedTonnes = excluded.reduce((s, c) => s + c.tonnes, 0);
  const remaining = inp.totalTonnes - excludedTonnes;
  const D = inp.demandTonnes !== null && inp.demandTonnes > 0 ? inp.demandTonnes : null;

  const shareInputs: ConsumptionShare[] = [];
  const unknown: string[] = [];
  for (const c of ex) {
    const s = inp.consumptionShares?.[c];
    if (s) shareInputs.push(s);
    else unknown.push(c);
  }
  const dSum = unknown.length ? null : shareInputs.reduce((s, x) => s + x.share, 0);
  const Dn = D !== null && dSum !== null && dSum < 1 ? D * (1 - dSum) : null;
  const dLow = unknown.length ? null : shareInputs.reduce((s, x) => s + (x.low ?? x.share), 0);
  const dHigh = unknown.length ? null : shareInputs.reduce((s, x) => s + (x.high ?? x.share), 0);
  const nettedAt = (d: number | null) => (D !== null && d !== null && d < 1 ? remaining / (D * (1 - d)) : null);
  const lowC = nettedAt(dLow);
  const highC = nettedAt(dHigh);
  const r = inp.recycledInput;
  const recycled: RecycledCoverage | null =
    D !== null && r && r.rate > 0 && r.rate < 1
      ? {
          ...r,
          recycledTonnes: r.rate * D,
          primaryDemandTonnes: D * (1 - r.rate),
          coveragePrimaryRatio: remaining / (D * (1 - r.rate)),
          shortfallPrimaryTonnes: Math.max(0, D * (1 - r.rate) - remaining),
        }
      : null;
  return {
    supplyTonnes: inp.totalTonnes,
    excludedTonnes,
    remainingTonnes: remaining,
    excluded,
    remainingSupplyShare: inp.totalTonnes > 0 ? remaining / inp.totalTonnes : 0,
    demandWorldTonnes: D,
    baselineBalanceRatio: D !== null ? inp.totalTonnes / D : null,
    coverageWorldRatio: D !== null ? remaining / D : null,
    shortfallWorldTonnes: D !== null ? Math.max(0, D - remaining) : null,
    shortfallWorldPct: D !== null ? Math.max(0, D - remaining) / D : null,
    excludedConsumptionShare: dSum,
    consumptionShareInputs: shareInputs,
    consumptionShareUnknown: unknown,
    demandNettedTonnes: Dn,
    coverageNettedRatio: Dn !== null ? remaining / Dn : null,
    coverageNettedRange: Dn !== null ? { low: lowC ?? remaining / Dn, high: highC } : null,
    shortfallNettedTonnes: Dn !== null ? Math.max(0, Dn - remaining) : null,
    shortfallNettedPct: Dn !== null ? Math.max(0, Dn - remaining) / Dn : null,
    recycled,
  };
}

/** d* = 1 − R'/(C*·D): the excluded countries' consumption share at which netted coverage equals `targetCoverage`. */
export function impliedConsumptionShare(remainingTonnes: number, demandTonnes: number, targetCoverage: number): number {
  return 1 - remainingTonnes / (targetCoverage * demandTonnes);
}

/** Largest named supplier (never an aggregate). */
export function largestSupplier(countries: CountryTonnes[]): CountryTonnes | null {
  let best: CountryTonnes | null = null;
  for (const c of countries) if (!isAggregateEntity(c.countryId) && (!best || c.tonnes > best.tonnes)) best = c;
  return best;
}
