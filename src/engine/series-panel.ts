/**
 * What each source says: every published series of a material × stage × year cell side by side (USGS, BGS, the IEA; each
 * basis and scenario), with its HHI, top-3 and N-1 figures, ranked by the series rule (src/engine/dataset.ts: rank 1 is
 * the series every headline figure uses). An analyst who doubts a headline sees at once whether another publisher tells
 * a different story, and by how much.
 *
 * The figures are those of `concentration()` (src/engine/concentration.ts). Two inputs, the same rows: the in-memory index
 * (`seriesPanel`, observations grouped here) or the store's series summary (`seriesPanelFromSummary`, computed in SQL at
 * import, src/store/summary.ts), which needs no observation in JS. Plain data in and out.
 *
 * N-1 here is the gross reading: the share of the series' total left when its largest supplier is removed (1 − top-1).
 * The netted, demand-side reading is the stress test's (src/engine/stress/sweep.ts); this panel has no demand.
 */
import { getMaterial } from '../model/materials.ts';
import { countryName } from '../model/countries.ts';
import { cite, type Citation } from '../model/provenance.ts';
import type { Basis, Source, Stage } from '../model/schema.ts';
import { seriesConcentration, type Concentration } from './concentration.ts';
import { describeSeries, rankCandidates, type CandidateFacts, type DatasetIndex } from './dataset.ts';

export interface SeriesPanelRow {
  materialId: string;
  material: string;
  stage: Stage;
  year: number;
  /** 1 = the series the series rule picks (the one every headline uses); then the alternatives in rule order. */
  rank: number;
  sourceId: string;
  dataset: string;
  basis: Basis;
  unit: string;
  scenario: string | null;
  /** Any figure in the series is an estimate. */
  estimated: boolean;
  entries: number;
  /** Null figures: the series has no country shares (only aggregates, or every country withheld); `gap` says so. */
  total: number | null;
  totalBasis: Concentration['totalBasis'] | null;
  producers: number | null;
  hhi: number | null;
  hhiPoints: number | null;
  top1Share: number | null;
  top3Share: number | null;
  largest: { countryId: string; country: string; share: number } | null;
  /** Share of the series' total left without its largest supplier (gross N-1: 1 − top-1). */
  n1RemainingShare: number | null;
  chinaShare: number | null;
  /** Named countries whose figure is withheld or not available. */
  gaps: number | null;
  gap: string | null;
  source: Citation;
}

export interface SeriesPanelOptions {
  materials?: string[];
  stages?: Stage[];
  years?: number[];
}

/** One series' facts and figures, whichever input it came from (the store reads them from its summary: `readSeriesFigures`). */
export interface PanelSeries {
  facts: CandidateFacts;
  materialId: string;
  stage: Stage;
  estimated: boolean;
  detail: string;
  figures: {
    total: number;
    totalBasis: Concentration['totalBasis'];
    producers: number;
    hhi: number;
    top1Share: number;
    top3Share: number;
    largest: { countryId: string; share: number } | null;
    chinaShare: number | null;
    gaps: number;
  } | null;
}

const NO_SHARES = 'no country shares: the series holds only aggregates, or every named country is withheld';

function panelRows(cells: Iterable<PanelSeries[]>, sources: (id: string) => Source): SeriesPanelRow[] {
  const out: SeriesPanelRow[] = [];
  const names = new Map<string, string>();
  // One citation per source, detail and material (a series' years share it): the same record, made once.
  const citations = new Map<string, Citation>();
  for (const cell of cells) {
    if (!cell.length) continue;
    const { materialId, stage } = cell[0];
    let material = names.get(materialId);
    if (material === undefined) names.set(materialId, (material = getMaterial(materialId)?.name ?? materialId));
    const ranked = cell.length === 1 ? cell : rankCandidates(cell, { materialId, stage, year: cell[0].facts.year }, (s) => s.facts);
    const citationOf = (sourceId: string, detail: string) => {
      const k = `${sourceId}|${materialId}|${detail}`;
      let c = citations.get(k);
      if (!c) citations.set(k, (c = cite(sources(sourceId), detail, material)));
      return c;
    };
    ranked.forEach((s, i) => {
      const f = s.figures;
      // No producer with a figure (only aggregates, or every named country withheld): an HHI of 0 would say "no
      // concentration" where the source says nothing, so the row is a gap.
      const usable = f !== null && f.producers > 0;
      out.push({
        materialId,
        material,
        stage,
        year: s.facts.year,
        rank: i + 1,
        sourceId: s.facts.sourceId,
        dataset: s.facts.dataset,
        basis: s.facts.basis,
        unit: s.facts.unit,
        scenario: s.facts.scenario,
        estimated: s.estimated,
        entries: s.facts.entries,
        total: usable ? f.total : null,
        totalBasis: usable ? f.totalBasis : null,
        producers: usable ? f.producers : null,
        hhi: usable ? f.hhi : null,
        hhiPoints: usable ? Math.round(f.hhi * 10_000) : null,
        top1Share: usable ? f.top1Share : null,
        top3Share: usable ? f.top3Share : null,
        largest: usable && f.largest ? { countryId: f.largest.countryId, country: countryName(f.largest.countryId), share: f.largest.share } : null,
        n1RemainingShare: usable ? 1 - f.top1Share : null,
        chinaShare: usable ? f.chinaShare : null,
        gaps: usable ? f.gaps : null,
        gap: usable ? null : NO_SHARES,
        source: citationOf(s.facts.sourceId, s.detail),
      });
    });
  }
  return out;
}

const wanted = (opts: SeriesPanelOptions) => {
  const materials = opts.materials && new Set(opts.materials);
  const stages = new Set(opts.stages ?? (['mining', 'refining'] as Stage[]));
  const years = opts.years && new Set(opts.years);
  return (m: string, st: Stage, y: number) => (!materials || materials.has(m)) && stages.has(st) && (!years || years.has(y));
};

/** The panel from the in-memory index (its observations grouped into series here). */
export function seriesPanel(index: DatasetIndex, opts: SeriesPanelOptions = {}): SeriesPanelRow[] {
  const keep = wanted(opts);
  // Stages in name order, as the summary is ordered (so both paths give the same rows in the same order).
  const stages = [...(opts.stages ?? (['mining', 'refining'] as Stage[]))].sort();
  const cells: PanelSeries[][] = [];
  for (const m of opts.materials ?? [...index.materials].sort()) {
    for (const st of stages) {
      for (const y of index.years(m, st)) {
        if (!keep(m, st, y)) continue;
        // Every series of the cell: no filter, so `candidates` returns them all.
        const all = index.candidates({ materialId: m, stage: st, year: y });
        cells.push(
          all.map((s) => {
            const c = seriesConcentration(s.entries, s.source.dataset);
            return {
              facts: describeSeries(s),
              materialId: m,
              stage: st,
              estimated: s.entries.some((e) => e.estimated),
              detail: [...new Set(s.entries.map((e) => e.detail).filter((d): d is string => !!d))].slice(0, 2).join('; '),
              figures: c && { ...c, gaps: c.gaps.length, largest: c.largest && { countryId: c.largest.countryId, share: c.largest.share } },
            };
          }),
        );
      }
    }
  }
  return panelRows(cells, (id) => index.source(id));
}

/**
 * The panel from the store's series summary (`readSeriesFigures`: ordered by material, stage, year); `sources`: every
 * source the series cite. A cell's series are consecutive, so cells are cut in one pass.
 */
export function seriesPanelFromSummary(series: readonly PanelSeries[], sources: ReadonlyMap<string, Source>, opts: SeriesPanelOptions = {}): SeriesPanelRow[] {
  const keep = wanted(opts);
  const cells: PanelSeries[][] = [];
  let cell: PanelSeries[] = [];
  for (const r of series) {
    if (!keep(r.materialId, r.stage, r.facts.year)) continue;
    const last = cell[0];
    if (last && (last.materialId !== r.materialId || last.stage !== r.stage || last.facts.year !== r.facts.year)) {
      cells.push(cell);
      cell = [];
    }
    cell.push(r);
  }
  if (cell.length) cells.push(cell);
  return panelRows(cells, (id) => {
    const s = sources.get(id);
    if (!s) throw new Error(`series summary cites unknown source ${id}`);
    return s;
  });
}
