/**
 * Supply concentration of one series (one material, stage, year, basis, source): shares, HHI, top-k, largest supplier.
 *
 * Method notes
 * - Shares are fractions of the series total. The total is the published world total when there is one and it is
 *   not smaller than the sum of the named countries plus the "other countries" residual (USGS world totals are
 *   rounded); otherwise the sum of the entries (see `denominator` for publishers whose convention differs, and
 *   `seriesConcentration`, which picks it by publisher). Which one was used is reported in `totalBasis`.
 * - Aggregates ("World total", "Other countries", "Rest of world", multi-country groups) are never suppliers:
 *   they are never ranked or squared into the HHI. The part of supply not attributed to a named country is
 *   reported as `unallocatedShare`.
 * - HHI = Σ s_c² over named countries (fractions, 0..1; ×10,000 for the conventional scale). The residual is
 *   treated as fragmented among many small suppliers, which is the convention of the IEA and EU JRC; the bound
 *   if the residual were one supplier is `hhiUpper` = HHI + r².
 * - Normalised HHI = (HHI − 1/N)/(1 − 1/N), in two named variants (`HhiNormalisation`): 'producers' (the default) takes N
 *   = the named producers with positive output, so it measures inequality among the suppliers there are; 'fixed-10'
 *   takes N = 10 for every series, the fixed-N variant used in the literature so that values compare across materials
 *   with different numbers of producers (an HHI below 1/10 is clamped to 0). Both are returned (`hhiNormalised`,
 *   `hhiNormalisedFixed10`); reports pick one by name (`normalisedHhiFor`).
 * - Countries whose value is withheld or not available are gaps: listed, never counted as zero. When the world total
 *   and the "other countries" residual are both unavailable, no world shares exist and the result is null.
 */
import { isAggregateEntity, AGGREGATE_IDS, type ValueStatus } from '../model/schema.ts';

export interface SupplyEntry {
  countryId: string;
  value: number | null;
  status: ValueStatus;
  estimated?: boolean;
}

export interface CountryShare {
  countryId: string;
  value: number;
  share: number;
  estimated: boolean;
  bound: 'lower' | 'upper' | null;
}

export interface Gap {
  countryId: string;
  status: ValueStatus;
}

export interface Concentration {
  total: number;
  totalBasis: 'world_total' | 'sum_of_entries';
  worldTotal: number | null;
  namedTotal: number;
  unallocatedShare: number;
  producers: number;
  shares: CountryShare[]; // sorted, largest first
  hhi: number; // fraction 0..1
  hhiUpper: number;
  hhiNormalised: number; // N = producers
  hhiNormalisedFixed10: number; // N = 10
  top1Share: number;
  top3Share: number;
  top5Share: number;
  largest: CountryShare | null;
  chinaShare: number | null; // null when China is a gap or may be inside an unallocated residual; 0 when listed countries cover the total without China
  gaps: Gap[];
}

const NUMERIC: ReadonlySet<ValueStatus> = new Set(['reported', 'lower_bound', 'upper_bound']);

/**
 * `denominator`: 'auto' (default) uses the published world total unless it is smaller than the entries (USGS world
 * totals are rounded and sometimes exclude a listed country); 'published_total' always divides by the published
 * total when there is one, which is how a publisher that defines shares against its own total (the IEA) computes them.
 */
export function concentration(entries: SupplyEntry[], denominator: 'auto' | 'published_total' = 'auto'): Concentration | null {
  let worldTotal: number | null = null;
  let residual = 0;
  let worldUnknown = false; // a World total row that is NA / withheld
  let otherUnknown = false; // an "Other countries" row that is NA / withheld
  const named: CountryShare[] = [];
  const gaps: Gap[] = [];
  for (const e of entries) {
    const numeric = e.value !== null && NUMERIC.has(e.status);
    if (e.countryId === AGGREGATE_IDS.world) {
      if (numeric) worldTotal = e.value;
      else worldUnknown = true;
      continue;
    }
    if (isAggregateEntity(e.countryId)) {
      if (numeric) residual += e.value!;
      else if (e.countryId === AGGREGATE_IDS.other) otherUnknown = true;
      continue;
    }
    if (!numeric) {
      gaps.push({ countryId: e.countryId, status: e.status });
      continue;
    }
    named.push({
      countryId: e.countryId,
      value: e.value!,
      share: 0,
      estimated: e.estimated ?? false,
      bound: e.status === 'lower_bound' ? 'lower' : e.status === 'upper_bound' ? 'upper' : null,
    });
  }
  // Neither the world total nor the rest of the world is known (USGS lists the U.S. and "NA" for both, e.g. dimension
  // stone): the listed countries are not the world, so no world share can be computed.
  if (worldTotal === null && worldUnknown && otherUnknown) return null;
  const namedTotal = named.reduce((s, c) => s + c.value, 0);
  const entriesTotal = namedTotal + residual;
  // 'published_total' still falls back to the entries when the named countries alone exceed the total (shares would sum
  // above 100% and the stress network could not conserve tonnes).
  const useWorld = worldTotal !== null && worldTotal > 0 && (denominator === 'published_total' ? worldTotal >= namedTotal : worldTotal >= entriesTotal * 0.995);
  const total = useWorld ? worldTotal! : entriesTotal;
  if (!(total > 0)) return null;

  for (const c of named) c.share = c.value / total;
  named.sort((a, b) => b.value - a.value || a.countryId.localeCompare(b.countryId));
  const hhi = named.reduce((s, c) => s + c.share * c.share, 0);
  const unallocatedShare = Math.max(0, 1 - namedTotal / total);
  const producers = named.filter((c) => c.value > 0).length;
  const topK = (k: number) => named.slice(0, k).reduce((s, c) => s + c.share, 0);
  const china = named.find((c) => c.countryId === 'CHN');
  const chinaIsGap = gaps.some((g) => g.countryId === 'CHN');

  return {
    total,
    totalBasis: useWorld ? 'world_total' : 'sum_of_entries',
    worldTotal,
    namedTotal,
    unallocatedShare,
    producers,
    shares: named,
    hhi,
    hhiUpper: hhi + unallocatedShare * unallocatedShare,
    hhiNormalised: normalisedHhi(hhi, producers),
    hhiNormalisedFixed10: normalisedHhi(hhi, 10),
    top1Share: topK(1),
    top3Share: topK(3),
    top5Share: topK(5),
    largest: named[0] ?? null,
    // China not listed: 0 only when the listed countries are the whole total; with an "other countries" residual China
    // may be inside it, so its share is unknown (null), not zero.
    chinaShare: china ? china.share : chinaIsGap || unallocatedShare > 0.0005 ? null : 0,
    gaps,
  };
}

/**
 * The publisher's convention for the denominator of a share. The IEA defines shares against its published total (its own
 * "Top 3 share" row is computed that way; 47 of its 48 cells are reproduced, test/engine/iea-top3.test.ts), although its
 * country rows for nickel and graphite add up to 0.5-3.3% more than that total: the total includes "Rest of world", so
 * the unattributed part is the total minus the named countries. Other publishers: 'auto' (see `concentration`).
 */
export function denominatorFor(dataset: string): 'auto' | 'published_total' {
  return dataset === 'iea-cm' ? 'published_total' : 'auto';
}

/**
 * Shares of one published series (one material × stage × year cell of one dataset), by its publisher's convention. The
 * one function for a cell's shares: the concentration report, the stress engine (`stageSupplyFromEntries`) and the
 * coalition engine all call it, so a cell has one share wherever it is shown (tested in test/engine/one-share.test.ts).
 */
export function seriesConcentration(entries: SupplyEntry[], dataset: string): Concentration | null {
  return concentration(entries, denominatorFor(dataset));
}

/**
 * The sentence that says how the total was read when the publisher's rows (named countries plus its own rest-of-world
 * row) add up to more than its published total and the published total is used (IEA nickel and graphite; a rounded
 * USGS total just below its rows, e.g. gallium 2024); else null.
 */
export function rowsAboveTotalNote(entries: SupplyEntry[], c: Concentration, unit: string): string | null {
  if (c.totalBasis !== 'world_total') return null;
  const publishedResidual = entries
    .filter((e) => e.countryId !== AGGREGATE_IDS.world && isAggregateEntity(e.countryId) && e.value !== null && NUMERIC.has(e.status))
    .reduce((a, e) => a + e.value!, 0);
  const rows = c.namedTotal + publishedResidual;
  if (!(rows > c.total * (1 + 1e-6))) return null;
  const t = (x: number) => Math.round(x).toLocaleString('en-US');
  if (c.namedTotal > c.total) {
    return `The named countries add up to ${((c.namedTotal / c.total - 1) * 100).toFixed(1)}% more than the published (rounded) world total (${t(c.total)} ${unit}); shares use the published total, so they add up to slightly more than 100%.`;
  }
  return (
    `The country rows and the publisher's rest-of-world row add up to ${((rows / c.total - 1) * 100).toFixed(1)}% more than its published total (${t(c.total)} ${unit}); ` +
    `shares use the published total (the publisher's own convention), so the part not attributed to a named country is the total minus the named countries (${t(c.total - c.namedTotal)} ${unit}, not the published ${t(publishedResidual)} ${unit}).`
  );
}

/** (H − 1/N)/(1 − 1/N): 0 for N equal suppliers, 1 for a monopoly. A single producer is a monopoly (1). */
export function normalisedHhi(hhi: number, producers: number): number {
  if (producers <= 1) return producers === 1 ? 1 : 0;
  const floor = 1 / producers;
  return Math.min(1, Math.max(0, (hhi - floor) / (1 - floor)));
}

/** The two normalisations of the HHI on offer; 'producers' is the default everywhere (CLI, API, CSV). */
export const HHI_NORMALISATIONS = ['producers', 'fixed-10'] as const;
export type HhiNormalisation = (typeof HHI_NORMALISATIONS)[number];
export const DEFAULT_HHI_NORMALISATION: HhiNormalisation = 'producers';

/** One sentence naming the normalisation, for output notes. */
export function hhiNormalisationNote(mode: HhiNormalisation): string {
  return mode === 'producers'
    ? 'Normalised HHI = (HHI − 1/N)/(1 − 1/N) with N = the number of named producers (default; --hhi-normalisation fixed-10 uses N = 10).'
    : 'Normalised HHI = (HHI − 1/N)/(1 − 1/N) with a fixed N = 10 for every series (HHI below 0.1 shown as 0); the default is N = number of producers.';
}

/** The normalised HHI of a concentration under the named normalisation. */
export function normalisedHhiFor(c: Pick<Concentration, 'hhiNormalised' | 'hhiNormalisedFixed10'>, mode: HhiNormalisation): number {
  return mode === 'fixed-10' ? c.hhiNormalisedFixed10 : c.hhiNormalised;
}

export interface ConcentrationChange {
  fromYear: number;
  toYear: number;
  hhiChange: number; // fraction points
  top3ShareChange: number;
  chinaShareChange: number | null;
  shareChanges: Array<{ countryId: string; from: number; to: number; change: number }>;
}

/** Change between two years of the same series; countries absent in one year count as share 0 there. */
export function concentrationChange(from: Concentration, fromYear: number, to: Concentration, toYear: number): ConcentrationChange {
  const ids = new Set([...from.shares, ...to.shares].map((s) => s.countryId));
  const shareOf = (c: Concentration, id: string) => c.shares.find((s) => s.countryId === id)?.share ?? 0;
  const shareChanges = [...ids]
    .map((id) => ({ countryId: id, from: shareOf(from, id), to: shareOf(to, id), change: shareOf(to, id) - shareOf(from, id) }))
    .sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
  return {
    fromYear,
    toYear,
    hhiChange: to.hhi - from.hhi,
    top3ShareChange: to.top3Share - from.top3Share,
    chinaShareChange: from.chinaShare !== null && to.chinaShare !== null ? to.chinaShare - from.chinaShare : null,
    shareChanges,
  };
}

/** HHI on the 0-10,000 scale used by competition authorities and most reports. */
export const hhiPoints = (hhiFraction: number): number => Math.round(hhiFraction * 10_000);
