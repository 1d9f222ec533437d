/**
 * Run by test/ingest/import-memory.test.ts in a fresh process: import one file through `importPath` into a new store
 * file, and print the resident-memory growth over the process's own baseline (store open, importer loaded) as JSON.
 * A separate process because RSS in a test worker carries whatever earlier tests left behind.
 * Usage: node --expose-gc --import tsx test/ingest/import-memory.ts <kind> <file> <store file>
 */
import { statSync } from 'node:fs';
import { importerFor, importPath } from '../../src/ingest/index.ts';
import { Store } from '../../src/store/store.ts';

const [kind, file, storeFile] = process.argv.slice(2);
const store = await Store.open(storeFile);
await importerFor(kind).stream?.(); // load the importer's module before the baseline
(globalThis as { gc?: () => void }).gc?.();
const base = process.memoryUsage().rss;
const baseHeap = process.memoryUsage().heapUsed;
let peak = base;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
const started = Date.now();
const r = await importPath(store, kind, file);
peak = Math.max(peak, process.memoryUsage().rss);
clearInterval(sample);
store.close();
const records = r.observations + r.governance + r.tradeFlows + r.prices + r.groupings;
console.log(JSON.stringify({ bytes: statSync(file).size, records, baseRss: base, peakRss: peak, baseHeap, ms: Date.now() - started }));
