/** Number formatting shared by every page (the browser tests format API values with the same functions). */
export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;
export const int = (x: number | null | undefined): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : Math.round(x).toLocaleString('en-US');
export const signed = (x: number): string => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(Math.round(x)).toLocaleString('en-US')}`;

/** Tonnes in a readable unit: 290,000 t, 1.2 Mt; other units as published. */
export function quantity(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (unit !== 't') return `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${unit}`;
  if (Math.abs(value) >= 1e6) return `${(value / 1e6).toLocaleString('en-US', { maximumFractionDigits: 2 })} Mt`;
  if (Math.abs(value) >= 1e4) return `${Math.round(value).toLocaleString('en-US')} t`;
  return `${value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 })} t`;
}

export const stageLabel = (s: string): string =>
  ({ mining: 'Mining', refining: 'Refining', reserves: 'Reserves', intermediate: 'Intermediate', end_use: 'End use' })[s] ?? s;

/** Shortened citation for chart source lines: "U.S. Geological Survey, MCS2025". */
export { shortCitationText as shortSource } from '../../src/model/provenance.ts';

/** Scores and indices with a fixed number of decimals (criticality SR 3.84, GeoPolRisk 0.452); null → "—", never NaN. */
export const fixed = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
