/**
 * User-facing concentration results: one row per material × stage × year, with the figure's source, unit,
 * basis and gaps, and the change against the previous year of the same dataset ("is it getting worse?").
 */
import { getMaterial } from '../model/materials.ts';
import { countryName } from '../model/countries.ts';
import type { Basis, Source, Stage } from '../model/schema.ts';
import { cite, type Citation } from '../model/provenance.ts';
import { DEFAULT_HHI_NORMALISATION, normalisedHhiFor, seriesConcentration, type Concentration, type HhiNormalisation } from './concentration.ts';
import type { DatasetIndex, Series, SeriesChoice, SeriesQuery } from './dataset.ts';

export interface ConcentrationRow {
  materialId: string;
  material: string;
  stage: Stage;
  year: number;
  basis: Basis;
  unit: string;
  scenario: string | null;
  estimated: boolean; // any figure in the series is an estimate
  total: number;
  totalBasis: Concentration['totalBasis'];
  producers: number;
  hhi: number;
  hhiPoints: number;
  /** Normalised HHI under `hhiNormalisation` (see src/engine/concentration.ts). */
  hhiNormalised: number;
  hhiNormalisation: HhiNormalisation;
  top1Share: number;
  top3Share: number;
  top5Share: number;
  largest: { countryId: string; country: string; share: number } | null;
  chinaShare: number | null;
  unallocatedShare: number;
  shares: Array<{ countryId: string; country: string; value: number; share: number; estimated: boolean; bound: 'lower' | 'upper' | null }>;
  gaps: Array<{ countryId: string; country: string; status: string }>;
  previous: { year: number; hhi: number; top3Share: number; chinaShare: number | null; hhiChange: number; top3ShareChange: number } | null;
  source: Citation;
  alternatives: SeriesChoice['alternatives'];
}

/**
 * Where a concentration row's series come from: the in-memory index (`indexSeries`: observations, concentration computed
 * here) or the store's series summary (src/store/summary.ts: concentration computed in SQL at import). The sweep below
 * is one algorithm over either, so both give the same rows (test/store/summary.test.ts).
 */
export interface SeriesSource<S> {
  materials(): string[];
  years(materialId: string, stage: Stage): number[];
  /** The cell has a base-case (historical) row of the dataset asked for. */
  hasHistorical(materialId: string, stage: Stage, year: number, dataset?: string): boolean;
  pick(q: SeriesQuery): { series: S | null; alternatives: SeriesChoice['alternatives'] };
  facts(s: S): SeriesFacts;
  concentration(s: S): Concentration | null;
}

/** What a row says about its series besides the concentration figures. */
export interface SeriesFacts {
  materialId: string;
  stage: Stage;
  year: number;
  basis: Basis;
  unit: string;
  scenario: string | null;
  source: Source;
  estimated: boolean;
  /** What its citation names as the detail: the distinct `detail` texts of its entries, the first two, joined by "; ". */
  detail: string;
}

export function indexSeries(index: DatasetIndex): SeriesSource<Series> {
  return {
    materials: () => [...index.materials].sort(),
    years: (m, st) => index.years(m, st),
    hasHistorical: (m, st, y, dataset) => hasHistorical(index, m, st, y, dataset),
    pick: (q) => index.pick(q),
    facts: (s) => ({
      materialId: s.materialId,
      stage: s.stage,
      year: s.year,
      basis: s.basis,
      unit: s.unit,
      scenario: s.scenario,
      source: s.source,
      estimated: s.entries.some((e) => e.estimated),
      detail: [...new Set(s.entries.map((e) => e.detail).filter((d): d is string => !!d))].slice(0, 2).join('; '),
    }),
    concentration: (s) => seriesConcentration(s.entries, s.source.dataset),
  };
}

export function concentrationRow(index: DatasetIndex, q: SeriesQuery, hhiNormalisation: HhiNormalisation = DEFAULT_HHI_NORMALISATION): ConcentrationRow | null {
  return concentrationRowOf(indexSeries(index), q, hhiNormalisation)?.row ?? null;
}

/** One row and the series it was computed from. */
export function concentrationRowOf<S>(
  src: SeriesSource<S>,
  q: SeriesQuery,
  hhiNormalisation: HhiNormalisation = DEFAULT_HHI_NORMALISATION,
): { row: ConcentrationRow; series: S } | null {
  const choice = src.pick(q);
  const s = choice.series;
  if (!s) return null;
  const c = src.concentration(s);
  // Only aggregates (a world total without country rows): no concentration can be computed, and 0 would mislead.
  if (!c || (c.producers === 0 && c.gaps.length === 0)) return null;
  const f = src.facts(s);
  const material = getMaterial(f.materialId)?.name ?? f.materialId;

  // Previous year of the same dataset and basis, so the trend compares like with like.
  const prevYears = src
    .years(f.materialId, f.stage)
    .filter((y) => y < f.year)
    .reverse();
  let previous: ConcentrationRow['previous'] = null;
  for (const y of prevYears) {
    const p = src.pick({ ...q, year: y, dataset: f.source.dataset, basis: f.basis, scenario: undefined }).series;
    const pc = p && src.concentration(p);
    if (pc) {
      previous = {
        year: y,
        hhi: pc.hhi,
        top3Share: pc.top3Share,
        chinaShare: pc.chinaShare,
        hhiChange: c.hhi - pc.hhi,
        top3ShareChange: c.top3Share - pc.top3Share,
      };
      break;
    }
  }

  const row: ConcentrationRow = {
    materialId: f.materialId,
    material,
    stage: f.stage,
    year: f.year,
    basis: f.basis,
    unit: f.unit,
    scenario: f.scenario,
    estimated: f.estimated,
    total: c.total,
    totalBasis: c.totalBasis,
    producers: c.producers,
    hhi: c.hhi,
    hhiPoints: Math.round(c.hhi * 10_000),
    hhiNormalised: normalisedHhiFor(c, hhiNormalisation),
    hhiNormalisation,
    top1Share: c.top1Share,
    top3Share: c.top3Share,
    top5Share: c.top5Share,
    largest: c.largest ? { countryId: c.largest.countryId, country: countryName(c.largest.countryId), share: c.largest.share } : null,
    chinaShare: c.chinaShare,
    unallocatedShare: c.unallocatedShare,
    shares: c.shares.map((x) => ({ ...x, country: countryName(x.countryId) })),
    gaps: c.gaps.map((g) => ({ ...g, country: countryName(g.countryId) })),
    previous,
    source: cite(f.source, f.detail, material),
    alternatives: choice.alternatives,
  };
  return { row, series: s };
}

export interface SweepOptions {
  stages?: Stage[];
  years?: number[] | 'latest';
  dataset?: string;
  materials?: string[];
  hhiNormalisation?: HhiNormalisation;
}

/** Concentration for many materials/stages/years; 'latest' picks each material-stage's latest historical year. */
export function concentrationSweep(index: DatasetIndex, opts: SweepOptions = {}): ConcentrationRow[] {
  return concentrationSweepOf(indexSeries(index), opts).map((x) => x.row);
}

/** The sweep over any series source, each row with the series it was computed from. */
export function concentrationSweepOf<S>(src: SeriesSource<S>, opts: SweepOptions = {}): Array<{ row: ConcentrationRow; series: S }> {
  const out: Array<{ row: ConcentrationRow; series: S }> = [];
  const materials = opts.materials ?? src.materials();
  const stages = opts.stages ?? (['mining', 'refining'] as Stage[]);
  for (const m of materials) {
    for (const st of stages) {
      const years = src.years(m, st);
      if (opts.years === 'latest' || opts.years === undefined) {
        // the latest historical year with country figures (a newer year where every country is withheld does not count)
        const hist = years.filter((y) => src.hasHistorical(m, st, y, opts.dataset)).reverse();
        for (const y of hist) {
          const r = concentrationRowOf(src, { materialId: m, stage: st, year: y, dataset: opts.dataset }, opts.hhiNormalisation);
          if (r && r.row.producers > 0) {
            out.push(r);
            break;
          }
        }
        continue;
      }
      for (const y of years.filter((y) => (opts.years as number[]).includes(y))) {
        const r = concentrationRowOf(src, { materialId: m, stage: st, year: y, dataset: opts.dataset }, opts.hhiNormalisation);
        if (r) out.push(r);
      }
    }
  }
  return out;
}

function hasHistorical(index: DatasetIndex, m: string, st: Stage, y: number, dataset?: string): boolean {
  return index
    .rows(m, st, st === 'reserves' ? 'reserves' : 'production', y)
    .some((o) => o.scenario === null && (!dataset || index.source(o.sourceId).dataset === dataset));
}
