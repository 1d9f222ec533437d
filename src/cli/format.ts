/** Output formatting for the CLI: aligned text tables, JSON and CSV, chosen with --format. */
import { DEFAULT_ROLLING_WINDOW, type PriceSeries } from '../engine/prices.ts';
import { csvCell } from '../ingest/csv.ts';
import { flatCsv, type DataTable } from '../report/tables/define.ts';

export type OutputFormat = 'table' | 'json' | 'csv';

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | boolean | null;
  align?: 'left' | 'right';
}

export function renderTable<T>(rows: T[], columns: Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => fmtCell(c.value(r))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => ((columns[i].align ?? (i === 0 ? 'left' : 'right')) === 'left' ? v.padEnd(widths[i]) : v.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export function renderCsv<T>(rows: T[], columns: Column<T>[]): string {
  return [columns.map((c) => csvCell(c.header)).join(','), ...rows.map((r) => columns.map((c) => csvCell(c.value(r))).join(','))].join('\n');
}

/**
 * A number as en-US writes it (1,234.57): at most `maxFractionDigits` decimals, rounded half away from zero on the
 * decimal digits, trailing zeros dropped — what toLocaleString('en-US') gives, without loading ICU, whose first use
 * costs a CLI command 50-190 ms. Past 14 significant digits (no tonnage needs them) the exponent trick loses digits: ICU then.
 */
export function formatNumber(v: number, maxFractionDigits = 0): string {
  if (!Number.isFinite(v) || Math.abs(v) * 10 ** maxFractionDigits >= 1e14) return v.toLocaleString('en-US', { maximumFractionDigits: maxFractionDigits });
  // rounding through the exponent string rounds the decimal digits (1.005 → 1.01), as Intl does, not the binary value
  const abs = Number(`${Math.round(Number(`${Math.abs(v)}e${maxFractionDigits}`))}e-${maxFractionDigits}`);
  const [int, frac] = abs
    .toFixed(maxFractionDigits)
    .replace(/\.?0+$/, (m) => (m.startsWith('.') || maxFractionDigits ? '' : m))
    .split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${v < 0 && abs !== 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

function fmtCell(v: string | number | boolean | null): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return formatNumber(v, Number.isInteger(v) ? 0 : 3);
  return v;
}

export const pct = (x: number | null | undefined, digits = 1): string | null => (x === null || x === undefined ? null : `${(x * 100).toFixed(digits)}%`);
export const signedPts = (x: number | null | undefined): string | null =>
  x === null || x === undefined ? null : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pts`;

/** Tonnes in a readable unit: 290,000 t, 1.2 Mt. */
export function quantity(value: number, unit: string): string {
  if (unit !== 't') return `${formatNumber(value, 2)} ${unit}`;
  if (Math.abs(value) >= 1e6) return `${formatNumber(value / 1e6, 2)} Mt`;
  if (Math.abs(value) >= 1e4) return `${formatNumber(Math.round(value))} t`;
  return `${formatNumber(value, 2)} t`;
}

/** A table's CSV (src/report/tables/) without its final newline, which `print` adds: the API's format=csv bytes. */
export const csvText = (t: DataTable): string => flatCsv(t).replace(/\n$/, '');

export function output<T>(format: OutputFormat, rows: T[], columns: Column<T>[], json: unknown = rows): string {
  if (format === 'json') return JSON.stringify(json, null, 2);
  if (format === 'csv') return renderCsv(rows, columns);
  return renderTable(rows, columns);
}

const signedPct = (x: number | null) => (x === null ? '' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`);

/**
 * One price series for the terminal: a header naming material, series, unit, market and basis, a row per year (newest
 * edition's figure, year-on-year change, rolling range, older editions' figures), and the citation of each edition.
 */
export function renderPriceSeries(s: PriceSeries): string {
  const lines: string[] = [];
  lines.push(`PRICE ${s.series === 'average' ? '' : `${s.series} `}(${s.unit}${s.market ? `, ${s.market}` : ''}) ${s.summary.first}-${s.summary.last}`);
  lines.push(`basis: ${s.basis}`);
  lines.push(
    renderTable(s.years, [
      { header: 'year', value: (y) => `${y.year}${y.estimated ? 'e' : ''}`, align: 'left' },
      {
        header: 'price',
        value: (y) => (y.value !== null ? formatNumber(y.value, y.value < 100 ? 2 : 0) : y.low !== null ? `${y.low}–${y.high}` : y.status),
      },
      { header: 'USD/t', value: (y) => (y.usdPerTonne === null ? '' : formatNumber(y.usdPerTonne)) },
      { header: 'y/y', value: (y) => signedPct(y.yoy) },
      { header: `range ${DEFAULT_ROLLING_WINDOW}y`, value: (y) => (y.rollingRange === null ? '' : `${(y.rollingRange * 100).toFixed(0)}%`) },
      { header: 'edition', value: (y) => `MCS${y.edition}`, align: 'left' },
      {
        header: 'earlier editions',
        value: (y) => y.revisions.map((r) => `MCS${r.edition}: ${r.value === null ? 'n/a' : formatNumber(r.value, r.value < 100 ? 2 : 0)}`).join(', '),
        align: 'left',
      },
    ]),
  );
  if (s.summary.maxYoy) lines.push(`largest year-on-year move: ${signedPct(s.summary.maxYoy.change)} in ${s.summary.maxYoy.year}`);
  const first = s.sources[0];
  lines.push(
    `Source: ${first.publisher}${first.table ? `, ${first.table}` : ''}, column ${s.details.join(' / ')}; ${s.sources.map((x) => `${x.title}${x.url ? ` <${x.url}>` : ''}`).join('; ')}`,
  );
  return lines.join('\n');
}
