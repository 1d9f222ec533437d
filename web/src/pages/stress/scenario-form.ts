/** The stress-test form and the URL: the form a URL describes (API defaults filled in), the query a form runs, and the form's choices. */
import {
  STOCKPILE_POLICY_IDS,
  STRESS_DEFAULTS,
  STRESS_QUERY_KEYS,
  stressQuery,
  stressQueryDefaults,
  type StressQueryParams,
  type StressRun,
} from '../../../../src/scenario/query.ts';

export type StockpileKind = (typeof STOCKPILE_POLICY_IDS)[number] | 'days' | 'tonnes';
export interface Form {
  material: string;
  stage: string;
  year: string;
  exclude: string;
  n1: boolean;
  mode: string;
  fraction: string;
  months: string;
  stockpile: StockpileKind;
  stockpileAmount: string;
  holder: string;
  demandScenario: string;
  demandScope: string;
  tradeYear: string;
  dataset: string;
}

export const STOCKPILE_LABEL: Record<StockpileKind, string> = {
  'japan-60': 'Japan 60 days',
  'high-risk-180': 'High-risk 180 days',
  days: 'Days…',
  tonnes: 'Tonnes…',
};
export const DATASETS: Array<{ value: string; label: string }> = [
  { value: '', label: 'Automatic' },
  { value: 'iea-cm', label: 'IEA Critical Minerals' },
  { value: 'usgs-mcs', label: 'USGS Mineral Commodity Summaries' },
];

// Percent shown ↔ fraction sent, without binary noise (33.3 % ↔ 0.333), so the field shows exactly what runs.
export const percentOf = (fraction: string) =>
  fraction === '' || !Number.isFinite(Number(fraction)) ? fraction : String(Number((Number(fraction) * 100).toPrecision(12)));
export const fractionOf = (percent: string) => (percent === '' ? '' : String(Number((Math.min(100, Math.max(0, Number(percent))) / 100).toPrecision(12))));

/** The form a URL describes, every input the URL leaves out at the API's default. */
export function formFromQuery(query: URLSearchParams): Form {
  const raw: StressQueryParams = {};
  for (const k of STRESS_QUERY_KEYS) {
    const v = query.get(k);
    if (v !== null && v !== '') raw[k] = v;
  }
  const d = stressQueryDefaults(raw);
  const stockpile: StockpileKind =
    d.stockpileTonnes !== undefined
      ? 'tonnes'
      : d.stockpileDays !== undefined
        ? 'days'
        : (STOCKPILE_POLICY_IDS as readonly string[]).includes(d.stockpilePolicy!)
          ? (d.stockpilePolicy as StockpileKind)
          : STRESS_DEFAULTS.stockpilePolicy;
  return {
    material: d.material ?? 'cobalt',
    stage: d.stage!,
    year: d.year ?? '',
    exclude: d.exclude ?? '',
    n1: d.n1 === 'true' || d.n1 === '1',
    mode: d.mode!,
    fraction: d.fraction!,
    months: d.months!,
    stockpile,
    stockpileAmount: d.stockpileTonnes ?? d.stockpileDays ?? '',
    holder: d.holder!,
    demandScenario: d.demandScenario!,
    demandScope: d.demandScope ?? '',
    tradeYear: d.tradeYear ?? '',
    dataset: d.dataset ?? '',
  };
}

/** The run the form describes (numbers as typed; the API validates them). */
function runFromForm(f: Form, year: string): StressRun {
  const exclude = f.exclude
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const amount = Number(f.stockpileAmount);
  return {
    material: f.material,
    stage: f.stage as StressRun['stage'],
    year: Number(year),
    demandScenario: f.demandScenario,
    shock: {
      exclude: [...(f.n1 ? ['largest'] : []), ...exclude],
      mode: f.mode as StressRun['shock']['mode'],
      fraction: Number(f.fraction),
      durationMonths: Number(f.months),
    },
    stockpile: {
      ...(f.stockpile === 'days' ? { days: amount } : f.stockpile === 'tonnes' ? { tonnes: amount } : { policy: f.stockpile }),
      holder: f.holder.trim() || STRESS_DEFAULTS.holder,
    },
    ...(f.demandScope.trim() ? { demandScope: f.demandScope.trim() } : {}),
    ...(f.tradeYear ? { tradeYear: Number(f.tradeYear) } : {}),
    ...(f.dataset ? { dataset: f.dataset } : {}),
  };
}

/** The full query of the form: the dashboard URL and the API request carry exactly this. */
export const queryFromForm = (f: Form, year: string): StressQueryParams => stressQuery(runFromForm(f, year));
export const ordered = (q: StressQueryParams) => Object.fromEntries(STRESS_QUERY_KEYS.filter((k) => q[k] !== undefined).map((k) => [k, q[k]!]));
