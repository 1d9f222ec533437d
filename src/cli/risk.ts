/**
 * `chokepoint risk`: Monte Carlo over export-control disruptions for a material, several, or a basket, on all cores.
 *
 *   chokepoint risk --material gallium --samples 100000
 *   chokepoint risk --basket battery --stockpile-days 60 --seed 7
 *   chokepoint risk --scenario policy.yaml --format json
 *   chokepoint risk likelihood --basket magnet           (prior, evidence, posterior and range per unit)
 *   chokepoint risk compare baseline.yaml policy.yaml    (side by side, differences from the first)
 */
import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import YAML from 'yaml';
import type { DatasetIndex } from '../engine/dataset.ts';
import { buildRiskSpec, loadRiskScenarioFile, RiskScenarioError, validateRiskScenario } from '../scenario/risk-build.ts';
import { compareRisk, riskReport, type RiskComparison, type RiskReport } from '../scenario/risk-run.ts';
import type { RiskScenario } from '../scenario/risk-schema.ts';
import { riskComparisonTable, riskTable } from '../report/tables.ts';
import { csvText, pct, quantity, renderTable, type OutputFormat } from './format.ts';
import type { DatasetScope } from '../store/load.ts';
import { UserError, dbOption, formatOption, intArg, listArg, numArg, withKb } from './options.ts';
import { queueTimeoutOption, redisOption, shardsOption, type DistributedFlags } from './distributed.ts';

interface RiskFlags {
  scenario?: string;
  material?: string[];
  basket?: string;
  year?: number;
  samples?: number;
  seed?: number;
  correlation?: number;
  stockpileDays?: number;
  stockpilePolicy?: 'japan-60' | 'high-risk-180';
  use?: 'central' | 'low' | 'high';
  demandScenario?: string;
}

/** The scenario the flags describe (or the file's, with --samples / --seed overriding it when given). */
export function riskScenarioFromFlags(o: RiskFlags): RiskScenario {
  try {
    if (o.scenario) {
      const s = loadRiskScenarioFile(o.scenario);
      return validateRiskScenario(
        { ...s, ...(o.samples !== undefined ? { samples: o.samples } : {}), ...(o.seed !== undefined ? { seed: o.seed } : {}) },
        o.scenario,
      );
    }
    if (!o.material?.length && !o.basket) throw new UserError('give --material <name>, --basket battery|magnet|defence or --scenario <file>');
    return validateRiskScenario(
      Object.fromEntries(
        Object.entries({
          version: 1,
          kind: 'risk',
          materials: o.material?.length ? o.material : undefined,
          basket: o.basket,
          year: o.year,
          samples: o.samples,
          seed: o.seed,
          correlation: o.correlation,
          demandScenario: o.demandScenario,
          stockpile: o.stockpileDays !== undefined ? { days: o.stockpileDays } : o.stockpilePolicy ? { policy: o.stockpilePolicy } : undefined,
          likelihood: o.use ? { use: o.use } : undefined,
        }).filter(([, v]) => v !== undefined),
      ),
    );
  } catch (e) {
    if (e instanceof RiskScenarioError) throw new UserError(e.message);
    throw e;
  }
}

/** Build and run on the worker pool (all cores), in this thread with threads = 1, or on queue workers with --redis. */
export async function runRisk(index: DatasetIndex, s: RiskScenario, threads: number, dist: DistributedFlags = {}): Promise<RiskReport> {
  const built = buildRiskSpec(index, s);
  if (dist.redis) {
    const { runOnQueue } = await import('./distributed.ts');
    return riskReport(built, await runOnQueue(built.spec, built.seed, dist));
  }
  if (threads <= 1) {
    const { runMonteCarlo } = await import('../engine/risk/montecarlo.ts');
    return riskReport(built, runMonteCarlo(built.spec, built.seed));
  }
  const { RiskPool } = await import('../api/workers/risk-pool.ts');
  const pool = new RiskPool(threads);
  try {
    return riskReport(built, await pool.run(built.spec, built.seed, { timeBudgetMs: 3_600_000 }));
  } finally {
    await pool.close();
  }
}

const q = (x: number, unit: string) => quantity(x, unit);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
const days = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} d`;

export function renderRiskReport(r: RiskReport): string {
  const out: string[] = [];
  out.push(`${r.name ?? 'Disruption risk'} — ${r.samples.toLocaleString('en')} samples, seed ${r.seed} (run ${r.specKey})`);
  out.push(
    `Model: correlation ρ = ${r.model.correlation}; severity ${pct(r.model.severity.low, 0)}–${pct(r.model.severity.high, 0)} of flows; episodes ${r.model.durationMonths.min}–${r.model.durationMonths.max} months; one year per sample`,
  );
  out.push('\nSHORTFALL over the episode (after spare capacity, ramp-up and stockpile; Monte Carlo ± = standard error of the mean)');
  out.push(
    renderTable(r.materials, [
      { header: 'material', value: (m) => m.name, align: 'left' },
      { header: 'year', value: (m) => String(m.year) },
      { header: 'P(short)', value: (m) => pct(m.shortfallTonnes.probabilityPositive) },
      { header: 'expected', value: (m) => `${q(m.shortfallTonnes.mean, m.unit)} ± ${q(m.shortfallTonnes.stdErr, m.unit)}` },
      { header: 'p95', value: (m) => q(m.shortfallTonnes.p95, m.unit) },
      { header: 'CVaR 95%', value: (m) => q(m.shortfallTonnes.cvar95, m.unit) },
      { header: 'CVaR % demand', value: (m) => pct(m.shortfallShareOfDemand.cvar95) },
      { header: 'days short (mean / CVaR)', value: (m) => `${days(m.daysShort.mean)} / ${days(m.daysShort.cvar95)}` },
      { header: 'price p50 / p95 / p99', value: (m) => `${signed(m.priceChange.p50)} / ${signed(m.priceChange.p95)} / ${signed(m.priceChange.p99)}` },
      { header: 'stockpile', value: (m) => q(m.stockpileTonnes, m.unit) },
    ]),
  );
  if (r.basket) {
    const b = r.basket;
    out.push(`\nBASKET ${b.name}: output limited by the scarcest input (Leontief); shortfall as a share of one year's demand of that input`);
    out.push(
      `P(short) ${pct(b.shortfallShare.probabilityPositive)}   expected ${pct(b.shortfallShare.mean)}   p95 ${pct(b.shortfallShare.p95)}   CVaR 95% ${pct(b.shortfallShare.cvar95)}   days short: mean ${days(b.daysShort.mean)}, CVaR ${days(b.daysShort.cvar95)}`,
    );
    if (b.source) out.push(`Composition: ${b.source}`);
  }
  out.push('\nBY STAGE (means)');
  out.push(
    renderTable(
      r.materials.flatMap((m) => m.byStage.map((s) => ({ m, s }))),
      [
        { header: 'material', value: ({ m }) => m.name, align: 'left' },
        { header: 'stage', value: ({ s }) => s.stage, align: 'left' },
        { header: 'mean', value: ({ m, s }) => q(s.meanTonnes, m.unit) },
        { header: 'what', value: ({ s }) => s.measure, align: 'left' },
      ],
    ),
  );
  out.push('\nBY COUNTRY (who causes the loss: probability its controls hit the material in a year, mean tonnes lost)');
  out.push(
    renderTable(
      r.materials.flatMap((m) => m.byCountry.slice(0, 5).map((c) => ({ m, c }))),
      [
        { header: 'material', value: ({ m }) => m.name, align: 'left' },
        { header: 'country', value: ({ c }) => c.countryId, align: 'left' },
        { header: 'P(hit)', value: ({ c }) => pct(c.hitProbability) },
        { header: 'mean lost', value: ({ m, c }) => q(c.meanLostTonnes, m.unit) },
        { header: 'share of loss', value: ({ c }) => pct(c.shareOfExpectedLoss) },
      ],
    ),
  );
  const sectors = r.materials.flatMap((m) => m.bySector.filter((s) => s.sector !== 'All uses').map((s) => ({ m, s })));
  if (sectors.length) {
    out.push('\nBY SECTOR (sectors lose in proportion to their use)');
    out.push(
      renderTable(sectors, [
        { header: 'material', value: ({ m }) => m.name, align: 'left' },
        { header: 'sector', value: ({ s }) => s.sector, align: 'left' },
        { header: 'use', value: ({ s }) => pct(s.share) },
        { header: 'expected', value: ({ m, s }) => q(s.meanShortfallTonnes, m.unit) },
        { header: 'CVaR 95%', value: ({ m, s }) => q(s.cvar95ShortfallTonnes, m.unit) },
      ]),
    );
  }
  out.push(
    `\nLIKELIHOODS: ${r.likelihood.units.filter((u) => u.probability >= 0.01).length} of ${r.likelihood.units.length} units at ≥ 1%/yr (all: chokepoint risk likelihood …)`,
  );
  out.push(renderLikelihood(r, 8));
  if (r.assumptions.length) out.push(`\nAssumptions:\n${r.assumptions.map((a) => `- ${a}`).join('\n')}`);
  if (r.defaulted.length) out.push(`Defaulted: ${r.defaulted.map((d) => `${d.parameter} = ${JSON.stringify(d.value)}`).join('; ')} (${r.defaulted[0].flag})`);
  if (r.gaps.length) out.push(`Gaps:\n${r.gaps.map((g) => `- ${g}`).join('\n')}`);
  out.push(`Sources: ${[...new Set(r.materials.flatMap((m) => m.sources.map((s) => s.text)))].join(' | ')}; registry export measures; World Bank WGI.`);
  return out.join('\n');
}

export function renderLikelihood(r: RiskReport, limit = Infinity): string {
  const rows = [...r.likelihood.units].sort((a, b) => b.probability - a.probability).slice(0, limit);
  return renderTable(rows, [
    { header: 'country', value: (u) => u.countryId, align: 'left' },
    { header: 'material', value: (u) => u.materialId, align: 'left' },
    { header: 'stage', value: (u) => u.stage, align: 'left' },
    { header: 'share', value: (u) => pct(u.share) },
    { header: 'WGI', value: (u) => (u.wgiScaled === null ? '—' : u.wgiScaled.toFixed(1)) },
    { header: 'prior/yr', value: (u) => pct(u.prior.probability, 2) },
    { header: 'events', value: (u) => `${u.evidence.events} in ${u.evidence.windowYears} y` },
    { header: 'posterior', value: (u) => pct(u.posterior.probability, 1) },
    { header: '5–95%', value: (u) => `${pct(u.posterior.low, 1)}–${pct(u.posterior.high, 1)}` },
    { header: 'used', value: (u) => `${pct(u.probability, 1)}${u.basis === 'override' ? ' (override)' : ''}` },
    { header: 'measures', value: (u) => u.evidence.measureIds.join(', '), align: 'left' },
  ]);
}

function renderComparison(c: RiskComparison): string {
  const fmt = (v: number, unit: string) => (Number.isNaN(v) ? '—' : unit === 'share' ? pct(v, 1) : unit === 'days' ? days(v) : quantity(v, unit));
  const fmtDelta = (v: number, unit: string) => (Number.isNaN(v) ? '—' : `${v >= 0 ? '+' : '−'}${fmt(Math.abs(v), unit)}`);
  const out = [`Comparison: ${c.scenarios.map((s, i) => `[${i + 1}] ${s.name} (${s.samples.toLocaleString('en')} samples, seed ${s.seed})`).join('  ')}`];
  out.push(
    renderTable(c.rows, [
      { header: 'material', value: (r) => r.name, align: 'left' },
      { header: 'metric', value: (r) => r.metric, align: 'left' },
      ...c.scenarios.map((_, i) => ({ header: `[${i + 1}]`, value: (r: (typeof c.rows)[number]) => fmt(r.values[i], r.unit) })),
      ...c.scenarios.slice(1).map((_, i) => ({ header: `[${i + 2}]−[1]`, value: (r: (typeof c.rows)[number]) => fmtDelta(r.deltas[i + 1], r.unit) })),
    ]),
  );
  out.push(...c.notes);
  return out.join('\n');
}

/** The Monte Carlo runs on supply networks, governance and the registry: no trade flow (the stress network uses none). */
const RISK_SCOPE: DatasetScope = { trade: false };

export function registerRiskCommands(program: Command, print: (s: string) => void = (s) => process.stdout.write(s + '\n')): void {
  const common = (cmd: Command) =>
    cmd
      .option('--scenario <file>', 'risk scenario file (YAML or JSON, kind: risk); --samples and --seed override it')
      .option('-m, --material <names>', 'material(s), comma-separated or repeated', listArg)
      .option('-b, --basket <id>', 'basket: battery | magnet | defence')
      .option('-y, --year <year>', 'year of the supply data (default 2024; the latest earlier year with data is used per material)', intArg)
      .option('-n, --samples <n>', 'number of Monte Carlo samples (one year each)', intArg)
      .option('--seed <n>', 'random seed (same seed, same result)', intArg)
      .option('--correlation <rho>', 'within-country correlation of controls across materials, 0..1', numArg)
      .option('--stockpile-days <n>', 'stockpile in days of world consumption, every material', numArg)
      .addOption(new Option('--stockpile-policy <preset>', 'stockpile preset').choices(['japan-60', 'high-risk-180']))
      .addOption(
        new Option('--use <value>', 'likelihood used: central (posterior predictive) or an end of the 5–95% range').choices(['central', 'low', 'high']),
      )
      .option('--demand-scenario <s>', 'IEA demand scenario for projection years: STEPS | APS | NZE')
      .addOption(formatOption())
      .addOption(dbOption());
  const risk = common(
    program
      .command('risk')
      .description(
        'Monte Carlo over export-control disruptions: shortfall distributions, CVaR 95%, days short, price percentiles, by stage / country / sector',
      ),
  )
    // `risk likelihood --material x`: options after a subcommand name belong to the subcommand
    .enablePositionalOptions()
    .option('--threads <n>', 'worker threads (default: all cores; 1 = this thread)', intArg)
    .addOption(redisOption())
    .addOption(shardsOption())
    .addOption(queueTimeoutOption())
    .option('--save-scenario <file>', 'write the scenario these flags describe (YAML) and run it')
    .action(async (o) => {
      const s = riskScenarioFromFlags(o);
      if (o.saveScenario) writeFileSync(o.saveScenario, YAML.stringify(s));
      await withKb(
        o,
        async (kb) => {
          const r = await runRisk(kb.index, s, o.threads ?? availableParallelism(), o);
          const format = o.format as OutputFormat;
          if (format === 'json') return print(JSON.stringify(r, null, 2));
          if (format === 'csv') return print(csvText(riskTable(r)));
          print(renderRiskReport(r));
        },
        RISK_SCOPE,
      );
    });

  common(risk.command('likelihood').description('disruption likelihood per supplier × material × stage: prior, evidence, posterior, range')).action(
    async (o) => {
      const s = riskScenarioFromFlags({ ...o, samples: 1 });
      await withKb(
        o,
        async (kb) => {
          const built = buildRiskSpec(kb.index, s);
          const { runMonteCarlo } = await import('../engine/risk/montecarlo.ts');
          const r = riskReport(built, runMonteCarlo(built.spec, built.seed));
          if (o.format === 'json') return print(JSON.stringify(r.likelihood, null, 2));
          print(renderLikelihood(r));
          print('\nPools (empirical-Bayes base rates by stage and concentration tier):');
          print(
            renderTable(r.likelihood.pools, [
              { header: 'stage', value: (p) => p.stage, align: 'left' },
              { header: 'tier', value: (p) => p.tier, align: 'left' },
              { header: 'units', value: (p) => p.units },
              { header: 'events', value: (p) => p.events },
              { header: 'unit-years', value: (p) => p.unitYears },
              { header: 'rate/yr', value: (p) => p.ratePerYear.toExponential(2) },
              { header: 'mean WGI', value: (p) => (p.meanWgiScaled === null ? '—' : p.meanWgiScaled.toFixed(2)) },
            ]),
          );
          const p = r.likelihood.params;
          print(
            `\nWindow ${p.windowStartYear}–${p.windowEndYear}; measure types ${p.measureTypes.join(', ')}${p.includeNeverApplied ? '' : ' (never-applied measures not counted)'}; prior weight ${p.priorWeightYears} unit-years; major tier: share ≥ ${pct(p.majorShare, 0)}; governance scaling ${p.governance ? 'on' : 'off'}. Model: docs/risk.md.`,
          );
          for (const n of r.likelihood.notes) print(n);
        },
        RISK_SCOPE,
      );
    },
  );

  risk
    .command('compare <files...>')
    .description('two or more risk scenario files side by side (baseline first)')
    .option('-n, --samples <n>', 'override every file’s samples', intArg)
    .option('--seed <n>', 'override every file’s seed (common random numbers)', intArg)
    .option('--threads <n>', 'worker threads (default: all cores)', intArg)
    .addOption(redisOption())
    .addOption(shardsOption())
    .addOption(queueTimeoutOption())
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (files: string[], o) => {
      if (files.length < 2) throw new UserError('give at least two scenario files (the first is the baseline)');
      const scenarios = files.map((f) => riskScenarioFromFlags({ scenario: f, samples: o.samples, seed: o.seed }));
      await withKb(
        o,
        async (kb) => {
          const reports: RiskReport[] = [];
          for (const s of scenarios) reports.push(await runRisk(kb.index, s, o.threads ?? availableParallelism(), o));
          const c = compareRisk(reports.map((r, i) => ({ ...r, name: r.name ?? files[i] })));
          if (o.format === 'json') return print(JSON.stringify(c, null, 2));
          if (o.format === 'csv') return print(csvText(riskComparisonTable(c)));
          print(renderComparison(c));
        },
        RISK_SCOPE,
      );
    });
}
