import { describe, expect, it } from 'vitest';
import { priceShockInMoney } from '../../../src/engine/stress/price-money.ts';
import { priceHistory } from '../../../src/engine/prices.ts';
import type { PricePoint, Source } from '../../../src/model/schema.ts';

const src: Source = {
  id: 'usgs-mcs-2025-salient',
  dataset: 'usgs-mcs-salient',
  editionYear: 2025,
  publisher: 'U.S. Geological Survey',
  title: 'Mineral Commodity Summaries 2025 Data Release',
  edition: 'MCS2025',
  table: 'U.S. salient statistics',
  licence: 'public domain',
  url: 'https://doi.org/10.5066/P13XCP3R',
  file: null,
  caveat: null,
};
// MCS2025 lithium price (Price_dt, USD/t): 2023 41,300, 2024 14,000 (estimate)
const point = (year: number, value: number): PricePoint => ({
  materialId: 'lithium',
  series: 'average',
  year,
  value,
  low: null,
  high: null,
  unit: 'USD/t',
  usdPerTonne: value,
  basis: 'Lithium (Price_dt)',
  market: null,
  status: 'reported',
  estimated: year === 2024,
  edition: 2025,
  detail: 'Price_dt',
  note: null,
  sourceId: src.id,
});
const series = priceHistory([point(2023, 41300), point(2024, 14000)], new Map([[src.id, src]]));
const shock = { priceChangePct: { low: 0.1, central: 0.5, high: null }, netLostShare: { low: 0.1, central: 0.2, high: 0.3 } };

describe('price shock in money', () => {
  it('converts a lithium carbonate price to USD per tonne of contained lithium and multiplies by hand', () => {
    const { money, gap } = priceShockInMoney(series, 'lithium', 2030, 'contained', 200_000, shock);
    expect(gap).toBeNull();
    const p0 = 14000 / 0.18787;
    expect(money!.usdPerTonneSupplyBasis).toBeCloseTo(p0, 6);
    expect(money!.priceYear).toBe(2024);
    expect(money!.priceAfterUsdPerTonne.central).toBeCloseTo(p0 * 1.5, 6);
    expect(money!.priceAfterUsdPerTonne.high).toBeNull();
    expect(money!.extraCostUsdPerYear.central).toBeCloseTo(200_000 * 0.8 * p0 * 0.5, 3);
    expect(money!.marketValueBeforeUsd).toBeCloseTo(200_000 * p0, 3);
    expect(money!.pricedProduct).toMatch(/lithium carbonate/);
    // a scenario year before the last price takes the price of that year
    expect(priceShockInMoney(series, 'lithium', 2023, 'lce', 1000, shock).money!.usdPerTonneSupplyBasis).toBe(41300);
  });

  it('refuses money without a stated conversion or a price, and says why', () => {
    expect(priceShockInMoney(series, 'lithium', 2030, 'ore', 1, shock).gap).toMatch(/no stated conversion to supply on the "ore" basis/);
    expect(priceShockInMoney(series, 'rare-earths', 2030, 'oxide', 1, shock).gap).toMatch(/No stated conversion/);
    expect(priceShockInMoney(series, 'lithium', 2020, 'contained', 1, shock).gap).toMatch(/No lithium price at or before 2020/);
  });
});
