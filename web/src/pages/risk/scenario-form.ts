/** The Risk page's form: the URL keys it reads and writes, their defaults, and the risk scenario documents posted for a comparison. */
export const KEYS = [
  'material',
  'basket',
  'year',
  'samples',
  'seed',
  'correlation',
  'stockpileDays',
  'use',
  'policyStockpileDays',
  'policyCorrelation',
  'policyUse',
] as const;
export type Form = Record<(typeof KEYS)[number], string>;
const DEFAULTS: Form = {
  material: '',
  basket: 'battery',
  year: '2024',
  samples: '10000',
  seed: '1',
  correlation: '0.5',
  stockpileDays: '0',
  use: 'central',
  policyStockpileDays: '',
  policyCorrelation: '',
  policyUse: '',
};

export const formOf = (q: URLSearchParams): Form => {
  const f = { ...DEFAULTS };
  for (const k of KEYS) {
    const v = q.get(k);
    if (v !== null) f[k] = v;
  }
  if (q.get('material')) f.basket = '';
  return f;
};

export function scenarioDoc(f: Form, policy: boolean, name: string) {
  const stock = policy && f.policyStockpileDays !== '' ? f.policyStockpileDays : f.stockpileDays;
  const corr = policy && f.policyCorrelation !== '' ? f.policyCorrelation : f.correlation;
  const use = policy && f.policyUse !== '' ? f.policyUse : f.use;
  return {
    version: 1,
    kind: 'risk',
    name,
    ...(f.material
      ? {
          materials: f.material
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        }
      : { basket: f.basket }),
    year: Number(f.year),
    samples: Number(f.samples),
    seed: Number(f.seed),
    correlation: Number(corr),
    stockpile: { days: Number(stock) },
    likelihood: { use },
  };
}
