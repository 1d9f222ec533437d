/**
 * IEA GCMO 2025 N-1, 2035: refined supply without the largest supplier against world demand net of that supplier's own
 * use (our netted reading, src/engine/demand/netted-n1.ts, via the stress scenario). A row is within when our central
 * netted coverage lands in the IEA's band (src/data/published-iea.ts says how the words are read). A miss says why, from
 * the figures: the own use we net, its keys, and the own use the IEA's band would need.
 */
import { IEA_DOCS, IEA_N1_2035 } from '../../data/published-iea.ts';
import { citeDocument } from '../../model/provenance.ts';
import { runScenario, scenarioFromFlags } from '../../scenario/run.ts';
import type { DatasetIndex } from '../../engine/dataset.ts';
import type { PublishedComparison, PublishedRow } from './types.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export interface IeaN1Row extends PublishedRow {
  materialId: string;
  removed: string | null;
  netted: number | null;
  range: { low: number; high: number | null } | null;
  ownUse: number | null;
}

export function ieaN1Rows(index: DatasetIndex): IeaN1Row[] {
  return Object.entries(IEA_N1_2035).map(([materialId, { band, words }]) => {
    const f = scenarioFromFlags({ material: materialId, stage: 'refining', year: 2035, n1: true });
    // IEA refined graphite is battery-grade: compare it with the battery-grade demand series (docs/demand.md §1)
    if (materialId === 'graphite') f.demandScope = 'battery-grade';
    const key = `${materialId} refined N-1 coverage 2035`;
    const r = runScenario(index, f);
    const c = r.coverage;
    const u = r.ownUse[0];
    const removed = r.excluded[0]?.countryId ?? null;
    const netted = c.coverageNettedRatio;
    if (netted === null || !u || !c.demandWorldTonnes) {
      const why = [...r.gaps, ...(c.coverageNettedRatio === null ? ['no netted reading'] : [])].join('; ');
      return { key, materialId, removed, netted: null, range: null, ownUse: null, published: words, ours: null, within: null, cause: `not computed: ${why}` };
    }
    const [lo, hi] = band;
    const within = netted >= lo && netted <= hi;
    let cause: string | undefined;
    if (!within) {
      // the own use d* that would put the central reading at the edge of the band nearest to ours
      const target = netted < lo ? lo : hi;
      const implied = 1 - c.remainingTonnes / (c.demandWorldTonnes * target);
      const range = c.coverageNettedRange!;
      cause =
        `${removed} removed; we net its own use at ${pct(u.share)} of ${u.demandScope ?? 'demand'} (${pct(u.low)}-${pct(u.high)}; ${u.sourceText})` +
        `${u.assumed ? ', partly assumed' : ''}; the IEA's ${words} needs own use of about ${pct(implied)}` +
        `; our range ${pct(range.low)}-${range.high === null ? '∞' : pct(range.high)} ${range.low <= hi && (range.high === null || range.high >= lo) ? 'reaches' : 'does not reach'} the band`;
    }
    return {
      key,
      materialId,
      removed,
      netted,
      range: c.coverageNettedRange,
      ownUse: u.share,
      published: words,
      ours: Number((netted * 100).toFixed(1)),
      within,
      ...(cause ? { cause } : {}),
    };
  });
}

export function ieaN1Check(index: DatasetIndex): PublishedComparison {
  return {
    id: 'iea-n1-2035',
    title: 'IEA GCMO 2025 N-1, 2035: refined supply without the largest supplier vs demand net of its own use (ours in %)',
    source: citeDocument(IEA_DOCS.gcmo2025, 'published', 'N-1 coverage of demand in 2035 by mineral'),
    tolerance: { text: 'the IEA words read as bands: "about X-Y%" ±2.5 points, "about 65%" 60-70%, "under 55%" below 55%, "nearly all" ≥ 90%' },
    rows: ieaN1Rows(index).map(({ key, published, ours, within, cause }) => ({ key, published, ours, within, ...(cause ? { cause } : {}) })),
    notes: ['STEPS demand, IEA base-case refined supply (Data Explorer 2025); own use from src/engine/demand/own-use.ts (docs/demand.md).'],
  };
}
