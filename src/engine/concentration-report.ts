/**
 * User-facing concentration results: one row per material × stage × year, with the figure's source, unit,
 * basis and gaps, and the change against the previous year of the same dataset ("is it getting worse?").
 */
import { getMaterial } from '../model/materials.ts';
import { countryName } from '../model/countries.ts';
import type { Basis, Stage } from '../model/schema.ts';
import { cite, type Citation } from '../model/provenance.ts';
import { DEFAULT_HHI_NORMALISATION, normalisedHhiFor, seriesConcentration, type Concentration, type HhiNormalisation } from './concentration.ts';
import type { DatasetIndex, SeriesChoice, SeriesQuery } from './dataset.ts';

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

export function concentrationRow(index: DatasetIndex, q: SeriesQuery, hhiNormalisation: HhiNormalisation = DEFAULT_HHI_NORMALISATION): ConcentrationRow | null {
  const choice = index.pick(q);
  const s = choice.series;
  if (!s) return null;
  const c = seriesConcentration(s.entries, s.source.dataset);
  // Only aggregates (a world total without country rows): no concentration can be computed, and 0 would mislead.
  if (!c || (c.producers === 0 && c.gaps.length === 0)) return null;
  const material = getMaterial(s.materialId)?.name ?? s.materialId;
  const details = [...new Set(s.entries.map((e) => e.detail).filter((d): d is string => !!d))];

  // Previous year of the same dataset and basis, so the trend compares like with like.
  const prevYears = index
    .years(s.materialId, s.stage)
    .filter((y) => y < s.year)
    .reverse();
  let previous: ConcentrationRow['previous'] = null;
  for (const y of prevYears) {
    const p = index.pick({ ...q, year: y, dataset: s.source.dataset, basis: s.basis, scenario: undefined }).series;
    const pc = p && seriesConcentration(p.entries, p.source.dataset);
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

  return {
    materialId: s.materialId,
    material,
    stage: s.stage,
    year: s.year,
    basis: s.basis,
    unit: s.unit,
    scenario: s.scenario,
    estimated: s.entries.some((e) => e.estimated),
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
    source: cite(s.source, details.length === 1 ? details[0] : details.slice(0, 2).join('; '), material),
    alternatives: choice.alternatives,
  };
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
  const out: ConcentrationRow[] = [];
  const materials = opts.materials ?? [...index.materials].sort();
  const stages = opts.stages ?? (['mining', 'refining'] as Stage[]);
  for (const m of materials) {
    for (const st of stages) {
      const years = index.years(m, st);
      if (opts.years === 'latest' || opts.years === undefined) {
        // the latest historical year with country figures (a newer year where every country is withheld does not count)
        const hist = years.filter((y) => hasHistorical(index, m, st, y, opts.dataset)).reverse();
        for (const y of hist) {
          const row = concentrationRow(index, { materialId: m, stage: st, year: y, dataset: opts.dataset }, opts.hhiNormalisation);
          if (row && row.producers > 0) {
            out.push(row);
            break;
          }
        }
        continue;
      }
      for (const y of years.filter((y) => (opts.years as number[]).includes(y))) {
        const row = concentrationRow(index, { materialId: m, stage: st, year: y, dataset: opts.dataset }, opts.hhiNormalisation);
        if (row) out.push(row);
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
