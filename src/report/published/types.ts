/**
 * A published figure set (a table in a report or dataset we hold as our own cited copy) compared with what the
 * product computes from its loaded data. `npm run check:published` prints every comparison; tests assert counts
 * within tolerance, never today's individual errors.
 */
import type { DatasetIndex } from '../../engine/dataset.ts';
import type { Citation } from '../../model/provenance.ts';

export interface PublishedRow {
  /** What is compared, e.g. "tungsten SR" or "lithium refining top-3 2024". */
  key: string;
  published: number | string | null;
  ours: number | string | null;
  /** null when the row cannot be compared (a stated gap: `cause` says why). */
  within: boolean | null;
  /** Why ours differs beyond tolerance, or why the row is a gap. Required when `within` is not true. */
  cause?: string;
}

export interface PublishedComparison {
  id: string;
  title: string;
  /** The published table the figures come from. */
  source: Citation;
  tolerance: { abs?: number; rel?: number; text: string };
  rows: PublishedRow[];
  /** Whole-table notes, e.g. an edition that cannot be obtained here. */
  notes: string[];
}

export type PublishedCheck = (index: DatasetIndex) => PublishedComparison | Promise<PublishedComparison>;
