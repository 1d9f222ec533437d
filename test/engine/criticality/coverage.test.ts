/**
 * The year a criticality view opens on: the rule (most methods with results, then most results, then latest) on
 * hand-made coverages, and on the bundled dataset the default year for the USA with every method, cross-checked against
 * the report of that year run directly (its DOE classes, EU SRs and USGS scores are the counts the coverage gives).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { apiErrorResponse } from '../../../src/api/app.ts';
import { criticalityRoutes } from '../../../src/api/criticality-routes.ts';
import { readDeps } from '../../../src/api/deps.ts';
import { EU_USE_SHARES } from '../../../src/cli/criticality.ts';
import type { DatasetIndex } from '../../../src/engine/dataset.ts';
import { candidateYears, coverageOf, defaultYear, runCriticality, type YearCoverage } from '../../../src/engine/criticality/index.ts';
import { bundledIndex } from '../bundled-index.ts';

const cov = (year: number, scored: YearCoverage['scored']): YearCoverage => ({ year, materials: 90, scored });

describe('defaultYear', () => {
  it('prefers the year where more of the chosen methods have results, even with fewer results in total', () => {
    const years = [cov(2023, { eu: 88, doe: 0, usgs: 85 }), cov(2024, { eu: 81, doe: 5, usgs: 81 })];
    expect(defaultYear(years)).toBe(2024);
  });
  it('then the most results summed, then the latest year', () => {
    expect(defaultYear([cov(2022, { eu: 82 }), cov(2023, { eu: 88 }), cov(2024, { eu: 81 })])).toBe(2023);
    expect(defaultYear([cov(2022, { eu: 80 }), cov(2023, { eu: 80 })])).toBe(2023);
  });
  it('is null when no year has any result', () => {
    expect(defaultYear([cov(2030, { eu: 0, doe: 0 }), cov(2035, { eu: 0 })])).toBeNull();
    expect(defaultYear([])).toBeNull();
  });
});

describe('criticality years on the bundled dataset', () => {
  let index: DatasetIndex;
  beforeAll(async () => {
    index = await bundledIndex();
  }, 180_000);

  it('candidate years come from the data: the EU CRM 2023 tables and the USGS/IEA production years', () => {
    const years = candidateYears(index);
    expect(years).toContain(2023);
    expect(years).toEqual([...years].sort((a, b) => a - b));
  });

  it('coverageOf counts what the report holds', () => {
    const rep = runCriticality(index, { method: 'all', as: 'USA', year: 2024, samples: 0, uses: EU_USE_SHARES });
    const c = coverageOf(rep);
    expect(c.scored.doe).toBe(rep.doe.filter((d) => d.shortTerm.class !== null).length);
    expect(c.scored.usgs).toBe(rep.usgs.filter((u) => u.partialScore !== null).length);
    expect(c.scored.geopolrisk).toBe(rep.geopolrisk.filter((g) => g.score !== null).length);
  });

  it('GET /api/criticality/years: USA, all methods opens on a year with DOE classes, and names GeoPolRisk as a gap', async () => {
    const app = new Hono();
    app.onError(apiErrorResponse);
    app.route('/api', criticalityRoutes(readDeps(() => index)));
    const r = await app.request('/api/criticality/years?as=USA&method=all');
    expect(r.status).toBe(200);
    const body = (await r.json()) as { years: YearCoverage[]; defaultYear: number; rule: string; noResults: string[] };
    const best = body.years.find((y) => y.year === body.defaultYear)!;
    const methodsWith = (y: YearCoverage) => Object.values(y.scored).filter((n) => n > 0).length;
    for (const y of body.years) expect(methodsWith(y)).toBeLessThanOrEqual(methodsWith(best));
    // The DOE has a class in the default year (2023, the EU CRM year, has none: its IEA demand split starts in 2024).
    expect(best.scored.doe).toBeGreaterThan(0);
    expect(body.years.find((y) => y.year === 2023)?.scored.doe).toBe(0);
    const direct = runCriticality(index, { method: 'all', as: 'USA', year: body.defaultYear, samples: 0, uses: EU_USE_SHARES });
    expect(best.scored.doe).toBe(direct.doe.filter((d) => d.shortTerm.class !== null).length);
    expect(body.noResults).toEqual(direct.geopolrisk.some((g) => g.score !== null) ? [] : ['geopolrisk']);
    expect(body.rule).toMatch(/most of the chosen methods/);
    const bad = await app.request('/api/criticality/years?as=XYZ&method=all');
    expect(bad.status).toBe(400);
  }, 180_000);
});
