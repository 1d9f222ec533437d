/**
 * Price history and volatility per material (pure: plain data in, plain data out).
 *
 * A price series is one material's price as one source family labels it (USGS salient column "Price_LME_ctslb" →
 * series "LME", in US cents per pound). Editions overlap: MCS2025 gives 2020-2024, MCS2024 gives 2019-2023, and a later
 * edition often revises a year (lithium 2022: 37,000 USD/t in MCS2023, 68,100 in MCS2024, 71,100 in MCS2025). The
 * newest edition's figure is the one used; older editions' figures are kept beside it as `revisions`, never mixed in.
 *
 * Volatility indicators (both on the newest figures, in the series' own unit):
 *  - year-on-year change: (p_t − p_{t−1}) / p_{t−1}, only between consecutive years that both have a number;
 *  - rolling range over `window` years ending at t: (max − min) / min of the prices in [t − window + 1, t], only when
 *    every year of the window has a number (a gap makes the window unknown, not smaller).
 */
import type { PricePoint, PriceUnit, Source, ValueStatus } from '../model/schema.ts';

export interface PriceYear {
  year: number;
  value: number | null;
  low: number | null;
  high: number | null;
  usdPerTonne: number | null;
  status: ValueStatus;
  estimated: boolean;
  edition: number;
  sourceId: string;
  note: string | null;
  /** Year-on-year change as a fraction (0.25 = +25 %), null when this or the previous year has no number. */
  yoy: number | null;
  /** (max − min) / min over the rolling window ending this year; null when a year of the window has no number. */
  rollingRange: number | null;
  /** Figures other editions gave for this year (older ones), newest first. */
  revisions: Array<{ edition: number; value: number | null; sourceId: string }>;
}

export interface PriceSeries {
  materialId: string;
  series: string;
  unit: PriceUnit;
  basis: string;
  market: string | null;
  /** Column names the series was read from, per edition (they differ: Price_WO3dt in MCS2024, Price_WO3_dt elsewhere). */
  details: string[];
  years: PriceYear[];
  /** Editions the series draws on, newest first, with their citation. */
  sources: Array<{ id: string; edition: number; publisher: string; title: string; table: string | null; url: string | null }>;
  summary: {
    first: number;
    last: number;
    latest: { year: number; value: number; usdPerTonne: number | null; estimated: boolean } | null;
    /** Largest absolute year-on-year change in the series (signed), with its year. */
    maxYoy: { year: number; change: number } | null;
    /** Range over the whole series: (max − min) / min of the newest figures. */
    fullRange: number | null;
  };
}

export const DEFAULT_ROLLING_WINDOW = 3;

/**
 * The price series of one material (or of every material when `materialId` is omitted), newest edition per year.
 * Series that differ in unit are kept apart even under one name (an edition that changed the unit starts a new series).
 */
export function priceHistory(
  prices: readonly PricePoint[],
  sources: ReadonlyMap<string, Source>,
  opts: { materialId?: string; window?: number } = {},
): PriceSeries[] {
  const window = opts.window ?? DEFAULT_ROLLING_WINDOW;
  if (!Number.isInteger(window) || window < 2) throw new RangeError(`rolling window must be an integer of at least 2 years, got ${window}`);
  const groups = new Map<string, PricePoint[]>();
  for (const p of prices) {
    if (opts.materialId && p.materialId !== opts.materialId) continue;
    const k = `${p.materialId}\u0000${p.series}\u0000${p.unit}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(p);
  }
  const out: PriceSeries[] = [];
  for (const rows of groups.values()) {
    const byYear = new Map<number, PricePoint[]>();
    for (const r of rows) byYear.set(r.year, [...(byYear.get(r.year) ?? []), r]);
    const years: PriceYear[] = [...byYear.keys()]
      .sort((a, b) => a - b)
      .map((year) => {
        const all = byYear.get(year)!.sort((a, b) => b.edition - a.edition);
        const top = all[0];
        return {
          year,
          value: top.value,
          low: top.low,
          high: top.high,
          usdPerTonne: top.usdPerTonne,
          status: top.status,
          estimated: top.estimated,
          edition: top.edition,
          sourceId: top.sourceId,
          note: top.note,
          yoy: null,
          rollingRange: null,
          revisions: all.slice(1).map((r) => ({ edition: r.edition, value: r.value, sourceId: r.sourceId })),
        };
      });
    const at = new Map(years.map((y) => [y.year, y]));
    for (const y of years) {
      const prev = at.get(y.year - 1);
      if (y.value !== null && prev?.value != null && prev.value > 0) y.yoy = (y.value - prev.value) / prev.value;
      const win: number[] = [];
      for (let t = y.year - window + 1; t <= y.year; t++) {
        const v = at.get(t)?.value;
        if (v === null || v === undefined) break;
        win.push(v);
      }
      if (win.length === window) {
        const min = Math.min(...win);
        if (min > 0) y.rollingRange = (Math.max(...win) - min) / min;
      }
    }
    const newest = rows.reduce((a, b) => (b.edition > a.edition ? b : a));
    const editions = [...new Set(rows.map((r) => r.sourceId))]
      .map((id) => ({ id, edition: rows.find((r) => r.sourceId === id)!.edition }))
      .sort((a, b) => b.edition - a.edition);
    const numbered = years.filter((y) => y.value !== null);
    const last = numbered[numbered.length - 1];
    const yoys = years.filter((y) => y.yoy !== null);
    const maxYoy = yoys.length ? yoys.reduce((a, b) => (Math.abs(b.yoy!) > Math.abs(a.yoy!) ? b : a)) : null;
    const values = numbered.map((y) => y.value!);
    const minAll = values.length ? Math.min(...values) : 0;
    out.push({
      materialId: newest.materialId,
      series: newest.series,
      unit: newest.unit,
      basis: newest.basis,
      market: newest.market,
      details: [...new Set(rows.sort((a, b) => b.edition - a.edition).map((r) => r.detail))],
      years,
      sources: editions.map(({ id, edition }) => {
        const s = sources.get(id);
        return { id, edition, publisher: s?.publisher ?? 'unknown source', title: s?.title ?? id, table: s?.table ?? null, url: s?.url ?? null };
      }),
      summary: {
        first: years[0].year,
        last: years[years.length - 1].year,
        latest: last ? { year: last.year, value: last.value!, usdPerTonne: last.usdPerTonne, estimated: last.estimated } : null,
        maxYoy: maxYoy ? { year: maxYoy.year, change: maxYoy.yoy! } : null,
        fullRange: values.length >= 2 && minAll > 0 ? (Math.max(...values) - minAll) / minAll : null,
      },
    });
  }
  return out.sort((a, b) => a.materialId.localeCompare(b.materialId) || a.series.localeCompare(b.series) || a.unit.localeCompare(b.unit));
}

/**
 * The price a money figure is computed from: the newest year with a number of the material's first series in
 * `preferred` order (else the first series with a number), in USD per metric ton. Null when the material has no price.
 */
export function referencePrice(
  series: readonly PriceSeries[],
  materialId: string,
  opts: { year?: number } = {},
): { series: PriceSeries; year: number; usdPerTonne: number; value: number; estimated: boolean } | null {
  for (const s of series) {
    if (s.materialId !== materialId) continue;
    const candidates = s.years.filter((y) => y.value !== null && y.usdPerTonne !== null && (opts.year === undefined || y.year <= opts.year));
    const y = candidates[candidates.length - 1];
    if (y) return { series: s, year: y.year, usdPerTonne: y.usdPerTonne!, value: y.value!, estimated: y.estimated };
  }
  return null;
}
