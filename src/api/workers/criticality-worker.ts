/**
 * Worker thread for criticality runs (Monte Carlo bands make them take seconds). Started by ./pool.ts; the engine stays
 * pure, this file only names the engine call (./dataset-worker.ts moves the messages).
 */
import { runCriticality, type CriticalityOptions } from '../../engine/criticality/index.ts';
import { serveDataset } from './dataset-worker.ts';

serveDataset<CriticalityOptions>((index, opts) => runCriticality(index, opts));
