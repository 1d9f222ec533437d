/** Shared constants, types and helpers of the Criticality page (web/src/pages/Criticality.tsx and ./*.tsx). */
import { type Citation } from '../../api.ts';
import { mergeCitations } from '../../../../src/model/provenance.ts';
import { fixed } from '../../format.ts';
import type { Band, CriticalityReport, CriticalitySummary, Method, YearCoverage, compareWithOfficialList } from '../../../../src/engine/criticality/index.ts';

export type OfficialList = { officialListComparison: ReturnType<typeof compareWithOfficialList> | null };
export type CriticalityResponse = CriticalitySummary & OfficialList;
export type CriticalityDetail = CriticalityReport & OfficialList;

/** EU thresholds: critical ⇔ SR ≥ 1.0 and EI ≥ 2.8 (Blengini et al. 2017; docs/criticality.md §3). */
export const SR_T = 1.0;
export const EI_T = 2.8;
/** Rank spread (worst − best rank over the methods) from which rankings are flagged as diverging. */
export const DIVERGING = 10;

/** The year is not fixed: without one in the URL the page opens on GET /api/criticality/years' defaultYear. */
export const DEFAULTS = { as: 'EU', method: 'all', samples: '100' };

/** GET /api/criticality/years: results per method and year, and the default year with its rule. */
export interface CriticalityYears {
  method: string;
  as: string;
  years: YearCoverage[];
  defaultYear: number | null;
  rule: string;
  noResults: Method[];
}
export const METHOD_NAME: Record<Method, string> = { eu: 'EU JRC', doe: 'DOE 2023-style', usgs: 'USGS 2022-style', geopolrisk: 'GeoPolRisk' };
export const RANK_LETTER: Record<Method, string> = { eu: 'E', doe: 'D', usgs: 'U', geopolrisk: 'G' };
export const ASSESSOR_SUGGESTIONS: Array<[string, string]> = [
  ['EU', 'European Union (EU27)'],
  ['USA', 'United States'],
  ['JPN', 'Japan'],
  ['KOR', 'Korea'],
  ['IND', 'India'],
  ['CHN', 'China'],
  ['G7', 'G7 members'],
  ['MSP', 'Minerals Security Partnership'],
  ['OECD', 'OECD members'],
  ['USA+CAN', 'a list: United States and Canada'],
];
export const CLASS_COLOR: Record<string, string> = { critical: '#b2182b', 'near-critical': '#d95f02', 'not critical': '#2f6fa7' };
export const STATUS_COLOR: Record<string, string> = {
  data: '#1a7f37',
  published: '#1f4e79',
  proxy: '#5e3c99',
  derived: '#35607f',
  default: '#8a4b00',
  missing: '#a50f15',
};

export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const stageName = (s: string | null | undefined): string => (s === 'mining' ? 'extraction' : s === 'refining' ? 'processing' : (s ?? '—'));
export const yesNo = (b: boolean | null | undefined): string => (b === true ? 'yes' : b === false ? 'no' : '?');
export const bandText = (b: Band | null | undefined, digits = 2): string => (b ? `${fixed(b.p5, digits)}–${fixed(b.p95, digits)}` : '—');
export const distinct = <T>(xs: T[]): T[] => [...new Set(xs)];
export const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** A raw input value: numbers up to 3 decimals, text as given, null → "—". */
export const inputValue = (v: number | string | null): string =>
  v === null ? '—' : typeof v === 'number' ? (Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 3 }) : '—') : v;
/** "Gallium: EI not computed — …" → "EI not computed — …" (the material is named by the row already). */
export const stripMaterial = (msg: string, name: string): string => (msg.startsWith(`${name}: `) ? msg.slice(name.length + 2) : msg);
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

// ---------------------------------------------------------------------------------------------------------------
// Sources: the inputs' citations as the API sends them, one line per source (defaults are not sources)
// ---------------------------------------------------------------------------------------------------------------

export const inputCitations = (cs: Citation[]): Citation[] => mergeCitations(cs.filter((c) => c.status !== 'default'));

/** The inputs' citations for the given methods (all when omitted), in order of first use. */
export const inputSources = (r: CriticalitySummary, methods?: Method[]): Citation[] =>
  r.inputSources.filter((s) => !methods || s.methods.some((m) => methods.includes(m))).map((s) => s.source);

/**
 * An engine message written for the CLI ("…; assess with --year 2024") as the page says it: the flag becomes the year
 * to open, which the page offers as a button.
 */
export function pageMessage(m: string): { text: string; year: string | null } {
  const hit = /;? assess with --year (\d{4})/.exec(m);
  return hit ? { text: m.replace(hit[0], ''), year: hit[1] } : { text: m, year: null };
}
