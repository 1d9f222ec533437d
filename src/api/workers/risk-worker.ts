/**
 * Worker thread for Monte Carlo shards: receives a spec and a shard, answers with the shard's mergeable summary.
 * Started by ./risk-pool.ts; the engine stays pure, this file only moves messages.
 */
import { parentPort } from 'node:worker_threads';
import { runMonteCarloShard, type RiskSummary } from '../../engine/risk/montecarlo.ts';
import type { RiskSpec } from '../../engine/risk/model.ts';

export type RiskWorkerRequest = { id: number; spec: RiskSpec; seed: number; shardIndex: number; shardCount: number };
export type RiskWorkerReply = { id: number; ok: true; summary: RiskSummary } | { id: number; ok: false; error: { field: string | null; message: string } };

parentPort!.on('message', (m: RiskWorkerRequest) => {
  try {
    const summary = runMonteCarloShard(m.spec, { seed: m.seed, shardIndex: m.shardIndex, shardCount: m.shardCount });
    parentPort!.postMessage({ id: m.id, ok: true, summary } satisfies RiskWorkerReply);
  } catch (e) {
    const err = e as Error & { field?: string };
    parentPort!.postMessage({ id: m.id, ok: false, error: { field: err.field ?? null, message: err.message } } satisfies RiskWorkerReply);
  }
});
