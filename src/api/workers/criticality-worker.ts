/**
 * Worker thread for criticality runs (Monte Carlo bands make them take seconds): keeps one dataset, sent once per index
 * version, and answers run requests. Started by ./pool.ts; the engine stays pure, this file only moves messages.
 */
import { parentPort } from 'node:worker_threads';
import { DatasetIndex, type Dataset } from '../../engine/dataset.ts';
import { runCriticality, type CriticalityOptions } from '../../engine/criticality/index.ts';
import { InputError, type InputErrorKind } from '../../model/errors.ts';

export type WorkerRequest = { type: 'load'; version: number; dataset: Dataset } | { type: 'run'; id: number; version: number; opts: CriticalityOptions };
export type WorkerReply =
  | { id: number; ok: true; report: unknown }
  | { id: number; ok: false; error: { kind: 'input' | 'other'; field?: string | null; inputKind?: InputErrorKind; message: string } };

let index: DatasetIndex | null = null;
let version = -1;

parentPort!.on('message', (m: WorkerRequest) => {
  if (m.type === 'load') {
    index = new DatasetIndex(m.dataset);
    version = m.version;
    return;
  }
  try {
    if (!index || m.version !== version) throw new Error(`worker holds dataset version ${version}, asked for ${m.version}`);
    parentPort!.postMessage({ id: m.id, ok: true, report: runCriticality(index, m.opts) } satisfies WorkerReply);
  } catch (e) {
    const err = e as Error;
    parentPort!.postMessage({
      id: m.id,
      ok: false,
      error: e instanceof InputError ? { kind: 'input', field: e.field, inputKind: e.kind, message: e.message } : { kind: 'other', message: err.message },
    } satisfies WorkerReply);
  }
});
