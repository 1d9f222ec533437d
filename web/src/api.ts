/** Typed fetch helpers for the Chokepoint API (same origin). Types come from the server modules (type-only imports). */
import { useEffect, useState } from 'react';
import type { ConcentrationRow } from '../../src/engine/concentration-report.ts';
import type { Citation } from '../../src/model/provenance.ts';
import type { MaterialProfile } from '../../src/engine/profile.ts';
import type { MaterialFlows } from '../../src/report/flows.ts';
import type { DataTable } from '../../src/report/tables.ts';
import type { StressReport } from '../../src/scenario/run.ts';
import type { SeriesPanelRow } from '../../src/engine/series-panel.ts';

export type { ConcentrationRow, Citation, MaterialProfile, MaterialFlows, DataTable, StressReport, SeriesPanelRow };

export interface MaterialListItem {
  id: string;
  name: string;
  group: string | null;
  stages: Array<{ stage: string; years: number[] }>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const cache = new Map<string, Promise<unknown>>();

export function getJson<T>(url: string): Promise<T> {
  let p = cache.get(url) as Promise<T> | undefined;
  if (!p) {
    p = fetch(url).then(async (r) => {
      const body = await r.json().catch(() => ({ error: r.statusText }));
      if (!r.ok) throw new ApiError(r.status, (body as { error?: string }).error ?? r.statusText);
      return body as T;
    });
    p.catch(() => cache.delete(url));
    cache.set(url, p);
  }
  return p;
}

export type Loadable<T> = { state: 'loading' } | { state: 'error'; error: string; status: number } | { state: 'ok'; data: T };

/** Fetch a URL (null: nothing to fetch) and re-fetch when it changes. */
export function useApi<T>(url: string | null): Loadable<T> {
  const [v, setV] = useState<Loadable<T>>({ state: 'loading' });
  useEffect(() => {
    if (!url) return;
    let live = true;
    setV({ state: 'loading' });
    getJson<T>(url).then(
      (data) => live && setV({ state: 'ok', data }),
      (e: unknown) => live && setV({ state: 'error', error: e instanceof Error ? e.message : String(e), status: e instanceof ApiError ? e.status : 0 }),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return v;
}

export const qs = (params: Record<string, string | number | boolean | null | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};
