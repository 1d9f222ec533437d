/**
 * Two views of one criticality report, so a client fetches what it shows:
 *   summary       every material's scores, classes, bands, ranks, defaults and messages (the table and the matrices),
 *                 without the per-material working: the inputs (with their values and sources), the EU and GeoPolRisk
 *                 stage breakdowns and the DOE indicator scores. The inputs' citations are kept once each, with the
 *                 methods that used them, so source lines can still be drawn, and the DOE indicators left unscored once
 *                 per reason, with the materials they concern. About a quarter of the full report's size.
 *   one material  the full report restricted to one material (or group): its results with every input, taken from the
 *                 same run as the summary, so bands, ranks and the divergence driver are the ones the table shows (a
 *                 run over that material alone would draw other Monte Carlo samples and rank it among nothing).
 */
import { citationKey, type Citation } from '../../model/provenance.ts';
import type { CriticalityReport, Method } from './index.ts';
import type { EuResult } from './eu.ts';
import type { DoeIndicator, DoeResult, DoeTerm, GeoPolRiskResult, UsgsResult } from './others.ts';

export const CRITICALITY_VIEWS = ['full', 'summary'] as const;
export type CriticalityView = (typeof CRITICALITY_VIEWS)[number];

export type EuSummary = Omit<EuResult, 'inputs' | 'stages'>;
export type DoeTermSummary = Omit<DoeTerm, 'indicators' | 'undetermined'>;
export type DoeSummary = Omit<DoeResult, 'inputs' | 'shortTerm' | 'mediumTerm' | 'published'> & {
  shortTerm: DoeTermSummary;
  mediumTerm: DoeTermSummary;
  published: Omit<DoeResult['published'], 'source'>;
};
export type UsgsSummary = Omit<UsgsResult, 'inputs'>;
export type GeoPolRiskSummary = Omit<GeoPolRiskResult, 'inputs' | 'stages'>;

/** A DOE indicator without a score in one term, the reason (its basis), and the materials it concerns. */
export interface DoeUnscored {
  term: 'shortTerm' | 'mediumTerm';
  indicator: string;
  basis: string;
  materialIds: string[];
}

/** One citation of the inputs, with the methods whose inputs cite it. */
export interface InputSource {
  source: Citation;
  methods: Method[];
}

export interface CriticalitySummary extends Omit<CriticalityReport, 'eu' | 'doe' | 'usgs' | 'geopolrisk'> {
  view: 'summary';
  eu: EuSummary[];
  doe: DoeSummary[];
  usgs: UsgsSummary[];
  geopolrisk: GeoPolRiskSummary[];
  /** The distinct citations of every input left out, in order of first use. */
  inputSources: InputSource[];
  /** The DOE indicators left without a score, grouped by term, indicator and reason. */
  doeUnscored: DoeUnscored[];
}

// The summary leaves out why a class is undetermined: the reasons are in `doeUnscored`, once per reason, and the
// comparison row names the axes.
const termSummary = ({ indicators: _i, undetermined: _u, ...t }: DoeTerm): DoeTermSummary => t;

function doeUnscored(doe: DoeResult[]): DoeUnscored[] {
  const groups = new Map<string, DoeUnscored>();
  for (const d of doe)
    for (const term of ['shortTerm', 'mediumTerm'] as const)
      for (const i of d[term].indicators.filter((x: DoeIndicator) => x.score === null)) {
        const key = JSON.stringify([term, i.indicator, i.basis]);
        const g = groups.get(key) ?? groups.set(key, { term, indicator: i.indicator, basis: i.basis, materialIds: [] }).get(key)!;
        g.materialIds.push(d.materialId);
      }
  return [...groups.values()];
}

export function criticalitySummary(rep: CriticalityReport): CriticalitySummary {
  const sources = new Map<string, { source: Citation; methods: Set<Method> }>();
  const cite = (method: Method, results: Array<{ inputs: Array<{ source: Citation }> }>) => {
    for (const r of results)
      for (const { source } of r.inputs) {
        const key = citationKey(source);
        (sources.get(key) ?? sources.set(key, { source, methods: new Set() }).get(key)!).methods.add(method);
      }
  };
  cite('eu', rep.eu);
  cite('doe', rep.doe);
  cite('usgs', rep.usgs);
  cite('geopolrisk', rep.geopolrisk);
  const { eu, doe, usgs, geopolrisk, ...rest } = rep;
  return {
    ...rest,
    view: 'summary',
    eu: eu.map(({ inputs: _i, stages: _s, ...e }) => e),
    doe: doe.map(({ inputs: _i, shortTerm, mediumTerm, published, ...d }) => ({
      ...d,
      published: { onList: published.onList, note: published.note },
      shortTerm: termSummary(shortTerm),
      mediumTerm: termSummary(mediumTerm),
    })),
    usgs: usgs.map(({ inputs: _i, ...u }) => u),
    geopolrisk: geopolrisk.map(({ inputs: _i, stages: _s, ...g }) => g),
    inputSources: [...sources.values()].map(({ source, methods }) => ({ source, methods: [...methods] })),
    doeUnscored: doeUnscored(doe),
  };
}

/** The report restricted to one material or group id; null when the report does not assess it. */
export function reportForMaterial(rep: CriticalityReport, materialId: string): CriticalityReport | null {
  if (!rep.comparison.some((c) => c.materialId === materialId)) return null;
  const only = <T extends { materialId: string }>(xs: T[]): T[] => xs.filter((x) => x.materialId === materialId);
  return { ...rep, eu: only(rep.eu), doe: only(rep.doe), usgs: only(rep.usgs), geopolrisk: only(rep.geopolrisk), comparison: only(rep.comparison) };
}
