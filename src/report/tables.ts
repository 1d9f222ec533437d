/**
 * Every table the dashboard, the briefing, the CLI and the API show, as plain data (columns + rows + sources + notes),
 * so the same table is rendered on screen, in Markdown/PDF, as CLI CSV and API CSV, and downloaded as XLSX.
 */
// One module per family of results under tables/; this file keeps the stable import path for all of them.
export * from './tables/define.ts';
export * from './tables/concentration.ts';
export * from './tables/coalition.ts';
export * from './tables/registry.ts';
export * from './tables/criticality.ts';
export * from './tables/stress.ts';
export * from './tables/demand.ts';
export * from './tables/prices.ts';
export * from './tables/optimise.ts';
