/**
 * `chokepoint report --material cobalt --format md|html|pdf [--out file]`: a briefing with charts, tables and sources.
 * `chokepoint export --table overview|shares|trend|material [--material m] --format csv|xlsx [--out file]`: any table.
 * Wired into the program by src/cli/main.ts (`registerReportCommands(program)`).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { STAGES, type Stage } from '../model/schema.ts';
import { briefingHtml, briefingMarkdown, briefingPdf, PdfUnavailableError } from '../report/briefing.ts';
import { EXPORT_TABLES, exportTables, type ExportTable } from '../report/export-tables.ts';
import { tablesToXlsx, tableToCsv } from '../report/export.ts';
import { dbOption, materialArg, withKb } from './options.ts';

function stageOpt(raw: string): Stage {
  const s = raw.toLowerCase().replace('processing', 'refining').replace('extraction', 'mining');
  if (!(STAGES as readonly string[]).includes(s)) throw new InvalidArgumentError(`stage must be one of ${STAGES.join(', ')}`);
  return s as Stage;
}
function yearOpt(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1900 || n > 2100) throw new InvalidArgumentError(`"${raw}" is not a year`);
  return n;
}

export function registerReportCommands(program: Command, print: (s: string) => void = (s) => process.stdout.write(s.endsWith('\n') ? s : s + '\n')): void {
  program
    .command('report')
    .description('material briefing: key figures, top producers, trend, flows, import reliance, sources (Markdown, HTML or PDF)')
    .requiredOption('-m, --material <name>', 'material (any alias)', materialArg)
    .addOption(new Option('-f, --format <format>', 'md | html | pdf (pdf needs chromium)').choices(['md', 'html', 'pdf']).default('md'))
    .option('-o, --out <file>', 'write to a file (default: stdout for md/html, <material>-briefing.pdf for pdf)')
    .addOption(dbOption())
    .action(async (o: { material: string; format: 'md' | 'html' | 'pdf'; out?: string; db?: string }) => {
      await withKb(
        o,
        async (kb) => {
          if (o.format === 'pdf') {
            const out = resolve(o.out ?? `${o.material}-briefing.pdf`);
            try {
              writeFileSync(out, await briefingPdf(kb.index, o.material));
            } catch (e) {
              if (e instanceof PdfUnavailableError) throw new InvalidArgumentError(e.message);
              throw e;
            }
            print(`wrote ${out}`);
            return;
          }
          const text = o.format === 'md' ? briefingMarkdown(kb.index, o.material) : briefingHtml(kb.index, o.material);
          if (o.out) {
            writeFileSync(resolve(o.out), text);
            print(`wrote ${resolve(o.out)}`);
          } else print(text);
        },
        { trade: [o.material] },
      );
    });

  program
    .command('export')
    .description('download a table as CSV or XLSX, sources included: overview | shares | trend | material (every table of a material, XLSX)')
    .addOption(new Option('-t, --table <table>', 'which table').choices(EXPORT_TABLES).default('overview'))
    .option('-m, --material <name>', 'material (for shares, trend, material)', materialArg)
    .option('-s, --stage <stage>', 'stage for shares', stageOpt, 'mining' as Stage)
    .option('-y, --year <year>', 'year (default: latest)', yearOpt)
    .addOption(new Option('-f, --format <format>', 'csv | xlsx').choices(['csv', 'xlsx']).default('csv'))
    .option('-o, --out <file>', 'output file (default: stdout for csv, <table>.xlsx for xlsx)')
    .addOption(dbOption())
    .action(async (o: { table: string; material?: string; stage: Stage; year?: number; format: 'csv' | 'xlsx'; out?: string; db?: string }) => {
      await withKb(o, async (kb) => {
        const tables = exportTables(kb.index, { ...o, table: o.table as ExportTable });
        if (o.format === 'csv') {
          const csv = tableToCsv(tables[0]);
          if (o.out) {
            writeFileSync(resolve(o.out), csv);
            print(`wrote ${resolve(o.out)}`);
          } else print(csv.replace(/\n$/, '')); // print adds the final newline: the API's bytes
          return;
        }
        const out = resolve(o.out ?? `${tables.length === 1 ? tables[0].id : `${o.material}-tables`}.xlsx`);
        writeFileSync(out, await tablesToXlsx(tables));
        print(`wrote ${out} (${tables.length} sheet${tables.length === 1 ? '' : 's'})`);
      });
    });
}
