/**
 * Run by test/ingest/hostile-files.test.ts in a fresh process: import one file with one importer, validate the batch,
 * and print the resident-memory growth over the process's own baseline as JSON. A separate process because RSS in a
 * test worker carries whatever earlier tests left behind.
 * Usage: node --expose-gc --import tsx test/ingest/import-memory.ts <kind> <file>
 */
import { statSync } from 'node:fs';
import { importerFor, validateBatch } from '../../src/ingest/index.ts';

const [kind, file] = process.argv.slice(2);
const run = importerFor(kind).run;
(globalThis as { gc?: () => void }).gc?.();
const base = process.memoryUsage().rss;
let peak = base;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
const batch = await run(file);
validateBatch(batch);
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(sample);
const records = batch.observations.length + (batch.governance?.length ?? 0) + (batch.tradeFlows?.length ?? 0);
console.log(JSON.stringify({ bytes: statSync(file).size, records, baseRss: base, peakRss: peak }));
