/**
 * Which years a criticality assessment has results for, and the year a view should open on: computed from what is
 * loaded, never fixed. A method "has results" in a year when at least one material gets its headline result there:
 *   eu          a supply risk (SR)
 *   doe         a short-term class (importance and supply risk both computed; supply risk alone is not a class)
 *   usgs        a DP·TE score
 *   geopolrisk  a score
 * Default year: the year where the most of the chosen methods have results; ties → the most results summed over those
 * methods; then the latest year. Pure: works on reports already run and on the in-memory index.
 */
import { EU_GROUPS } from '../../data/criticality-parameters.ts';
import type { DatasetIndex } from '../dataset.ts';
import { isNum } from './common.ts';
import type { CriticalityReport, Method } from './index.ts';

export interface YearCoverage {
  year: number;
  /** Materials assessed (groups left out). */
  materials: number;
  /** Materials with each method's headline result (methods not run are absent). */
  scored: Partial<Record<Method, number>>;
}

export const DEFAULT_YEAR_RULE =
  'the year where the most of the chosen methods have results (EU: a supply risk; DOE: a short-term class; USGS: a DP·TE score; GeoPolRisk: a score); ties: the most results summed over those methods, then the latest year';

/** Years with EU CRM global supply shares or with production by country at mining or refining, ascending. */
export function candidateYears(index: DatasetIndex): number[] {
  const years = new Set<number>();
  for (const o of index.data.observations) if (o.measure === 'supply_share' && o.detail === 'global') years.add(o.year);
  for (const m of index.materials) for (const st of ['mining', 'refining'] as const) for (const y of index.years(m, st)) years.add(y);
  return [...years].sort((a, b) => a - b);
}

export function coverageOf(rep: CriticalityReport): YearCoverage {
  const indiv = <T extends { materialId: string }>(xs: T[]) => xs.filter((x) => !EU_GROUPS[x.materialId]);
  const scored: Partial<Record<Method, number>> = {};
  for (const m of rep.methods)
    scored[m] =
      m === 'eu'
        ? indiv(rep.eu).filter((e) => isNum(e.sr)).length
        : m === 'doe'
          ? rep.doe.filter((d) => d.shortTerm.class !== null).length
          : m === 'usgs'
            ? rep.usgs.filter((u) => isNum(u.partialScore)).length
            : rep.geopolrisk.filter((g) => isNum(g.score)).length;
  return { year: rep.year, materials: indiv(rep.comparison).length, scored };
}

/** The year to open on (DEFAULT_YEAR_RULE), or null when no year has any result. */
export function defaultYear(years: YearCoverage[]): number | null {
  const key = (c: YearCoverage) => {
    const v = Object.values(c.scored);
    return [v.filter((n) => n > 0).length, v.reduce((a, n) => a + n, 0), c.year];
  };
  const best = years
    .filter((c) => Object.values(c.scored).some((n) => n > 0))
    .sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
      return 0;
    });
  return best[0]?.year ?? null;
}
