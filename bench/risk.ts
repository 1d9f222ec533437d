/**
 * Monte Carlo benchmark: 100,000 multi-stage disruption samples (copula draws, network propagation, monthly recovery
 * and stockpile, price) for one material (gallium) and for the 6-material battery basket, on the bundled dataset.
 * Each is run on the worker pool over all cores and, in the same run, in one thread (the baseline); both must give
 * the identical summary (checked), since the result does not depend on how the samples are split.
 */
import { availableParallelism } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { openKnowledgeBase } from '../src/store/knowledge-base.ts';
import { buildRiskSpec, validateRiskScenario } from '../src/scenario/risk-build.ts';
import { runMonteCarlo } from '../src/engine/risk/montecarlo.ts';
import { RiskPool } from '../src/api/workers/risk-pool.ts';

const SAMPLES = 100_000;

export async function benchRisk(): Promise<void> {
  const kb = await openKnowledgeBase({ dbPath: ':memory:' });
  const index = kb.index;
  kb.close();
  const cores = availableParallelism();
  const pool = new RiskPool(cores);
  try {
    // Start the threads and load the worker code before timing (a server or CLI pays this once, ~0.1–1 s).
    const warm = buildRiskSpec(index, validateRiskScenario({ version: 1, kind: 'risk', materials: ['gallium'], samples: 1000 }));
    await pool.run(warm.spec, 1);
    for (const [label, sel] of [
      ['one material (gallium)', { materials: ['gallium'] }],
      ['battery basket (6 materials)', { basket: 'battery' }],
    ] as const) {
      const built = buildRiskSpec(index, validateRiskScenario({ version: 1, kind: 'risk', ...sel, samples: SAMPLES, seed: 1 }));
      const t0 = performance.now();
      const parallel = await pool.run(built.spec, built.seed);
      const tPar = performance.now() - t0;
      const t1 = performance.now();
      const single = runMonteCarlo(built.spec, built.seed);
      const tOne = performance.now() - t1;
      const same = isDeepStrictEqual(parallel, single);
      console.log(
        `${label}: ${SAMPLES.toLocaleString('en')} samples, ${built.spec.units.length} units — ${cores} threads ${(tPar / 1000).toFixed(2)} s` +
          ` vs single thread ${(tOne / 1000).toFixed(2)} s (${(tOne / tPar).toFixed(1)}×); target < 5 s: ${tPar < 5000 ? 'met' : 'MISSED'}; identical summaries: ${same ? 'yes' : 'NO'}`,
      );
      if (!same) process.exitCode = 1;
    }
  } finally {
    await pool.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRisk();
