/**
 * Hand-computable knowledge base for the coalition engine tests. Every number below is chosen so the expected shares,
 * coverages and roles can be worked out on paper (the tests do so in their comments).
 */
import { DatasetIndex } from '../../../src/engine/dataset.ts';
import type { GroupingMember, Observation, Source } from '../../../src/model/schema.ts';
import type { Registry } from '../../../src/model/registry.ts';

const src = (id: string, dataset: string, editionYear: number, publisher: string): Source => ({
  id,
  dataset,
  editionYear,
  publisher,
  title: `${publisher} fixture`,
  edition: String(editionYear),
  table: 'fixture table',
  licence: 'CC BY 4.0',
  url: `https://example.org/${id}`,
  file: null,
  caveat: null,
});

export const SOURCES: Source[] = [
  src('usgs', 'usgs-mcs', 2025, 'U.S. Geological Survey'),
  src('iea', 'iea-cm', 2025, 'International Energy Agency'),
  src('eucrm', 'eu-crm', 2023, 'European Commission'),
  src('grp', 'groupings', 2025, 'Chokepoint groupings'),
  src('reg', 'registry', 2025, 'Chokepoint registry'),
];

const obs = (p: Partial<Observation> & Pick<Observation, 'materialId' | 'stage' | 'countryId' | 'year' | 'value'>): Observation => ({
  measure: p.stage === 'end_use' ? 'demand' : 'production',
  unit: 't',
  basis: 'contained',
  status: p.value === null ? 'withheld' : 'reported',
  estimated: false,
  scenario: null,
  sector: null,
  detail: null,
  note: null,
  sourceId: 'usgs',
  ...p,
});

function series(
  materialId: string,
  stage: Observation['stage'],
  year: number,
  values: Record<string, number | null>,
  extra: Partial<Observation> = {},
): Observation[] {
  return Object.entries(values).map(([countryId, value]) => obs({ materialId, stage, year, countryId, value, ...extra }));
}
const iea = (scenario: string | null = null): Partial<Observation> => ({ sourceId: 'iea', scenario });
const demand = (materialId: string, year: number, scenario: string | null, sectors: Record<string, number>) =>
  Object.entries(sectors).map(([sector, value]) => obs({ materialId, stage: 'end_use', countryId: 'WLD', year, value, sector, scenario, sourceId: 'iea' }));
const share = (materialId: string, stage: Observation['stage'], detail: 'global' | 'eu_sourcing', values: Record<string, number>) =>
  Object.entries(values).map(([countryId, value]) =>
    obs({ materialId, stage, year: 2023, countryId, value, measure: 'supply_share', unit: 'fraction', basis: 'ratio', detail, sourceId: 'eucrm' }),
  );

export const OBSERVATIONS: Observation[] = [
  // Cobalt (IEA): refining 2024 → MSP (FIN, JPN, USA) = 40/200 = 20%; outside CHN 150 + IDN 5 = 77.5%; OTH 2.5%.
  ...series('cobalt', 'refining', 2024, { CHN: 150, FIN: 20, JPN: 10, USA: 10, IDN: 5, OTH: 5, WLD: 200 }, iea()),
  ...series('cobalt', 'mining', 2024, { COD: 150, IDN: 30, AUS: 10, OTH: 10, WLD: 200 }, iea()),
  ...series('cobalt', 'refining', 2030, { CHN: 200, FIN: 20, JPN: 20, IDN: 40, OTH: 20, WLD: 300 }, iea('base')),
  ...series('cobalt', 'mining', 2030, { COD: 200, IDN: 80, AUS: 20, WLD: 300 }, iea('base')),
  ...demand('cobalt', 2024, null, { 'EV batteries': 150, 'Other uses': 100, Total: 250 }),
  ...demand('cobalt', 2030, 'STEPS', { 'EV batteries': 220, 'Other uses': 100, Total: 320 }),
  obs({ materialId: 'cobalt', stage: 'end_use', measure: 'consumption', countryId: 'USA', year: 2024, value: 20 }),
  // Lithium (IEA) 2030, contained Li: the deal test adds 10,000 t LCE = 1,878 t Li for the USA.
  ...series('lithium', 'refining', 2030, { CHN: 60000, CHL: 20000, ARG: 10000, OTH: 10000, WLD: 100000 }, iea('base')),
  ...demand('lithium', 2030, 'STEPS', { 'EV batteries': 80000, 'Other uses': 20000, Total: 100000 }),
  // Nickel (USGS) 2024 with an "X-" group aggregate, which is never a member: JPN 10% inside, 80% outside, 10% unallocated.
  ...series('nickel', 'refining', 2024, { IDN: 50, CHN: 30, JPN: 10, 'X-BEL+LUX': 5, OTH: 5, WLD: 100 }),
  // Gallium (USGS) 2024: Japan withheld (a member: the inside share is a lower bound).
  ...series('gallium', 'refining', 2024, { CHN: 700, JPN: null, KOR: 5, OTH: 45, WLD: 750 }, { basis: 'refined' }),
  // Boron (USGS) 2024: two countries, no world total and no rest of world → shares of the listed countries only.
  ...series('boron', 'mining', 2024, { TUR: 90, USA: 10 }, { basis: 'gross_weight' }),
  // EU CRM 2023 share tables.
  ...share('gallium', 'refining', 'global', { CHN: 0.9, JPN: 0.05, DEU: 0.03 }),
  ...share('gallium', 'refining', 'eu_sourcing', { CHN: 0.7, DEU: 0.2, GBR: 0.1 }),
  ...share('cobalt', 'refining', 'eu_sourcing', { FIN: 0.6, BEL: 0.3, CHN: 0.05 }),
  ...share('tungsten', 'mining', 'global', { CHN: 0.6, VNM: 0.2, AUT: 0.1 }),
  ...share('boron', 'mining', 'eu_sourcing', { TUR: 0.99 }),
];

const g = (groupId: string, groupName: string, ids: string[]): GroupingMember[] =>
  ids.map((countryId) => ({ groupId, groupName, countryId, asOf: '2025', sourceId: 'grp' }));
export const GROUPINGS: GroupingMember[] = [
  ...g('MSP', 'Minerals Security Partnership', ['AUS', 'CAN', 'FIN', 'JPN', 'USA', 'X-EU']),
  ...g('EU27', 'European Union', ['AUT', 'BEL', 'DEU', 'FIN', 'FRA', 'SWE']),
  ...g('G7', 'Group of Seven', ['USA', 'JPN', 'DEU', 'FRA']),
  ...g('BRICS_GP', 'BRICS', ['CHN', 'BRA']),
  ...g('IPEF_CMD', 'IPEF Critical Minerals Dialogue', ['IDN', 'USA', 'JPN', 'AUS']),
];

const agreement = (id: string, parties: string[], signed: string) => ({
  id,
  title: `Agreement ${id}`,
  type: 'cooperative' as const,
  parties,
  materials: ['nickel'],
  signed,
  inForce: null,
  ended: null,
  summary: null,
  url: null,
  sourceId: 'reg',
});
export const REGISTRY: Registry = {
  agreements: [
    agreement('idn-usa', ['IDN', 'USA'], '2023-11'),
    agreement('idn-chn', ['IDN', 'CHN'], '2022-07'),
    agreement('idn-jpn', ['IDN', 'JPN'], '2021'),
    agreement('aus-jpn', ['AUS', 'JPN'], '2022'),
  ],
  measures: [
    {
      id: 'idn-ore-ban',
      title: 'Nickel ore export ban',
      countryId: 'IDN',
      direction: 'export',
      measureType: 'ban',
      materials: ['nickel'],
      stages: ['mining'],
      hsCodes: [],
      targets: [],
      announced: '2019-08',
      effective: '2020-01-01',
      suspended: null,
      ended: null,
      summary: null,
      url: null,
      sourceId: 'reg',
    },
    {
      id: 'chn-ga-licence',
      title: 'Gallium export licensing',
      countryId: 'CHN',
      direction: 'export',
      measureType: 'licence',
      materials: ['gallium'],
      stages: ['refining'],
      hsCodes: [],
      targets: [],
      announced: '2023-07',
      effective: '2023-08-01',
      suspended: null,
      ended: null,
      summary: null,
      url: null,
      sourceId: 'reg',
    },
  ],
  projects: [
    {
      id: 'aus-li-refinery',
      name: 'Kwinana-type lithium refinery',
      countryId: 'AUS',
      materials: ['lithium'],
      stage: 'refining',
      capacityTonnesPerYear: 50000,
      basis: 'lce',
      status: 'construction',
      expectedStartYear: 2027,
      partners: [{ partnerId: 'JPN', role: 'offtake', amountUsd: null }],
      agreementIds: ['aus-jpn'],
      summary: null,
      url: null,
      sourceId: 'reg',
    },
    {
      id: 'usa-ni-refined',
      name: 'Nickel refinery',
      countryId: 'USA',
      materials: ['nickel'],
      stage: 'refining',
      capacityTonnesPerYear: 20,
      basis: 'refined',
      status: 'announced',
      expectedStartYear: 2029,
      partners: [],
      agreementIds: [],
      summary: null,
      url: null,
      sourceId: 'reg',
    },
    {
      id: 'multi',
      name: 'Polymetallic refinery',
      countryId: 'FIN',
      materials: ['cobalt', 'nickel'],
      stage: 'refining',
      capacityTonnesPerYear: 10,
      basis: 'contained',
      status: 'feasibility',
      expectedStartYear: null,
      partners: [],
      agreementIds: [],
      summary: null,
      url: null,
      sourceId: 'reg',
    },
  ],
};

export function fixtureIndex(opts: { registry?: boolean } = {}): DatasetIndex {
  return new DatasetIndex({
    observations: OBSERVATIONS,
    sources: new Map(SOURCES.map((s) => [s.id, s])),
    governance: [],
    groupings: GROUPINGS,
    registry: opts.registry === false ? undefined : REGISTRY,
  });
}
