/**
 * A stress test's price shock in money (pure). The reference price is the newest year ≤ the scenario year of the first
 * series listed for the material in src/data/price-basis.ts (projection years use the latest published price, said so);
 * it is converted to US dollars per tonne of the supply basis with the stated content factor. Money figures:
 *  - price after the shock per tonne of supply basis: P0 · (1 + %Δp) per case;
 *  - extra cost per year of the supply still bought: S0 · (1 − φ) · P0 · %Δp per case (nominal USD of the price year).
 * No price, no listed series, or a supply basis with no stated conversion: null money and a gap saying which.
 */
import { priceBasisFor } from '../../data/price-basis.ts';
import type { PriceSeries } from '../prices.ts';
import type { PriceShock, Range } from './price.ts';

export interface PriceMoney {
  materialId: string;
  series: string;
  pricedProduct: string;
  priceYear: number;
  priceEstimated: boolean;
  publishedPrice: { value: number; unit: string };
  usdPerTonneProduct: number;
  supplyBasis: string;
  contentPerTonne: number;
  conversionSource: string;
  usdPerTonneSupplyBasis: number;
  marketValueBeforeUsd: number;
  priceAfterUsdPerTonne: { low: number | null; central: number | null; high: number | null };
  extraCostUsdPerYear: { low: number | null; central: number | null; high: number | null };
  basis: string;
  sources: PriceSeries['sources'];
  note: string;
}

export function priceShockInMoney(
  series: readonly PriceSeries[],
  materialId: string,
  year: number,
  supplyBasis: string,
  supplyTonnes: number,
  shock: Pick<PriceShock, 'priceChangePct' | 'netLostShare'> & Partial<Pick<PriceShock, 'beyondModelRange'>>,
): { money: PriceMoney | null; gap: string | null } {
  const entry = priceBasisFor(materialId);
  if (!entry)
    return {
      money: null,
      gap: `No stated conversion from a price series to the supply basis for ${materialId} (src/data/price-basis.ts): the price shock is given in percent only.`,
    };
  const factor = entry.contentPerTonne[supplyBasis as keyof typeof entry.contentPerTonne];
  if (factor === undefined)
    return {
      money: null,
      gap: `The ${materialId} price is for ${entry.pricedProduct}; no stated conversion to supply on the "${supplyBasis}" basis, so no money figure.`,
    };
  for (const name of entry.series) {
    const s = series.find((x) => x.materialId === materialId && x.series === name);
    if (!s) continue;
    const ys = s.years.filter((y) => y.value !== null && y.usdPerTonne !== null);
    const at = ys.filter((y) => y.year <= year).pop() ?? null;
    if (!at) continue;
    const p0 = at.usdPerTonne! / factor;
    const per = (k: keyof Range) => {
      const d = shock.priceChangePct[k];
      return d === null ? null : p0 * (1 + d);
    };
    const extra = (k: keyof Range) => {
      const d = shock.priceChangePct[k];
      return d === null ? null : supplyTonnes * (1 - shock.netLostShare[k]) * p0 * d;
    };
    return {
      money: {
        materialId,
        series: s.series,
        pricedProduct: entry.pricedProduct,
        priceYear: at.year,
        priceEstimated: at.estimated,
        publishedPrice: { value: at.value!, unit: s.unit },
        usdPerTonneProduct: at.usdPerTonne!,
        supplyBasis,
        contentPerTonne: factor,
        conversionSource: entry.source,
        usdPerTonneSupplyBasis: p0,
        marketValueBeforeUsd: supplyTonnes * p0,
        priceAfterUsdPerTonne: { low: per('low'), central: per('central'), high: per('high') },
        extraCostUsdPerYear: { low: extra('low'), central: extra('central'), high: extra('high') },
        basis: s.basis,
        sources: s.sources,
        note: `${at.value} ${s.unit} in ${at.year}${at.estimated ? ' (USGS estimate)' : ''}${at.year < year ? `, the latest price at or before ${year}` : ''}, nominal USD; ${factor === 1 ? '' : `÷ ${factor} t ${supplyBasis} per t of ${entry.pricedProduct}; `}extra cost = supply still bought × price × %Δp, per year of disruption${shock.beyondModelRange && (shock.beyondModelRange.low || shock.beyondModelRange.central || shock.beyondModelRange.high) ? '; where the price change is beyond +1000% (extreme) the money figures use the +1000% cap and are lower bounds' : ''}`,
      },
      gap: null,
    };
  }
  return {
    money: null,
    gap: `No ${materialId} price at or before ${year} in the knowledge base (series ${entry.series.join(', ')}): the price shock is given in percent only.`,
  };
}
