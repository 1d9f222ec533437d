/**
 * The importer-exposure table (one row per material × stage), shared by `chokepoint importer --format csv|table` and
 * `GET /api/importer/{id}?format=csv`, so both edges print the same figures; and the importers table (every importer of
 * one material and stage), shared the same way by `chokepoint importers` and `GET /api/importers`.
 */
import type { ExposureRow, ImporterExposure } from '../engine/importer/exposure.ts';
import type { ImporterRow, ImportersReport } from '../engine/importer/importers.ts';
import type { Cell, DataTable } from './tables.ts';
import { flatTable, uniqueSources, type Field } from './tables/define.ts';

const share = (x: number | null | undefined): number | null => (x === null || x === undefined ? null : Math.round(x * 10000) / 10000);

const suppliersText = (r: ExposureRow, n = 3) =>
  r.imports.suppliers
    .slice(0, n)
    .map((s) => `${s.countryId} ${(s.share * 100).toFixed(1)}%`)
    .join(', ');

const viaHubsText = (r: ExposureRow) =>
  r.exposure
    .filter((e) => e.viaHubs > 0)
    .slice(0, 3)
    .map((e) => `${e.countryId} +${(e.viaHubs * 100).toFixed(1)}% via ${e.hubs.join('+')}`)
    .join(', ');

export function importerRow(r: ExposureRow): Record<string, Cell> {
  const top = r.imports.suppliers[0];
  return {
    material: r.materialId,
    stage: r.stage,
    year: r.year,
    consumptionTonnes: r.consumption ? Math.round(r.consumption.tonnes) : null,
    consumptionBasis: r.consumption ? `${r.consumption.method}, ${r.consumption.basis}${r.consumption.estimate ? ', estimate' : ''}` : null,
    supplierBasis: r.imports.basis === 'mirror' ? `mirror (${r.imports.reporters.join('+')})` : r.imports.basis,
    importsTonnes: r.imports.basis === 'proxy' ? null : Math.round(r.imports.totalTonnes * 1000) / 1000,
    topSupplier: top?.countryId ?? null,
    topShare: share(top?.share),
    suppliers: suppliersText(r, 5),
    dependence: share(r.dependence?.ratio),
    dependenceLow: share(r.dependence?.ratioRange.low),
    dependenceHigh: share(r.dependence?.ratioRange.high),
    dependenceBasis: r.dependence?.basis ?? null,
    viaHubs: viaHubsText(r) || null,
    measures: r.measures.map((m) => `${m.id} (${m.state})`).join('; ') || null,
    stressExclude: r.stress?.exclude.join(',') ?? null,
    gap: [r.customsGap, r.consumptionGap, r.dependence ? null : r.dependenceGap].filter(Boolean).join(' | ') || null,
    source: r.imports.source.text,
  };
}

export function importerTable(e: ImporterExposure): DataTable {
  return {
    id: `importer-${e.importer.toLowerCase()}`,
    title: `Importer exposure: ${e.name} (${e.importer})`,
    columns: [
      { key: 'material', header: 'material' },
      { key: 'stage', header: 'stage' },
      { key: 'year', header: 'year', kind: 'number' },
      { key: 'consumptionTonnes', header: 'consumption_t', kind: 'number' },
      { key: 'consumptionBasis', header: 'consumption_basis' },
      { key: 'supplierBasis', header: 'supplier_basis' },
      { key: 'importsTonnes', header: 'imports_t', kind: 'number' },
      { key: 'topSupplier', header: 'top_supplier' },
      { key: 'topShare', header: 'top_share', kind: 'share' },
      { key: 'suppliers', header: 'suppliers' },
      { key: 'dependence', header: 'import_dependence', kind: 'share' },
      { key: 'dependenceLow', header: 'import_dependence_low', kind: 'share' },
      { key: 'dependenceHigh', header: 'import_dependence_high', kind: 'share' },
      { key: 'dependenceBasis', header: 'dependence_basis' },
      { key: 'viaHubs', header: 'indirect_via_hubs' },
      { key: 'measures', header: 'measures' },
      { key: 'stressExclude', header: 'stress_exclude' },
      { key: 'gap', header: 'gap' },
      { key: 'source', header: 'source' },
    ],
    rows: e.rows.map(importerRow),
    sources: e.sources,
    notes: e.gaps,
  };
}

/** The importers table's columns: one row per importer (`chokepoint importers`, `GET /api/importers`, the dashboard). */
export const IMPORTERS_FIELDS: readonly Field<ImporterRow>[] = [
  { key: 'importer', value: (r) => r.importerId },
  { key: 'importerName', header: 'importer_name', value: (r) => r.importer },
  { key: 'tradeYear', header: 'trade_year', kind: 'number', value: (r) => r.tradeYear },
  { key: 'importsTonnes', header: 'imports_t_product_weight', kind: 'number', value: (r) => Math.round(r.importsTonnes * 1000) / 1000 },
  { key: 'partners', kind: 'number', value: (r) => r.partners },
  { key: 'topSuppliers', header: 'top_suppliers', value: (r) => r.topSuppliers.map((s) => `${s.countryId} ${(s.share * 100).toFixed(1)}%`).join(', ') || null },
  { key: 'supplierShare', header: 'supplier_share', kind: 'number', value: (r) => share(r.supplierShare) },
  { key: 'unattributedShare', header: 'unattributed_share', kind: 'number', value: (r) => share(r.unattributedShare) },
  { key: 'ownProductionTonnes', header: 'own_production_t', kind: 'number', value: (r) => Math.round(r.ownProductionTonnes * 1000) / 1000 },
  { key: 'dependence', header: 'import_dependence', kind: 'number', value: (r) => share(r.dependence) },
  { key: 'dependenceLow', header: 'import_dependence_low', kind: 'number', value: (r) => share(r.dependenceRange?.low) },
  { key: 'dependenceHigh', header: 'import_dependence_high', kind: 'number', value: (r) => share(r.dependenceRange?.high) },
  {
    key: 'apparentTonnes',
    header: 'apparent_consumption_t',
    kind: 'number',
    value: (r) => (r.apparentTonnes === null ? null : Math.round(r.apparentTonnes * 1000) / 1000),
  },
  { key: 'dependenceBasis', header: 'dependence_basis', value: (r) => r.dependenceBasis },
  { key: 'dependenceGap', header: 'dependence_gap', value: (r) => r.dependenceGap },
  { key: 'hhi', kind: 'number', value: (r) => share(r.hhi) },
  { key: 'importRisk', header: 'import_risk', kind: 'number', value: (r) => share(r.importRisk) },
  { key: 'geoPolRisk', header: 'geopolrisk', kind: 'number', value: (r) => share(r.geoPolRisk) },
  { key: 'gap', value: (r) => r.scoreGap },
  { key: 'source', value: (r) => r.source.text },
];

export function importersDataTable(t: ImportersReport): DataTable {
  const supplier = t.supplier ? `supplier_share: share of imports from ${t.supplier.country} (${t.supplier.countryId}; ${t.supplier.why})` : null;
  return flatTable(
    {
      id: `importers-${t.materialId}-${t.stage}-${t.year}`,
      title: `Importers of ${t.material}, ${t.stage} stage, ${t.year}`,
      sources: uniqueSources([...t.rows.map((r) => r.source), ...(t.globalSource ? [t.globalSource] : [])]),
      notes: [...t.notes, ...(supplier ? [supplier] : []), ...t.gaps.map((g) => `GAP ${g.importerId}: ${g.reason}`)],
    },
    IMPORTERS_FIELDS,
    t.rows,
  );
}
