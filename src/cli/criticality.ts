/**
 * `chokepoint criticality`: the EU JRC, DOE-style, USGS-style and GeoPolRisk methods for an assessing country or
 * bloc and a year, side by side, with inputs, defaults and uncertainty bands.
 *
 *   chokepoint criticality --method eu --as EU --year 2023
 *   chokepoint criticality --method all --as JPN [--material cobalt] [--samples 500] [--format json|csv]
 *   chokepoint criticality --method eu --as EU --material gallium --inputs     (every input used, with its source)
 */
import { Command, Option } from 'commander';
import { openKnowledgeBase, type KnowledgeBase } from '../store/knowledge-base.ts';
import {
  METHODS,
  compareWithOfficialList,
  resolveAssessor,
  type Assessor,
  type AssessorCustoms,
  criticalityCsv,
  criticalityCsvRow,
  runCriticality,
  type ComparisonRow,
  type CriticalityReport,
  type EuResult,
  type GeoPolRiskResult,
  type Method,
  type UseShareRow,
} from '../engine/criticality/index.ts';
import useShares from '../data/criticality-eu-use-shares-2023.json' with { type: 'json' };
import type { DatasetIndex } from '../engine/dataset.ts';
import { storeAssessorCustoms } from '../store/customs-imports.ts';
import { renderTable, type Column, type OutputFormat } from './format.ts';
import { UserError, dbOption, formatOption, intArg, materialArg } from './options.ts';

export const EU_USE_SHARES: UseShareRow[] = useShares.rows as UseShareRow[];

const num = (x: number | null | undefined, d = 2): string | null => (x === null || x === undefined ? null : x.toFixed(d));
const bandText = (b: { p5: number; p95: number } | null | undefined, d = 2): string | null => (b ? `${b.p5.toFixed(d)}–${b.p95.toFixed(d)}` : null);

const compareColumns = (methods: Method[]): Column<ComparisonRow>[] => [
  { header: 'material', value: (r) => r.material, align: 'left' },
  ...(methods.includes('eu')
    ? ([
        { header: 'EU SR', value: (r) => num(r.eu?.sr) },
        { header: 'SR p5–p95', value: (r) => bandText(r.eu?.srBand) },
        { header: 'EU EI', value: (r) => num(r.eu?.ei) },
        { header: 'stage', value: (r) => (r.eu?.bottleneck === 'mining' ? 'extr' : r.eu?.bottleneck === 'refining' ? 'proc' : null), align: 'left' },
        { header: 'EU critical', value: (r) => (r.eu ? (r.eu.critical === null ? '?' : r.eu.critical ? 'yes' : 'no') : null) },
      ] as Column<ComparisonRow>[])
    : []),
  ...(methods.includes('doe')
    ? ([
        { header: 'DOE SR', value: (r) => num(r.doe?.supplyRisk, 1) },
        { header: 'DOE imp', value: (r) => num(r.doe?.importance, 1) },
        {
          header: 'DOE class',
          // not determined: say which axis lacks every indicator (details with --format json), never a bare "?"
          value: (r) => r.doe?.class ?? (r.doe ? `n/d: ${r.doe.undetermined ?? 'inputs missing'}` : null),
          align: 'left',
        },
        { header: 'DOE list 2023', value: (r) => (r.doe ? (r.doe.onDoeList ? 'critical' : '—') : null), align: 'left' },
      ] as Column<ComparisonRow>[])
    : []),
  ...(methods.includes('usgs') ? ([{ header: 'USGS DP·TE', value: (r) => num(r.usgs?.partialScore) }] as Column<ComparisonRow>[]) : []),
  ...(methods.includes('geopolrisk') ? ([{ header: 'GeoPolRisk', value: (r) => num(r.geopolrisk?.score, 3) }] as Column<ComparisonRow>[]) : []),
  ...(methods.length > 1
    ? ([
        { header: 'ranks', value: (r) => methods.map((m) => `${m[0].toUpperCase()}${r.ranks[m] ?? '—'}`).join(' '), align: 'left' },
        { header: 'spread', value: (r) => r.spread },
      ] as Column<ComparisonRow>[])
    : []),
  { header: 'defaults', value: (r) => r.defaulted.length, align: 'right' },
];

/** One flat record per material for CSV (the same row builder as the API). */
export const flatRow = criticalityCsvRow;

function printInputs(print: (s: string) => void, r: EuResult): void {
  print(
    `\n${r.material} — EU method as ${r.assessor}, ${r.year}: SR ${num(r.sr)} (${r.bottleneck ?? '—'}), EI ${num(r.ei)}, critical ${r.critical === null ? 'undetermined' : r.critical ? 'yes' : 'no'}`,
  );
  for (const s of r.stages) {
    print(
      `  ${s.stage}: SR ${s.sr} = [HHI_WGI,t(GS) ${s.hhiGlobal}·IR/2 + HHI_WGI,t(sourcing: ${s.sourcing}) ${s.hhiSourcing}·(1−IR/2)]·(1−EoL)·SI_SR, IR ${s.ir}; top: ${s.topRisk.map((t) => `${t.countryId} s=${(t.share * 100).toFixed(1)}% WGI=${t.wgi} t=${t.t}`).join(', ')}`,
    );
  }
  print(
    renderTable(r.inputs, [
      { header: 'input', value: (i) => `${i.input}${i.stage ? ` (${i.stage})` : ''}`, align: 'left' },
      { header: 'value', value: (i) => (typeof i.value === 'string' && i.value.length > 60 ? i.value.slice(0, 57) + '...' : i.value), align: 'left' },
      { header: 'status', value: (i) => i.status, align: 'left' },
      { header: 'source / note', value: (i) => [i.note, i.source.text].filter(Boolean).join(' — ').slice(0, 140), align: 'left' },
    ]),
  );
  if (r.defaulted.length) print(`  defaulted: ${r.defaulted.join('; ')}`);
  for (const m of r.messages) print(`  ! ${m}`);
}

function printGprInputs(print: (s: string) => void, r: GeoPolRiskResult): void {
  print(`\n${r.material} — GeoPolRisk as ${r.assessor}, ${r.year}: ${r.score === null ? 'not computed' : `${r.score} (${r.stage})`}`);
  for (const s of r.stages)
    print(
      `  ${s.stage}: ${s.score} = HHI ${s.hhi} · Σ g_i·f_Ai/(p_A+F_A) ${s.importRisk} (import shares: ${s.imports === 'customs' ? 'customs imports by partner' : 'EU sourcing table'})`,
    );
  print(
    renderTable(r.inputs, [
      { header: 'input', value: (i) => `${i.input}${i.stage ? ` (${i.stage})` : ''}`, align: 'left' },
      { header: 'value', value: (i) => (typeof i.value === 'string' && i.value.length > 60 ? i.value.slice(0, 57) + '...' : i.value), align: 'left' },
      { header: 'status', value: (i) => i.status, align: 'left' },
      { header: 'source / note', value: (i) => [i.note, i.source.text].filter(Boolean).join(' — ').slice(0, 160), align: 'left' },
    ]),
  );
  if (r.defaulted.length) print(`  defaulted: ${r.defaulted.join('; ')}`);
  for (const m of r.messages) print(`  ! ${m}`);
}

export function printReport(print: (s: string) => void, rep: CriticalityReport, format: OutputFormat, showInputs: boolean): void {
  const rows = rep.comparison;
  if (format === 'json') return print(JSON.stringify(rep, null, 2));
  if (format === 'csv') return print(criticalityCsv(rows).replace(/\n$/, ''));
  print(
    `Criticality as ${rep.assessor.label} (${rep.assessor.id}), ${rep.year} — methods: ${rep.methods.join(', ')}${rep.samples ? `; bands from ${rep.samples} Monte Carlo samples (seed ${rep.seed})` : ''}`,
  );
  print(renderTable(rows, compareColumns(rep.methods)));
  const diverging = rows
    .filter((r) => (r.spread ?? 0) >= 10 && r.driver)
    .sort((a, b) => (b.spread ?? 0) - (a.spread ?? 0))
    .slice(0, 8);
  if (diverging.length) {
    print('\nWhere the rankings diverge most:');
    for (const r of diverging) print(`  ${r.material}: spread ${r.spread} ranks — ${r.driver}`);
  }
  if (showInputs) {
    for (const r of rep.eu) printInputs(print, r);
    for (const r of rep.geopolrisk) printGprInputs(print, r);
  } else {
    const flagged = rows.filter((r) => r.messages.length);
    if (flagged.length)
      print(
        `\n${flagged.length} material(s) with missing inputs (partial results); first ones:\n  ${flagged
          .slice(0, 6)
          .map((r) => r.messages[0])
          .join('\n  ')}`,
      );
  }
  if (rep.assessor.id === 'EU' && rep.year === 2023 && rep.methods.includes('eu')) {
    const c = compareWithOfficialList(rep.eu);
    print(
      `\nAgainst the official EU 2023 CRM list: ${c.both.length} on both, ${c.oursOnly.length} ours only (${c.oursOnly.join(', ') || '—'}), ${c.officialOnly.length} official only (${c.officialOnly.map((o) => o.materialId).join(', ') || '—'}).`,
    );
  }
  print(
    `\nWGI: ${rep.wgi.note}. SR/EI thresholds 1.0/2.8 (JRC 2017). "?" (EU) = undetermined (an input is missing); DOE "n/d: <axis>" = that axis has no scored indicator (gaps per indicator with --format json); defaults per material with --inputs or --format json. Methods and sources: docs/criticality.md.`,
  );
  for (const w of rep.warnings.slice(0, 8)) print(`warning: ${w}`);
}

/**
 * What GeoPolRisk needs of the trade data: as one country, its customs inputs read in SQL (storeAssessorCustoms); as a
 * group of countries, the flows touching its members read into JS (the group's rules are the engine's only); otherwise
 * nothing.
 */
async function tradeInputs(kb: KnowledgeBase, as: string, year: number, method: string): Promise<{ index: DatasetIndex; customs?: AssessorCustoms }> {
  if (method !== 'geopolrisk' && method !== 'all') return { index: kb.index };
  let assessor: Assessor;
  try {
    assessor = resolveAssessor(kb.index, as);
  } catch {
    return { index: kb.index }; // runCriticality refuses the assessor, naming the field
  }
  if (assessor.kind === 'eu') return { index: kb.index };
  if (assessor.kind === 'country') return { index: kb.index, customs: await storeAssessorCustoms(kb.store, kb.index, assessor, year) };
  // a group reads its members' flows (the engine asks for each material's flows touching them; anything else is refused)
  return { index: kb.index.withTrade(await kb.store.readTradeTable([], undefined, assessor.members)) };
}

export function registerCriticalityCommands(program: Command, print: (s: string) => void = (s) => process.stdout.write(s + '\n')): void {
  program
    .command('criticality')
    .description('criticality by the EU JRC, DOE 2023-style, USGS 2022-style and GeoPolRisk methods for any assessing country or bloc')
    .addOption(new Option('--method <method>', 'eu | doe | usgs | geopolrisk | all').choices([...METHODS, 'all']).default('eu'))
    .option('--as <assessor>', 'assessing country or bloc: EU, an ISO3 code (USA, JPN, KOR, IND), a grouping id (G7, MSP) or a list USA,CAN', 'EU')
    .option('-y, --year <year>', 'assessment year (EU CRM tables: 2023; otherwise USGS production of that year)', intArg, 2023)
    .option('-m, --material <names...>', 'only these materials (any alias; lree, hree, pgm, rare-earths for groups)')
    .option('--samples <n>', 'Monte Carlo samples for uncertainty bands (0 = none)', intArg, 200)
    .option('--seed <n>', 'PRNG seed for the bands', intArg, 1)
    .option('--own-secure', "treat the assessor's own production as secure (default for every assessor but the EU)")
    .option('--inputs', 'print every input used per material, with status and source')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      if (o.samples < 0 || o.samples > 5000) throw new UserError('--samples must be between 0 and 5000');
      const materials = o.material
        ? (o.material as string[]).map((m) => (['lree', 'hree', 'pgm', 'rare-earths'].includes(m.toLowerCase()) ? m.toLowerCase() : materialArg(m)))
        : undefined;
      // No trade flow into JS: GeoPolRisk as one country reads its customs inputs in SQL (below); the other methods use none.
      const kb: KnowledgeBase = await openKnowledgeBase({ dbPath: o.db, scope: { trade: false } });
      try {
        const { index, customs } = await tradeInputs(kb, o.as, o.year, o.method);
        const rep: CriticalityReport = runCriticality(index, {
          customs,
          method: o.method,
          as: o.as,
          year: o.year,
          materials,
          samples: o.samples,
          seed: o.seed,
          uses: EU_USE_SHARES,
          ownSecure: o.ownSecure ? true : undefined,
        });
        printReport(print, rep, o.format as OutputFormat, !!o.inputs);
      } finally {
        kb.close();
      }
    });
}
