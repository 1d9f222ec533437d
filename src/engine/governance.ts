/**
 * Country governance risk from the World Bank WGI, in the form the EU criticality methodology (JRC) uses in
 * its supply-risk formula: the six WGI estimates averaged and rescaled to 0..10, where 10 is the worst.
 * Pure functions, no I/O.
 */
import type { Governance } from '../model/schema.ts';

export type WgiIndicator = Governance['indicator'];
export const WGI_INDICATORS: readonly WgiIndicator[] = ['va', 'pv', 'ge', 'rq', 'rl', 'cc'];

/**
 * EU JRC scaled WGI: `(2.5 − mean of the six estimates) · 2`. WGI estimates are standard-normal units of
 * roughly −2.5..+2.5, so this maps strong governance to 0 and weak to 10; the few means outside ±2.5 are
 * clamped so the result stays on the 0..10 scale the methodology defines.
 * Returns null unless all six indicators are present: a mean over fewer would not be the published measure.
 */
export function wgiScaled(estimates: Partial<Record<WgiIndicator, number>>): number | null {
  const values = WGI_INDICATORS.map((i) => estimates[i]);
  if (values.some((v) => v === undefined || !Number.isFinite(v))) return null;
  const mean = (values as number[]).reduce((a, b) => a + b, 0) / values.length;
  return Math.min(10, Math.max(0, (2.5 - mean) * 2));
}
