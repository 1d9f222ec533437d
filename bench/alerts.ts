/**
 * Early-warning and coalition benchmark on the bundled knowledge base (with the registry seed): evaluating the starter
 * alert rules after an import, the CRMA tests and the MSP share table, each against a baseline measured in the same run:
 * re-reading the store into a new in-memory index (`kb.reload()`), which every import pays before rules are evaluated.
 * The ratio says how much the evaluation adds to that.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openKnowledgeBase } from '../src/store/knowledge-base.ts';
import { evaluateRules, STARTER_RULES } from '../src/engine/alerts.ts';
import { timeline } from '../src/engine/registry.ts';
import { crmaReport, coalitionShareTable } from '../src/engine/coalition/index.ts';

function time<T>(fn: () => T, runs = 5): { ms: number; value: T } {
  let value = fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    value = fn();
    t.push(performance.now() - t0);
  }
  return { ms: t.sort((a, b) => a - b)[Math.floor(runs / 2)], value };
}

export async function benchAlerts(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cp-bench-alerts-'));
  const kb = await openKnowledgeBase({ dbPath: join(dir, 'kb.duckdb') });
  try {
    const reloads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await kb.reload();
      reloads.push(performance.now() - t0);
    }
    const baseline = reloads.sort((a, b) => a - b)[1];
    const rules = time(() => evaluateRules(kb.index, STARTER_RULES));
    const tl = time(() => timeline(kb.index, {}));
    const crma = time(() => crmaReport(kb.index, {}), 3);
    const msp = time(() => coalitionShareTable(kb.index, 'MSP', { stages: ['refining'], years: [2024, 2035], dataset: 'iea-cm' }), 3);
    const row = (what: string, ms: number, extra: string) =>
      console.log(`${what.padEnd(46)} ${ms.toFixed(1).padStart(8)} ms  ${(ms / baseline).toFixed(2).padStart(6)}× reload  ${extra}`);
    console.log(
      `baseline: reload of the index after an import ${baseline.toFixed(0)} ms (${kb.index.data.observations.length.toLocaleString('en-US')} observations, ${kb.index.data.registry?.measures.length ?? 0} measures)`,
    );
    row(`evaluate ${STARTER_RULES.length} starter alert rules`, rules.ms, `${rules.value.length} alerts`);
    row('timeline of every measure and agreement', tl.ms, `${tl.value.length} events`);
    row('EU CRMA tests (65% + benchmarks)', crma.ms, '');
    row('MSP share of refining, IEA 2024 and 2035', msp.ms, '');
  } finally {
    kb.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
