/**
 * The worker side of a `DatasetWorkerPool` (./pool.ts), one code for every such worker (criticality, optimisation,
 * stress analyses): keep one dataset, sent once per index version, answer run requests with the report or the error.
 * Input errors go back with their field, kind and place, so the API answers them as it would on the event loop.
 */
import { parentPort } from 'node:worker_threads';
import { DatasetIndex, type Dataset, type TradeAsked } from '../../engine/dataset.ts';
import type { TradeTable } from '../../engine/trade-table.ts';
import { InputError, type InputErrorKind } from '../../model/errors.ts';

/** `trade`: the dataset held, with these trade flows instead (the same observations: `DatasetIndex.withTrade`). */
export type DatasetWorkerRequest<Input> =
  | { type: 'load'; version: number; dataset: Dataset }
  | { type: 'trade'; version: number; tradeTable: TradeTable; tradeAsked?: TradeAsked }
  | { type: 'run'; id: number; version: number; input: Input };

export type WorkerFailure =
  { kind: 'input'; field: string | null; inputKind: InputErrorKind; where: 'parameter' | 'file'; message: string } | { kind: 'other'; message: string };

/**
 * `tradeAsked`: the run (or an earlier one on this data version) asked for trade flows the dataset did not hold (a server
 * reading flows on demand); the pool notes them on the event loop's index, so the request runs again once they are read.
 */
export type DatasetWorkerReply = ({ id: number; ok: true; report: unknown } | { id: number; ok: false; error: WorkerFailure }) & { tradeAsked?: TradeAsked };

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
    if (m.type === 'trade') {
      // the pool sends flows only after a load of the same data (its other fields the same objects)
      index = index!.withTrade(m.tradeTable, m.tradeAsked);
      version = m.version;
      return;
    }
    const asked = () => (index?.tradeMissed() ? { tradeAsked: index.data.tradeAsked } : {});
    try {
      if (!index || m.version !== version) throw new Error(`worker holds dataset version ${version}, asked for ${m.version}`);
      const report = await run(index, m.input);
      parentPort!.postMessage({ id: m.id, ok: true, report, ...asked() } satisfies DatasetWorkerReply);
    } catch (e) {
      const error: WorkerFailure =
        e instanceof InputError
          ? { kind: 'input', field: e.field, inputKind: e.kind, where: e.where, message: e.message }
          : { kind: 'other', message: (e as Error).message };
      parentPort!.postMessage({ id: m.id, ok: false, error, ...asked() } satisfies DatasetWorkerReply);
    }
  });
}
