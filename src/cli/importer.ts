/**
 * `chokepoint importer <ISO3|EU27> [--material m] [--year y] [--format table|json|csv]`: how exposed a country or a bloc
 * is to its suppliers, material by material and stage by stage — consumption, imports by supplier (customs, or a
 * labelled proxy), import dependence, indirect exposure through processing hubs, the measures that hit it and the stress
 * test to run. Method: docs/importer.md.
 */
import type { Command } from 'commander';
import type { DatasetIndex } from '../engine/dataset.ts';
import { importerExposure, type ExposureRow } from '../engine/importer/exposure.ts';
import { importerTable } from '../report/importer.ts';
import { tableToCsv } from '../report/export.ts';
import { pct, quantity, renderTable, type OutputFormat } from './format.ts';
import { dbOption, formatOption, intArg, materialArg, withKb } from './options.ts';

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

/** Opens the knowledge base (tests pass one over a fixture index). */
export type OpenIndex = (opts: { db?: string }, fn: (index: DatasetIndex) => void) => Promise<void>;
const openStore: OpenIndex = (o, fn) => withKb(o, (kb) => fn(kb.index));

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
      await open(o, (index) => {
        const e = importerExposure(index, { importer: id, materials: o.material, year: o.year });
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
    });
}
