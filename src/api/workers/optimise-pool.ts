/**
 * Runs optimisations off the server's event loop, in one worker thread (the same pattern and bounds as ./pool.ts for
 * criticality: a copy of the dataset sent once per index version, at most QUEUE_MAX waiting, TIME_BUDGET_MS per run).
 * Runs are serialised: the wasm solver is single-threaded, and the other core serves the event loop.
 */
import { OptimiseError, type OptimiseReport, type OptimiseRequest } from '../../engine/optimise/index.ts';
import { DatasetWorkerPool } from './pool.ts';
import type { OptimiseWorkerReply, OptimiseWorkerRequest } from './optimise-worker.ts';

export const optimisePool = new DatasetWorkerPool<OptimiseRequest, OptimiseReport, OptimiseWorkerReply>({
  workerModule: new URL('./optimise-worker.ts', import.meta.url),
  bundledName: 'optimise-worker',
  queued: 'optimisation runs are',
  run: 'the optimisation',
  worker: 'optimisation worker',
  smaller: 'fewer scenarios or materials',
  runMessage: (id, version, request) => ({ type: 'run', id, version, request }) satisfies OptimiseWorkerRequest,
  settle: (m) =>
    m.ok
      ? { report: m.report as OptimiseReport }
      : {
          error:
            m.error.kind === 'optimise'
              ? new OptimiseError(m.error.field ?? 'request', m.error.message, (m.error.errorKind ?? 'input') as OptimiseError['kind'])
              : new Error(m.error.message),
        },
});
