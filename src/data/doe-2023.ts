/**
 * DOE 2023 Critical Materials Assessment: what we hold of its published results, and what we do not.
 *
 * Held: the 2023 DOE Critical Materials List (critical materials for energy, through 2035), as announced by the DOE with
 * the assessment (energy.gov, July 2023; also reported by Green Car Congress, 2023-08-01): aluminum, cobalt, copper,
 * dysprosium, electrical steel, fluorine, gallium, iridium, lithium, magnesium, natural graphite, neodymium, nickel,
 * platinum, praseodymium, terbium, silicon and silicon carbide. Its notes: praseodymium is critical in the medium term but
 * only near-critical in the short term; terbium scores slightly below dysprosium in the short term.
 *
 * Not held: the per-material indicator scores (1-4) of the matrix. Four of its seven indicators (basic availability,
 * competing technology demand, co-dependence on other markets, substitutability limitations) are scored by the DOE
 * from its own supply/demand modelling and expert elicitation, per material; the scores are in the report's chapters and
 * appendices, which could not be obtained here (searched: the DOE announcement, press coverage, public code). They are
 * stated as gaps per indicator, never approximated.
 */
import type { CuratedDocument } from '../model/provenance.ts';

export const DOE_2023_LIST_DOC: CuratedDocument = {
  id: 'doe2023List',
  publisher: 'U.S. Department of Energy (2023)',
  edition: '2023 DOE Critical Materials List (from the 2023 Critical Materials Assessment)',
  locator: 'Critical materials for energy, short term 2020-2025 and medium term 2025-2035',
  url: 'https://www.energy.gov/cmm/what-are-critical-materials-and-critical-minerals',
  licence: 'U.S. public domain',
};

/** Material ids on the 2023 DOE Critical Materials List (ids of our registry; electrical steel has none). */
export const DOE_2023_CRITICAL: ReadonlySet<string> = new Set([
  'aluminium',
  'cobalt',
  'copper',
  'dysprosium',
  'fluorspar', // listed as fluorine; fluorspar is its mineral source in our registry
  'gallium',
  'iridium',
  'lithium',
  'magnesium',
  'graphite', // natural graphite
  'neodymium',
  'nickel',
  'platinum',
  'praseodymium',
  'terbium',
  'silicon',
  'silicon-carbide',
]);

/** Short-term notes of the list (everything listed is critical in the medium term). */
export const DOE_2023_SHORT_TERM_NOTE: Record<string, string> = {
  praseodymium: 'near-critical in the short term (more substitutable in magnets than neodymium), critical in the medium term',
  terbium: 'criticality slightly below dysprosium in the short term',
};

/** Why each expert-scored indicator has no score here. */
export const DOE_INDICATOR_GAPS = {
  basicAvailability:
    'not obtained: the DOE 2023 score (its supply/demand growth modelling per material) is in the report, which could not be obtained here; no proxy is used',
  competingDemand: 'not obtained: the DOE 2023 score (growth of non-energy demand, expert-assessed per material) could not be obtained here; no proxy is used',
  codependence:
    'not obtained: the DOE 2023 score (by-product share, expert-assessed) could not be obtained here; our data holds no companionality shares; no proxy is used',
  substitutability: 'not obtained: the DOE 2023 score (expert elicitation per technology) could not be obtained here; no proxy is used',
} as const;
