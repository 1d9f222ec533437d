/**
 * `chokepoint optimise <kind>`: optimisation with the HiGHS solver (src/engine/optimise/, model in docs/optimisation.md).
 *
 *   chokepoint optimise stockpile   --material cobalt,graphite --stage refining --year 2024 --budget 20000 [--budget-kind tonnes|money --price cobalt=33000]
 *   chokepoint optimise coordinated --material cobalt,graphite --holders USA:0.15:3000,JPN:0.1:8000 --sharing 0.5
 *   chokepoint optimise portfolio   --options options.json --budget 100 --objective n1-coverage --material cobalt --year 2024
 *   chokepoint optimise coalition   --bloc G7 --material cobalt,lithium --stage refining --year 2035 --target 0.1 --exclude CHN
 *
 * Scenarios: `--scenarios file.json` in the Monte Carlo shape; else, for stockpile and coordinated, the Monte Carlo
 * disruption engine (`--scenario-source risk`, the default, with `--seed` and `--samples`) or the stress-derived stand-in
 * (`--scenario-source stress`); the portfolio's expected-shortfall objective uses the stand-in. The output names the
 * source and seed.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { getMaterial } from '../model/materials.ts';
import { RISK_SAMPLES_DEFAULT, RISK_SAMPLES_MAX, RISK_SEED_DEFAULT } from '../engine/optimise/from-risk.ts';
import { runOptimisation, type OptimiseReport, type OptimiseRequest, type ScenarioInfo, type ShortfallScenarios } from '../engine/optimise/index.ts';
import type { PortfolioOption } from '../engine/optimise/portfolio.ts';
import type { Holder } from '../engine/optimise/stockpile.ts';
import type { Citation } from '../model/provenance.ts';
import { optimiseTable } from '../report/tables.ts';
import { csvText, formatNumber, pct, renderTable, type OutputFormat } from './format.ts';
import { UserError, dbOption, formatOption, intArg, materialArg, numArg, withKb } from './options.ts';

const list = (raw: string, prev: string[] = []) => [
  ...prev,
  ...raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
];
const materials = (raw: string, prev: string[] = []) => [...prev, ...list(raw).map(materialArg)];
/** "cobalt=33000,gallium=500000" → { cobalt: 33000, gallium: 500000 } (materials resolved from any alias). */
function numberMap(raw: string, prev: Record<string, number> = {}, key: (k: string) => string = materialArg): Record<string, number> {
  const out = { ...prev };
  for (const part of list(raw)) {
    const [k, v] = part.split('=');
    if (!k || v === undefined) throw new InvalidArgumentError(`"${part}" is not name=number`);
    out[key(k.trim())] = numArg(v.trim());
  }
  return out;
}
function stageArg(raw: string): 'mining' | 'refining' {
  const s = raw.toLowerCase().replace('processing', 'refining').replace('extraction', 'mining');
  if (s !== 'mining' && s !== 'refining') throw new InvalidArgumentError('stage must be mining or refining');
  return s;
}
function readJson(path: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`${what} ${path}: ${(e as Error).message}`);
  }
}
function holdersArg(raw: string): Holder[] {
  return list(raw).map((h) => {
    const [id, share, budget] = h.split(':');
    if (!id || share === undefined || budget === undefined) throw new InvalidArgumentError(`holder "${h}" is not ID:shortfallShare:budget (e.g. JPN:0.1:8000)`);
    return { id: id.toUpperCase(), shortfallShare: numArg(share), budget: numArg(budget) };
  });
}

const mat = (id: string) => getMaterial(id)?.name ?? id;
const n = (v: number, d = 0) => formatNumber(v, d);
const block = (title: string, items: string[]) => (items.length ? `${title}\n${[...new Set(items)].map((x) => `  - ${x}`).join('\n')}` : '');
function sourcesBlock(list: Citation[]): string {
  const seen = [...new Map(list.map((s) => [s.text, s])).values()];
  return seen.length ? `SOURCES\n${seen.map((s) => `  - ${s.text}${s.url ? ` <${s.url}>` : ''}`).join('\n')}` : '';
}

/** "source: Monte Carlo risk engine, seed 1, 2000 samples" — said in every answer built on scenarios. */
function sourceLabel(s: ScenarioInfo): string {
  if (s.source === 'risk') return `source: Monte Carlo risk engine, seed ${s.seed}, ${s.samples} samples`;
  if (s.source === 'stress') return 'source: stress-derived N-1 stand-in, no seed';
  return `source: given with the request${s.origin !== 'given' ? ` (${s.origin})` : ''}`;
}

/** Renders a report as a table (the CLI's default) or CSV of its main table (src/report/tables/optimise.ts); JSON is the whole report. */
export function renderOptimiseReport(r: OptimiseReport, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(r, null, 2);
  if (format === 'csv') return csvText(optimiseTable(r));
  const out: string[] = [];
  switch (r.kind) {
    case 'stockpile': {
      const res = r.result;
      const u = res.budget.kind === 'tonnes' ? 't' : (res.budget.currency ?? '');
      const table = renderTable(res.materials, [
        { header: 'material', value: (m) => mat(m.material), align: 'left' },
        { header: 'stock (t)', value: (m) => n(m.stockTonnes) },
        { header: `spent${u ? ` (${u})` : ''}`, value: (m) => n(m.spent) },
        { header: 'E[short] without (t)', value: (m) => n(m.expectedShortfallTonnesWithout, 1) },
        { header: 'E[short] with (t)', value: (m) => n(m.expectedShortfallTonnesWith, 1) },
        { header: 'E[release] (t)', value: (m) => n(m.expectedReleaseTonnes, 1) },
      ]);
      out.push(
        `Stockpile allocation: budget ${n(res.budget.amount)} ${u}, ${res.scenarioCount} scenarios (${sourceLabel(r.scenarios)}), two-stage stochastic LP (HiGHS)`,
      );
      out.push(table);
      out.push(
        `\nexpected shortfall cost: ${n(res.expectedShortfallCostWithout, 1)} without stock → ${n(res.expectedShortfallCostWith, 1)} with it; spent ${n(res.spent)} of ${n(res.budget.amount)}; one more unit of budget saves ${res.marginalValueOfBudget === null ? '—' : n(res.marginalValueOfBudget, 4)}`,
      );
      out.push(`model: ${res.model.variables} variables, ${res.model.constraints} constraints, solved in ${res.model.solveSeconds.toFixed(3)} s`);
      out.push(block('SCENARIOS', r.scenarios.notes), block('ASSUMPTIONS', res.assumptions));
      break;
    }
    case 'coordinated': {
      const res = r.result;
      const table = renderTable(res.holders, [
        { header: 'partner', value: (h) => h.holder, align: 'left' },
        { header: 'budget', value: (h) => n(h.budget) },
        { header: 'alone: E[cost]', value: (h) => n(h.alone.expectedShortfallCost, 1) },
        { header: 'pooled: E[cost]', value: (h) => n(h.pooled.expectedShortfallCost, 1) },
        { header: 'gain', value: (h) => n(h.gain, 1) },
        { header: 'pooled stock (t)', value: (h) => res.materials.map((m, i) => `${m} ${n(h.pooled.stockTonnes[i])}`).join(', '), align: 'left' },
        { header: 'E[shared out] (t)', value: (h) => n(h.pooled.expectedSharedOutTonnes, 1) },
        { header: 'E[received] (t)', value: (h) => n(h.pooled.expectedReceivedTonnes, 1) },
      ]);
      out.push(
        `Coordinated stockpiles: ${res.holders.length} partners, emergency sharing up to ${pct(res.shareableFraction, 0)} of each stock, ${r.scenarios.count} scenarios (${sourceLabel(r.scenarios)})`,
      );
      out.push(table);
      out.push(
        `\ngain of cooperation: ${n(res.gainOfCooperation, 1)} (${res.gainShare === null ? '—' : pct(res.gainShare)} of the partners' expected shortfall cost alone, ${n(res.aloneTotal, 1)} → ${n(res.pooledTotal, 1)}); without any stock: ${n(res.expectedShortfallCostWithout, 1)}`,
      );
      out.push(`model: ${res.model.variables} variables, ${res.model.constraints} constraints, solved in ${res.model.solveSeconds.toFixed(3)} s`);
      out.push(block('SCENARIOS', r.scenarios.notes), block('ASSUMPTIONS', res.assumptions));
      break;
    }
    case 'portfolio': {
      const res = r.result;
      const n1 = res.objective === 'n1-coverage';
      const table = renderTable(res.perMaterial, [
        { header: 'material', value: (m) => mat(m.material), align: 'left' },
        { header: n1 ? 'N-1 coverage before' : 'E[short] before (t)', value: (m) => (n1 ? pct(m.before) : n(m.before, 1)) },
        { header: n1 ? 'N-1 coverage after' : 'E[short] after (t)', value: (m) => (n1 ? pct(m.after) : n(m.after, 1)) },
      ]);
      out.push(
        `Portfolio (${res.objective}${r.scenarios ? `, ${sourceLabel(r.scenarios)}` : ''}): chose ${res.chosen.length ? res.chosen.join(', ') : 'nothing'}; spent ${n(res.spent, 2)} of ${n(res.budget, 2)}`,
      );
      out.push(table);
      out.push(
        `\n${n1 ? 'worst-material N-1 coverage' : 'expected shortfall cost'}: ${n1 ? pct(res.valueWithout) : n(res.valueWithout, 1)} → ${n1 ? pct(res.value) : n(res.value, 1)}`,
      );
      if (res.floorCosts.length)
        out.push(
          renderTable(res.floorCosts, [
            { header: 'price floor of', value: (f) => f.option, align: 'left' },
            { header: 'E[payout]/yr', value: (f) => (f.expectedPayoutPerYear === null ? 'gap' : n(f.expectedPayoutPerYear, 2)) },
            { header: 'total', value: (f) => (f.total === null ? 'gap' : n(f.total, 2)) },
            { header: 'years below floor', value: (f) => `${f.yearsBelowFloor} of ${f.yearsOfHistory}` },
          ]),
        );
      out.push(
        block(
          'LEFT OUT',
          res.leftOut.map((l) => `${l.option}: ${l.reason}`),
        ),
      );
      out.push(`model: ${res.model.variables} variables, ${res.model.constraints} constraints, solved in ${res.model.solveSeconds.toFixed(3)} s`);
      out.push(block('SCENARIOS', r.scenarios?.notes ?? []), block('ASSUMPTIONS', res.assumptions), block('GAPS', res.gaps));
      break;
    }
    case 'coalition': {
      const res = r.result;
      const table = renderTable(res.rows, [
        { header: 'material', value: (m) => m.material, align: 'left' },
        { header: 'demand (t)', value: (m) => `${n(m.demandTonnes)}${m.demandProxy ? ' PROXY' : ''}` },
        { header: `${res.bloc.id} alone`, value: (m) => pct(m.before) },
        { header: 'with partners', value: (m) => pct(m.after) },
        { header: 'check (coalition n1)', value: (m) => pct(m.checkedByCoalitionN1) },
        { header: 'target', value: () => pct(res.target) },
        { header: 'source', value: (m) => m.source.sourceId, align: 'left' },
      ]);
      out.push(
        `Coalition builder (${res.objective}, ${res.reading} reading, ${res.stage} ${res.year}): ${res.bloc.label} needs ${res.partners.length ? res.partners.map((p) => `${p.countryId} ${p.country}`).join(', ') : 'no partner'}${res.partners.length ? ` (cost ${n(res.cost, 2)})` : ''} to reach ${pct(res.target)} for every material`,
      );
      out.push(table);
      out.push(`model: ${res.candidates} candidate partners, ${res.model.constraints} constraints, MIP solved in ${res.model.solveSeconds.toFixed(3)} s`);
      out.push(block('ASSUMPTIONS', res.assumptions), block('GAPS', res.gaps));
      break;
    }
  }
  out.push(sourcesBlock(r.sources));
  return out.filter(Boolean).join('\n');
}

const scenarioOptions = (c: Command) =>
  c
    .requiredOption('-m, --material <list>', 'materials of the basket, comma-separated', materials)
    .addOption(new Option('--stage <stage>', 'stage').argParser(stageArg).default('refining'))
    .option('--year <year>', 'year of the supply and demand figures', intArg, 2024)
    .option('--dataset <id>', 'supply dataset (usgs-mcs, iea-cm)')
    .option(
      '--scenarios <file.json>',
      'shortfall scenarios {materials, scenarios: [{weight, shortfallTonnes, durationDays}]} (e.g. from the Monte Carlo engine)',
    )
    .option('--probability <p>', 'stress-derived stand-in: probability of each export-ban scenario', numArg)
    .option('--top <k>', 'stress-derived stand-in: top suppliers per material whose export ban is a scenario', intArg)
    .option('--days <n>', 'stress-derived stand-in: duration of each disruption in days', numArg);
function samplesArg(raw: string): number {
  const v = intArg(raw);
  if (v < 1 || v > RISK_SAMPLES_MAX) throw new InvalidArgumentError(`samples must be within 1..${RISK_SAMPLES_MAX}`);
  return v;
}
const sourceOptions = (c: Command) =>
  c
    .addOption(
      new Option('--scenario-source <source>', 'where the scenarios come from: risk (Monte Carlo disruption engine) or stress (stress-derived stand-in)')
        .choices(['risk', 'stress'])
        .default('risk'),
    )
    .option('--seed <n>', `Monte Carlo: random seed (default ${RISK_SEED_DEFAULT}); the same seed gives the same scenarios`, intArg)
    .option('--samples <n>', `Monte Carlo: year-long draws (default ${RISK_SAMPLES_DEFAULT}, at most ${RISK_SAMPLES_MAX})`, samplesArg);
const sourceFields = (o: Record<string, unknown>) =>
  o.scenarios
    ? {}
    : {
        scenarioSource: o.scenarioSource as 'risk' | 'stress',
        ...(o.seed !== undefined ? { seed: o.seed as number } : {}),
        ...(o.samples !== undefined ? { samples: o.samples as number } : {}),
      };
const termOptions = (c: Command) =>
  c
    .option(
      '--price <material=price,…>',
      'price per tonne for a money budget (prices are not in the knowledge base)',
      (v: string, p?: Record<string, number>) => numberMap(v, p),
    )
    .option(
      '--shortfall-cost <material=cost,…>',
      'cost of a tonne short (default 1: minimise expected tonnes short)',
      (v: string, p?: Record<string, number>) => numberMap(v, p),
    )
    .option('--trigger-share <x>', 'release rule: release only once the shortfall reaches x of the holder’s demand over the disruption', numArg)
    .option('--max-release-share <x>', 'release rule: release at most x of the holder’s daily demand a day', numArg);

function scenarioFields(o: Record<string, unknown>) {
  const scenarios = o.scenarios ? (readJson(String(o.scenarios), 'scenarios file') as ShortfallScenarios) : undefined;
  return {
    materials: o.material as string[],
    stage: o.stage as 'mining' | 'refining',
    year: o.year as number,
    ...(o.dataset ? { dataset: String(o.dataset) } : {}),
    ...(scenarios ? { scenarios } : {}),
    ...(o.probability !== undefined ? { probability: o.probability as number } : {}),
    ...(o.top !== undefined ? { topSuppliers: o.top as number } : {}),
    ...(o.days !== undefined ? { durationDays: o.days as number } : {}),
  };
}
const termFields = (o: Record<string, unknown>) => ({
  ...(o.price ? { prices: o.price as Record<string, number> } : {}),
  ...(o.shortfallCost ? { shortfallCosts: o.shortfallCost as Record<string, number> } : {}),
  ...(o.triggerShare !== undefined ? { triggerShare: o.triggerShare as number } : {}),
  ...(o.maxReleaseShare !== undefined ? { maxReleaseShare: o.maxReleaseShare as number } : {}),
});

export function registerOptimiseCommands(program: Command, print: (s: string) => void = (s) => process.stdout.write(s + '\n')): void {
  const opt = program
    .command('optimise')
    .alias('optimize')
    .description('optimisation with the HiGHS solver: stockpiles, coordinated stockpiles, diversification portfolio, coalition builder');
  // Every observation, and only the trade flows of the materials optimised (another material's are refused, not
  // read as "no trade": TradeTable.partial).
  const run = async (o: Record<string, unknown>, req: OptimiseRequest) => {
    await withKb(
      o as { db?: string },
      async (kb) => {
        print(renderOptimiseReport(await runOptimisation(kb.index, req), o.format as OutputFormat));
      },
      { trade: req.materials },
    );
  };

  sourceOptions(
    termOptions(
      scenarioOptions(opt.command('stockpile').description('stockpile allocation across materials for one holder under a budget (two-stage stochastic LP)')),
    ),
  )
    .requiredOption('--budget <amount>', 'budget: tonnes (default) or money (--budget-kind money, with --price)', numArg)
    .addOption(new Option('--budget-kind <kind>', 'tonnes or money').choices(['tonnes', 'money']).default('tonnes'))
    .option('--currency <code>', 'currency of a money budget', 'USD')
    .option('--holder-share <x>', 'share of each world loss the holder bears (default 1)', numArg)
    .option('--min-stock <material=tonnes,…>', 'mandated minimum stock per material', (v: string, p?: Record<string, number>) => numberMap(v, p))
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) =>
      run(o, {
        kind: 'stockpile',
        ...scenarioFields(o),
        ...sourceFields(o),
        ...termFields(o),
        budget: o.budget,
        budgetKind: o.budgetKind,
        ...(o.budgetKind === 'money' ? { currency: o.currency } : {}),
        ...(o.holderShare !== undefined ? { holderShare: o.holderShare } : {}),
        ...(o.minStock ? { minStock: o.minStock } : {}),
      }),
    );

  sourceOptions(
    termOptions(
      scenarioOptions(
        opt
          .command('coordinated')
          .description('coordinated stockpiles among partners: burden sharing, emergency sharing, gain of cooperation against each partner alone'),
      ),
    ),
  )
    .requiredOption('--holders <list>', 'partners as ID:shortfallShare:budget, comma-separated (e.g. USA:0.15:3000,JPN:0.1:8000)', holdersArg)
    .option('--sharing <x>', 'emergency sharing: largest share of a partner’s stock released to others (0..1)', numArg, 0.5)
    .addOption(new Option('--budget-kind <kind>', 'tonnes or money').choices(['tonnes', 'money']).default('tonnes'))
    .option('--no-participation', 'drop the rule that no partner is worse off pooled than alone')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) =>
      run(o, {
        kind: 'coordinated',
        ...scenarioFields(o),
        ...sourceFields(o),
        ...termFields(o),
        holders: o.holders,
        sharing: o.sharing,
        budgetKind: o.budgetKind,
        participation: o.participation,
      }),
    );

  scenarioOptions(
    opt
      .command('portfolio')
      .description('diversification / offtake portfolio: which suppliers, projects and offtakes (with price floors) to back under a budget'),
  )
    .requiredOption('--options <file.json>', 'options: [{id, kind, countryId, cost, tonnesPerYear: {material: t}, priceFloor?}]')
    .requiredOption('--budget <amount>', 'budget (same unit as the options’ costs)', numArg)
    .addOption(new Option('--objective <o>', 'what to optimise').choices(['n1-coverage', 'expected-shortfall']).default('n1-coverage'))
    .option('--shortfall-cost <material=cost,…>', 'cost of a tonne short (expected-shortfall objective)', (v: string, p?: Record<string, number>) =>
      numberMap(v, p),
    )
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      const options = readJson(o.options, 'options file');
      if (!Array.isArray(options)) throw new UserError(`options file ${o.options}: expected a JSON array of options`);
      await run(o, {
        kind: 'portfolio',
        ...scenarioFields(o),
        objective: o.objective,
        budget: o.budget,
        options: options as PortfolioOption[],
        ...(o.shortfallCost ? { shortfallCosts: o.shortfallCost } : {}),
      });
    });

  opt
    .command('coalition')
    .description("coalition builder: the smallest (or cheapest) set of partner countries bringing a bloc's coverage above a target for every material (MIP)")
    .requiredOption('--bloc <group>', 'the bloc: a grouping (G7, MSP, EU27, …), an ISO3 code or a list AUS+CAN')
    .requiredOption('-m, --material <list>', 'materials of the basket', materials)
    .requiredOption('--target <x>', 'coverage to reach for every material, 0..1 (e.g. 0.5)', numArg)
    .addOption(new Option('--stage <stage>', 'stage').argParser(stageArg).default('refining'))
    .option('--year <year>', 'year', intArg, 2024)
    .option('--dataset <id>', 'supply dataset')
    .addOption(
      new Option('--reading <r>', 'self-sufficiency: every non-member stops; n1: the largest outside supplier stops')
        .choices(['self-sufficiency', 'n1'])
        .default('self-sufficiency'),
    )
    .option('--exclude <list>', 'countries that may not join (e.g. CHN)', list)
    .option('--candidates <list>', 'only these countries may join', list)
    .option('--cost <ISO3=cost,…>', 'stated cost of each partner joining (default: count partners)', (v: string, p?: Record<string, number>) =>
      numberMap(v, p, (k) => k.toUpperCase()),
    )
    .option('--cost-basis <text>', 'what the cost means, printed with the result')
    .option('--expand-eu', 'count all EU27 member states when a grouping lists the EU itself')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) =>
      run(o, {
        kind: 'coalition',
        bloc: o.bloc,
        materials: o.material,
        stage: o.stage,
        year: o.year,
        target: o.target,
        reading: o.reading,
        ...(o.dataset ? { dataset: o.dataset } : {}),
        ...(o.exclude ? { exclude: o.exclude } : {}),
        ...(o.candidates ? { candidates: o.candidates } : {}),
        ...(o.cost ? { costs: o.cost } : {}),
        ...(o.costBasis ? { costBasis: o.costBasis } : {}),
        ...(o.expandEu ? { expandEu: true } : {}),
      }),
    );
}
