/** What the coalition page's sections share: groupings, data choices, colours, small formatters, parallel fetches. */
import { useEffect, useState } from 'react';
import { getJson, ApiError, type Citation, type Loadable } from '../../api.ts';
import { pct } from '../../format.ts';
import type { Project } from '../../../../src/model/registry.ts';

export const GROUPINGS = ['MSP', 'G7', 'EU27', 'OECD', 'IPEF_CMD', 'BRICS_GP', 'SCMA', 'ERGI', 'CMMI'] as const;
export const BASES = ['contained', 'gross_weight', 'oxide', 'lce', 'ore', 'refined', 'concentrate', 'compound'];
/** The data select: a dataset, best available, or an EU CRM 2023 share table. */
export const DATA_OPTIONS: Array<{ value: string; label: string; dataset?: string; detail?: string }> = [
  { value: 'iea-cm', label: 'IEA Critical Minerals (six minerals, 2024 and projections)', dataset: 'iea-cm' },
  { value: 'any', label: 'Best available series (every material)' },
  { value: 'usgs-mcs', label: 'USGS Mineral Commodity Summaries', dataset: 'usgs-mcs' },
  { value: 'eu_sourcing', label: 'EU CRM 2023: share of EU sourcing (2016–2020)', detail: 'eu_sourcing' },
  { value: 'global', label: 'EU CRM 2023: share of global supply (2016–2020)', detail: 'global' },
];
export const PART_COLOUR = { inside: '#1f5f8b', unallocated: '#b8c2cc', outside: '#e08214' };

export type RegistryProject = Project & { source: Citation | null };

/** Space-separated lists come from hand-typed URLs: URLSearchParams reads "AUS+CAN" as "AUS CAN". */
export const normGroup = (g: string) => g.trim().replace(/\s+/g, '+').toUpperCase();
export const pts = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x * 100).toFixed(1)} pts`;
export const who = (c: { countryId: string; share: number } | null | undefined) => (c ? `${c.countryId} ${pct(c.share)}` : '—');
export const yearLabel = (year: number, scenario: string | null) => `${year}${scenario ? ' proj' : ''}`;
export const uniq = (xs: string[]) => [...new Set(xs)];

/** Several API calls at once (null: nothing to fetch); the first error wins. */
export function useApiAll<T>(urls: string[] | null): Loadable<T[]> {
  const key = urls ? urls.join('\n') : null;
  const [v, setV] = useState<Loadable<T[]>>({ state: 'loading' });
  useEffect(() => {
    if (key === null) return;
    let live = true;
    setV({ state: 'loading' });
    Promise.all(
      key
        .split('\n')
        .filter(Boolean)
        .map((u) => getJson<T>(u)),
    ).then(
      (data) => live && setV({ state: 'ok', data }),
      (e: unknown) => live && setV({ state: 'error', error: e instanceof Error ? e.message : String(e), status: e instanceof ApiError ? e.status : 0 }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  return v;
}
