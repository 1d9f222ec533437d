/**
 * `chokepoint demand`: consumption by country × material × year with method, basis, range and source (or a stated
 * gap), and `chokepoint demand cover`: stockpile days of cover for Japan, Korea, Germany, the EU and the USA under an
 * N-1 shock. Methods: docs/demand.md.
 */
import { Command, Option } from 'commander';
import { consumptionTable, type ConsumptionRow } from '../engine/demand/table.ts';
import { COVER_HOLDERS, IEA_SIX, stockpileCover, type CoverRow } from '../scenario/cover.ts';
import { coverTable, demandTable } from '../report/tables.ts';
import { csvText, output, pct, quantity, type OutputFormat } from './format.ts';
import { UserError, dbOption, formatOption, intArg, listArg, materialList, withKb } from './options.ts';

const q = (x: number | null) => (x === null ? null : quantity(x, 't'));
const range = (lo: number | null, hi: number | null, f: (x: number) => string | null) => (lo === null || hi === null ? '' : ` (${f(lo)}–${f(hi)})`);

const consumptionColumns = [
  { header: 'country', value: (r: ConsumptionRow) => `${r.countryId} ${r.country}`, align: 'left' as const },
  { header: 'material', value: (r: ConsumptionRow) => r.material, align: 'left' as const },
  { header: 'year', value: (r: ConsumptionRow) => `${r.year}${r.demandScenario ? ` ${r.demandScenario}` : ''}` },
  { header: 'demand series', value: (r: ConsumptionRow) => `${r.demandScope ?? 'demand'} (${r.demandBasis})`, align: 'left' as const },
  {
    header: 'consumption',
    value: (r: ConsumptionRow) =>
      r.tonnes === null
        ? 'gap'
        : `${q(r.tonnes)}${range(r.low !== null ? r.low * r.demandTonnes : null, r.high !== null ? r.high * r.demandTonnes : null, (x) => q(x))}`,
  },
  { header: 'share of world', value: (r: ConsumptionRow) => (r.share === null ? '—' : `${pct(r.share)}${range(r.low, r.high, (x) => pct(x))}`) },
  {
    header: 'method',
    value: (r: ConsumptionRow) => (r.method ? `${r.method}${r.estimate ? ', estimate' : ''}${r.assumed ? ', partly assumed' : ''}` : '—'),
    align: 'left' as const,
  },
  { header: 'basis', value: (r: ConsumptionRow) => r.basis ?? '—', align: 'left' as const },
];

const coverColumns = [
  { header: 'holder', value: (r: CoverRow) => `${r.holder} ${r.holderName}`, align: 'left' as const },
  { header: 'material', value: (r: CoverRow) => r.material, align: 'left' as const },
  { header: 'shock', value: (r: CoverRow) => `${r.stage} ${r.year}, without ${r.removed.join('+')}`, align: 'left' as const },
  { header: 'lost', value: (r: CoverRow) => pct(r.lostShare) },
  {
    header: 'holder consumption',
    value: (r: CoverRow) =>
      r.holderConsumptionTonnes === null
        ? 'gap'
        : `${q(r.holderConsumptionTonnes)}/yr${range(r.holderConsumptionLow, r.holderConsumptionHigh, (x) => q(x))}${r.consumptionAssumed ? ' *' : ''}`,
  },
  { header: 'stockpile', value: (r: CoverRow) => `${r.stockpileDays} d${r.stockpileTonnes !== null ? ` = ${q(r.stockpileTonnes)}` : ''}` },
  { header: 'days of cover', value: (r: CoverRow) => (r.daysOfCover === null ? 'nothing lost' : r.daysOfCover.toFixed(0)) },
  { header: 'runs out', value: (r: CoverRow) => (r.exhaustedMonth === null ? '—' : `month ${r.exhaustedMonth}`) },
];

export function registerDemandCommands(program: Command, print: (s: string) => void = (s) => process.stdout.write(s + '\n')): void {
  const demand = program
    .command('demand')
    .description('consumption by country: apparent consumption where published, else a sourced allocation with a range; basis and source of each figure')
    .option('-m, --material <name>', 'material (repeatable, comma-separated); default: the six IEA minerals', materialList)
    .option('-y, --year <year>', 'year (IEA: 2024 base year, projections 2030, 2035, 2040)', intArg, 2035)
    .option(
      '-c, --country <list>',
      'countries or EU27 (comma-separated); default: the allocation-table holders, the USA and countries whose customs give a figure',
      listArg,
    )
    .option('--demand-scenario <s>', 'IEA demand scenario for projection years: STEPS | APS | NZE', 'STEPS')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      await withKb(
        o,
        (kb) => {
          const rows = consumptionTable(kb.index, {
            materials: o.material ?? IEA_SIX,
            year: o.year,
            demandScenario: o.demandScenario,
            countries: o.country?.map((c: string) => c.toUpperCase()),
          });
          if (!rows.length) throw new UserError(`no world demand for ${(o.material ?? IEA_SIX).join(', ')} in ${o.year} (IEA years: 2024, 2030, 2035, 2040)`);
          const format = o.format as OutputFormat;
          if (format === 'csv') return print(csvText(demandTable(rows)));
          print(output(format, rows, consumptionColumns));
          if (format !== 'table') return;
          const lines = rows
            .filter((r) => r.source)
            .map((r) => `  ${r.countryId} ${r.material}${r.demandScope?.includes('battery') ? ' (battery-grade)' : ''}: ${r.source}`);
          if (lines.length) print(`\nMETHOD AND SOURCE\n${lines.join('\n')}`);
          const urls = new Map(rows.flatMap((r) => r.sources.map((s) => [s.id, s] as const)));
          if (urls.size) print(`\nSOURCES\n${[...urls.values()].map((s) => `  - ${s.id}: ${s.what} — ${s.source} <${s.url}>`).join('\n')}`);
          const notes = rows.flatMap((r) => r.notes.map((n) => `  - ${r.countryId} ${r.material}: ${n}`));
          if (notes.length) print(`\nNOTES\n${[...new Set(notes)].join('\n')}`);
          const conv = [...new Set(rows.map((r) => r.conversion).filter(Boolean))];
          if (conv.length) print(`\nCONVERSIONS\n${conv.map((c) => `  - ${c}`).join('\n')}`);
          const gaps = rows.filter((r) => r.gap);
          if (gaps.length) print(`\nGAPS\n${gaps.map((r) => `  - ${r.countryId} ${r.material} (${r.demandScope ?? 'demand'}): ${r.gap}`).join('\n')}`);
        },
        { trade: o.material ?? IEA_SIX },
      );
    });

  // -m, -y, -f and --db: given before `cover` they are `demand`'s, after it cover's own; an option given after wins.
  demand
    .command('cover')
    .description('stockpile days of cover under N-1 (largest supplier removed) for Japan, Korea, Germany, the EU and the USA')
    .option('-m, --material <name>', 'material (repeatable, comma-separated); default: the six IEA minerals', materialList)
    .option('-y, --year <year>', 'year (default 2035)', intArg)
    .option('--holders <list>', `holders (ISO3 or EU27), default ${COVER_HOLDERS.join(',')}`, listArg)
    .addOption(
      new Option('--stockpile-policy <preset>', 'stockpile in days of the holder’s own consumption').choices(['japan-60', 'high-risk-180']).default('japan-60'),
    )
    .addOption(new Option('-f, --format <format>', 'output format (default table)').choices(['table', 'json', 'csv']))
    .addOption(dbOption())
    .action(async (own: Record<string, unknown>, cmd: Command) => {
      const given = Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined));
      const o = { ...cmd.parent!.opts(), ...given };
      await withKb(
        o,
        (kb) => {
          const rows = stockpileCover(kb.index, {
            holders: o.holders?.map((h: string) => h.toUpperCase()),
            materials: o.material,
            year: o.year,
            policy: o.stockpilePolicy,
          });
          const format = o.format as OutputFormat;
          if (format === 'csv') return print(csvText(coverTable(rows)));
          print(output(format, rows, coverColumns));
          if (format !== 'table') return;
          print(
            "\ndays of cover = stockpile ÷ the holder's daily loss in month 1, no recovery; the holder loses pro rata to its consumption, so a stockpile counted in days of its own use gives the same days for every holder (days × affected consumption ÷ supply lost). Tonnes need the holder's consumption: 'gap' where it is unknown; * = partly assumed (a stated proxy, e.g. the holder's share of world manufacturing output, where no published figure was found).",
          );
          const notes = [...new Set(rows.flatMap((r) => [...r.gaps, ...(r.note ? [`${r.material}: ${r.note}`] : [])]))];
          if (notes.length) print(`\nGAPS AND NOTES\n${notes.map((n) => `  - ${n}`).join('\n')}`);
          const src = [...new Set(rows.filter((r) => r.consumptionSource).map((r) => `  ${r.holder} ${r.material}: ${r.consumptionSource}`))];
          if (src.length) print(`\nHOLDER CONSUMPTION: METHOD AND SOURCE\n${src.join('\n')}`);
        },
        { trade: o.material ?? IEA_SIX },
      );
    });
}
