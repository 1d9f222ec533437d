/**
 * Worker thread for the stress analyses the API runs on request (a scenario, an N-1 sweep over every country: 2-35 ms
 * cold on the bundle, far more on a large store): keeps one dataset, sent once per index version, and answers run
 * requests. Started by ./analysis-pool.ts; the engine stays pure, this file only names the engine calls
 * (./dataset-worker.ts moves the messages).
 */
import { n1Sweep } from '../../engine/stress/sweep.ts';
import { runScenario } from '../../scenario/run.ts';
import type { Scenario } from '../../scenario/schema.ts';
import { serveDataset } from './dataset-worker.ts';

export type AnalysisJob = { fn: 'stress'; scenario: Scenario } | { fn: 'n1'; opts: Parameters<typeof n1Sweep>[1] };

serveDataset<AnalysisJob>((index, job) => (job.fn === 'stress' ? runScenario(index, job.scenario) : { rows: n1Sweep(index, job.opts) }));
