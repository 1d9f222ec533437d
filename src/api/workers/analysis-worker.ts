/**
 * Worker thread for the stress analyses the API runs on request (a scenario, an N-1 sweep over every country: 2-35 ms
 * cold on the bundle, far more on a large store): keeps one dataset, sent once per index version, and answers run
 * requests. Started by ./analysis-pool.ts; the engine stays pure, this file only moves messages. Input errors go back
 * with their field and kind, so the API answers them as it would on the event loop.
 */
import { parentPort } from 'node:worker_threads';
import { DatasetIndex, type Dataset } from '../../engine/dataset.ts';
import { n1Sweep } from '../../engine/stress/sweep.ts';
import { InputError, type InputErrorKind } from '../../model/errors.ts';
import { runScenario } from '../../scenario/run.ts';
import type { Scenario } from '../../scenario/schema.ts';

export type AnalysisJob = { fn: 'stress'; scenario: Scenario } | { fn: 'n1'; opts: Parameters<typeof n1Sweep>[1] };

export type AnalysisWorkerRequest = { type: 'load'; version: number; dataset: Dataset } | { type: 'run'; id: number; version: number; job: AnalysisJob };
export type AnalysisWorkerReply =
  | { id: number; ok: true; report: unknown }
  | {
      id: number;
      ok: false;
      error:
        { kind: 'input'; field: string | null; inputKind: InputErrorKind; where: 'parameter' | 'file'; message: string } | { kind: 'other'; message: string };
    };

let index: DatasetIndex | null = null;
let version = -1;

function run(index: DatasetIndex, job: AnalysisJob): unknown {
  if (job.fn === 'stress') return runScenario(index, job.scenario);
  return { rows: n1Sweep(index, job.opts) };
}

parentPort!.on('message', (m: AnalysisWorkerRequest) => {
  if (m.type === 'load') {
    index = new DatasetIndex(m.dataset);
    version = m.version;
    return;
  }
  try {
    if (!index || m.version !== version) throw new Error(`worker holds dataset version ${version}, asked for ${m.version}`);
    parentPort!.postMessage({ id: m.id, ok: true, report: run(index, m.job) } satisfies AnalysisWorkerReply);
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({
      id: m.id,
      ok: false,
      error:
        e instanceof InputError
          ? { kind: 'input', field: e.field, inputKind: e.kind, where: e.where, message: e.message }
          : { kind: 'other', message: err.message },
    } satisfies AnalysisWorkerReply);
  }
});
