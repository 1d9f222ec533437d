/**
 * USGS Mineral Commodity Summaries, industry-trends "Fig. 2": U.S. net import reliance by commodity for the data
 * year, with the major import sources of the four years before it (`MCS2025_Fig2_Net_Import_Reliance.csv`).
 *
 * Columns differ by edition and are found by name:
 *  - MCS2025/2024: Source, Import_Share_Order, Commodity, Net_Import_Reliance_pct_<year>,
 *    Major_Import_Sources_<from>_<to>, Notes
 *  - MCS2023:      Source, Import_Share_Rank, Commodity, Net_Import_Reliance_pct_<year>, Major_Import_Sources_<from>_<to>
 * The data year comes from the NIR header (edition − 1 when the header has none). Commodity labels are upper case
 * with a product after a comma ("COBALT, metal, oxides, and salts", "MICA (NATURAL), sheet"); the part before the
 * comma is resolved to a material (split into the registry's products the way the salient and world importers
 * split them: titanium sponge, silicon carbide, sheet mica), the full label is kept as `detail`, and the import sources (footnote digits
 * dropped: "China3") go to `note`. Labels that are not in the material registry (CESIUM, RUBIDIUM, NEPHELINE
 * SYENITE) are reported as warnings, not guessed.
 */
import { basename } from 'node:path';
import { ImportError, ObservationSchema, type ImportBatch, type Observation, type Source } from '../../model/schema.ts';
import { resolveMaterial } from '../../model/materials.ts';
import { checked, readCsv, readText } from '../kit.ts';
import { MCS_DOI, MCS_HOME, SALIENT_DATASET, editionOf, parseUsgsCell, productMaterial } from './salient.ts';

export function usgsNirSource(edition: number, file: string): Source {
  return {
    id: `usgs-mcs-${edition}-nir`,
    dataset: SALIENT_DATASET,
    editionYear: edition,
    publisher: 'U.S. Geological Survey',
    title: `Mineral Commodity Summaries ${edition} Data Release (mineral industry trends and salient statistics)`,
    edition: `MCS${edition}`,
    table: 'Fig. 2, net import reliance and major import sources',
    licence: 'U.S. public domain (USGS data release)',
    url: MCS_DOI[edition] ?? MCS_HOME,
    file,
    caveat: `Lists only the commodities on which the United States is most dependent on imports (the MCS figure); ${edition - 1} figures are USGS estimates.`,
  };
}

const NIR_HEADER = /^Net_Import_Reliance(?:_pct)?(?:_(\d{4}))?$/i;
const SOURCES_HEADER = /^Major_Import_Sources(?:_(\d{4})_(\d{4}))?$/i;

/** "China, Canada  " / "India, China3 " → "China, Canada" / "India, China": footnote digits glued to names dropped. */
export function cleanImportSources(raw: string): string {
  return raw
    .split(',')
    .map((s) =>
      s
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/(\D)\d+$/, '$1')
        .trim(),
    )
    .filter(Boolean)
    .join(', ');
}

/**
 * Material of a Fig. 2 label: the full label, else the commodity before the first comma, then split into the
 * registry's own products ("TITANIUM, sponge metal" → titanium-metal, "ABRASIVES, silicon carbide" → silicon-carbide).
 */
export function nirLabelMaterial(label: string): string | null {
  const commodity = resolveMaterial(label) ?? resolveMaterial(label.split(',')[0]);
  return commodity ? productMaterial(commodity, label) : null;
}

export async function importUsgsNetImportReliance(path: string): Promise<ImportBatch> {
  const table = readCsv(path, readText(path));
  const { header } = table;
  for (const row of table.rows) {
    if (row.cells.length !== header.length) throw new ImportError(path, row.line, null, `expected ${header.length} fields, found ${row.cells.length}`);
  }
  const find = (re: RegExp) => header.findIndex((h) => re.test(h));
  const nirCol = find(NIR_HEADER);
  if (nirCol < 0) throw new ImportError(path, 1, 'Net_Import_Reliance_pct', `missing net import reliance column; header is: ${header.join(', ')}`);
  const commodityCol = header.indexOf('Commodity');
  if (commodityCol < 0) throw new ImportError(path, 1, 'Commodity', `missing column Commodity; header is: ${header.join(', ')}`);
  const sourcesCol = find(SOURCES_HEADER);
  if (sourcesCol < 0) throw new ImportError(path, 1, 'Major_Import_Sources', `missing major import sources column; header is: ${header.join(', ')}`);
  const notesCol = header.indexOf('Notes');
  const sourceName = header.includes('Source') ? 'Source' : header.includes('DataSource') ? 'DataSource' : null;
  const edition = editionOf(path, table, sourceName ? header.indexOf(sourceName) : null, sourceName);

  const nirHeader = header[nirCol];
  const headerYear = NIR_HEADER.exec(nirHeader)![1];
  const year = headerYear ? Number(headerYear) : edition - 1;
  if (year > edition || year < edition - 5) throw new ImportError(path, 1, nirHeader, `data year ${year} does not fit the MCS${edition} edition`);
  const sourcesMatch = SOURCES_HEADER.exec(header[sourcesCol])!;
  const sourcesYears = sourcesMatch[1] ? ` ${sourcesMatch[1]}–${sourcesMatch[2]}` : '';

  const source = usgsNirSource(edition, basename(path));
  const warnings: string[] = [];
  const observations: Observation[] = [];
  const seen = new Map<string, number>(); // label -> line
  const byMaterial = new Map<string, string[]>();
  for (const { line, cells } of table.rows) {
    const label = cells[commodityCol].replace(/\s+/g, ' ').trim();
    if (label === '') throw new ImportError(path, line, 'Commodity', 'empty commodity label');
    const key = label.toUpperCase();
    if (seen.has(key)) throw new ImportError(path, line, 'Commodity', `"${label}" listed twice (first on line ${seen.get(key)})`);
    seen.set(key, line);
    const materialId = nirLabelMaterial(label);
    if (!materialId) {
      warnings.push(`line ${line}: commodity "${label}" is not in the material registry; not imported`);
      continue;
    }
    const cell = parseUsgsCell(path, line, nirHeader, cells[nirCol], 'nir');
    if (!cell) {
      warnings.push(`line ${line}: ${label} has no net import reliance figure; not imported`);
      continue;
    }
    const sources = cleanImportSources(cells[sourcesCol]);
    const remark = notesCol >= 0 ? cells[notesCol].replace(/\s+/g, ' ').trim() : '';
    const note = [cell.note, sources ? `major import sources${sourcesYears}: ${sources}` : null, remark || null].filter(Boolean).join('; ');
    const record: Observation = {
      materialId,
      stage: 'end_use',
      measure: 'net_import_reliance',
      countryId: 'USA',
      year,
      value: cell.value,
      unit: 'percent',
      basis: 'ratio',
      status: cell.status,
      estimated: cell.estimated || year === edition - 1,
      scenario: null,
      sector: null,
      detail: label,
      note: note || null,
      sourceId: source.id,
    };
    observations.push(checked(ObservationSchema, record, path, line, nirHeader));
    byMaterial.set(materialId, [...(byMaterial.get(materialId) ?? []), label]);
  }
  for (const [id, labels] of byMaterial) {
    if (labels.length > 1)
      warnings.push(`${labels.length} net import reliance figures for ${id} (${labels.map((l) => `"${l}"`).join(', ')}); told apart by detail`);
  }
  const order = header.filter((h) => /^Import_Share_(Order|Rank)$/i.test(h));
  if (order.length) warnings.push(`not stored: ${order.join(', ')} (position in the published figure)`);
  return { kind: 'usgs-nir', file: path, sources: [source], observations, warnings };
}
