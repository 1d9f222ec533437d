/**
 * The worker side of a `DatasetWorkerPool` (./pool.ts), one code for every such worker (criticality, optimisation,
 * stress analyses): keep one dataset, sent once per index version, answer run requests with the report or the error.
 * Input errors go back with their field, kind and place, so the API answers them as it would on the event loop.
 */
import { parentPort } from 'node:worker_threads';
import { DatasetIndex, type Dataset } from '../../engine/dataset.ts';
import { InputError, type InputErrorKind } from '../../model/errors.ts';

export type DatasetWorkerRequest<Input> = { type: 'load'; version: number; dataset: Dataset } | { type: 'run'; id: number; version: number; input: Input };

export type WorkerFailure =
  { kind: 'input'; field: string | null; inputKind: InputErrorKind; where: 'parameter' | 'file'; message: string } | { kind: 'other'; message: string };

export type DatasetWorkerReply = { id: number; ok: true; report: unknown } | { id: number; ok: false; error: WorkerFailure };

/** Serve run requests in this worker thread with `run` (an engine call on the dataset the pool sent). */
export function serveDataset<Input>(run: (index: DatasetIndex, input: Input) => unknown): void {
  let index: DatasetIndex | null = null;
  let version = -1;
  parentPort!.on('message', async (m: DatasetWorkerRequest<Input>) => {
    if (m.type === 'load') {
      index = new DatasetIndex(m.dataset);
      version = m.version;
      return;
    }
    try {
      if (!index || m.version !== version) throw new Error(`worker holds dataset version ${version}, asked for ${m.version}`);
      parentPort!.postMessage({ id: m.id, ok: true, report: await run(index, m.input) } satisfies DatasetWorkerReply);
    } catch (e) {
      const error: WorkerFailure =
        e instanceof InputError
          ? { kind: 'input', field: e.field, inputKind: e.kind, where: e.where, message: e.message }
          : { kind: 'other', message: (e as Error).message };
      parentPort!.postMessage({ id: m.id, ok: false, error } satisfies DatasetWorkerReply);
    }
  });
}
