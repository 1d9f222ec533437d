/**
 * What a price series prices, and how many tonnes of the material's supply basis one tonne of it holds: the stated
 * conversion the stress test needs to turn a price change into money (a supply of lithium in tonnes of contained Li
 * is never multiplied by a price per tonne of lithium carbonate without it).
 *
 * Only series listed here are turned into money; any other series, or a supply on a basis not listed for the series,
 * is reported as a gap. `contentPerTonne[basis]` = tonnes of supply-basis material per tonne of priced product.
 */
export interface PriceBasisEntry {
  materialId: string;
  /** Series names as engine/prices.ts gives them (the words of the USGS column between "Price" and the unit). */
  series: string[];
  pricedProduct: string;
  contentPerTonne: Partial<Record<'contained' | 'lce' | 'refined' | 'unspecified' | 'gross_weight', number>>;
  source: string;
}

const METAL = 'the priced product is the metal itself: one tonne of metal is one tonne of contained metal';

export const PRICE_BASIS: PriceBasisEntry[] = [
  {
    materialId: 'lithium',
    series: ['average'],
    pricedProduct: 'lithium carbonate (Li2CO3), battery grade',
    // 2 × 6.941 / 73.891 (atomic weights); LCE is lithium carbonate equivalent by definition
    contentPerTonne: { contained: 0.18787, lce: 1 },
    source:
      'USGS Mineral Commodity Summaries, lithium chapter (salient statistics price: battery-grade lithium carbonate, dollars per metric ton); Li content of Li2CO3 = 2 × 6.941 / 73.891 = 0.18787 (stoichiometry)',
  },
  {
    materialId: 'tungsten',
    series: ['WO3'],
    pricedProduct: 'tungsten trioxide (WO3) content of concentrate / APT, per metric ton unit (10 kg)',
    contentPerTonne: { contained: 0.793 },
    source: 'USGS Minerals Yearbook 2017, tungsten chapter: "WO3 is 79.3% tungsten by weight"; a metric ton unit is 10 kg of WO3',
  },
  { materialId: 'cobalt', series: ['Spot', 'LME'], pricedProduct: 'cobalt metal (cathode)', contentPerTonne: { contained: 1, refined: 1 }, source: METAL },
  { materialId: 'nickel', series: ['average', 'LME'], pricedProduct: 'nickel metal', contentPerTonne: { contained: 1, refined: 1 }, source: METAL },
  { materialId: 'copper', series: ['LME', 'COMEX', 'US'], pricedProduct: 'refined copper cathode', contentPerTonne: { contained: 1, refined: 1 }, source: METAL },
  { materialId: 'antimony', series: ['Metal'], pricedProduct: 'antimony metal', contentPerTonne: { contained: 1, refined: 1 }, source: METAL },
  {
    materialId: 'gallium',
    series: ['High purity', 'Low purity'],
    pricedProduct: 'gallium metal',
    contentPerTonne: { contained: 1, refined: 1 },
    source: METAL,
  },
];

export function priceBasisFor(materialId: string): PriceBasisEntry | undefined {
  return PRICE_BASIS.find((e) => e.materialId === materialId);
}
