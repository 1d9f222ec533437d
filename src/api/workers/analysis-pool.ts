/**
 * Runs the stress analyses (GET/POST /api/stress, /api/stress/n1, /api/registry/measures/{id}/stress) off the
 * server's event loop, in one worker thread of their own (issue 11: only criticality and the optimisations ran off it;
 * a sweep over every country held every other request). The same pattern and bounds as ./pool.ts: a copy of the dataset
 * sent once per index version (its trade arrays shared), at most QUEUE_MAX waiting (more → 503), TIME_BUDGET_MS per
 * run (longer → the worker is replaced, 503).
 */
import { DatasetWorkerPool } from './pool.ts';
import type { AnalysisJob } from './analysis-worker.ts';

export const analysisPool = new DatasetWorkerPool<AnalysisJob, unknown>({
  workerModule: new URL('./analysis-worker.ts', import.meta.url),
  bundledName: 'analysis-worker',
  queued: 'stress analyses are',
  run: 'the stress analysis',
  worker: 'analysis worker',
  smaller: 'fewer materials, stages or years',
  busyField: 'material',
});
