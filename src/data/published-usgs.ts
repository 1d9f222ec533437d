/**
 * Shares the USGS states in words in Mineral Commodity Summaries 2025 (the commodity chapters' "World Mine Production
 * and Reserves" / "Events, Trends, and Issues" text, data year 2024), held as our cited copy for the published-figure
 * harness. The words are read with a stated tolerance: "about X%" = ±3 points, "~98%" = at least 98%.
 */
import type { CuratedDocument } from '../model/provenance.ts';

export const USGS_MCS_2025_DOC: CuratedDocument = {
  id: 'usgs-mcs-2025-text',
  publisher: 'U.S. Geological Survey (2025)',
  edition: 'Mineral Commodity Summaries 2025',
  locator: 'Commodity chapters (cobalt, rare earths, gallium, graphite, nickel): world production by country, 2024, and text',
  url: 'https://doi.org/10.3133/mcs2025',
  licence: 'U.S. public domain',
};

export const USGS_MCS_2025_SHARES: Array<{
  materialId: string;
  stage: 'mining' | 'refining';
  countryId: string;
  words: string;
  value: number;
  /** [low, high] accepted as the words' meaning. */
  band: [number, number];
}> = [
  { materialId: 'cobalt', stage: 'mining', countryId: 'COD', words: 'about 75% of mined cobalt', value: 0.75, band: [0.72, 0.78] },
  { materialId: 'rare-earths', stage: 'mining', countryId: 'CHN', words: 'about 70% of mined rare earths', value: 0.7, band: [0.67, 0.73] },
  { materialId: 'gallium', stage: 'refining', countryId: 'CHN', words: '~98% of primary gallium', value: 0.98, band: [0.98, 1] },
  { materialId: 'graphite', stage: 'mining', countryId: 'CHN', words: 'about 80% of natural graphite', value: 0.8, band: [0.77, 0.83] },
  { materialId: 'nickel', stage: 'mining', countryId: 'IDN', words: 'about 60% of mined nickel', value: 0.6, band: [0.57, 0.63] },
];
