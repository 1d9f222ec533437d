/**
 * Worker thread for optimisation runs (building stress-derived scenarios and solving with HiGHS take from a few hundred
 * milliseconds to seconds). Started by ./optimise-pool.ts; the engine stays pure, this file only names the engine call
 * (./dataset-worker.ts moves the messages).
 */
import { runOptimisation, type OptimiseRequest } from '../../engine/optimise/index.ts';
import { serveDataset } from './dataset-worker.ts';

serveDataset<OptimiseRequest>((index, request) => runOptimisation(index, request));
