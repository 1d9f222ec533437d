/**
 * Stress test and Monte Carlo risk tables (`chokepoint stress|risk|risk compare --format csv`). The API answers these
 * as JSON only (no format=csv yet, no dashboard download): a route that adds CSV renders these definitions.
 */
import type { Dist } from '../../engine/risk/report.ts';
import type { StressReport } from '../../scenario/run.ts';
import type { RiskComparison, RiskReport } from '../../scenario/risk-run.ts';
import { flatTable, type DataTable, type Field } from './define.ts';

type ShortfallRow = StressReport['shortfall'][number];

/** A stress test's shortfall by stage, country and sector (tonnes, fraction), with the report's sources. */
export function stressShortfallTable(r: StressReport): DataTable {
  const fields: Field<ShortfallRow>[] = [
    { key: 'stage', value: (x) => x.stage },
    { key: 'countryId', value: (x) => x.countryId },
    { key: 'country', value: (x) => x.country },
    { key: 'sector', value: (x) => x.sector },
    { key: 'beforeTonnes', kind: 'number', value: (x) => x.beforeTonnes },
    { key: 'afterTonnes', kind: 'number', value: (x) => x.afterTonnes },
    { key: 'shortfallTonnes', kind: 'number', value: (x) => x.shortfallTonnes },
    { key: 'shortfallPct', kind: 'number', value: (x) => x.shortfallPct },
    { key: 'note', value: (x) => x.note },
  ];
  return flatTable(
    { id: `stress-${r.materialId}-${r.stage}-${r.year}`, title: 'Shortfall by stage, country and sector', sources: r.sources },
    fields,
    r.shortfall,
  );
}

const RISK_METRICS = ['lostTonnes', 'gapTonnes', 'shortfallTonnes', 'shortfallShareOfDemand', 'daysShort', 'priceChange'] as const;
const DIST_FIELDS = ['mean', 'stdErr', 'p50', 'p90', 'p95', 'p99', 'cvar95', 'probabilityPositive'] as const;
type RiskLine = { m: RiskReport['materials'][number]; k: (typeof RISK_METRICS)[number]; d: Dist };

/** A Monte Carlo run's distributions: one row per material and metric (unit t, days or fraction). */
export function riskTable(r: RiskReport): DataTable {
  const lines: RiskLine[] = r.materials.flatMap((m) => RISK_METRICS.map((k) => ({ m, k, d: m[k] })));
  return flatTable(
    { id: `risk-${r.specKey}`, title: `Disruption risk: ${r.samples} samples, seed ${r.seed}` },
    [
      { key: 'material', value: (x) => x.m.materialId },
      { key: 'metric', value: (x) => x.k },
      { key: 'unit', value: (x) => (x.k === 'daysShort' ? 'days' : x.k === 'priceChange' || x.k === 'shortfallShareOfDemand' ? 'fraction' : x.m.unit) },
      ...DIST_FIELDS.map((f): Field<RiskLine> => ({ key: f, kind: 'number', value: (x) => x.d[f] })),
    ],
    lines,
  );
}

/** Baseline vs policy runs: one row per material and metric, one column per scenario. */
export function riskComparisonTable(c: RiskComparison): DataTable {
  return flatTable(
    { id: 'risk-compare', title: 'Disruption risk compared', notes: c.notes },
    [
      { key: 'material', value: (r) => r.materialId },
      { key: 'metric', value: (r) => r.metric },
      { key: 'unit', value: (r) => r.unit },
      ...c.scenarios.map((s, i): Field<(typeof c.rows)[number]> => ({ key: s.name, kind: 'number', value: (r) => r.values[i] })),
    ],
    c.rows,
  );
}
