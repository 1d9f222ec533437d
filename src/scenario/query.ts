/**
 * The stress-test query: a scenario as flat `key=value` pairs, the form used by the dashboard URL (`#/stress?…`), by
 * `GET /api/stress` and by every "Stress test" link (coalitions, alerts, registry measures). It is written out in full —
 * defaults included (stage, shock mode, fraction, duration, stockpile, holder, demand scenario) — so a shared URL says
 * exactly what runs, and the dashboard form shows the same values. Pure and dependency-free: the dashboard imports it.
 *
 * Round trip (tested): scenario → `stressQuery` → `scenarioFromStressQuery` → the same scenario, and the dashboard form
 * parses the URL with the same defaults (`stressQueryDefaults`).
 */
import type { Scenario } from './schema.ts';

/** Defaults of a stress run: the scenario schema's and the engine's (the japan-60 stockpile preset for all affected consumers). */
export const STRESS_DEFAULTS = {
  stage: 'refining',
  mode: 'export_ban',
  fraction: 1,
  months: 12,
  stockpilePolicy: 'japan-60',
  holder: 'world',
  demandScenario: 'STEPS',
} as const;

export const STOCKPILE_POLICY_IDS = ['japan-60', 'high-risk-180'] as const;
export type StockpilePolicyId = (typeof STOCKPILE_POLICY_IDS)[number];

/** Query keys in the order they are written. */
export const STRESS_QUERY_KEYS = [
  'material',
  'stage',
  'year',
  'exclude',
  'n1',
  'mode',
  'fraction',
  'months',
  'stockpilePolicy',
  'stockpileDays',
  'stockpileTonnes',
  'holder',
  'demandScenario',
  'demandScope',
  'tradeYear',
  'dataset',
] as const;
export type StressQueryKey = (typeof STRESS_QUERY_KEYS)[number];
export type StressQueryParams = Partial<Record<StressQueryKey, string>>;

/** What a stress query can carry: the scenario fields a URL describes (not a name, description or parameter overrides). */
export type StressRun = Pick<Scenario, 'material' | 'year' | 'stage' | 'demandScenario' | 'shock'> &
  Partial<Pick<Scenario, 'dataset' | 'demandScope' | 'tradeYear' | 'stockpile'>>;

const LARGEST = /^(largest|n-1|n1)$/i;

/** The full query of a run, every default written out. */
export function stressQuery(s: StressRun): StressQueryParams {
  const q: StressQueryParams = {};
  q.material = s.material;
  q.stage = s.stage;
  q.year = String(s.year);
  const named = s.shock.exclude.filter((x) => !LARGEST.test(x.trim()));
  if (named.length) q.exclude = named.join(',');
  if (named.length < s.shock.exclude.length) q.n1 = 'true';
  q.mode = s.shock.mode;
  q.fraction = String(s.shock.fraction);
  q.months = String(s.shock.durationMonths);
  const st = s.stockpile;
  if (st?.tonnes !== undefined) q.stockpileTonnes = String(st.tonnes);
  else if (st?.days !== undefined) q.stockpileDays = String(st.days);
  else q.stockpilePolicy = st?.policy ?? STRESS_DEFAULTS.stockpilePolicy;
  q.holder = st?.holder ?? STRESS_DEFAULTS.holder;
  q.demandScenario = s.demandScenario;
  if (s.demandScope) q.demandScope = s.demandScope;
  if (s.tradeYear !== undefined) q.tradeYear = String(s.tradeYear);
  if (s.dataset) q.dataset = s.dataset;
  return q;
}

export function stressQueryString(q: StressQueryParams): string {
  const p = new URLSearchParams();
  for (const k of STRESS_QUERY_KEYS) if (q[k] !== undefined && q[k] !== '') p.set(k, q[k]!);
  return p.toString();
}

/** The dashboard URL that runs a scenario (hash route). */
export const stressHref = (s: StressRun): string => `#/stress?${stressQueryString(stressQuery(s))}`;

/**
 * A query with every default filled in, as the API applies them: what the dashboard form shows for a URL that leaves
 * something out (an old link, a hand-written one). Values stay strings; validation is the API's.
 */
export function stressQueryDefaults(q: StressQueryParams): StressQueryParams {
  const out: StressQueryParams = { ...q };
  out.stage ??= STRESS_DEFAULTS.stage;
  out.mode ??= STRESS_DEFAULTS.mode;
  out.fraction ??= String(STRESS_DEFAULTS.fraction);
  out.months ??= String(STRESS_DEFAULTS.months);
  if (out.stockpileTonnes === undefined && out.stockpileDays === undefined) out.stockpilePolicy ??= STRESS_DEFAULTS.stockpilePolicy;
  out.holder ??= STRESS_DEFAULTS.holder;
  out.demandScenario ??= STRESS_DEFAULTS.demandScenario;
  return out;
}

/** The run a "Stress test" link starts: the fields given, every other input at its default (written out by `stressQuery`). */
export function stressRun(p: {
  material: string;
  year: number;
  stage?: 'mining' | 'refining';
  exclude?: string[];
  n1?: boolean;
  dataset?: string;
  demandScenario?: string;
}): StressRun {
  return {
    material: p.material,
    year: p.year,
    stage: p.stage ?? STRESS_DEFAULTS.stage,
    demandScenario: p.demandScenario ?? STRESS_DEFAULTS.demandScenario,
    shock: {
      exclude: [...(p.n1 ? ['largest'] : []), ...(p.exclude ?? [])],
      mode: STRESS_DEFAULTS.mode,
      fraction: STRESS_DEFAULTS.fraction,
      durationMonths: STRESS_DEFAULTS.months,
    },
    stockpile: { policy: STRESS_DEFAULTS.stockpilePolicy, holder: STRESS_DEFAULTS.holder },
    ...(p.dataset ? { dataset: p.dataset } : {}),
  };
}
