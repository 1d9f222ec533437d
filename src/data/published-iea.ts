/**
 * Published IEA figures we compare our computations with (`npm run check:published`, src/report/published/). Each is our
 * own cited copy of a published table or sentence, with the document, its locator and how the words are read. A figure
 * we could not obtain is recorded as a gap with the reason, never approximated.
 */
import type { CuratedDocument } from '../model/provenance.ts';

export const IEA_DOCS = {
  gcmo2025: {
    id: 'iea-gcmo-2025',
    publisher: 'International Energy Agency (2025)',
    edition: 'Global Critical Minerals Outlook 2025',
    locator: 'Executive summary and chapter 1 (market concentration of refining; N-1 supply without the largest supplier, 2035)',
    url: 'https://www.iea.org/reports/global-critical-minerals-outlook-2025',
    licence: 'CC BY 4.0',
  },
  explorer2025: {
    id: 'iea-cm-explorer-2025',
    publisher: 'International Energy Agency (2025)',
    edition: 'Critical Minerals Data Explorer, 2025 release (base year 2024), workbook CM_Data_Explorer.xlsx',
    locator: 'Supply tables (base case), row "Top 3 share", mining and refining, 2024/2030/2035/2040',
    url: 'https://www.iea.org/data-and-statistics/data-tools/critical-minerals-data-explorer',
    licence: 'CC BY 4.0',
  },
  gcmo2024: {
    id: 'iea-gcmo-2024',
    publisher: 'International Energy Agency (2024)',
    edition: 'Global Critical Minerals Outlook 2024 and its Critical Minerals Data Explorer (base year 2023)',
    locator: 'Supply tables, refining by country, 2023',
    url: 'https://www.iea.org/reports/global-critical-minerals-outlook-2024',
    licence: 'CC BY 4.0',
  },
  gcmo2023: {
    id: 'iea-gcmo-2023',
    publisher: 'International Energy Agency (2023)',
    edition: 'Critical Minerals Market Review 2023 and its Critical Minerals Data Explorer (base year 2022)',
    locator: 'Supply tables, refining by country, 2022',
    url: 'https://www.iea.org/reports/critical-minerals-market-review-2023',
    licence: 'CC BY 4.0',
  },
} satisfies Record<string, CuratedDocument>;

/** The six minerals of the IEA's supply tables (same order as src/engine/coalition/share.ts `IEA_SIX`). */
export const IEA_SUPPLY_SIX = ['copper', 'lithium', 'nickel', 'cobalt', 'graphite', 'rare-earths'] as const;

/**
 * The IEA's own "Top 3 share" row (Data Explorer 2025; the same 48 numbers as the test excerpt
 * test/fixtures/engine-iea-top3-share, whose PROVENANCE.md says where they were cut from), fractions of the IEA total.
 */
export const IEA_TOP3_SHARE_2025: Array<{ materialId: string; stage: 'mining' | 'refining'; top3Share: Record<number, number> }> = [
  { materialId: 'copper', stage: 'mining', top3Share: { 2024: 0.48183732561200315, 2030: 0.4741461002842899, 2035: 0.4803981004344751, 2040: 0.5049254862338974 } },
  { materialId: 'copper', stage: 'refining', top3Share: { 2024: 0.5717042755344418, 2030: 0.5693875126240123, 2035: 0.5880988938677029, 2040: 0.5971165269884083 } },
  { materialId: 'cobalt', stage: 'mining', top3Share: { 2024: 0.8100116754418526, 2030: 0.8295498402857971, 2035: 0.8263687958844961, 2040: 0.815718595681392 } },
  { materialId: 'cobalt', stage: 'refining', top3Share: { 2024: 0.8871157161819215, 2030: 0.8668853832734014, 2035: 0.8541992188840521, 2040: 0.855168803918143 } },
  { materialId: 'lithium', stage: 'mining', top3Share: { 2024: 0.7676767089536862, 2030: 0.6694607713920957, 2035: 0.6796565730063338, 2040: 0.6859661864010062 } },
  { materialId: 'lithium', stage: 'refining', top3Share: { 2024: 0.9607514469712212, 2030: 0.8531912358763178, 2035: 0.8509576392700361, 2040: 0.8510426477311382 } },
  { materialId: 'nickel', stage: 'mining', top3Share: { 2024: 0.7764827764827765, 2030: 0.7860546043270976, 2035: 0.8306997812315831, 2040: 0.8442033115249883 } },
  { materialId: 'nickel', stage: 'refining', top3Share: { 2024: 0.7779887286408663, 2030: 0.8127901522783118, 2035: 0.8283926812313939, 2040: 0.8283926812313939 } },
  { materialId: 'graphite', stage: 'mining', top3Share: { 2024: 0.9320544899539651, 2030: 0.8583188692270194, 2035: 0.8569871658737196, 2040: 0.8605989811752619 } },
  { materialId: 'graphite', stage: 'refining', top3Share: { 2024: 0.9816803161777256, 2030: 0.9136895869942294, 2035: 0.9037141691746235, 2040: 0.9019521939302921 } },
  { materialId: 'rare-earths', stage: 'mining', top3Share: { 2024: 0.8617866191494338, 2030: 0.7448015444272559, 2035: 0.7586147712769292, 2040: 0.7586147712769292 } },
  { materialId: 'rare-earths', stage: 'refining', top3Share: { 2024: 0.9695332297837876, 2030: 0.9219773445972506, 2035: 0.9205608108037711, 2040: 0.9205608108037711 } },
];

/**
 * Headline: "the average market share of the top three refining nations" for copper, lithium, nickel, cobalt, graphite
 * and rare earths "rose to 86% in 2024 from around 82% in 2020" (GCMO 2025, key findings; also on the IEA's critical
 * minerals topic page). Read as fractions with the IEA's rounding: ±0.5 points for 86%, ±1 point for "around 82%".
 */
export const IEA_TOP3_REFINING_AVERAGE: Array<{ year: number; value: number; words: string; tolerance: number }> = [
  { year: 2020, value: 0.82, words: 'around 82%', tolerance: 0.01 },
  { year: 2024, value: 0.86, words: '86%', tolerance: 0.005 },
];

/**
 * Earlier editions that would give refining by country for the years before 2024. None is held here: the IEA's 2023 and
 * 2024 data explorers (base years 2022 and 2023) are workbooks behind the IEA site's download, not in our source folder
 * (/work/shared/data/iea-critical-minerals holds the 2025 release only), and no per-mineral 2020 top-3 refining table
 * was found in the IEA's published text (searched: GCMO 2025 key findings, GCMO 2024 market review, press coverage).
 * The 2020 average above is published; the per-mineral 2020 values behind it are not, so 2020 cannot be recomputed.
 */
export const IEA_EARLIER_EDITIONS: Array<{ baseYear: number; document: CuratedDocument; held: false; reason: string }> = [
  {
    baseYear: 2020,
    document: IEA_DOCS.gcmo2025,
    held: false,
    reason: 'the IEA publishes only the 2020 average (around 82%); its per-mineral 2020 refining shares are not in the 2025 data explorer or text',
  },
  {
    baseYear: 2022,
    document: IEA_DOCS.gcmo2023,
    held: false,
    reason: 'the 2023 data explorer workbook (base year 2022) is not in our source data and could not be obtained here',
  },
  {
    baseYear: 2023,
    document: IEA_DOCS.gcmo2024,
    held: false,
    reason: 'the 2024 data explorer workbook (base year 2023) is not in our source data and could not be obtained here',
  },
];

/**
 * N-1, 2035 (GCMO 2025): refined supply without the largest supplier against demand net of that supplier's own use:
 * "35-40%" for graphite and rare earths, "less than 55%" for nickel, "65%" for lithium and cobalt, and nearly all for
 * copper. Read with a stated tolerance: "about X-Y%" = X-2.5 .. Y+2.5 points, "about 65%" = 60-70%, "under 55%" = below
 * 55%, "nearly all" = at least 90%.
 */
export const IEA_N1_2035: Record<string, { band: [number, number]; words: string }> = {
  graphite: { band: [0.325, 0.425], words: 'about 35-40%' },
  'rare-earths': { band: [0.325, 0.425], words: 'about 35-40%' },
  nickel: { band: [0, 0.55], words: 'under 55%' },
  lithium: { band: [0.6, 0.7], words: 'about 65%' },
  cobalt: { band: [0.6, 0.7], words: 'about 65%' },
  copper: { band: [0.9, Number.POSITIVE_INFINITY], words: 'nearly all' },
};
