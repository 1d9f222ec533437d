/**
 * Price shock from a supply disruption: partial equilibrium with constant elasticities, net of spare capacity —
 * the structure the USGS used to assess disruption impacts for its 2025 critical minerals list (supply shock →
 * price change via supply and demand elasticities; spare capacity dampens the shock).
 *
 * Derivation. Before the shock the market clears at P0 with Q0 = D0 = S0. Demand D = D0·(P/P0)^εd (εd ≤ 0), supply
 * from the producers still able to sell S = S0·(1 − φ)·(P/P0)^εs (εs ≥ 0), where φ is the share of supply lost after
 * spare capacity elsewhere is brought in: φ = max(0, lost − spare) / S0. Setting D = S:
 *     (P/P0)^(εs − εd) = 1/(1 − φ)   ⇒   %Δp = (1 − φ)^(−1/(εs − εd)) − 1
 * For small φ this is the familiar %Δp ≈ −%Δq_supply/(εs − εd) = φ/(εs + |εd|). The exact form is used (it stays
 * finite up to φ → 1). Output is a range (low / central / high): low takes the most elastic responses and the most spare
 * capacity, high the least — never a single point.
 */

export interface Range {
  low: number;
  central: number;
  high: number;
}

export interface PriceParams {
  demandElasticity: Range; // ε_d ≤ 0; `low` = the value giving the LOW price impact (most negative)
  supplyElasticity: Range; // ε_s ≥ 0; `low` = the value giving the LOW price impact (largest)
  /** Spare capacity of unaffected producers as a fraction of pre-shock supply; `low` = the most spare capacity. */
  spareCapacityShare: Range;
}

export interface PriceShock {
  lostSupplyShare: number; // lost ÷ S0 before spare capacity
  netLostShare: Range; // φ after spare capacity, per case
  /** Fractions (0.5 = +50%); values beyond `MODEL_RANGE_MAX` are reported as that cap and flagged in `beyondModelRange`. */
  priceChangePct: { low: number | null; central: number | null; high: number | null };
  beyondModelRange: { low: boolean; central: boolean; high: boolean };
  linearApproxCentralPct: number | null;
  method: string;
  notes: string[];
}

/** %Δp for a net supply loss φ, exact constant-elasticity form; null when undefined (φ ≥ 1 or εs − εd ≤ 0). */
export function priceChange(netLostShare: number, demandElasticity: number, supplyElasticity: number): number | null {
  const denom = supplyElasticity - demandElasticity;
  if (netLostShare <= 0) return 0;
  if (netLostShare >= 1 || !(denom > 0)) return null;
  return Math.pow(1 - netLostShare, -1 / denom) - 1;
}

/** +1000%: beyond this a constant-elasticity model says only "extreme"; larger values are capped and flagged. */
export const MODEL_RANGE_MAX = 10;

export function priceShock(lostTonnes: number, supplyBeforeTonnes: number, p: PriceParams): PriceShock {
  const lost = supplyBeforeTonnes > 0 ? Math.min(1, Math.max(0, lostTonnes / supplyBeforeTonnes)) : 0;
  const phi = (spare: number) => Math.max(0, lost - spare);
  const netLostShare: Range = { low: phi(p.spareCapacityShare.low), central: phi(p.spareCapacityShare.central), high: phi(p.spareCapacityShare.high) };
  const raw = {
    low: priceChange(netLostShare.low, p.demandElasticity.low, p.supplyElasticity.low),
    central: priceChange(netLostShare.central, p.demandElasticity.central, p.supplyElasticity.central),
    high: priceChange(netLostShare.high, p.demandElasticity.high, p.supplyElasticity.high),
  };
  const beyond = (x: number | null) => x !== null && x > MODEL_RANGE_MAX;
  const cap = (x: number | null) => (x === null ? null : Math.min(x, MODEL_RANGE_MAX));
  const [low, central, high] = [cap(raw.low), cap(raw.central), cap(raw.high)];
  const denomC = p.supplyElasticity.central - p.demandElasticity.central;
  const notes: string[] = [];
  if (high === null || central === null)
    notes.push('Upper end undefined: the net loss is total or supply and demand are perfectly inelastic — the market clears by rationing, not by price.');
  if (beyond(raw.low) || beyond(raw.central) || beyond(raw.high))
    notes.push('Price changes above +1000% are beyond what a constant-elasticity model can say: shown as "> +1000%" (extreme), not as a number.');
  return {
    lostSupplyShare: lost,
    netLostShare,
    priceChangePct: { low, central, high },
    beyondModelRange: { low: beyond(raw.low), central: beyond(raw.central), high: beyond(raw.high) },
    linearApproxCentralPct: denomC > 0 ? netLostShare.central / denomC : null,
    method: '%Δp = (1 − φ)^(−1/(ε_s − ε_d)) − 1, φ = max(0, lost − spare capacity)/S0 (partial equilibrium, constant elasticities)',
    notes,
  };
}
