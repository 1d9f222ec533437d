/**
 * `chokepoint` command line. Every analysis prints a table by default, or JSON / CSV with --format.
 * User errors (unknown material, bad flag) exit with code 2 and a message that says what to type instead.
 */
import { concentrationCsv, seriesPanelTable } from '../report/tables/concentration.ts';
import { sourceText } from '../model/provenance.ts';
import { cliFlagOf, InputError } from '../model/errors.ts';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { resolve } from 'node:path';
import type { KnowledgeBase } from '../store/knowledge-base.ts';
import type { SeriesPanelRow } from '../engine/series-panel.ts';
import { discover, importPath, IMPORTERS } from '../ingest/index.ts';
import { AGGREGATE_IDS, ImportError, STAGES, isAggregateEntity, type Stage } from '../model/schema.ts';
import { getMaterial } from '../model/materials.ts';
import { concentrationSweep, type ConcentrationRow } from '../engine/concentration-report.ts';
import { DEFAULT_HHI_NORMALISATION, HHI_NORMALISATIONS, hhiNormalisationNote } from '../engine/concentration.ts';
import { materialProfile } from '../engine/profile.ts';
import { revisionText } from '../engine/nir.ts';
import { csvText, output, pct, quantity, renderPriceSeries, renderTable, type Column, type OutputFormat } from './format.ts';
import { ALERTS_ONLY, NO_OBSERVATIONS, UserError, dbOption, formatOption, intArg, materialArg, oneMaterial, withKb } from './options.ts';
import { StoreBusyError, StoreReadOnlyError, StoreWriteError } from '../store/gate.ts';
import { evaluateAlerts } from '../store/alerts.ts';
import { loadDataset } from '../store/load.ts';
import { DatasetIndex } from '../engine/dataset.ts';

export { UserError, materialArg } from './options.ts';

type Print = (s: string) => void;
type Register = (program: Command, print: Print) => void;

/**
 * The modules that register top-level commands, with the commands each registers, in help order. A run loads only the
 * module of the command it runs (dynamic imports stay lazy in the CLI bundle), so a simple query does not evaluate
 * every other command's engine and schemas: startup CPU (issue 13, docs/performance.md). `--help`, no command or an
 * unknown one loads them all. test/cli/commands.test.ts checks each module registers exactly the commands listed.
 */
export const COMMAND_MODULES: ReadonlyArray<{ commands: readonly string[]; load: () => Promise<Register> }> = [
  { commands: ['stress'], load: () => import('./stress.ts').then((m) => m.registerStressCommands) },
  { commands: ['criticality'], load: () => import('./criticality.ts').then((m) => m.registerCriticalityCommands) },
  { commands: ['risk'], load: () => import('./risk.ts').then((m) => m.registerRiskCommands) },
  { commands: ['report', 'export'], load: () => import('./report.ts').then((m) => m.registerReportCommands) },
  { commands: ['registry', 'timeline', 'alerts'], load: () => import('./registry.ts').then((m) => m.registerRegistryCommands) },
  { commands: ['coalition', 'country'], load: () => import('./coalition.ts').then((m) => (p, print) => m.registerCoalitionCommands(p, undefined, print)) },
  { commands: ['optimise'], load: () => import('./optimise.ts').then((m) => m.registerOptimiseCommands) },
  { commands: ['demand'], load: () => import('./demand.ts').then((m) => m.registerDemandCommands) },
  { commands: ['prices'], load: () => import('./prices.ts').then((m) => m.registerPriceCommands) },
  { commands: ['importer', 'importers'], load: () => import('./importer.ts').then((m) => m.registerImporterCommands) },
];
/** Registered after `data` and `serve`, as before: `worker` is for distributed runs, last in the help. */
const LAST_COMMAND_MODULES: typeof COMMAND_MODULES = [{ commands: ['worker'], load: () => import('./worker.ts').then((m) => m.registerWorkerCommands) }];

/** The commands buildProgram defines itself (no module to load for them). */
export const OWN_COMMANDS: readonly string[] = ['concentration', 'material', 'materials', 'data', 'serve'];

/** The command a run names: the first argument that is not an option (the program has no options of its own). */
export function commandOf(argv: readonly string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

/** What the sources do publish for a cell without country figures: withheld / not available rows, or only totals. */
function describeGaps(kb: KnowledgeBase, materialId: string, stage: Stage, years: number[]): string {
  const parts = years.map((y) => {
    const rows = kb.index.rows(materialId, stage, stage === 'reserves' ? 'reserves' : 'production', y);
    if (!rows.length) return `${y}: nothing listed`;
    const named = rows.filter((r) => !isAggregateEntity(r.countryId));
    const numbers = named.filter((r) => r.value !== null);
    if (numbers.length) {
      const worldKnown = rows.some((r) => r.countryId === AGGREGATE_IDS.world && r.value !== null);
      return `${y}: figures for ${[...new Set(numbers.map((r) => r.countryId))].slice(0, 5).join(', ')}${numbers.length > 5 ? ', …' : ''}${worldKnown ? '' : ', but no world total or rest-of-world figure, so no world shares'}`;
    }
    const byStatus = new Map<string, number>();
    for (const r of named) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
    const statuses = [...byStatus].map(([st, n]) => `${n} ${st.replace('_', ' ')}`).join(', ');
    return named.length ? `${y}: ${named.length} countries listed, no figures (${statuses})` : `${y}: only aggregate totals (world / other countries)`;
  });
  return `What the sources publish: ${parts.join('; ')}.`;
}

function stageArg(raw: string): Stage {
  const s = raw.toLowerCase().replace('processing', 'refining').replace('extraction', 'mining');
  if (!(STAGES as readonly string[]).includes(s)) throw new InvalidArgumentError(`stage must be one of ${STAGES.join(', ')} (or extraction/processing)`);
  return s as Stage;
}

const concentrationColumns: Column<ConcentrationRow>[] = [
  { header: 'material', value: (r) => r.material, align: 'left' },
  { header: 'stage', value: (r) => r.stage, align: 'left' },
  {
    header: 'year',
    value: (r) => `${r.year}${r.estimated ? 'e' : ''}${r.scenario && r.scenario !== 'base' ? ` ${r.scenario}` : r.scenario === 'base' ? ' proj' : ''}`,
  },
  { header: 'HHI', value: (r) => r.hhiPoints },
  { header: 'top-1', value: (r) => (r.largest ? `${r.largest.countryId} ${pct(r.largest.share)}` : null) },
  { header: 'top-3', value: (r) => pct(r.top3Share) },
  { header: 'China', value: (r) => pct(r.chinaShare) },
  {
    header: 'Δ HHI',
    value: (r) => (r.previous ? `${r.previous.hhiChange >= 0 ? '+' : ''}${Math.round(r.previous.hhiChange * 10_000)} vs ${r.previous.year}` : null),
  },
  { header: 'total', value: (r) => quantity(r.total, r.unit) },
  { header: 'basis', value: (r) => r.basis, align: 'left' },
  { header: 'gaps', value: (r) => (r.gaps.length ? r.gaps.map((g) => `${g.countryId}:${g.status}`).join(' ') : ''), align: 'left' },
  { header: 'source', value: (r) => r.source.sourceId, align: 'left' },
];

const seriesPanelColumns: Column<SeriesPanelRow>[] = [
  { header: 'material', value: (r) => r.material, align: 'left' },
  { header: 'stage', value: (r) => r.stage, align: 'left' },
  { header: 'year', value: (r) => `${r.year}${r.estimated ? 'e' : ''}${r.scenario ? ` ${r.scenario}` : ''}` },
  { header: 'rank', value: (r) => (r.rank === 1 ? '1 *' : String(r.rank)) },
  { header: 'source', value: (r) => r.sourceId, align: 'left' },
  { header: 'basis', value: (r) => r.basis, align: 'left' },
  { header: 'HHI', value: (r) => r.hhiPoints },
  { header: 'top-1', value: (r) => (r.largest ? `${r.largest.countryId} ${pct(r.largest.share)}` : null) },
  { header: 'top-3', value: (r) => pct(r.top3Share) },
  { header: 'N-1 left', value: (r) => pct(r.n1RemainingShare) },
  { header: 'China', value: (r) => pct(r.chinaShare) },
  { header: 'total', value: (r) => (r.total === null ? null : quantity(r.total, r.unit)) },
  { header: 'gap', value: (r) => r.gap ?? (r.gaps ? `${r.gaps} withheld/NA` : ''), align: 'left' },
];

/** `concentration --by-source`: every published series of the cells asked for, from the store's series summary. */
async function printSeriesPanel(kb: KnowledgeBase, o: { material?: string; stage: Stage; year?: number; format: string }, print: Print): Promise<void> {
  const rows = await kb.seriesPanel({ materials: o.material ? [o.material] : undefined, stages: [o.stage], years: o.year ? [o.year] : undefined });
  if (!rows.length) {
    throw new UserError(
      `no ${o.stage} series${o.material ? ` for ${getMaterial(o.material)?.name}` : ''}${o.year ? ` in ${o.year}` : ''}` +
        (o.material ? `; years with data: ${kb.index.years(o.material, o.stage).join(', ') || 'none'}` : ''),
    );
  }
  const table = seriesPanelTable(rows);
  if (o.format === 'csv') return print(csvText(table));
  if (o.format === 'json') return print(JSON.stringify({ stage: o.stage, notes: table.notes, rows }, null, 2));
  print(renderTable(rows, seriesPanelColumns));
  print('\n* rank 1 = the series the series rule picks (every headline figure uses it); HHI on the 0-10,000 scale; "e" = estimated.');
  print('N-1 left = share of the series total left without its largest supplier (gross; the demand-netted reading is `stress --n1`).');
  for (const s of table.sources) print(`Source: ${sourceText(s)}${s.url ? ` <${s.url}>` : ''}`);
}

const SORTS: Record<string, (a: ConcentrationRow, b: ConcentrationRow) => number> = {
  hhi: (a, b) => b.hhi - a.hhi,
  top3: (a, b) => b.top3Share - a.top3Share,
  china: (a, b) => (b.chinaShare ?? -1) - (a.chinaShare ?? -1),
  change: (a, b) => (b.previous?.hhiChange ?? -Infinity) - (a.previous?.hhiChange ?? -Infinity),
  material: (a, b) => a.material.localeCompare(b.material),
};

/**
 * The program with its commands. `command` names the command about to run: of the modules in COMMAND_MODULES, only the
 * one that registers it is loaded (none for OWN_COMMANDS); without it (help, no command, an unknown command) every one.
 */
export async function buildProgram(command?: string, print: Print = (s) => process.stdout.write(s + '\n')): Promise<Command> {
  const owner = [...COMMAND_MODULES, ...LAST_COMMAND_MODULES].find((m) => command !== undefined && m.commands.includes(command));
  const all = !owner && !(command !== undefined && OWN_COMMANDS.includes(command));
  const registerAll = async (modules: typeof COMMAND_MODULES) => {
    for (const m of modules) if (all || m === owner) (await m.load())(program, print);
  };
  const program = new Command('chokepoint')
    .description('Critical-minerals supply-chain security: concentration, criticality, stress tests — every figure sourced.')
    .showHelpAfterError()
    // The program has no options of its own; positional parsing lets `risk likelihood --material x` give --material to
    // the subcommand rather than to `risk`, which has the same option.
    .enablePositionalOptions();

  program
    .command('concentration')
    .description('supply concentration (shares, HHI, top-k, China share, change) by material, stage and year')
    .option('-m, --material <name>', 'material (any alias: "cobalt", "Natural Graphite", "REE")', materialArg)
    .option('-a, --all', 'every material with data at the stage')
    .option('-s, --stage <stage>', 'mining | refining | reserves', stageArg, 'mining' as Stage)
    .option('-y, --year <year>', 'data year (default: latest historical year; IEA projections: 2030, 2035, 2040)', intArg)
    .option('-d, --dataset <dataset>', 'usgs-mcs | iea-cm (default: USGS where it has the year, else IEA)')
    .option('--sort <key>', `sort --all output by ${Object.keys(SORTS).join(' | ')}`, 'hhi')
    .option('--shares', 'with --material: list every country share')
    .option('--by-source', 'every published series side by side (publisher, basis, scenario): HHI, top-3, N-1; rank 1 is the one headlines use')
    .addOption(
      new Option('--hhi-normalisation <n>', 'normalised HHI: N = number of producers, or a fixed N = 10 (literature)')
        .choices([...HHI_NORMALISATIONS])
        .default(DEFAULT_HHI_NORMALISATION),
    )
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      if (!o.material && !o.all) throw new UserError('give --material <name> or --all');
      const sort = SORTS[o.sort];
      if (!sort) throw new UserError(`--sort must be one of ${Object.keys(SORTS).join(', ')}`);
      await withKb(
        o,
        async (kb) => {
          if (o.bySource) {
            if (o.dataset) throw new UserError('--by-source lists every dataset side by side; drop --dataset');
            return printSeriesPanel(kb, o, print);
          }
          let rows: ConcentrationRow[];
          if (o.material) {
            const years = o.year ? [o.year] : 'latest';
            rows = concentrationSweep(kb.index, {
              materials: [o.material],
              stages: [o.stage],
              years,
              dataset: o.dataset,
              hhiNormalisation: o.hhiNormalisation,
            });
            if (!rows.length) {
              const available = kb.index.years(o.material, o.stage);
              throw new UserError(
                `no ${o.stage} figures by country for ${getMaterial(o.material)?.name}${o.year ? ` in ${o.year}` : ''}${o.dataset ? ` in ${o.dataset}` : ''}.` +
                  (available.length
                    ? ` ${describeGaps(kb, o.material, o.stage, o.year ? [o.year] : available)}`
                    : ` Stages with data: ${kb.index.stages(o.material).join(', ') || 'none'}.`),
              );
            }
          } else {
            // From the store's series summary: no observation is loaded (scope below).
            rows = (
              await kb.concentrationSweep({ stages: [o.stage], years: o.year ? [o.year] : 'latest', dataset: o.dataset, hhiNormalisation: o.hhiNormalisation })
            ).sort(sort);
          }
          if (o.material && o.shares && o.format === 'table') {
            const r = rows[0];
            print(
              `${r.material} — ${r.stage} ${r.year}${r.estimated ? ' (estimated)' : ''}, ${quantity(r.total, r.unit)} (${r.basis}); total = ${r.totalBasis.replace(/_/g, ' ')}`,
            );
            print(
              renderTable(r.shares, [
                { header: 'country', value: (s) => `${s.countryId} ${s.country}`, align: 'left' },
                { header: 'value', value: (s) => quantity(s.value, r.unit) },
                { header: 'share', value: (s) => pct(s.share) },
              ]),
            );
            print(
              `unallocated (other countries): ${pct(r.unallocatedShare)}; HHI ${r.hhiPoints}; normalised HHI ${r.hhiNormalised.toFixed(3)} (${r.hhiNormalisation}); gaps: ${r.gaps.map((g) => `${g.country} (${g.status})`).join(', ') || 'none'}`,
            );
            print(`Source: ${r.source.text}${r.source.url ? ` <${r.source.url}>` : ''}`);
            return;
          }
          // CSV: the one definition the API also sends (src/report/tables.ts); print adds the final newline
          if (o.format === 'csv') return print(concentrationCsv(rows).slice(0, -1));
          print(output(o.format as OutputFormat, rows, concentrationColumns, rows));
          if (o.format === 'table') {
            const srcs = [...new Map(rows.map((r) => [r.source.sourceId, r.source])).values()];
            print('\nHHI on the 0-10,000 scale; shares of world total; "e" = estimated.');
            print(hhiNormalisationNote(o.hhiNormalisation));
            for (const s of srcs) print(`Source: ${sourceText(s)}${s.url ? ` <${s.url}>` : ''}`);
          }
        },
        o.material ? oneMaterial(o.material) : NO_OBSERVATIONS,
      );
    });

  program
    .command('material <name>')
    .description('material profile: stages, top producers, reserves, net import reliance, sources')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (name: string, o) => {
      const id = materialArg(name);
      await withKb(
        o,
        (kb) => {
          const p = materialProfile(kb.index, id);
          if (o.format === 'json') return print(JSON.stringify(p, null, 2));
          if (o.format === 'csv') {
            const rows = p.stages.flatMap((s) =>
              s.latest
                ? s.latest.shares.map((x) => ({
                    stage: s.stage,
                    year: s.latest!.year,
                    ...x,
                    unit: s.latest!.unit,
                    basis: s.latest!.basis,
                    source: s.latest!.source.text,
                  }))
                : [],
            );
            return print(
              output(
                'csv',
                rows,
                ['stage', 'year', 'countryId', 'country', 'value', 'share', 'unit', 'basis', 'source'].map((k) => ({
                  header: k,
                  value: (r: Record<string, unknown>) => r[k] as string | number | null,
                })),
              ),
            );
          }
          print(`${p.name} (${p.materialId})${p.aliases.length ? ` — also: ${p.aliases.join(', ')}` : ''}`);
          for (const s of p.stages) {
            const r = s.latest;
            if (!r) {
              print(`\n${s.stage}: no data by country`);
              continue;
            }
            print(
              `\n${s.stage.toUpperCase()} ${r.year}${r.estimated ? 'e' : ''}: ${quantity(r.total, r.unit)} (${r.basis}), HHI ${r.hhiPoints}, top-3 ${pct(r.top3Share)}` +
                (r.previous ? `, HHI ${r.previous.hhiChange >= 0 ? '+' : ''}${Math.round(r.previous.hhiChange * 10_000)} vs ${r.previous.year}` : ''),
            );
            print(
              renderTable(r.shares.slice(0, 8), [
                { header: 'country', value: (x) => x.country, align: 'left' },
                { header: s.stage === 'reserves' ? 'reserves' : 'output', value: (x) => quantity(x.value, r.unit) },
                { header: 'share', value: (x) => pct(x.share) },
              ]),
            );
            if (r.gaps.length) print(`gaps: ${r.gaps.map((g) => `${g.country} (${g.status})`).join(', ')}`);
            print(`Source: ${r.source.text}`);
          }
          if (p.netImportReliance.length) {
            print('\nNET IMPORT RELIANCE');
            print(
              renderTable(p.netImportReliance, [
                { header: 'country', value: (x) => x.countryId, align: 'left' },
                { header: 'year', value: (x) => String(x.year) },
                {
                  header: 'NIR',
                  value: (x) => (x.percent === null ? x.status : `${x.status === 'lower_bound' ? '>' : x.status === 'upper_bound' ? '<' : ''}${x.percent}%`),
                },
                { header: 'source', value: (x) => x.source.edition, align: 'left' },
                { header: 'earlier editions', value: (x) => revisionText(x), align: 'left' },
              ]),
            );
            print('Newest MCS edition wins for each year; earlier editions kept with the revision (points).');
          }
          for (const ps of p.prices) print(`\n${renderPriceSeries(ps)}`);
          if (p.gaps.length) print(`\nNot in the knowledge base: ${p.gaps.join('; ')}`);
          print(`\nSources:\n${p.sources.map((s) => `  - ${s.text}${s.url ? ` <${s.url}>` : ''}`).join('\n')}`);
        },
        oneMaterial(id),
      );
    });

  program
    .command('materials')
    .description('list materials with data, their stages and latest years')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      await withKb(
        o,
        (kb) => {
          const rows = [...kb.index.materials].sort().map((id) => ({
            id,
            name: getMaterial(id)?.name ?? id,
            stages: kb.index
              .stages(id)
              .map((s) => `${s} ${kb.index.years(id, s).join('/')}`)
              .join('; '),
          }));
          print(
            output(o.format, rows, [
              { header: 'id', value: (r) => r.id, align: 'left' },
              { header: 'name', value: (r) => r.name, align: 'left' },
              { header: 'stages and years', value: (r) => r.stages, align: 'left' },
            ]),
          );
        },
        { trade: false, governance: false },
      );
    });

  await registerAll(COMMAND_MODULES);

  const data = program.command('data').description('the knowledge base: import public files, list sources');

  data
    .command('import <kind> <path>')
    .description(`import one file or folder; kinds: ${IMPORTERS.map((i) => i.kind).join(', ')}`)
    .option('--replace', 'accept a file that holds no rows, or far fewer rows than its source holds now')
    .addOption(dbOption())
    .action(async (kind: string, path: string, o) => {
      await withKb(
        o,
        async (kb) => {
          const s = await importPath(kb.store, kind, resolve(path), { replace: Boolean(o.replace) });
          print(
            s.unchanged
              ? `${path}: unchanged since last import (nothing to do)`
              : `${path}: imported ${s.observations} observations, ${s.governance} governance rows, ${s.groupings} grouping rows, ${s.tradeFlows} trade flows, ${s.registry} registry records from ${s.sourceIds.join(', ')}`,
          );
          if (s.warnings.length)
            print(
              `${s.warnings.length} warning(s):\n  ${s.warnings.slice(0, 20).join('\n  ')}${s.warnings.length > 20 ? `\n  ... and ${s.warnings.length - 20} more` : ''}`,
            );
          if (!s.unchanged) print((await import('./registry.ts')).describeEvaluation(await kb.afterImport()));
        },
        undefined,
        ALERTS_ONLY,
      );
    });

  data
    .command('build')
    .description('import every known source found in a folder laid out like shared/data, with a progress bar')
    .requiredOption('--from <dir>', 'folder with the public source files')
    .option('--replace', 'accept files that hold far fewer rows than their sources hold now')
    .addOption(dbOption())
    .action(async (o) => {
      const { runs, skipped } = discover(resolve(o.from));
      if (!runs.length) throw new UserError(`no known source files under ${o.from}`);
      // The store exists and holds the bundle before the build copies it.
      const storePath = await withKb(o, (kb) => kb.store.path, { materials: [], governance: false });
      const { buildInStaging } = await import('../store/staging.ts');
      const bar = new cliProgress.SingleBar(
        { format: ' {bar} {value}/{total} {item}', stream: process.stderr, hideCursor: true, noTTYOutput: !process.stderr.isTTY, notTTYSchedule: 2000 },
        cliProgress.Presets.shades_classic,
      );
      const t0 = performance.now();
      const built = await buildInStaging(storePath, async (staging) => {
        bar.start(runs.length, 0, { item: '' });
        const results: string[] = [];
        let failed = 0;
        for (const r of runs) {
          bar.update({ item: `${r.kind} ${r.path}` });
          try {
            const s = await importPath(staging, r.kind, r.path, { replace: Boolean(o.replace) });
            results.push(
              `${s.unchanged ? 'unchanged' : 'imported '} ${r.kind.padEnd(12)} ${String(s.observations + s.governance + s.groupings + s.tradeFlows + s.registry).padStart(6)} rows  ${r.path}${s.warnings.length ? `  (${s.warnings.length} warnings)` : ''}`,
            );
          } catch (e) {
            // A full disk or an unwritable store fails every later import too: stop and say so (main prints it).
            if (e instanceof StoreWriteError) {
              bar.stop();
              throw e;
            }
            failed++;
            results.push(`FAILED    ${r.kind.padEnd(12)} ${r.path}: ${(e as Error).message}`);
          }
          bar.increment();
        }
        bar.stop();
        // All or nothing: one failed import keeps the store as it was.
        const evaluation = failed ? null : await evaluateAlerts(staging, new DatasetIndex(await loadDataset(staging)));
        return { commit: failed === 0, results, failed, evaluation };
      });
      print(built.results.join('\n'));
      const took = `${((performance.now() - t0) / 1000).toFixed(1)} s`;
      if (built.failed) {
        print(
          `${built.failed} of ${runs.length} imports failed: the store was left as it was (a build applies all its files or none). Fix or remove the failing files and run the build again.`,
        );
        process.exitCode = 1;
      } else {
        print(
          `${runs.length}/${runs.length} imports done in ${took}, applied together` + (skipped.length ? `; no importer yet for: ${skipped.join(', ')}` : ''),
        );
        if (built.evaluation) print((await import('./registry.ts')).describeEvaluation(built.evaluation));
      }
    });

  data
    .command('sources')
    .description('what is loaded: sources, editions, row counts')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      await withKb(
        o,
        async (kb) => {
          const rows = await kb.store.sources();
          print(
            output(o.format, rows, [
              { header: 'source', value: (r) => r.id, align: 'left' },
              { header: 'publisher', value: (r) => r.publisher, align: 'left' },
              { header: 'edition', value: (r) => r.edition, align: 'left' },
              { header: 'rows', value: (r) => r.observations + r.governance + r.groupings + r.tradeFlows + r.registry },
              { header: 'licence', value: (r) => r.licence, align: 'left' },
            ]),
          );
        },
        NO_OBSERVATIONS,
      );
    });

  program
    .command('serve')
    .description('HTTP API and dashboard on localhost (what `npm start` runs)')
    .option('-p, --port <port>', 'port', intArg, Number(process.env.PORT ?? 8080))
    .option(
      '--host <host>',
      'interface to listen on (default loopback only; any other needs the write token, which is always set unless --read-only)',
      '127.0.0.1',
    )
    .option('--read-only', 'refuse every write (no token)')
    .addOption(dbOption())
    .action(async (o) => {
      const { startServer } = await import('../api/server.ts');
      const server = await startServer({ port: o.port, host: o.host, dbPath: o.db, readOnly: Boolean(o.readOnly) });
      for (const sig of ['SIGINT', 'SIGTERM'] as const) {
        process.once(sig, () => {
          setTimeout(() => process.exit(0), 2_000).unref(); // keep-alive connections must not hold the exit
          void server.close().finally(() => process.exit(0));
        });
      }
    });

  await registerAll(LAST_COMMAND_MODULES);

  return program;
}

/** "--flag: message" for an option at fault; a file error or a message already worded for the CLI as it is. */
export const cliInputErrorMessage = (e: InputError): string => (e.where === 'parameter' && e.field ? `--${cliFlagOf(e.field)}: ${e.message}` : e.message);

export async function main(argv: string[]): Promise<void> {
  // `chokepoint … | head`: a closed pipe ends the command quietly, as for any Unix tool.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const program = await buildProgram(commandOf(argv));
  program.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : 2);
  });
  try {
    await program.parseAsync(argv);
  } catch (e) {
    // The one mapping of input errors to the command line (the API's is app.onError): a rejected import file exits 1
    // with the store unchanged; any other input error exits 2, naming the option at fault as --flag.
    if (e instanceof ImportError) {
      process.stderr.write(`chokepoint: import rejected, store unchanged.\n  ${e.message}\n`);
      process.exit(1);
    }
    if (e instanceof InputError || e instanceof InvalidArgumentError) {
      process.stderr.write(`chokepoint: ${e instanceof InputError ? cliInputErrorMessage(e) : e.message}\n`);
      process.exit(2);
    }
    if (e instanceof StoreBusyError || e instanceof StoreReadOnlyError || e instanceof StoreWriteError) {
      process.stderr.write(`chokepoint: ${e.message}\n`);
      process.exit(1);
    }
    // Anything else: one line, no stack trace (CHOKEPOINT_DEBUG=1 shows it, for a bug report).
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`chokepoint: ${message || 'unexpected error'}\n`);
    if (process.env.CHOKEPOINT_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    else process.stderr.write('chokepoint: (set CHOKEPOINT_DEBUG=1 to see where it failed)\n');
    process.exit(1);
  }
}
