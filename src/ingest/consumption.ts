/**
 * Consumption by country (our CSV format), for figures a statistical agency publishes that the bundled dataset lacks:
 * national apparent consumption, EU apparent consumption, published consumption shares turned into tonnes.
 *
 *   country,material,year,stage,value,unit,basis,method,publisher,title,url[,table,licence,note]
 *   USA,cobalt,2024,end_use,8500,t,contained,apparent consumption,U.S. Geological Survey,Mineral Commodity Summaries 2025,https://doi.org/10.3133/mcs2025,,public domain,
 *
 * Refused, naming file, line and field (nothing is stored): an unknown unit (t, kg, kt, Mt are read; kt/Mt/kg are
 * converted to t), an unknown basis, a missing or malformed year, a country or material we cannot resolve, a negative
 * value, one country × material × stage on two bases in the same file (mixed bases), the same cell twice, and rows
 * without a source (publisher, title, url). `battery-grade` is stored as basis `refined` with "battery-grade" in the
 * detail, so it is compared with battery-grade demand only (src/engine/demand/own-use.ts).
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { ImportError, ObservationSchema, SourceSchema, type Basis, type ImportBatch, type Source } from '../model/schema.ts';
import { resolveCountry } from '../model/countries.ts';
import { resolveMaterial } from '../model/materials.ts';
import { checked, numberCell, streamCsv } from './kit.ts';
import { collectBatch, type RecordOut, type StreamedImport } from './stream.ts';

const REQUIRED = ['country', 'material', 'year', 'value', 'unit', 'basis', 'method', 'publisher', 'title', 'url'] as const;
const UNITS: Record<string, number> = { t: 1, kg: 0.001, kt: 1_000, Mt: 1_000_000 };
const BASES: Record<string, { basis: Basis; scope: string | null }> = {
  contained: { basis: 'contained', scope: null },
  refined: { basis: 'refined', scope: null },
  'battery-grade': { basis: 'refined', scope: 'battery-grade' },
  lce: { basis: 'lce', scope: null },
  oxide: { basis: 'oxide', scope: null },
  gross_weight: { basis: 'gross_weight', scope: null },
};
const STAGES = ['end_use', 'refining', 'mining'] as const;
const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);

export async function importConsumption(path: string): Promise<ImportBatch> {
  return collectBatch('consumption', path, streamConsumption);
}

/**
 * Read the CSV row by row, each observation handed to `out` as it is made. Held across rows: the sources, the basis
 * of each country × material × stage series and the line of each series-year (for the mixed-basis and repeat errors).
 */
export async function streamConsumption(path: string, out: RecordOut): Promise<StreamedImport> {
  const { col, opt, rows } = await streamCsv(path, REQUIRED);
  const [iStage, iTable, iLicence, iNote] = ['stage', 'table', 'licence', 'note'].map(opt);
  const sources = new Map<string, Source>();
  let observations = 0;
  const basisOf = new Map<string, { basis: string; line: number }>();
  const seen = new Map<string, number>();
  const digest = createHash('sha256').update(basename(path)).digest('hex').slice(0, 6);
  for await (const { line, cells } of rows) {
    const cell = (k: (typeof REQUIRED)[number]) => cells[col[k]].trim();
    const fail = (field: string, reason: string): never => {
      throw new ImportError(path, line, field, reason);
    };
    const country = resolveCountry(cell('country'));
    if (!country || country.kind !== 'country') fail('country', `"${cell('country')}" is not a country we know (ISO3 code or name)`);
    const materialId = resolveMaterial(cell('material')) ?? fail('material', `unknown material "${cell('material')}"`);
    const yearText = cell('year');
    if (!yearText) fail('year', 'missing year');
    if (!/^\d{4}$/.test(yearText)) fail('year', `expected a four-digit year, found "${yearText}"`);
    const year = Number(yearText);
    const stageText = iStage >= 0 ? cells[iStage].trim() || 'end_use' : 'end_use';
    if (!(STAGES as readonly string[]).includes(stageText)) fail('stage', `unknown stage "${stageText}"; accepted: ${STAGES.join(', ')}`);
    const stage = stageText as (typeof STAGES)[number];
    const unit = cell('unit');
    if (!(unit in UNITS)) fail('unit', `unknown unit "${unit}"; accepted: ${Object.keys(UNITS).join(', ')} (mass only: shares and money are not consumption)`);
    const basisText = cell('basis');
    const b = BASES[basisText] ?? fail('basis', `unknown basis "${basisText}"; accepted: ${Object.keys(BASES).join(', ')}`);
    const raw = cell('value');
    if (!raw) fail('value', 'missing value (leave the row out, or mark a withheld figure in the note of a row with a value)');
    const value = numberCell(path, line, 'value', raw) * UNITS[unit];
    if (value < 0) fail('value', `negative consumption (${raw} ${unit})`);
    const method = cell('method') || fail('method', 'missing method (e.g. "apparent consumption", "reported consumption")');
    for (const k of ['publisher', 'title', 'url'] as const) if (!cell(k)) fail(k, `missing ${k}: every figure names its source`);
    const cellKey = `${country!.id}|${materialId}|${stage}`;
    const prev = basisOf.get(cellKey);
    if (prev && prev.basis !== basisText)
      fail('basis', `mixed bases: ${country!.id} ${materialId} ${stage} is "${prev.basis}" on line ${prev.line} and "${basisText}" here; one basis per series`);
    basisOf.set(cellKey, { basis: basisText, line });
    const dup = seen.get(`${cellKey}|${year}`);
    if (dup !== undefined) fail('year', `${country!.id} ${materialId} ${stage} ${year} already given on line ${dup}`);
    seen.set(`${cellKey}|${year}`, line);

    const sKey = `${cell('publisher')}|${cell('title')}|${cell('url')}`;
    let src = sources.get(sKey);
    if (!src) {
      src = checked(
        SourceSchema,
        {
          id: `consumption-${slug(cell('publisher'))}-${digest}-${sources.size + 1}`,
          dataset: 'consumption',
          editionYear: year,
          publisher: cell('publisher'),
          title: cell('title'),
          edition: cell('title'),
          table: iTable >= 0 ? cells[iTable].trim() || null : null,
          licence: (iLicence >= 0 ? cells[iLicence].trim() : '') || 'as stated by the publisher',
          url: cell('url'),
          file: basename(path),
          caveat: null,
        },
        path,
        line,
        'source',
      );
      sources.set(sKey, src);
    }
    src.editionYear = Math.max(src.editionYear, year);
    observations++;
    await out.observation(
      checked(
        ObservationSchema,
        {
          materialId,
          stage,
          measure: 'consumption',
          countryId: country!.id,
          year,
          value,
          unit: 't',
          basis: b.basis,
          status: 'reported',
          estimated: false,
          scenario: null,
          sector: null,
          detail: [method, b.scope].filter(Boolean).join('; '),
          note: iNote >= 0 ? cells[iNote].trim() || null : null,
          sourceId: src.id,
        },
        path,
        line,
        'observation',
      ),
    );
  }
  if (!observations) throw new ImportError(path, null, null, 'no consumption rows');
  return { sources: [...sources.values()], warnings: [] };
}
