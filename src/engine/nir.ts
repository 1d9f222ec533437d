/**
 * U.S. net import reliance by year, across MCS editions. Each edition's salient statistics repeat the four years before
 * its data year, and the USGS revises them (cobalt 2022: 76% in MCS2023, 73% in MCS2025). Rule: per country × year the
 * newest edition wins; within an edition the MCS Fig. 2 figure (one per commodity) comes before the salient tables,
 * then the highest of several salient series (ores vs refined products), the conservative reading. The figures of
 * older editions are kept beside the winner as `revisions` (one per edition, by the same rule), with the revision
 * (newest − older, percentage points) shown, never dropped.
 */
import { getMaterial } from '../model/materials.ts';
import type { Observation, ValueStatus } from '../model/schema.ts';
import { cite, type Citation } from '../model/provenance.ts';
import type { DatasetIndex } from './dataset.ts';
import { nirRank } from './criticality/inputs.ts';

export interface NirFigure {
  countryId: string;
  year: number;
  percent: number | null;
  status: ValueStatus;
  estimated: boolean;
  note: string | null;
  /** Edition label ("MCS2025") and year, so a revision says which edition it came from. */
  edition: string | null;
  editionYear: number;
  source: Citation;
}

export interface NirRevision extends NirFigure {
  /** Newest figure minus this edition's figure, percentage points; null when either is not a number. */
  revision: number | null;
}

export interface NirYear extends NirFigure {
  /** Figures for the same year from older editions, newest first. */
  revisions: NirRevision[];
  /** True when an older edition published a different figure (or status) for the year. */
  revised: boolean;
}

export function netImportRelianceByYear(index: DatasetIndex, materialId: string): NirYear[] {
  const name = getMaterial(materialId)?.name ?? materialId;
  const ranked = index
    .observationsOf(materialId)
    .filter((o) => o.measure === 'net_import_reliance')
    .map((o) => ({ o, src: index.source(o.sourceId) }))
    .sort((a, b) => b.src.editionYear - a.src.editionYear || nirRank(a.o) - nirRank(b.o) || (b.o.value ?? -1) - (a.o.value ?? -1));
  // best figure per country × year × edition, in precedence order
  const groups = new Map<string, Map<number, { o: Observation; src: (typeof ranked)[number]['src'] }>>();
  for (const r of ranked) {
    const k = `${r.o.countryId}|${r.o.year}`;
    let byEdition = groups.get(k);
    if (!byEdition) groups.set(k, (byEdition = new Map()));
    if (!byEdition.has(r.src.editionYear)) byEdition.set(r.src.editionYear, r);
  }
  const figure = ({ o, src }: { o: Observation; src: (typeof ranked)[number]['src'] }): NirFigure => ({
    countryId: o.countryId,
    year: o.year,
    percent: o.value,
    status: o.status,
    estimated: o.estimated,
    note: o.note,
    edition: src.edition,
    editionYear: src.editionYear,
    source: cite(src, o.detail, name),
  });
  const out: NirYear[] = [];
  for (const byEdition of groups.values()) {
    const [head, ...older] = [...byEdition.values()].map(figure); // Map keeps insertion order: newest edition first
    const revisions = older.map((f) => ({ ...f, revision: head.percent !== null && f.percent !== null ? head.percent - f.percent : null }));
    out.push({ ...head, revisions, revised: revisions.some((r) => r.percent !== head.percent || r.status !== head.status) });
  }
  return out.sort((a, b) => a.countryId.localeCompare(b.countryId) || a.year - b.year);
}

/** "MCS2023: 76% (revised −3 points)": one line per older edition, for tables and the CLI. */
export function revisionText(r: NirYear): string {
  return r.revisions
    .map((v) => {
      const fig = v.percent === null ? v.status : `${v.percent}%`;
      const d =
        v.revision === null || v.revision === 0
          ? v.percent === r.percent
            ? 'unchanged'
            : 'status changed'
          : `revised ${v.revision > 0 ? '+' : '−'}${Math.abs(v.revision)} points`;
      return `${v.edition ?? v.editionYear}: ${fig} (${d})`;
    })
    .join('; ');
}
