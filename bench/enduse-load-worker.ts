/**
 * One size of bench/enduse-load.ts, in its own process: with `build`, writes the bundle scaled ×f into a store file;
 * otherwise opens that store and times what `stress --n1 --all` reads into JS besides the series summary (end-use rows,
 * sources, groupings, registry; no WGI), three times, and prints JSON.
 */
import { Store } from '../src/store/store.ts';
import { loadDataset } from '../src/store/load.ts';
import { DatasetIndex } from '../src/engine/dataset.ts';
import { scaledDataset } from './generate.ts';

const [mode, bundlePath, storePath, factorArg] = process.argv.slice(2);
const factor = Number(factorArg);
if (mode === 'build') {
  const b = await Store.open(bundlePath, { readOnly: true });
  const data = scaledDataset(await loadDataset(b), factor);
  b.close();
  const s = await Store.open(storePath);
  await s.applyBatch(
    { kind: 'bench', file: `scaled-${factor}`, sources: [...data.sources.values()], observations: data.observations, warnings: [] },
    `scaled-${factor}`,
  );
  s.close();
  console.log(JSON.stringify({ factor, observations: data.observations.length }));
} else {
  const s = await Store.open(storePath, { readOnly: true });
  const cpuMs: number[] = [];
  let rows = 0;
  for (let i = 0; i < 3; i++) {
    const c0 = process.cpuUsage();
    const d = await loadDataset(s, { stages: ['end_use'], governance: false });
    new DatasetIndex(d);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
    rows = d.observations.length;
  }
  s.close();
  console.log(
    JSON.stringify({ factor, rows, firstCpuMs: cpuMs[0], medianCpuMs: [...cpuMs].sort((a, b) => a - b)[1], heapMiB: process.memoryUsage().heapUsed / 2 ** 20 }),
  );
}
