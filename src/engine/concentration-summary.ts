/**
 * Concentration rows from the store's series summary (src/store/summary.ts) instead of from observations: the summary
 * holds one row per published series (material × stage × measure × year × source × basis × unit × scenario) with the
 * figures `concentration()` gives for it, computed in SQL at import, and one row per country with its share. This module
 * is plain data in, plain data out: it picks series by the same rule as the index (`rankCandidates`) and runs the same
 * sweep (`concentrationSweepOf`), so the rows are the ones `concentrationSweep` gives on the observations.
 *
 * Which definition is canonical: `concentration()` in concentration.ts (with its method notes). The SQL mirrors it step
 * for step, additions in the same order, so its figures are the same doubles, not merely close; test/store/summary.test.ts
 * checks every series of the bundle, bit for bit.
 */
import { countryName } from '../model/countries.ts';
import type { Source, Stage } from '../model/schema.ts';
import { normalisedHhi, type Concentration, type CountryShare, type Gap } from './concentration.ts';
import { concentrationSweepOf, type ConcentrationRow, type SeriesSource, type SweepOptions } from './concentration-report.ts';
import { defaultMeasure, pickCandidate, rankCandidates, type CandidateFacts, type SeriesQuery } from './dataset.ts';
import type { Measure } from '../model/schema.ts';
import type { DatasetIndex } from './dataset.ts';
import { stageCountries } from './stress/network.ts';
import { n1SweepOf, type N1Row, type N1SupplySource, type N1SweepOptions } from './stress/sweep.ts';

/** One series of the summary: the facts the series rule ranks on, and its concentration (null: no world shares). */
export interface SeriesSummary extends CandidateFacts {
  id: number;
  materialId: string;
  stage: Stage;
  measure: Measure;
  /** Any entry is an estimate. */
  estimated: boolean;
  /** What its citation names as the detail (`SeriesFacts.detail`). */
  detail: string;
  concentration: SummaryConcentration | null;
}

export interface SummaryConcentration {
  total: number;
  totalBasis: Concentration['totalBasis'];
  worldTotal: number | null;
  namedTotal: number;
  unallocatedShare: number;
  producers: number;
  hhi: number;
  top1Share: number;
  top3Share: number;
  top5Share: number;
  largest: { countryId: string; value: number; share: number; estimated: boolean; bound: CountryShare['bound'] } | null;
  chinaShare: number | null;
  gaps: number;
}

/** The country rows of one series: named suppliers largest first, then gaps in entry order. */
export interface SeriesDetail {
  shares: CountryShare[];
  gaps: Gap[];
}

/**
 * A series source over summary rows. `sources`: every source the rows cite. Shares and gaps are not needed to pick or
 * compare series; `concentrationSweepFromSummary` reads them for the rows it returns only.
 */
export function summarySeries(
  rows: readonly SeriesSummary[],
  sources: ReadonlyMap<string, Source>,
  detail?: ReadonlyMap<number, SeriesDetail>,
): SeriesSource<SeriesSummary> {
  const cells = new Map<string, SeriesSummary[]>();
  const years = new Map<string, Set<number>>();
  const materials = new Set<string>();
  for (const r of rows) {
    const k = `${r.materialId}|${r.stage}|${r.measure}|${r.year}`;
    let list = cells.get(k);
    if (!list) cells.set(k, (list = []));
    list.push(r);
    materials.add(r.materialId);
    const ms = `${r.materialId}|${r.stage}`;
    let ys = years.get(ms);
    if (!ys) years.set(ms, (ys = new Set()));
    ys.add(r.year);
  }
  const cell = (q: SeriesQuery) => cells.get(`${q.materialId}|${q.stage}|${q.measure ?? defaultMeasure(q.stage)}|${q.year}`) ?? [];
  const facts = (r: SeriesSummary): CandidateFacts => r;
  const candidates = (q: SeriesQuery) => rankCandidates(cell(q), q, facts);
  return {
    materials: () => [...materials].sort(),
    years: (m, st) => [...(years.get(`${m}|${st}`) ?? [])].sort((a, b) => a - b),
    hasHistorical: (m, st, y, dataset) => cell({ materialId: m, stage: st, year: y }).some((r) => r.scenario === null && (!dataset || r.dataset === dataset)),
    pick: (q) => pickCandidate(candidates, q, facts),
    facts: (r) => {
      const source = sources.get(r.sourceId);
      if (!source) throw new Error(`series summary cites unknown source ${r.sourceId}`);
      return {
        materialId: r.materialId,
        stage: r.stage,
        year: r.year,
        basis: r.basis,
        unit: r.unit,
        scenario: r.scenario,
        source,
        estimated: r.estimated,
        detail: r.detail,
      };
    },
    concentration: (r) => {
      const c = r.concentration;
      if (!c) return null;
      const d = detail?.get(r.id);
      return {
        total: c.total,
        totalBasis: c.totalBasis,
        worldTotal: c.worldTotal,
        namedTotal: c.namedTotal,
        unallocatedShare: c.unallocatedShare,
        producers: c.producers,
        // Without the country rows (not read yet), the sweep needs only the number of gaps; `withDetail` adds them.
        shares: d?.shares ?? [],
        hhi: c.hhi,
        hhiUpper: c.hhi + c.unallocatedShare * c.unallocatedShare,
        hhiNormalised: normalisedHhi(c.hhi, c.producers),
        hhiNormalisedFixed10: normalisedHhi(c.hhi, 10),
        top1Share: c.top1Share,
        top3Share: c.top3Share,
        top5Share: c.top5Share,
        largest: c.largest,
        chinaShare: c.chinaShare,
        gaps: d?.gaps ?? Array.from({ length: c.gaps }, () => ({ countryId: '', status: 'not_available' as const })),
      };
    },
  };
}

/** A row with its series' country shares and gaps (as `concentrationRow` lists them). */
export function withDetail(row: ConcentrationRow, d: SeriesDetail): ConcentrationRow {
  return {
    ...row,
    shares: d.shares.map((x) => ({ ...x, country: countryName(x.countryId) })),
    gaps: d.gaps.map((g) => ({ ...g, country: countryName(g.countryId) })),
  };
}

/**
 * The concentration sweep on summary rows; `detail` gives the country rows of the series picked (the store reads them for
 * those series only).
 */
export async function concentrationSweepFromSummary(
  rows: readonly SeriesSummary[],
  sources: ReadonlyMap<string, Source>,
  opts: SweepOptions,
  detail: (ids: number[]) => Promise<Map<number, SeriesDetail>>,
): Promise<ConcentrationRow[]> {
  const picked = concentrationSweepOf(summarySeries(rows, sources), opts);
  const details = await detail(picked.map((p) => p.series.id));
  return picked.map(({ row, series }) => {
    const d = details.get(series.id);
    if (!d) throw new Error(`series summary has no country rows for series ${series.id} (${row.materialId} ${row.stage} ${row.year})`);
    return withDetail(row, d);
  });
}

/**
 * The N-1 sweep with supply from summary rows and demand from `demandIndex` (end-use rows suffice). Two passes: the first
 * picks each cell's series (no country rows needed), then `detail` reads the country rows of those series only.
 */
export async function n1SweepFromSummary(
  rows: readonly SeriesSummary[],
  sources: ReadonlyMap<string, Source>,
  demandIndex: DatasetIndex,
  opts: N1SweepOptions,
  detail: (ids: number[]) => Promise<Map<number, SeriesDetail>>,
): Promise<N1Row[]> {
  const picked = new Set<number>();
  // Filled between the passes: the source reads it at call time.
  const d = new Map<number, SeriesDetail>();
  let planning = true;
  const src = summarySeries(rows, sources, d);
  const supply: N1SupplySource = {
    materials: () => src.materials(),
    years: (m, st) => src.years(m, st),
    hasSeries: (m, st, y, dataset) => src.pick({ materialId: m, stage: st, year: y, dataset }).series !== null,
    supply: (m, st, y, dataset) => {
      const s = src.pick({ materialId: m, stage: st, year: y, dataset }).series;
      if (!s) return null;
      if (planning) {
        picked.add(s.id);
        return null;
      }
      const c = src.concentration(s);
      if (!c) return null;
      return { countries: stageCountries(c), totalTonnes: c.total, sourceId: s.sourceId, basis: s.basis, scenario: s.scenario };
    },
  };
  n1SweepOf(supply, demandIndex, opts);
  for (const [id, x] of await detail([...picked])) d.set(id, x);
  planning = false;
  return n1SweepOf(supply, demandIndex, opts);
}
