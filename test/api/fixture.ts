/** A small in-memory knowledge base for API tests: cobalt (mining, refining, reserves, projections, demand) and nickel. */
import { DatasetIndex } from '../../src/engine/dataset.ts';
import type { GroupingMember, Observation, PricePoint, Source, TradeFlow } from '../../src/model/schema.ts';
import type { ApiKnowledgeBase } from '../../src/api/app.ts';

const src = (id: string, dataset: string, editionYear: number, publisher: string, edition: string, table: string): Source => ({
  id,
  dataset,
  editionYear,
  publisher,
  title: `${publisher} ${edition}`,
  edition,
  table,
  licence: 'public domain',
  url: `https://example.org/${id}`,
  file: null,
  caveat: null,
});

export const SOURCES: Source[] = [
  src('usgs-mcs-2025-world', 'usgs-mcs', 2025, 'U.S. Geological Survey', 'MCS2025', 'World mine production and reserves'),
  src('iea-cm-2025', 'iea-cm', 2025, 'International Energy Agency', 'GCMO 2025', 'Supply by country'),
  src('groupings', 'groupings', 2025, 'Chokepoint', 'groupings 2025', 'Country groupings'),
  src('un-comtrade-fixture', 'un-comtrade', 2023, 'UN Comtrade', '2023', 'exports by HS code'),
  src('usgs-mcs-2025-salient', 'usgs-mcs-salient', 2025, 'U.S. Geological Survey', 'MCS2025', 'U.S. salient statistics'),
  src('usgs-mcs-2024-salient', 'usgs-mcs-salient', 2024, 'U.S. Geological Survey', 'MCS2024', 'U.S. salient statistics'),
];

/**
 * Cobalt spot price, USD per pound: 2020-2024 as MCS2025 prints them (mcs2025-cobal_salient.csv, Price_Spot_dlb);
 * the MCS2024 row for 2023 (16) is made up to stand for a revised year.
 */
export const PRICES: PricePoint[] = [
  ...(
    [
      [2020, 15.7],
      [2021, 24.21],
      [2022, 30.78],
      [2023, 17.2],
      [2024, 17],
    ] as const
  ).map(([year, value]) => ({ year, value, edition: 2025, sourceId: 'usgs-mcs-2025-salient', estimated: year === 2024 })),
  { year: 2023, value: 16, edition: 2024, sourceId: 'usgs-mcs-2024-salient', estimated: true },
].map((p) => ({
  materialId: 'cobalt',
  series: 'Spot',
  low: null,
  high: null,
  unit: 'USD/lb' as const,
  usdPerTonne: p.value * 2204.62262,
  basis: 'Cobalt, Spot (as the column "Price_Spot_dlb" names it), US dollars per pound',
  market: 'spot',
  status: 'reported' as const,
  detail: 'Price_Spot_dlb',
  note: null,
  ...p,
}));

/** DRC's cobalt exports by destination (made-up round numbers): China 80%, Finland 15%, Japan 5%. */
export const TRADE_FLOWS: TradeFlow[] = (
  [
    ['CHN', 80_000_000],
    ['FIN', 15_000_000],
    ['JPN', 5_000_000],
  ] as const
).map(([partnerId, kg]) => ({
  reporterId: 'COD',
  partnerId,
  flow: 'export',
  materialId: 'cobalt',
  hsCode: '282200',
  year: 2023,
  month: null,
  quantityKg: kg,
  valueUsd: null,
  productScope: null,
  sourceId: 'un-comtrade-fixture',
}));

const obs = (p: Partial<Observation> & Pick<Observation, 'materialId' | 'stage' | 'countryId' | 'year' | 'value'>): Observation => ({
  measure: p.stage === 'reserves' ? 'reserves' : p.stage === 'end_use' ? 'demand' : 'production',
  unit: 't',
  basis: 'contained',
  status: 'reported',
  estimated: false,
  scenario: null,
  sector: null,
  detail: null,
  note: null,
  sourceId: 'usgs-mcs-2025-world',
  ...p,
});

function series(
  materialId: string,
  stage: Observation['stage'],
  year: number,
  values: Record<string, number>,
  extra: Partial<Observation> = {},
): Observation[] {
  return Object.entries(values).map(([countryId, value]) => obs({ materialId, stage, year, countryId, value, ...extra }));
}

export const OBSERVATIONS: Observation[] = [
  ...series('cobalt', 'mining', 2022, { COD: 130000, IDN: 10000, RUS: 9000, AUS: 6000, OTH: 35000, WLD: 190000 }),
  ...series('cobalt', 'mining', 2023, { COD: 170000, IDN: 17000, RUS: 8800, AUS: 4600, CHN: 2000, OTH: 27600, WLD: 230000 }, { estimated: true }),
  ...series('cobalt', 'refining', 2023, { CHN: 170000, FIN: 10000, CAN: 4000, JPN: 3000, OTH: 13000, WLD: 200000 }),
  ...series('cobalt', 'reserves', 2023, { COD: 6000000, AUS: 1700000, IDN: 500000, OTH: 2800000, WLD: 11000000 }),
  ...series('cobalt', 'mining', 2030, { COD: 250000, IDN: 60000, OTH: 40000 }, { sourceId: 'iea-cm-2025', scenario: 'base' }),
  ...series('cobalt', 'refining', 2030, { CHN: 250000, FIN: 20000, OTH: 30000 }, { sourceId: 'iea-cm-2025', scenario: 'base', basis: 'refined' }),
  obs({ materialId: 'cobalt', stage: 'end_use', countryId: 'WLD', year: 2023, value: 120000, sector: 'EV batteries', sourceId: 'iea-cm-2025' }),
  obs({ materialId: 'cobalt', stage: 'end_use', countryId: 'WLD', year: 2023, value: 60000, sector: 'Other uses', sourceId: 'iea-cm-2025' }),
  obs({ materialId: 'cobalt', stage: 'end_use', countryId: 'WLD', year: 2023, value: 180000, sector: 'Total', sourceId: 'iea-cm-2025' }),
  ...series('nickel', 'mining', 2023, { IDN: 1800000, PHL: 400000, RUS: 200000, OTH: 1200000, WLD: 3600000 }),
];

export const GROUPINGS: GroupingMember[] = ['AUS', 'CAN', 'FIN', 'JPN'].map((countryId) => ({
  groupId: 'MSP',
  groupName: 'Minerals Security Partnership',
  countryId,
  asOf: '2025-01-01',
  sourceId: 'groupings',
}));

export function fixtureKb(): ApiKnowledgeBase {
  const index = new DatasetIndex({
    observations: OBSERVATIONS,
    sources: new Map(SOURCES.map((s) => [s.id, s])),
    governance: [],
    groupings: GROUPINGS,
    tradeFlows: TRADE_FLOWS,
    prices: PRICES,
  });
  return {
    index,
    store: {
      sources: async () =>
        SOURCES.map((s) => ({
          ...s,
          observations: OBSERVATIONS.filter((o) => o.sourceId === s.id).length,
          governance: 0,
          groupings: 0,
          tradeFlows: TRADE_FLOWS.filter((t) => t.sourceId === s.id).length,
        })),
    },
  };
}
