/**
 * Worker thread for criticality runs (Monte Carlo bands make them take seconds). Started by ./pool.ts; the engine stays
 * pure, this file only names the engine calls (./dataset-worker.ts moves the messages).
 *
 * The worker keeps its last reports per data version and answers with what the request shows: the whole report, the
 * summary's JSON body (~120 kB, written here: copying a string to the event loop costs a memcpy, where a 0.4 MB
 * report costs a structured clone, a summary and a JSON write there), or one year's coverage. A later question on the
 * same run (a details panel, a download) is answered from the kept report, with the same Monte Carlo draws.
 */
import {
  coverageOf,
  criticalitySummary,
  officialListComparisonOf,
  runCriticality,
  type CriticalityOptions,
  type CriticalityReport,
  type YearCoverage,
} from '../../engine/criticality/index.ts';
import type { DatasetIndex } from '../../engine/dataset.ts';
import { IndexCache } from '../cache.ts';
import { serveDataset } from './dataset-worker.ts';

/** `key` names the run (the API's cache key: the options that change the report). */
export type CriticalityJob = { key: string; opts: CriticalityOptions; output: 'report' | 'summary' | 'coverage' };
export type CriticalityAnswer = CriticalityReport | string | YearCoverage;

/** The reports kept here: the API's one cache code, its `criticality` bucket bound, per data version. */
const kept = new IndexCache();

/** The kept report of `key`, else a new run, kept unless `keep` is false (a coverage sweep over years would evict the
 * reports a page is showing). */
function reportOf(index: DatasetIndex, key: string, opts: CriticalityOptions, keep: boolean): CriticalityReport {
  if (keep) return kept.memo(index, 'criticality', key, () => runCriticality(index, opts));
  return kept.get<CriticalityReport>(index, 'criticality', key) ?? runCriticality(index, opts);
}

serveDataset<CriticalityJob>((index, job): CriticalityAnswer => {
  const rep = reportOf(index, job.key, job.opts, job.output !== 'coverage');
  if (job.output === 'summary')
    return JSON.stringify({ ...criticalitySummary(rep), officialListComparison: officialListComparisonOf(rep, job.opts.materials !== undefined) });
  if (job.output === 'coverage') return coverageOf(rep);
  return rep;
});
