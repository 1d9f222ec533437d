/**
 * `chokepoint prices -m <material> [--window 3] [-f table|json|csv]`: a material's annual price series (USGS salient
 * statistics), newest edition per year with revisions, year-on-year change and rolling range. The table is the PRICE
 * section of `chokepoint material`; CSV is `priceTable` (src/report/tables/prices.ts), the bytes of
 * GET /api/materials/{id}/prices?format=csv. Method: docs/prices.md.
 */
import type { Command } from 'commander';
import { InputError } from '../model/errors.ts';
import { DEFAULT_ROLLING_WINDOW, priceHistory } from '../engine/prices.ts';
import { priceTable } from '../report/tables.ts';
import { csvText, renderPriceSeries, type OutputFormat } from './format.ts';
import { dbOption, formatOption, intArg, materialArg, oneMaterial, withKb } from './options.ts';

export function registerPriceCommands(program: Command, print: (s: string) => void = (s) => process.stdout.write(s + '\n')): void {
  program
    .command('prices')
    .description('annual price series of a material: newest edition per year with revisions, y/y change, rolling range, sources')
    .requiredOption('-m, --material <name>', 'material (any alias)', materialArg)
    .option('-w, --window <years>', `years in the rolling range (2–20, default ${DEFAULT_ROLLING_WINDOW})`, intArg, DEFAULT_ROLLING_WINDOW)
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o: { material: string; window: number; format: OutputFormat; db?: string }) => {
      if (o.window < 2 || o.window > 20) throw new InputError('window', 'between 2 and 20 years');
      await withKb(
        o,
        (kb) => {
          const series = priceHistory(kb.index.data.prices ?? [], kb.index.data.sources, { materialId: o.material, window: o.window });
          if (o.format === 'csv') return print(csvText(priceTable(o.material, series, o.window)));
          if (o.format === 'json') return print(JSON.stringify({ materialId: o.material, window: o.window, series }, null, 2));
          if (!series.length) return print(`no price series for ${o.material} in the knowledge base`);
          print(series.map(renderPriceSeries).join('\n\n'));
        },
        oneMaterial(o.material),
      );
    });
}
