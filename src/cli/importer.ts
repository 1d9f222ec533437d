/**
 * `chokepoint importer <ISO3|EU27> [--material m] [--year y] [--format table|json|csv]`: how exposed a country or a bloc
 * is to its suppliers, material by material and stage by stage — consumption, imports by supplier (customs, or a
 * labelled proxy), import dependence, indirect exposure through processing hubs, the measures that hit it and the stress
 * test to run. Method: docs/importer.md.
 *
 * `chokepoint importers --material m [--stage mining|refining] [--year y] [--supplier ISO3]`: every importer of one
 * material at one stage in the customs data loaded, side by side, with GeoPolRisk per importer (one SQL pass over the
 * trade flows: src/store/customs-imports.ts).
 */
import type { Command } from 'commander';
import type { DatasetIndex } from '../engine/dataset.ts';
import { importerExposure, type ExposureRow } from '../engine/importer/exposure.ts';
import { importerTable, importersDataTable } from '../report/importer.ts';
import { importersYear, type ImporterRow, type ImportersReport } from '../engine/importer/importers.ts';
import { tableToCsv } from '../report/export.ts';
import { flatCsv } from '../report/tables/define.ts';
import { pct, quantity, renderTable, type OutputFormat } from './format.ts';
import { Option } from 'commander';
import { dbOption, formatOption, intArg, materialArg, UserError, withKb } from './options.ts';

const columns = [
  { header: 'material', value: (r: ExposureRow) => r.material, align: 'left' as const },
  { header: 'stage', value: (r: ExposureRow) => r.stage, align: 'left' as const },
  { header: 'year', value: (r: ExposureRow) => String(r.year) },
  {
    header: 'consumption',
    value: (r: ExposureRow) => (r.consumption ? `${quantity(r.consumption.tonnes, 't')} (${r.consumption.method})` : 'gap'),
  },
  {
    header: 'suppliers',
    value: (r: ExposureRow) =>
      `${r.imports.basis === 'proxy' ? 'PROXY ' : r.imports.basis === 'mirror' ? `MIRROR(${r.imports.reporters.join('+')}) ` : ''}${r.imports.suppliers
        .slice(0, 3)
        .map((s) => `${s.countryId} ${pct(s.share)}`)
        .join(', ')}`,
    align: 'left' as const,
  },
  { header: 'dependence', value: (r: ExposureRow) => (r.dependence ? pct(r.dependence.ratio) : 'gap') },
  {
    header: 'via hubs',
    value: (r: ExposureRow) =>
      r.exposure
        .filter((e) => e.viaHubs > 0)
        .slice(0, 2)
        .map((e) => `${e.countryId} +${pct(e.viaHubs)}`)
        .join(', ') || (r.hubs.some((h) => h.gap) ? 'gap' : '—'),
    align: 'left' as const,
  },
  { header: 'measures', value: (r: ExposureRow) => String(r.measures.length) },
  { header: 'stress test', value: (r: ExposureRow) => (r.stress ? `--exclude ${r.stress.exclude.join(',')}` : '—'), align: 'left' as const },
];

const importersColumns = [
  { header: 'importer', value: (r: ImporterRow) => `${r.importerId} ${r.importer}`, align: 'left' as const },
  { header: 'year', value: (r: ImporterRow) => String(r.tradeYear) },
  { header: 'imports', value: (r: ImporterRow) => quantity(r.importsTonnes, 't') },
  { header: 'top suppliers', value: (r: ImporterRow) => r.topSuppliers.map((s) => `${s.countryId} ${pct(s.share)}`).join(', ') || '—', align: 'left' as const },
  { header: 'supplier', value: (r: ImporterRow) => pct(r.supplierShare) },
  { header: 'not named', value: (r: ImporterRow) => pct(r.unattributedShare) },
  { header: 'own prod.', value: (r: ImporterRow) => (r.ownProductionTonnes > 0 ? quantity(r.ownProductionTonnes, 't') : '—') },
  { header: 'dependence', value: (r: ImporterRow) => (r.dependence === null ? 'gap' : pct(r.dependence)) },
  { header: 'import risk', value: (r: ImporterRow) => (r.importRisk === null ? '—' : r.importRisk.toFixed(3)) },
  { header: 'GeoPolRisk', value: (r: ImporterRow) => (r.geoPolRisk === null ? 'gap' : r.geoPolRisk.toFixed(4)) },
];

function printImporters(t: ImportersReport, format: OutputFormat, print: (s: string) => void): void {
  if (format === 'json') return print(JSON.stringify(t, null, 2));
  if (format === 'csv') return print(flatCsv(importersDataTable(t)).trimEnd());
  print(
    `${t.material}, ${t.stage} stage, ${t.year}: ${t.rows.length} importer${t.rows.length === 1 ? '' : 's'} in the customs data` +
      (t.supplier ? `; supplier column: ${t.supplier.country} (${t.supplier.countryId}, ${t.supplier.why})` : '') +
      '\n',
  );
  if (t.rows.length) print(renderTable(t.rows, importersColumns));
  else print('no importer with imports at this stage in the customs data loaded (chokepoint data import baci|comtrade <file>)');
  // one line per trade source (each row's citation names its own reporter)
  const sources = [...new Map(t.rows.map((r) => [r.sourceId, [r.source.publisher, r.source.edition, r.source.table].filter(Boolean).join(', ')])).values()];
  if (t.globalSource) sources.push(`${t.globalSource.text} (global supply shares, HHI)`);
  if (sources.length) print(`\nSOURCES\n${sources.map((s) => `  - ${s}`).join('\n')}`);
  print(`\nNOTES\n${t.notes.map((n) => `  - ${n}`).join('\n')}`);
  const scoreGaps = t.rows.flatMap((r) => [r.scoreGap, r.dependenceGap].filter(Boolean).map((g) => `${r.importerId}: ${g}`));
  const gaps = [...scoreGaps, ...t.gaps.map((g) => `${g.importerId}: ${g.reason}`)];
  if (gaps.length) print(`\nGAPS\n${gaps.map((g) => `  - ${g}`).join('\n')}`);
}

/** Opens the knowledge base and computes on it (tests pass one over a fixture index). */
export type OpenIndex = <T>(opts: { db?: string }, compute: (index: DatasetIndex) => T) => Promise<T>;
/**
 * Every observation and only the trade flows the view asks for (`withAskedTrade`: the flows touching the importer, then
 * those touching its hubs), not every flow in the store: on 1M flows JPN 1.94 → 1.76 s and 602 → 258 MB, the EU27
 * 2.77 → 2.66 s and 613 → 479 MB (three runs each); the read grows with the importer's trade, not with the store's.
 */
const openStore: OpenIndex = (o, compute) =>
  withKb(o, async (kb) => (await import('../store/load.ts')).withAskedTrade(kb.store, kb.index, compute), { trade: false });

export function registerImporterCommands(
  program: Command,
  print: (s: string) => void = (s) => process.stdout.write(s + '\n'),
  open: OpenIndex = openStore,
): void {
  program
    .command('importer <id>')
    .description('importer exposure of a country (ISO3) or a bloc (EU27, G7, MSP …): suppliers, dependence, hubs, measures, stress test')
    .option(
      '-m, --material <name>',
      'material (repeatable); default: materials with trade flows, export measures or own-use figures',
      (raw: string, prev: string[] = []) => [...prev, materialArg(raw)],
    )
    .option('-y, --year <year>', 'year of supply and trade figures (default: latest historical year)', intArg)
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (id: string, o) => {
      const e = await open(o, (index) => importerExposure(index, { importer: id, materials: o.material, year: o.year }));
      const format = o.format as OutputFormat;
      if (format === 'json') return print(JSON.stringify(e, null, 2));
      if (format === 'csv') return print(tableToCsv(importerTable(e)).trimEnd());
      print(`${e.name} (${e.importer})${e.kind === 'bloc' ? `: ${e.members.length} members, extra-bloc imports only` : ''}; measures as of ${e.on}\n`);
      print(renderTable(e.rows, columns));
      for (const r of e.rows) {
        const head = `\n${r.material.toUpperCase()} ${r.stage} ${r.year} — ${r.imports.label}`;
        const lines = [head];
        if (r.imports.basis !== 'proxy') lines.push(`  recorded imports: ${quantity(r.imports.totalTonnes, 't')} (customs net weight)`);
        lines.push(`  suppliers: ${r.imports.suppliers.map((s) => `${s.countryId} ${pct(s.share)}`).join(', ') || 'none recorded'}`);
        lines.push(`  source: ${r.imports.source.text}`);
        for (const n of r.imports.notes) lines.push(`  note: ${n}`);
        if (r.consumption) lines.push(`  consumption: ${quantity(r.consumption.tonnes, 't')} (${r.consumption.basis}) — ${r.consumption.source.text}`);
        if (r.dependence) {
          const d = r.dependence;
          const range = d.ratioRange.low === d.ratioRange.high ? '' : `, ${pct(d.ratioRange.low)}–${pct(d.ratioRange.high)} over the conversion ranges`;
          lines.push(`  import dependence: ${pct(d.ratio)}${range} (${d.note})`);
          lines.push(
            `  apparent consumption: ${quantity(d.apparentTonnes, 't')} ${d.basis} = production ${quantity(d.productionTonnes, 't')} + imports ${quantity(d.importsTonnes, 't')} − exports ${quantity(d.exportsTonnes, 't')}`,
          );
          for (const c of d.conversions) lines.push(`  conversion: ${c.rule} — ${c.source.text}`);
        }
        for (const h of r.hubs) {
          const feed = h.feed.length ? `feed from ${h.feed.map((f) => `${f.countryId} ${pct(f.share)}`).join(', ')}` : null;
          lines.push(`  hub ${h.hubId} (${pct(h.hubShare)}): ${[feed, h.gap, ...h.notes].filter(Boolean).join('; ')}`);
        }
        for (const m of r.measures) lines.push(`  measure ${m.id} [${m.status}]${m.via !== 'direct' ? ` via ${m.via}` : ''}: ${m.title}`);
        if (r.stress)
          lines.push(
            `  stress test: chokepoint stress --material ${r.materialId} --stage ${r.stage} --year ${r.stress.year} --exclude ${r.stress.exclude.join(',')} (${r.stress.why})`,
          );
        for (const g of r.gaps) lines.push(`  GAP: ${g}`);
        if (r.consumptionGap) lines.push(`  GAP: ${r.consumptionGap}`);
        if (!r.dependence && r.dependenceGap && !r.customsGap) lines.push(`  GAP: ${r.dependenceGap}`);
        print(lines.join('\n'));
      }
      if (e.gaps.length) print(`\nGAPS\n${e.gaps.map((g) => `  - ${g}`).join('\n')}`);
    });

  program
    .command('importers')
    .description("every importer of a material at a stage in the customs data loaded (BACI, Comtrade): imports, suppliers, one supplier's share, GeoPolRisk")
    .requiredOption('-m, --material <name>', 'material (any alias)', materialArg)
    .addOption(
      new Option('-s, --stage <stage>', 'mining (ores and concentrates) or refining (processed products)').choices(['mining', 'refining']).default('mining'),
    )
    .option('-y, --year <year>', 'assessment year: trade of the latest year ≤ it with imports by partner (default: latest year with supply data)', intArg)
    .option('--supplier <iso3>', 'supplier whose share of each importer is shown (default: the largest producer at the stage)')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      const supplier = o.supplier === undefined ? undefined : String(o.supplier).toUpperCase();
      if (supplier !== undefined && !/^[A-Z]{3}$/.test(supplier)) throw new UserError(`--supplier: an ISO3 country code (got "${o.supplier}")`);
      // The customs figures come from SQL over the store: no trade flow is read into JS.
      await withKb(
        o,
        async (kb) => {
          const year = importersYear(kb.index, o.material, o.stage, o.year);
          printImporters(await kb.importers({ materialId: o.material, stage: o.stage, year, supplier }), o.format as OutputFormat, print);
        },
        { materials: [o.material], trade: false },
      );
    });
}
