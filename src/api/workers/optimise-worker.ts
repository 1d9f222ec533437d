/**
 * Worker thread for optimisation runs (building stress-derived scenarios and solving with HiGHS take from a few hundred
 * milliseconds to seconds): keeps one dataset, sent once per index version, and answers run requests. Started by
 * ./optimise-pool.ts; the engine stays pure, this file only moves messages.
 */
import { parentPort } from 'node:worker_threads';
import { DatasetIndex, type Dataset } from '../../engine/dataset.ts';
import { OptimiseError, runOptimisation, type OptimiseRequest } from '../../engine/optimise/index.ts';

export type OptimiseWorkerRequest =
  { type: 'load'; version: number; dataset: Dataset } | { type: 'run'; id: number; version: number; request: OptimiseRequest };
export type OptimiseWorkerReply =
  | { id: number; ok: true; report: unknown }
  | { id: number; ok: false; error: { kind: 'optimise' | 'other'; field?: string; errorKind?: string; message: string } };

let index: DatasetIndex | null = null;
let version = -1;

parentPort!.on('message', async (m: OptimiseWorkerRequest) => {
  if (m.type === 'load') {
    index = new DatasetIndex(m.dataset);
    version = m.version;
    return;
  }
  try {
    if (!index || m.version !== version) throw new Error(`worker holds dataset version ${version}, asked for ${m.version}`);
    parentPort!.postMessage({ id: m.id, ok: true, report: await runOptimisation(index, m.request) } satisfies OptimiseWorkerReply);
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({
      id: m.id,
      ok: false,
      error: e instanceof OptimiseError ? { kind: 'optimise', field: e.field, errorKind: e.kind, message: e.message } : { kind: 'other', message: err.message },
    } satisfies OptimiseWorkerReply);
  }
});
