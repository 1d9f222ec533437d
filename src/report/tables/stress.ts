/**
 * Stress test and Monte Carlo risk tables (`chokepoint stress|risk|risk compare --format csv`). The N-1 sweep with its
 * own-use (netted) reading is also GET /api/stress/n1?format=csv|xlsx; the others the API answers as JSON only (no
 * format=csv yet, no dashboard download): a route that adds CSV renders these definitions.
 */
import type { Dist } from '../../engine/risk/report.ts';
import type { N1Row } from '../../engine/stress/sweep.ts';
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

/** The N-1 sweep: supply left without the removed country, coverage of world demand and the netted (IEA-style) reading with own use. */
export function n1Table(rows: readonly N1Row[]): DataTable {
  return flatTable(
    {
      id: 'n1',
      title: 'N-1: supply left without the largest supplier',
      notes: [
        "remainingSupplyShare = the stage's supply left without the removed country; coverageWorld = remaining ÷ world demand",
        "coverageNetted = remaining ÷ (demand on the supply's basis − the removed country's own use), low/high from the own-use range",
      ],
    },
    [
      { key: 'material', value: (r) => r.materialId },
      { key: 'stage', value: (r) => r.stage },
      { key: 'year', kind: 'number', value: (r) => r.year },
      { key: 'scenario', value: (r) => r.scenario },
      { key: 'removed', value: (r) => r.removed },
      { key: 'isLargest', value: (r) => r.isLargest },
      { key: 'removedShare', kind: 'share', value: (r) => r.removedShare },
      { key: 'supplyTonnes', kind: 'number', value: (r) => r.supplyTonnes },
      { key: 'remainingTonnes', kind: 'number', value: (r) => r.remainingTonnes },
      { key: 'remainingSupplyShare', kind: 'share', value: (r) => r.remainingSupplyShare },
      { key: 'demandTonnes', kind: 'number', value: (r) => r.demandTonnes },
      { key: 'demandScenario', value: (r) => r.demandScenario },
      { key: 'coverageWorld', kind: 'share', value: (r) => r.coverageWorldRatio },
      { key: 'coverageNetted', kind: 'share', value: (r) => r.coverageNettedRatio },
      { key: 'coverageNettedLow', kind: 'share', value: (r) => r.coverageNettedRange?.low ?? null },
      { key: 'coverageNettedHigh', kind: 'share', value: (r) => r.coverageNettedRange?.high ?? null },
      { key: 'nettedDemandTonnes', kind: 'number', value: (r) => r.nettedDemandTonnes },
      { key: 'nettedDemandScope', value: (r) => r.nettedDemandScope },
      { key: 'ownUseShare', kind: 'share', value: (r) => r.ownUseShare },
      { key: 'ownUseLow', kind: 'share', value: (r) => r.ownUseRange?.low ?? null },
      { key: 'ownUseHigh', kind: 'share', value: (r) => r.ownUseRange?.high ?? null },
      { key: 'ownUseMethod', value: (r) => r.ownUseMethod },
      { key: 'ownUseAssumed', value: (r) => r.ownUseAssumed },
      { key: 'ownUseSource', value: (r) => r.ownUseSource },
      { key: 'nettedNote', value: (r) => r.nettedNote },
      { key: 'source', value: (r) => r.sourceId },
    ],
    rows,
  );
}
