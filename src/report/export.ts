/** CSV and XLSX renderings of `DataTable`s (one sheet per table, with its sources under the data). */
import { csvCell } from '../ingest/csv.ts';
import type { DataTable } from './tables.ts';

/** CSV with one header row; tables without a per-row source column get one, so every figure keeps its source. */
export function tableToCsv(t: DataTable): string {
  const hasSource = t.columns.some((c) => /source/i.test(c.key)) || t.id.endsWith('-sources');
  const src = t.sources.map((s) => s.text + (s.url ? ` <${s.url}>` : '')).join(' | ');
  const lines = [[...t.columns.map((c) => csvCell(c.header)), ...(hasSource ? [] : ['source'])].join(',')];
  for (const r of t.rows) lines.push([...t.columns.map((c) => csvCell(r[c.key] ?? null)), ...(hasSource ? [] : [csvCell(src)])].join(','));
  return lines.join('\n') + '\n';
}

const importExcelJs = () => import('exceljs');
let exceljs: ReturnType<typeof importExcelJs> | null = null;
/**
 * exceljs, loaded once on first use: it takes ~0.5-0.8 s to load, which every CLI command would otherwise pay. The
 * server calls this once it is idle after start (src/api/server.ts), so the first XLSX download does not wait for it.
 */
export function loadExcelJs(): ReturnType<typeof importExcelJs> {
  exceljs ??= importExcelJs();
  return exceljs;
}

export async function tablesToXlsx(tables: DataTable[]): Promise<Buffer> {
  const { default: ExcelJS } = await loadExcelJs();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Chokepoint';
  const used = new Set<string>();
  for (const t of tables) {
    let name = t.id.replace(/[\\/*?:[\]]/g, '-').slice(0, 31);
    for (let i = 2; used.has(name); i++) name = `${t.id.slice(0, 28)}-${i}`;
    used.add(name);
    const ws = wb.addWorksheet(name);
    ws.addRow([t.title]).font = { bold: true, size: 13 };
    const header = ws.addRow(t.columns.map((c) => c.header));
    header.font = { bold: true };
    for (const r of t.rows) ws.addRow(t.columns.map((c) => r[c.key] ?? null));
    t.columns.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      if (c.kind === 'share') col.numFmt = '0.0%';
      col.width = Math.min(60, Math.max(10, c.header.length + 2));
    });
    ws.addRow([]);
    for (const n of t.notes) ws.addRow([`Note: ${n}`]);
    for (const s of t.sources) ws.addRow([`Source: ${s.text}${s.url ? ` <${s.url}>` : ''} (licence: ${s.licence})`]);
    ws.views = [{ state: 'frozen', ySplit: 2 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
