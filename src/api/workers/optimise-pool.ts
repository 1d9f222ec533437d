/**
 * Runs optimisations off the server's event loop, in one worker thread (the same pattern and bounds as ./pool.ts for
 * criticality: a copy of the dataset sent once per index version, at most QUEUE_MAX waiting, TIME_BUDGET_MS per run).
 * Runs are serialised: the wasm solver is single-threaded, and the other core serves the event loop.
 */
import { OptimiseError, type OptimiseReport, type OptimiseRequest } from '../../engine/optimise/index.ts';
import { DatasetWorkerPool } from './pool.ts';

export const optimisePool = new DatasetWorkerPool<OptimiseRequest, OptimiseReport>({
  workerModule: new URL('./optimise-worker.ts', import.meta.url),
  bundledName: 'optimise-worker',
  queued: 'optimisation runs are',
  run: 'the optimisation',
  worker: 'optimisation worker',
  smaller: 'fewer scenarios or materials',
  inputError: (field, message, kind) => new OptimiseError(field ?? 'request', message, kind),
});
