/** The one worker-pool code (src/api/workers/pool.ts) behind the Monte Carlo pool: queue bound, time budget, recovery. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledIndex } from '../engine/bundled-index.ts';
import { buildRiskSpec, validateRiskScenario } from '../../src/scenario/risk-build.ts';
import { runMonteCarlo } from '../../src/engine/risk/montecarlo.ts';
import type { RiskSpec } from '../../src/engine/risk/model.ts';
import { RiskPool } from '../../src/api/workers/risk-pool.ts';
import { QUEUE_MAX, ServerBusyError } from '../../src/api/workers/pool.ts';

let spec: RiskSpec;
const pool = new RiskPool(2);
beforeAll(async () => {
  const index = await bundledIndex();
  spec = buildRiskSpec(index, validateRiskScenario({ version: 1, kind: 'risk', materials: ['gallium'], samples: 200 })).spec;
}, 120_000);
afterAll(() => pool.close());

describe('worker pool', () => {
  it('a run over its time budget is refused with 503 wording, and the next run gets fresh workers', async () => {
    const long = pool.run({ ...spec, samples: 5_000_000 }, 1, { timeBudgetMs: 200 });
    await expect(long).rejects.toThrow(ServerBusyError);
    await expect(long).rejects.toThrow(/the Monte Carlo run took longer than its time budget \(0.2 s\) and was stopped; ask for fewer samples/);
    expect(await pool.run(spec, 3, { shards: 5 })).toEqual(runMonteCarlo(spec, 3));
  }, 120_000);

  it(`one run at a time and at most ${QUEUE_MAX} waiting: the next is refused, the others all finish`, async () => {
    const runs = Array.from({ length: QUEUE_MAX + 2 }, (_, i) =>
      pool.run(spec, i + 1).then(
        () => 'done',
        (e: Error) => e,
      ),
    );
    const settled = await Promise.all(runs);
    expect(settled.slice(0, QUEUE_MAX + 1)).toEqual(Array(QUEUE_MAX + 1).fill('done'));
    expect(settled[QUEUE_MAX + 1]).toBeInstanceOf(ServerBusyError);
    expect(String(settled[QUEUE_MAX + 1])).toMatch(new RegExp(`${QUEUE_MAX + 1} Monte Carlo runs are already waiting \\(at most ${QUEUE_MAX}\\)`));
  }, 120_000);
});
