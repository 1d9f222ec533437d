/**
 * Our cited copy of the EU's published criticality results (Study on the Critical Raw Materials for the EU 2023 — Final
 * Report, Annex 4 "evolution of SR and EI", which repeats the 2020 results beside the 2023 ones), used by the
 * published-figure harness (src/report/published/eu-2023.ts) and the EU acceptance tests.
 *
 * Where the figures were read: the CC BY 4.0 transcription erikemilsson/EU-Critical-Raw-Materials-CRM-Reports-Datasets
 * @ 59383504ead25f91fe9c197a1e660f4813684f17, Data/dimension_CRMsOverTime.csv (its data_cleaning.md: "Table from Annex 4,
 * pg. 61-62"). Values are the report's, rounded to one decimal as published. The critical flag is the 2023 list
 * (COM(2023) 160 Annex II; Regulation (EU) 2024/1252 Annex II) less copper and nickel, which are on it as strategic raw
 * materials without meeting the supply-risk threshold (the report's own rule: SR ≥ 1 and EI ≥ 2.8).
 *
 * Stated gaps (not in any source we could read; searched: the transcription above, the public code and page corpora):
 * the report's 2023 per-material inputs EoL-RIR, SI_SR, SI_EI and EU import reliance (its factsheets), the scaled WGI
 * and the HHIs. None is invented: the EU method uses the EU 2020 EoL-RIR of the 30 CRMs of 2020 as proxies
 * (criticality-parameters.ts) and defaults the rest, listing each default per material.
 */
import type { CuratedDocument } from '../model/provenance.ts';
import { DOCS, EU_2023_CRITICAL_LIST } from './criticality-parameters.ts';

/** The published table, and the transcription we read it from. */
export const EU_RESULTS_DOCS = {
  annex4: {
    id: 'eu2023Annex4',
    publisher: 'European Commission (Grohol M., Veeh C.), 2023',
    edition: 'Study on the Critical Raw Materials for the EU 2023 — Final Report',
    locator: 'Annex 4, pp. 61-62: supply risk (SR) and economic importance (EI) by material, assessments 2011-2023 (columns 2020 and 2023 used)',
    url: 'https://doi.org/10.2873/725585',
    licence: 'Reproduction authorised provided the source is acknowledged (Commission Decision 2011/833/EU)',
  },
  transcription: {
    id: 'euCrmOverTime',
    publisher: 'E. Emilsson (unofficial transcription of the EC reports)',
    edition: 'EU-Critical-Raw-Materials-CRM-Reports-Datasets @ 59383504ead25f91fe9c197a1e660f4813684f17',
    locator: 'Data/dimension_CRMsOverTime.csv (Material, Year, SR, EI); data_cleaning.md says it is Annex 4, pp. 61-62 of the 2023 report',
    url: 'https://github.com/erikemilsson/EU-Critical-Raw-Materials-CRM-Reports-Datasets',
    licence: 'CC BY 4.0',
  },
} satisfies Record<string, CuratedDocument>;

export interface EuPublishedRow {
  /** Name as the report writes it. */
  name: string;
  /** Our material id (src/model/materials.ts). */
  materialId: string;
  sr2023: number | null;
  ei2023: number | null;
  sr2020: number | null;
  ei2020: number | null;
}

type Tuple = [name: string, id: string, sr2023: number | null, ei2023: number | null, sr2020: number | null, ei2020: number | null];

// prettier-ignore
const ROWS: Tuple[] = [
  ['Aggregates', 'aggregates', 0.2, 3.2, 0.2, 2.7],
  ['Aluminium', 'aluminium', 1.1, 5.5, 0.6, 5.4],
  ['Antimony', 'antimony', 1.8, 5.4, 2, 4.8],
  ['Arsenic', 'arsenic', 1.9, 2.9, 1.2, 2.6],
  ['Baryte', 'barite', 1.3, 3.5, 1.3, 3.3],
  ['Bauxite', 'bauxite', null, null, 2.1, 2.9],
  ['Bentonite', 'bentonite', 0.4, 3.1, 0.5, 2.8],
  ['Beryllium', 'beryllium', 1.8, 5.4, 2.3, 4.2],
  ['Bismuth', 'bismuth', 1.9, 5.7, 2.2, 4],
  ['Boron', 'boron', 3.6, 3.9, 3.2, 3.5],
  ['Cadmium', 'cadmium', 0.2, 4.1, 0.3, 4.2],
  ['Chromium', 'chromium', 0.7, 7.2, 0.9, 7.3],
  ['Cobalt', 'cobalt', 2.8, 6.8, 2.5, 5.9],
  ['Coking coal', 'coking-coal', 1, 3.1, 1.2, 3],
  ['Copper', 'copper', 0.1, 4, 0.3, 5.3],
  ['Diatomite', 'diatomite', 0.3, 2.3, 0.5, 2.2],
  ['Feldspar', 'feldspar', 1.5, 3.2, 0.8, 2.8],
  ['Fluorspar', 'fluorspar', 1.1, 3.8, 1.2, 3.3],
  ['Gallium', 'gallium', 3.9, 3.7, 1.3, 3.5],
  ['Germanium', 'germanium', 1.8, 3.6, 3.9, 3.5],
  ['Gold', 'gold', 0.4, 2.4, 0.2, 2.1],
  ['Gypsum', 'gypsum', 0.6, 2.7, 0.5, 2.6],
  ['Hafnium', 'hafnium', 1.5, 4.3, 1.1, 3.9],
  ['Helium', 'helium', 1.2, 2.9, 1.2, 2.6],
  ['HREEs', 'hree', 5.1, 4.2, 5.6, 3.9],
  ['Hydrogen', 'hydrogen', 0.5, 2.9, 0.4, 3.8],
  ['Indium', 'indium', 0.6, 2.6, 1.8, 3.3],
  ['Iron ore', 'iron-ore', 0.5, 7.2, 0.5, 6.8],
  ['Kaolin clay', 'kaolin', 0.8, 2.8, 0.4, 2.4],
  ['Krypton', 'krypton', 0.7, 3.3, null, null],
  ['Lead', 'lead', 0.1, 4.2, 0.1, 4],
  ['Limestone', 'limestone', 0.3, 3.6, 0.2, 3.5],
  ['Lithium', 'lithium', 1.9, 3.9, 1.6, 3.1],
  ['LREEs', 'lree', 3.7, 5.9, 6, 4.3],
  ['Magnesite', 'magnesium-compounds', 0.6, 3.6, 0.6, 3.2],
  ['Magnesium', 'magnesium', 4.1, 7.4, 3.9, 6.6],
  ['Manganese', 'manganese', 1.2, 6.9, 0.9, 6.7],
  ['Molybdenum', 'molybdenum', 0.8, 6.7, 0.9, 6.2],
  ['Natural cork', 'natural-cork', 0.9, 1.7, 1, 1.6],
  ['Natural graphite', 'graphite', 1.8, 3.4, 2.3, 3.2],
  ['Natural Rubber', 'natural-rubber', 0.9, 6, 1, 7.1],
  ['Natural teak wood', 'natural-teak-wood', 1.7, 2.4, 1.9, 2],
  ['Neon', 'neon', 0.7, 3.1, null, null],
  ['Nickel', 'nickel', 0.5, 5.7, 0.5, 4.9],
  ['Niobium', 'niobium', 4.4, 6.5, 3.9, 6],
  ['Perlite', 'perlite', 0.8, 2.5, 0.4, 2.3],
  ['PGMs', 'pgm', 2.7, 7.1, 2.4, 5.7],
  ['Phosphate rock', 'phosphate-rock', 1, 6.4, 1.1, 5.6],
  ['Phosphorus', 'phosphorus', 3.3, 4.7, 3.5, 5.3],
  ['Potash', 'potash', 0.7, 6.2, 0.8, 5.4],
  ['Rhenium', 'rhenium', 0.5, 2.3, 0.5, 2],
  ['Roundwood', 'roundwood', 0.1, 1.2, null, null],
  ['Sapele wood', 'sapele-wood', 1.3, 1.6, 2.3, 1.4],
  ['Scandium', 'scandium', 2.4, 3.7, 3.1, 4.4],
  ['Selenium', 'selenium', 0.3, 4.8, 0.4, 4.9],
  ['Silica sand', 'sand-gravel-industrial', 0.3, 3.1, 0.4, 2.9],
  ['Silicon metal', 'silicon', 1.3, 4.9, 1.2, 4.2],
  ['Silver', 'silver', 0.8, 4.6, 0.7, 4.1],
  ['Strontium', 'strontium', 2.6, 6.5, 2.6, 3.5],
  ['Sulphur', 'sulfur', 0.3, 5, 0.3, 4.1],
  ['Talc', 'talc', 0.2, 3.3, 0.4, 4],
  ['Tantalum', 'tantalum', 1.3, 4.8, 1.4, 4],
  ['Tellurium', 'tellurium', 0.3, 3.8, 0.5, 3.6],
  ['Tin', 'tin', 0.9, 4.5, 0.9, 4.2],
  ['Titanium', 'titanium', 0.5, 5.4, 1.3, 4.7],
  ['Titanium metal', 'titanium-metal', 1.6, 6.3, null, null],
  ['Tungsten', 'tungsten', 1.2, 8.7, 1.6, 8.1],
  ['Vanadium', 'vanadium', 2.3, 3.9, 1.7, 4.4],
  ['Xenon', 'xenon', 0.8, 3.1, null, null],
  ['Zinc', 'zinc', 0.2, 4.8, 0.3, 5.4],
  ['Zirconium', 'zirconium', 0.8, 3.5, 0.8, 3.2],
];

/** Annex 4 rows (70 candidate materials and groups; "-" in the report = null: not assessed that year). */
export const EU_PUBLISHED_RESULTS: EuPublishedRow[] = ROWS.map(([name, materialId, sr2023, ei2023, sr2020, ei2020]) => ({
  name,
  materialId,
  sr2023,
  ei2023,
  sr2020,
  ei2020,
}));

const criticalOfficial = new Set<string>(EU_2023_CRITICAL_LIST.materials);
const strategicOnly = new Set<string>(EU_2023_CRITICAL_LIST.strategicOnly);

/** Critical in the 2023 assessment (SR ≥ 1 and EI ≥ 2.8): on the 2023 list and not there only as a strategic raw material. */
export function euCritical2023(materialId: string): boolean {
  return criticalOfficial.has(materialId) && !strategicOnly.has(materialId);
}

/**
 * The report's 2023 per-material inputs. None could be read from a source we hold (stated gap, see the file comment);
 * the EU method uses the curated values in criticality-parameters.ts where it has them (EU 2020 EoL-RIR as proxies).
 */
export const EU_2023_INPUTS_GAP = {
  inputs: [
    'EoL-RIR 2023 (the EU 2020 values of the 30 CRMs of 2020 are used as proxies)',
    'SI_SR and SI_EI 2023 (the EU 2017 values of Table 18 are used as proxies)',
    'EU import reliance',
  ],
  reason:
    'the 2023 report gives these per material in its factsheets; no transcription of them was found in the public sources searched, so they are not held here',
  document: DOCS.eu2023Study,
} as const;
