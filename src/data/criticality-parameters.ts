/**
 * Curated inputs of the criticality methods that are not in the shared data files, each with its citation.
 *
 * Rule: a value appears here only when we are confident it is the published one. Anything else is `unknown`
 * and the engine applies an explicit default, listed per material in every result ("defaulted inputs").
 * Values from an earlier assessment used as a proxy for a later one carry the edition they come from, and the
 * output says so. No value here was tuned to make a result match a published figure.
 */
import type { CuratedDocument } from '../model/provenance.ts';

export interface PublishedParam {
  value: number;
  /** Assessment edition the value comes from; when it differs from the assessment year it is a proxy. */
  edition: number;
  document: CuratedDocument;
  note?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------------------------

const doc = (id: string, publisher: string, edition: string, locator: string, url: string | null, licence: string | null = null): CuratedDocument => ({
  id,
  publisher,
  edition,
  locator,
  url,
  licence,
});

/** The curated documents, each cited by its id (`citeDocument`); `/api/sources` lists them beside the imported sources. */
export const DOCS = {
  jrc2017: doc(
    'jrc2017',
    'Blengini G.A. et al. (2017)',
    'Methodology for establishing the EU list of critical raw materials — Guidelines, European Commission, JRC',
    'Sections 3 (economic importance) and 4 (supply risk), equations for EI, SR and HHI_WGI,t; thresholds EI ≥ 2.8, SR ≥ 1.0',
    'https://doi.org/10.2873/769526',
  ),
  eu2023Study: doc(
    'eu2023Study',
    'European Commission (Grohol M., Veeh C.)',
    'Study on the Critical Raw Materials for the EU 2023 — Final Report',
    'Results of the 2023 criticality assessment (SR and EI by material) and the material factsheets',
    'https://doi.org/10.2873/725585',
  ),
  eu2020Com: doc(
    'eu2020Com',
    'European Commission',
    'COM(2020) 474 final, Critical Raw Materials Resilience: Charting a Path towards greater Security and Sustainability',
    'Annex 1, table of the 30 CRMs (main suppliers, import reliance, substitution indices, EoL-RIR); same values in the Study on the EU list of CRMs 2020, factsheets',
    'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:52020DC0474',
    '© European Union, reuse authorised (Commission Decision 2011/833/EU)',
  ),
  eu2020Eol: doc(
    'eu2020Eol',
    'European Commission',
    'COM(2020) 474 final, Critical Raw Materials Resilience, Annex 1 (the 30 CRMs of 2020): end-of-life recycling input rate (EoL-RIR)',
    'Annex 1, EoL-RIR per material; read from the transcription of DW (M. Penke), github.com/dw-data/crm @ 7d37054ef9d5884a98ba4d8b62e588b4a94f2fad, crm_analyse.ods, sheet "7) Recycling" (cites COM(2020) 474)',
    'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:52020DC0474',
    '© European Union, reuse authorised (Commission Decision 2011/833/EU)',
  ),
  eu2017Si: doc(
    'eu2017Si',
    'European Commission (Deloitte Sustainability, BGS, BRGM, TNO), 2017',
    'Study on the review of the list of Critical Raw Materials — Criticality Assessments',
    'Annex 5, Table 18 "Substitution indexes and HHI(WGI) values": SI(EI) and SI(SR) per candidate material, printed to one decimal; read from the copy in erikemilsson/EU-Critical-Raw-Materials-CRM-Reports-Datasets @ 59383504 ("EU CRM pdf copies/CRM 2017.pdf", pp. 79-80)',
    'https://doi.org/10.2873/876644',
    '© European Union, reuse authorised (Commission Decision 2011/833/EU)',
  ),
  eu2023List: doc(
    'eu2023List',
    'European Commission',
    'COM(2023) 160 final (proposal for the Critical Raw Materials Act), Annex II section 1; adopted as Regulation (EU) 2024/1252, Annex II',
    'Annex II: list of critical raw materials (34), Annex I: strategic raw materials',
    'https://eur-lex.europa.eu/eli/reg/2024/1252/oj',
  ),
  euCrmData: doc(
    'euCrmData',
    'European Commission',
    'Study on the Critical Raw Materials for the EU 2023 — Final Report, Appendix 6 (material use shares) and 7 (supply shares, t); unofficial CC BY 4.0 transcription (erikemilsson/EU-Critical-Raw-Materials-CRM-Reports-Datasets)',
    'fact_MaterialUseShares.csv, dimension_ScreenedMatGroupings.csv',
    'https://doi.org/10.2873/725585',
    'CC BY 4.0',
  ),
  doe2023: doc(
    'doe2023',
    'U.S. Department of Energy (2023)',
    'Critical Materials Assessment (Bauer D.J. et al.); methodology from DOE Critical Materials Strategy (2010, 2011)',
    'Chapter 2 (methodology): importance to energy and supply risk scored 1-4, short term 2020-2025 and medium term 2025-2035; indicator weights from the 2011 Strategy, Appendix A',
    'https://www.energy.gov/cmm/critical-materials-assessment',
  ),
  usgs2022: doc(
    'usgs2022',
    'Nassar N.T., Fortier S.M. (2021)',
    'Methodology and technical input for the 2021 review and revision of the U.S. Critical Minerals List, USGS Open-File Report 2021-1045',
    'Supply-risk metric = disruption potential × trade exposure × economic vulnerability (section "Quantitative evaluation"); after Nassar et al. (2020) Science Advances 6:eaay8647',
    'https://doi.org/10.3133/ofr20211045',
    'public domain (USGS)',
  ),
  geopolrisk: doc(
    'geopolrisk',
    'Gemechu E.D., Helbig C., Sonnemann G., Thorenz A., Tuma A. (2016)',
    'Import-based indicator for the geopolitical supply risk of raw materials in life cycle sustainability assessments, J. Industrial Ecology 20(1):154-165; operationalised by Santillán-Saldivar J. et al. (2021), Resources, Conservation & Recycling 164:105108',
    'GeoPolRisk_Ac = HHI_c · Σ_i g_i · f_Aic / (p_Ac + F_Ac); g_i from WGI Political Stability and Absence of Violence rescaled 0-1',
    'https://doi.org/10.1111/jiec.12279',
  ),
  hhiBands: doc(
    'hhiBands',
    'U.S. Department of Justice & Federal Trade Commission (2010)',
    'Horizontal Merger Guidelines, section 5.3',
    'HHI bands: unconcentrated < 1,500, moderately concentrated 1,500-2,500, highly concentrated > 2,500',
    'https://www.justice.gov/atr/horizontal-merger-guidelines-08192010',
  ),
} satisfies Record<string, CuratedDocument>;

/** Every curated document, for the sources listing. */
export const CURATED_DOCUMENTS: CuratedDocument[] = Object.values(DOCS);

// ---------------------------------------------------------------------------------------------------------------
// EU JRC method
// ---------------------------------------------------------------------------------------------------------------

export const EU_THRESHOLDS = { sr: 1.0, ei: 2.8, document: DOCS.jrc2017 } as const;

/**
 * Years of WGI averaged for an assessment. The 2023 report does not give the window in the tables we hold; we use the
 * five most recent WGI years available when the 2023 assessment was computed (2017-2021; the WGI 2022 update ended in
 * 2021). This is our choice, stated in every result. For other years: the five years ending two years earlier.
 */
export function wgiWindow(assessmentYear: number): { years: number[]; note: string } {
  const end = assessmentYear - 2;
  const years = [end - 4, end - 3, end - 2, end - 1, end];
  return {
    years,
    note:
      assessmentYear === 2023
        ? 'WGI averaged over 2017-2021 (most recent five years available for the 2023 assessment; our choice: the report\'s exact window is not in our sources)'
        : `WGI averaged over ${years[0]}-${end} (five years ending two years before the assessment year; our convention)`,
  };
}

/** Default trade-related variable t where the supply table has none (USGS production): 1 (JRC 2017, section 4.2.3). */
export const DEFAULT_T = 1;

/** Parameters per material for the EU method. Missing keys are unknown: the engine defaults them and says so. */
export interface EuMaterialParams {
  eolRir?: PublishedParam; // end-of-life recycling input rate, fraction
  siSr?: PublishedParam; // substitution index for supply risk
  siEi?: PublishedParam; // substitution index for economic importance
  ir?: PublishedParam; // EU import reliance, fraction (used instead of the one derived from the sourcing table)
}

const eol2020 = (value: number, note?: string): PublishedParam => ({ value, edition: 2020, document: DOCS.eu2020Eol, note });

/**
 * Substitution indices (SI_SR, SI_EI) of the 2017 assessment (Annex 5, Table 18 of the 2017 criticality study): all 78
 * rows, each under the id the EU 2023 tables map the same name to (Magnesite → magnesium-compounds, Silica sand →
 * sand-gravel-industrial, as in criticality-eu-published.ts). The table gives the rare earths and PGMs one by one, not as
 * groups, so the groups (LREE, HREE, PGM) get theirs through their members. The 2020 and 2023 indices are not in any
 * source we hold: these are proxies for later assessments (every result says "EU 2017 value"). Values are as printed
 * (one decimal). No value here was tuned to match a published result.
 */
const EU_SI_2017: Record<string, [siSr: number, siEi: number, note?: string]> = {
  aggregates: [0.9, 0.9],
  aluminium: [0.9, 0.8],
  antimony: [0.9, 0.9],
  barite: [0.9, 0.9],
  bauxite: [1.0, 1.0],
  bentonite: [0.9, 0.9],
  beryllium: [1.0, 1.0],
  bismuth: [0.9, 1.0],
  boron: [1.0, 1.0, 'borate'],
  cerium: [1.0, 1.0],
  chromium: [1.0, 1.0],
  cobalt: [1.0, 1.0],
  'coking-coal': [0.9, 0.9],
  copper: [1.0, 1.0],
  diatomite: [0.9, 0.9],
  dysprosium: [0.9, 0.9],
  erbium: [1.0, 0.9],
  europium: [1.0, 1.0],
  feldspar: [1.0, 0.9],
  fluorspar: [1.0, 1.0],
  gadolinium: [0.9, 0.9],
  gallium: [1.0, 0.9],
  germanium: [1.0, 1.0],
  gold: [1.0, 1.0],
  graphite: [1.0, 1.0, 'natural graphite'],
  gypsum: [0.9, 0.8],
  hafnium: [1.0, 0.9],
  helium: [1.0, 0.9],
  holmium: [1.0, 1.0],
  indium: [1.0, 0.9],
  iridium: [1.0, 0.9],
  'iron-ore': [1.0, 0.9],
  kaolin: [0.9, 0.9, 'kaolin clay'],
  lanthanum: [1.0, 1.0],
  lead: [1.0, 1.0],
  limestone: [0.9, 0.9],
  lithium: [0.9, 0.9],
  lutetium: [1.0, 1.0],
  magnesium: [0.9, 0.9],
  'magnesium-compounds': [1.0, 1.0, 'magnesite'],
  manganese: [1.0, 1.0],
  molybdenum: [1.0, 1.0],
  'natural-cork': [0.9, 0.9],
  'natural-rubber': [0.9, 0.9],
  'natural-teak-wood': [0.9, 0.9],
  neodymium: [0.9, 0.9],
  nickel: [1.0, 0.9],
  niobium: [0.9, 0.9],
  palladium: [1.0, 0.9],
  perlite: [0.9, 0.9],
  'phosphate-rock': [1.0, 1.0],
  phosphorus: [0.9, 0.9],
  platinum: [1.0, 0.9],
  potash: [1.0, 1.0],
  praseodymium: [0.9, 0.9],
  rhenium: [1.0, 1.0],
  rhodium: [1.0, 1.0],
  ruthenium: [1.0, 0.9],
  samarium: [0.8, 0.8],
  'sand-gravel-industrial': [1.0, 1.0, 'silica sand'],
  'sapele-wood': [0.9, 0.9],
  scandium: [1.0, 0.9],
  selenium: [0.9, 0.9],
  silicon: [1.0, 1.0, 'silicon metal'],
  silver: [1.0, 1.0],
  sulfur: [1.0, 1.0, 'sulphur'],
  talc: [1.0, 1.0],
  tantalum: [0.9, 0.9],
  tellurium: [0.9, 0.8],
  terbium: [0.9, 0.8],
  thulium: [1.0, 1.0],
  tin: [0.9, 0.9],
  titanium: [0.9, 0.9, 'the 2017 "Titanium"'],
  tungsten: [1.0, 0.9],
  vanadium: [0.9, 0.9],
  ytterbium: [1.0, 1.0],
  yttrium: [1.0, 1.0],
  zinc: [0.9, 0.9],
};
const si2017 = (value: number, note?: string): PublishedParam => ({ value, edition: 2017, document: DOCS.eu2017Si, note });

/**
 * EoL-RIR of the 30 critical raw materials of the 2020 assessment (COM(2020) 474 Annex 1, EoL-RIR column), read from
 * the DW data team's transcription (dw-data/crm, crm_analyse.ods, sheet "7) Recycling", which cites COM(2020) 474).
 * Used as proxies for 2023: the 2023 values are not in any source we hold (docs/criticality.md §10), and every result
 * that uses one says "EU 2020 value". Group values (PGM, LREE, HREE) apply to the members (status proxy, "value of the
 * group"). The 2023 import reliance is not listed: unknown → default.
 * No value here was tuned to match a published result.
 */
const EU_EOL_RIR_2020: Record<string, EuMaterialParams> = {
  tungsten: { eolRir: eol2020(0.42) },
  antimony: { eolRir: eol2020(0.28) },
  cobalt: { eolRir: eol2020(0.22) },
  pgm: { eolRir: eol2020(0.21, 'platinum group metals (group value)') },
  titanium: { eolRir: eol2020(0.19, 'the 2020 "Titanium"; 2023 assesses titanium and titanium metal separately') },
  'phosphate-rock': { eolRir: eol2020(0.17) },
  magnesium: { eolRir: eol2020(0.13) },
  hree: { eolRir: eol2020(0.08, 'heavy rare earths (group value)') },
  lree: { eolRir: eol2020(0.03, 'light rare earths (group value)') },
  graphite: { eolRir: eol2020(0.03, 'natural graphite') },
  germanium: { eolRir: eol2020(0.02) },
  vanadium: { eolRir: eol2020(0.02) },
  barite: { eolRir: eol2020(0.01) },
  boron: { eolRir: eol2020(0.01, 'borate') },
  fluorspar: { eolRir: eol2020(0.01) },
  'natural-rubber': { eolRir: eol2020(0.01) },
  bauxite: { eolRir: eol2020(0) },
  beryllium: { eolRir: eol2020(0) },
  bismuth: { eolRir: eol2020(0) },
  'coking-coal': { eolRir: eol2020(0) },
  gallium: { eolRir: eol2020(0) },
  hafnium: { eolRir: eol2020(0) },
  indium: { eolRir: eol2020(0) },
  lithium: { eolRir: eol2020(0) },
  niobium: { eolRir: eol2020(0) },
  phosphorus: { eolRir: eol2020(0) },
  scandium: { eolRir: eol2020(0) },
  silicon: { eolRir: eol2020(0, 'silicon metal') },
  strontium: { eolRir: eol2020(0) },
  tantalum: { eolRir: eol2020(0) },
};

/** Every published EU parameter by material: EoL-RIR (2020) and substitution indices (2017). */
export const EU_PARAMETERS: Record<string, EuMaterialParams> = Object.fromEntries(
  [...new Set([...Object.keys(EU_EOL_RIR_2020), ...Object.keys(EU_SI_2017)])].map((id) => {
    const si = EU_SI_2017[id];
    const params: EuMaterialParams = { ...EU_EOL_RIR_2020[id] };
    if (si) {
      params.siSr = si2017(si[0], si[2]);
      params.siEi = si2017(si[1], si[2]);
    }
    return [id, params];
  }),
);

/** The EU group (LREE, HREE, PGM) a material belongs to, or null. */
export const euGroupOf = (materialId: string): string | null => Object.entries(EU_GROUPS).find(([, g]) => g.members.includes(materialId))?.[0] ?? null;

/**
 * A published EU parameter for a material: its own value, else its EU group's (`group` says which group it came from);
 * null when none is held. The EU method and the stress test's recycled-input reading both read parameters this way.
 */
export function publishedEuParam(materialId: string, name: keyof EuMaterialParams): (PublishedParam & { group: string | null }) | null {
  const own = EU_PARAMETERS[materialId]?.[name];
  if (own) return { ...own, group: null };
  const group = euGroupOf(materialId);
  const viaGroup = group ? EU_PARAMETERS[group]?.[name] : undefined;
  return viaGroup ? { ...viaGroup, group } : null;
}

/** Defaults for unknown inputs and the ranges the Monte Carlo samples them from (documented in docs/criticality.md). */
export const EU_DEFAULTS = {
  eolRir: { value: 0, range: [0, 0.3] as [number, number], note: 'EoL-RIR unknown: 0 (no recycling credit, the conservative end); sampled 0-30 %' },
  siSr: { value: 1, range: [0.8, 1] as [number, number], note: 'SI_SR unknown: 1 (no substitution credit); sampled 0.8-1.0, the span of published SI_SR values' },
  siEi: { value: 1, range: [0.8, 1] as [number, number], note: 'SI_EI unknown: 1 (no substitution credit); sampled 0.8-1.0' },
  ir: { value: 0.5, range: [0, 1] as [number, number], note: 'import reliance unknown: 0.5 (midpoint); sampled 0-1' },
  wgi: { value: 5, range: [2, 8] as [number, number], note: 'no WGI for the country: 5 (mid-scale); sampled 2-8' },
} as const;

/** EU 2023 grouping of the rare earths (dimension_ScreenedMatGroupings, permutation XREE). Note: europium is an HREE here. */
export const EU_GROUPS: Record<string, { members: string[]; document: CuratedDocument }> = {
  lree: { members: ['cerium', 'lanthanum', 'neodymium', 'praseodymium', 'samarium'], document: DOCS.euCrmData },
  hree: { members: ['dysprosium', 'erbium', 'europium', 'gadolinium', 'holmium', 'lutetium', 'terbium', 'thulium', 'ytterbium', 'yttrium'], document: DOCS.euCrmData },
  pgm: { members: ['iridium', 'palladium', 'platinum', 'rhodium', 'ruthenium'], document: DOCS.euCrmData },
};

/** EU27 member states, used when the knowledge base has no EU27 grouping loaded. */
export const EU27 = ['AUT', 'BEL', 'BGR', 'HRV', 'CYP', 'CZE', 'DNK', 'EST', 'FIN', 'FRA', 'DEU', 'GRC', 'HUN', 'IRL', 'ITA', 'LVA', 'LTU', 'LUX', 'MLT', 'NLD', 'POL', 'PRT', 'ROU', 'SVK', 'SVN', 'ESP', 'SWE'];

// ---------------------------------------------------------------------------------------------------------------
// Published EU results: src/data/criticality-eu-published.ts (Annex 4 of the 2023 study, every material)
// ---------------------------------------------------------------------------------------------------------------

/**
 * The official 2023 EU list of critical raw materials (34), COM(2023) 160 Annex II / Regulation (EU) 2024/1252
 * Annex II. Copper and nickel are on it as strategic raw materials although they do not meet the SR threshold.
 * Ids are ours; 'aluminium' stands for "aluminium/bauxite" (the 2023 assessment merged them; its tables say Aluminium), 'boron' for borates,
 * 'graphite' for natural graphite, 'silicon' for silicon metal, 'pgm' for the platinum-group metals.
 */
export const EU_2023_CRITICAL_LIST = {
  document: DOCS.eu2023List,
  materials: [
    'antimony', 'arsenic', 'aluminium', 'barite', 'beryllium', 'bismuth', 'boron', 'cobalt', 'coking-coal', 'copper', 'feldspar',
    'fluorspar', 'gallium', 'germanium', 'hafnium', 'helium', 'hree', 'lree', 'lithium', 'magnesium', 'manganese', 'graphite',
    'nickel', 'niobium', 'pgm', 'phosphate-rock', 'phosphorus', 'scandium', 'silicon', 'strontium', 'tantalum', 'titanium-metal',
    'tungsten', 'vanadium',
  ],
  /** On the list without meeting both thresholds in the assessment (strategic raw materials). */
  strategicOnly: ['copper', 'nickel'],
  note: 'Regulation (EU) 2024/1252 lists "bauxite/alumina/aluminium" where the proposal listed bauxite.',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// DOE 2023 style
// ---------------------------------------------------------------------------------------------------------------

/**
 * Indicator weights of the DOE matrix (Critical Materials Strategy 2011, Appendix A; retained by the 2023 assessment).
 * As recalled from the 2011 Strategy: verify against the 2023 report before publishing figures (docs/criticality.md).
 */
export const DOE_WEIGHTS = {
  importance: { energyDemand: 0.75, substitutability: 0.25 },
  supplyRisk: { basicAvailability: 0.4, competingDemand: 0.1, politicalRegulatorySocial: 0.2, codependence: 0.1, producerDiversity: 0.2 },
  document: DOCS.doe2023,
} as const;

/** Score bands (ours, documented): HHI bands from the DOJ/FTC guidelines; share and risk bands in quartiles of the scale. */
export const DOE_BANDS = {
  producerDiversityHhi: [1500, 2500, 5000], // HHI points → 1 | 2 | 3 | 4
  politicalWgi: [2.5, 4, 5.5], // share-weighted scaled WGI (0-10, 10 worst) → 1 | 2 | 3 | 4
  energyDemandShare: [0.1, 0.25, 0.5], // clean-energy share of demand → 1 | 2 | 3 | 4
  criticalBoth: 3,
  nearCritical: 2.5,
  document: DOCS.hhiBands,
} as const;
