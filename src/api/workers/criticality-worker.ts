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
import { serveDataset } from './dataset-worker.ts';

/** `key` names the run (the API's cache key: the options that change the report). */
export type CriticalityJob = { key: string; opts: CriticalityOptions; output: 'report' | 'summary' | 'coverage' };
export type CriticalityAnswer = CriticalityReport | string | YearCoverage;

/** As many as the API's `criticality` cache bucket keeps. */
const REPORTS_KEPT = 8;
const kept = new WeakMap<DatasetIndex, Map<string, CriticalityReport>>();

/** The kept report of `key`, else a new run (kept unless `keep` is false: a coverage sweep over years would evict the
 * reports a page is showing). */
function reportOf(index: DatasetIndex, key: string, opts: CriticalityOptions, keep: boolean): CriticalityReport {
  let m = kept.get(index);
  if (!m) kept.set(index, (m = new Map()));
  let rep = m.get(key);
  if (rep) m.delete(key);
  else {
    rep = runCriticality(index, opts);
    if (!keep) return rep;
  }
  m.set(key, rep);
  if (m.size > REPORTS_KEPT) m.delete(m.keys().next().value!);
  return rep;
}

serveDataset<CriticalityJob>((index, job): CriticalityAnswer => {
  const rep = reportOf(index, job.key, job.opts, job.output !== 'coverage');
  if (job.output === 'summary')
    return JSON.stringify({ ...criticalitySummary(rep), officialListComparison: officialListComparisonOf(rep, job.opts.materials !== undefined) });
  if (job.output === 'coverage') return coverageOf(rep);
  return rep;
});
