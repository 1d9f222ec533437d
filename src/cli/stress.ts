/**
 * `chokepoint stress`: N-1 / exclude-set coverage, downstream propagation, price range and stockpile cover, from a
 * scenario file (`--scenario file.yaml`) or shorthand flags (`--material graphite --stage refining --exclude CHN
 * --year 2035`, `--n1` for remove-the-largest). `--n1 --all` sweeps every material. `--save-scenario` writes the
 * scenario the flags describe, so the run can be shared and re-run.
 */
import { Command, Option, InvalidArgumentError } from 'commander';
import { writeFileSync } from 'node:fs';
import { getMaterial } from '../model/materials.ts';
import { shortCitationText } from '../model/provenance.ts';
import { countryName } from '../model/countries.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import { n1Sweep, type N1Row } from '../engine/stress/sweep.ts';
import type { NetworkStage } from '../engine/stress/network.ts';
import { loadScenarioFile, scenarioToYaml, validateScenario } from '../scenario/load.ts';
import { runScenario, scenarioFromFlags, type StressReport } from '../scenario/run.ts';
import type { Scenario } from '../scenario/schema.ts';
import { n1Table, stressShortfallTable } from '../report/tables.ts';
import { csvText, output, pct, quantity, renderTable, type OutputFormat } from './format.ts';
import { UserError, dbOption, formatOption, intArg, listArg, materialArg, numArg, withKb } from './options.ts';

function stageArg(raw: string): NetworkStage {
  const s = raw.toLowerCase().replace('processing', 'refining').replace('extraction', 'mining');
  if (s !== 'mining' && s !== 'refining') throw new InvalidArgumentError('stage must be mining or refining (or extraction / processing)');
  return s;
}

/** Latest year with historical (non-projection) supply at a stage. */
function latestYear(index: DatasetIndex, materialId: string, stage: NetworkStage): number | null {
  const ys = index.years(materialId, stage).filter((y) => index.rows(materialId, stage, 'production', y).some((o) => o.scenario === null));
  return ys.length ? ys[ys.length - 1] : null;
}

const nettedRange = (r: { low: number; high: number | null } | null) => (r ? `${pct(r.low)}–${r.high === null ? 'unbounded' : pct(r.high)}` : '—');
const ownUseRange = (xs: Array<{ low?: number; high?: number; share: number }>) =>
  xs.some((x) => x.low !== undefined)
    ? `, range ${pct(xs.reduce((a, x) => a + (x.low ?? x.share), 0))}–${pct(xs.reduce((a, x) => a + (x.high ?? x.share), 0))}`
    : '';
const t = (x: number | null | undefined, unit = 't') => (x === null || x === undefined ? null : quantity(x, unit));
const pctOrNull = (x: number | null | undefined) => pct(x ?? null);
const signedPct = (x: number | null, beyond = false) =>
  x === null ? 'undefined (rationing)' : beyond ? '> +1000% (extreme)' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;

export function renderStressReport(r: StressReport): string {
  const out: string[] = [];
  const c = r.coverage;
  const unit = r.network.refining?.unit ?? r.network.mining?.unit ?? 't';
  out.push(`${r.material} — ${r.stage} ${r.year}${r.scenario.name ? ` — ${r.scenario.name}` : ''}`);
  out.push(
    `Shock: ${r.scenario.shock.mode.replace('_', ' ')} of ${r.excluded.map((e) => `${e.countryId} ${e.country} (${pct(e.share)})`).join(', ') || 'no supplier'}` +
      `${r.scenario.shock.fraction < 1 ? `, ${pct(r.scenario.shock.fraction, 0)} of flows` : ''}, ${r.scenario.shock.durationMonths} months` +
      (r.exclusionNotes.length ? `  [${r.exclusionNotes.join('; ')}]` : ''),
  );
  if (r.demand)
    out.push(
      `Demand: ${quantity(r.demand.totalTonnes, unit)}${r.demand.scenario ? ` (${r.demand.scenario})` : ''}${r.demand.scope ? `, ${r.demand.scope}` : ''}${r.demand.proxy ? ' — PROXY' : ''}`,
    );

  const h = r.headline;
  const lastUnit = r.network[h.supplyAfterPropagation.stage]?.unit ?? unit;
  out.push("\nHEADLINE (two readings: the stage reading removes the countries' whole output; the propagated reading is what still reaches consumers)");
  const head: Array<{ figure: string; value: string | null; detail: string }> = [
    {
      figure: 'supply removed',
      value: pct(h.supplyRemoved.share),
      detail: `${quantity(h.supplyRemoved.tonnes, unit)} of ${quantity(h.supplyRemoved.ofTonnes, unit)} (${h.supplyRemoved.stage})`,
    },
    {
      figure: 'coverage of world demand',
      value: pctOrNull(h.coverage.worldRatio),
      detail: `${quantity(h.coverage.remainingTonnes, unit)} left of ${quantity(c.supplyTonnes, unit)} (${pct(c.remainingSupplyShare)})${h.coverage.demandTonnes !== null ? ` ÷ ${quantity(h.coverage.demandTonnes, unit)}${h.coverage.demandProxy ? ' (proxy)' : ''}` : ''}`,
    },
    {
      figure: 'coverage vs netted demand',
      value: c.coverageNettedRatio === null ? 'gap' : pct(c.coverageNettedRatio),
      detail:
        c.coverageNettedRatio === null
          ? c.consumptionShareUnknown.length
            ? `own consumption of ${c.consumptionShareUnknown.join(', ')} unknown; netted coverage reaches 100% if they use ≥ ${pctOrNull(r.coverage.impliedConsumptionShareForFullCover)} of demand`
            : (r.gaps.find((g) => /^Netted coverage not computed/.test(g)) ?? 'not computed')
          : `range ${nettedRange(c.coverageNettedRange)}; excluded countries' own use ${pct(c.excludedConsumptionShare)}${ownUseRange(c.consumptionShareInputs)} (${c.consumptionShareInputs.map((x) => `${x.countryId}: ${x.source.text}${x.source.caveat ? `, ${x.source.caveat}` : ''}`).join('; ')}); shortfall ${t(c.shortfallNettedTonnes, unit)}`,
    },
    ...(c.recycled
      ? [
          {
            figure: 'coverage of primary requirement',
            value: pct(c.recycled.coveragePrimaryRatio),
            detail: `demand less recycled input ${pct(c.recycled.rate, 0)} (${quantity(c.recycled.recycledTonnes, unit)}; EoL-RIR, ${shortCitationText(c.recycled.source)}, an EU value applied to the world); shortfall ${t(c.recycled.shortfallPrimaryTonnes, unit)}`,
          },
        ]
      : []),
    {
      figure: 'shortfall',
      value: t(h.shortfall.tonnes, unit),
      detail: h.shortfall.shareOfDemand !== null ? `${pct(h.shortfall.shareOfDemand)} of demand` : 'no demand figure',
    },
    {
      figure: `${h.supplyAfterPropagation.stage === 'refining' ? 'refined' : 'mined'} supply after propagation`,
      value: quantity(h.supplyAfterPropagation.afterTonnes, lastUnit),
      detail: `${h.supplyAfterPropagation.coverageWorldRatio !== null ? `${pct(h.supplyAfterPropagation.coverageWorldRatio)} of demand; ` : ''}${quantity(h.supplyAfterPropagation.lostTonnes, lastUnit)} lost (${pct(h.supplyAfterPropagation.lostShare)} of ${quantity(h.supplyAfterPropagation.beforeTonnes, lastUnit)})${h.supplyAfterPropagation.upperBound ? ', upper bound' : ''}`,
    },
    {
      figure: 'price basis',
      value: pct(h.priceBasis.lostShare),
      detail: `of ${h.priceBasis.stage === 'refining' ? 'refined' : 'mined'} supply, lost after propagation; ${pct(h.priceBasis.netLostShare.central)} net of spare capacity (central)`,
    },
  ];
  for (const a of r.demand?.alternatives ?? [])
    head.push({
      figure: `  coverage vs alt. demand: ${a.scope ?? '?'}`,
      value: pct(a.coverageWorldRatio),
      detail: `${quantity(a.totalTonnes, unit)} (${a.totalIs})`,
    });
  out.push(
    renderTable(head, [
      { header: 'figure', value: (x) => x.figure, align: 'left' },
      { header: 'value', value: (x) => x.value },
      { header: 'detail', value: (x) => x.detail, align: 'left' },
    ]),
  );
  out.push('What each figure measures:');
  for (const [name, f] of [
    ['supply removed', h.supplyRemoved],
    ['coverage', h.coverage],
    ['shortfall', h.shortfall],
    ['supply after propagation', h.supplyAfterPropagation],
    ['price basis', h.priceBasis],
    ['stockpile cover', h.stockpileCover],
  ] as const)
    out.push(`  - ${name}: ${f.measures}`);
  if (h.reconciliation) out.push(h.reconciliation);

  out.push('\nSHORTFALL BY STAGE, COUNTRY AND SECTOR');
  out.push(
    renderTable(r.shortfall, [
      { header: 'stage', value: (x) => x.stage, align: 'left' },
      { header: 'country / sector', value: (x) => (x.countryId ? `${x.countryId} ${x.country}` : x.sector), align: 'left' },
      { header: 'before', value: (x) => quantity(x.beforeTonnes, unit) },
      { header: 'after', value: (x) => quantity(x.afterTonnes, unit) },
      { header: 'shortfall', value: (x) => quantity(x.shortfallTonnes, unit) },
      { header: '%', value: (x) => pct(x.shortfallPct) },
      { header: 'note', value: (x) => x.note ?? '', align: 'left' },
    ]),
  );
  out.push(
    `Lost to consumers: ${quantity(r.propagation.lostToConsumersTonnes, unit)}${r.propagation.upperBound ? ' (upper bound)' : ''}; conservation error ${r.propagation.conservationErrorTonnes.toExponential(1)} t`,
  );

  for (const ex of r.importerExposure) {
    const shown = ex.importers.slice(0, 12);
    const rest = ex.importers.slice(12);
    out.push(
      `\nWHO LOSES ${ex.exporter.toUpperCase()}'S SUPPLY (its ${ex.tradeYear} exports by destination${ex.months < 12 ? `, ${ex.months} months` : ''}, HS ${ex.hsCodes.join(', ')})`,
    );
    out.push(
      ex.allocation === 'exports'
        ? `Lost exports ${quantity(ex.lostTonnes, unit)} = lost output ${quantity(ex.lostOutputTonnes, unit)} − own use ${quantity(ex.lostOutputTonnes - ex.lostTonnes, unit)}`
        : `Lost output ${quantity(ex.lostTonnes, unit)} allocated: an upper bound of lost exports (own use of ${ex.exporterId} unknown)`,
    );
    out.push(
      renderTable(
        [
          ...shown,
          ...(rest.length
            ? [
                {
                  countryId: '',
                  country: `${rest.length} other destinations`,
                  shareOfExports: rest.reduce((a, x) => a + x.shareOfExports, 0),
                  lostTonnes: rest.reduce((a, x) => a + x.lostTonnes, 0),
                },
              ]
            : []),
        ],
        [
          { header: 'importer', value: (x) => `${x.countryId} ${x.country}`.trim(), align: 'left' },
          { header: 'share of exports', value: (x) => pct(x.shareOfExports) },
          { header: 'loses', value: (x) => quantity(x.lostTonnes, unit) },
        ],
      ),
    );
    out.push(`${quantity(ex.lostTonnes, unit)} lost, allocated pro rata to destination shares (customs net weight). Source: ${ex.source.text}`);
  }

  const p = r.price;
  out.push('\nPRICE (short run, partial equilibrium)');
  out.push(
    `low ${signedPct(p.priceChangePct.low, p.beyondModelRange.low)}   central ${signedPct(p.priceChangePct.central, p.beyondModelRange.central)}   high ${signedPct(p.priceChangePct.high, p.beyondModelRange.high)}` +
      `   (on ${pct(p.lostSupplyShare)} of ${h.priceBasis.stage === 'refining' ? 'refined' : 'mined'} supply lost after propagation, ${pct(p.netLostShare.central)} net of spare capacity, central; spare capacity ${p.spareCapacity.fromData ? 'from capacity data' : 'default'})`,
  );
  out.push(`method: ${p.method}`);
  for (const n of p.notes) out.push(`note: ${n}`);
  for (const e of p.elasticities)
    out.push(
      `${e.name}: ${e.range.low} / ${e.range.central} / ${e.range.high} (low / central / high) — ${e.label === 'cited' ? `source: ${e.source.text}` : 'assumed (no published per-material value cited)'}`,
    );
  const m = p.money;
  if (m) {
    const usd = (x: number | null) => (x === null ? 'undefined' : `USD ${Math.round(x).toLocaleString('en-US')}`);
    const usdM = (x: number | null) => (x === null ? 'undefined' : `USD ${(x / 1e6).toLocaleString('en-US', { maximumFractionDigits: 0 })} million`);
    out.push(
      `in money: reference price ${m.publishedPrice.value.toLocaleString('en-US')} ${m.publishedPrice.unit} (${m.pricedProduct}, ${m.priceYear}${m.priceEstimated ? ' estimate' : ''}) = ${usd(m.usdPerTonneSupplyBasis)} per t ${m.supplyBasis}`,
    );
    out.push(
      `price after the shock per t ${m.supplyBasis}: low ${usd(m.priceAfterUsdPerTonne.low)}   central ${usd(m.priceAfterUsdPerTonne.central)}   high ${usd(m.priceAfterUsdPerTonne.high)}`,
    );
    out.push(
      `extra cost per year of the supply still bought: low ${usdM(m.extraCostUsdPerYear.low)}   central ${usdM(m.extraCostUsdPerYear.central)}   high ${usdM(m.extraCostUsdPerYear.high)} (market before the shock ${usdM(m.marketValueBeforeUsd)})`,
    );
    out.push(`price basis: ${m.basis}; conversion: ${m.conversionSource}; ${m.note}`);
    out.push(`price source: ${m.sources.map((x) => `${x.publisher}, ${x.title}${x.url ? ` <${x.url}>` : ''}`).join('; ')}`);
  }

  const s = r.stockpile;
  out.push('\nSTOCKPILE AND RECOVERY');
  out.push(`holder: ${s.holder}; stockpile ${quantity(s.stockpileTonnes, unit)} = ${s.basis}`);
  out.push(
    `days of consumption: ${s.stockpileDaysOfConsumption?.toFixed(0) ?? '—'}; days of cover of the shortfall (no recovery): ${s.stockpileDaysOfCover?.toFixed(0) ?? 'no shortfall'}; ` +
      `stockpile exhausted in month ${s.stockpileExhaustedMonth ?? '— (lasts)'}; full replacement by month ${s.monthsToFullReplacement ?? '— (not within the shock)'}`,
  );
  out.push(
    renderTable(s.months, [
      { header: 'month', value: (m) => m.month },
      { header: 'lost', value: (m) => quantity(m.lostTonnes, unit) },
      { header: 'replaced', value: (m) => quantity(m.replacedTonnes, unit) },
      // Only when the scenario gives a recycling ramp-up (none is assumed by default).
      ...(s.totalRecycledTonnes > 0 ? [{ header: 'recycled', value: (m: (typeof s.months)[number]) => quantity(m.recycledTonnes, unit) }] : []),
      { header: 'drawdown', value: (m) => quantity(m.drawdownTonnes, unit) },
      { header: 'unmet', value: (m) => quantity(m.unmetTonnes, unit) },
      { header: 'stock left', value: (m) => quantity(m.stockpileEndTonnes, unit) },
    ]),
  );

  out.push('\nASSUMPTIONS');
  for (const a of r.assumptions) out.push(`  - ${a}`);
  if (r.defaulted.length) {
    out.push('DEFAULTED PARAMETERS');
    for (const d of r.defaulted) out.push(`  - ${d.parameter} = ${JSON.stringify(d.value)} (${d.flag})`);
  }
  if (r.gaps.length) {
    out.push('GAPS');
    for (const g of r.gaps) out.push(`  - ${g}`);
  }
  out.push('SOURCES');
  for (const src of r.sources) out.push(`  - ${src.text}${src.url ? ` <${src.url}>` : ''}`);
  return out.join('\n');
}

const n1Columns = [
  { header: 'material', value: (r: N1Row) => getMaterial(r.materialId)?.name ?? r.materialId, align: 'left' as const },
  { header: 'stage', value: (r: N1Row) => r.stage, align: 'left' as const },
  { header: 'year', value: (r: N1Row) => `${r.year}${r.scenario && r.scenario !== 'base' ? ` ${r.scenario}` : r.scenario === 'base' ? ' proj' : ''}` },
  { header: 'removed', value: (r: N1Row) => `${r.removed} ${countryName(r.removed)}`, align: 'left' as const },
  { header: 'share', value: (r: N1Row) => pct(r.removedShare) },
  { header: 'remaining', value: (r: N1Row) => pct(r.remainingSupplyShare) },
  { header: 'coverage vs demand', value: (r: N1Row) => (r.coverageWorldRatio === null ? '—' : `${pct(r.coverageWorldRatio)} (${r.demandScenario ?? 'hist'})`) },
  {
    header: 'netted (IEA-style)',
    value: (r: N1Row) => (r.coverageNettedRatio === null ? 'gap' : `${pct(r.coverageNettedRatio)} (${nettedRange(r.coverageNettedRange)})`),
  },
  {
    header: 'own use',
    value: (r: N1Row) =>
      r.ownUseShare === null
        ? '—'
        : `${pct(r.ownUseShare)}${r.ownUseRange ? ` (${pct(r.ownUseRange.low)}–${pct(r.ownUseRange.high)})` : ''}${r.ownUseAssumed ? '*' : ''}`,
  },
  { header: 'source', value: (r: N1Row) => r.sourceId, align: 'left' as const },
];

export function registerStressCommands(program: Command, print: (s: string) => void = (s) => process.stdout.write(s + '\n')): void {
  program
    .command('stress')
    .description('stress test: N-1 / exclude any set of countries at a stage and year; coverage, downstream shortfall, price range, stockpile cover')
    .option('--scenario <file>', 'scenario file (YAML or JSON, version 1); flags below are ignored except --format/--db')
    .option('-m, --material <name>', 'material', materialArg)
    .option('-s, --stage <stage>', 'mining | refining (where the shock hits)', stageArg)
    .option('-y, --year <year>', 'year (default: latest historical; IEA projections 2030, 2035, 2040)', intArg)
    .option('-x, --exclude <list>', 'countries / groupings to exclude: ISO3, EU27, G7, MSP, non-MSP, CHN+RUS (comma-separated, repeatable)', listArg)
    .option('--n1', 'remove the largest supplier (IEA N-1)')
    .option('-a, --all', 'with --n1: sweep every material (and --stage/--year if given)')
    .addOption(new Option('--mode <mode>', 'export_ban: excluded countries keep their own supply; outage: output lost').choices(['export_ban', 'outage']))
    .option('--fraction <f>', 'share of the excluded flows cut, 0..1', numArg)
    .option('--months <n>', 'duration of the disruption in months', numArg)
    .option('--stockpile-days <n>', 'stockpile in days of consumption', numArg)
    .option('--stockpile-tonnes <t>', 'stockpile in tonnes', numArg)
    .addOption(new Option('--stockpile-policy <preset>', 'stockpile preset').choices(['japan-60', 'high-risk-180']))
    .option('--holder <iso3>', 'stockpile holder (default: all affected consumers)')
    .option('--demand-scenario <s>', 'IEA demand scenario for projection years: STEPS | APS | NZE', 'STEPS')
    .option('--demand-scope <s>', 'another demand series of the cell, e.g. "battery-grade"')
    .option('-d, --dataset <dataset>', 'supply dataset: usgs-mcs | iea-cm')
    .option('--trade-year <year>', "year of customs data for importers' losses (default: latest ≤ --year), e.g. 2022 before an export control", intArg)
    .option('--save-scenario <file>', 'write the scenario these flags describe (YAML) and run it')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      const format = o.format as OutputFormat;
      const sweepAll = Boolean(o.n1 && o.all);
      const fromFile = !sweepAll && o.scenario ? loadScenarioFile(o.scenario) : null;
      // One material's stress test reads every observation (other materials' rows feed world figures) but only that
      // material's trade flows: with a year of BACI in the store, reading every flow cost more than the test itself.
      const stressed: string | undefined = fromFile ? materialArg(fromFile.material) : o.material;
      await withKb(
        o,
        async (kb) => {
          if (o.n1 && o.all) {
            // Supply from the store's series summary; the index holds only end-use rows (demand, own use) and the trade
            // flows own use asks for (the removed suppliers' declarations).
            const opts = {
              stages: o.stage ? [o.stage] : undefined,
              years: o.year ? [o.year] : undefined,
              demandScenario: o.demandScenario,
              dataset: o.dataset,
            };
            const [{ withAskedTrade }, { summaryN1Sweep }] = [await import('../store/load.ts'), await import('../store/summary.ts')];
            const rows = await withAskedTrade(kb.store, kb.index, (index) => summaryN1Sweep(kb.store, index, opts));
            if (!rows.length) throw new UserError('no supply data by country for that stage / year');
            if (format === 'csv') return print(csvText(n1Table(rows)));
            print(output(format, rows, n1Columns));
            if (format === 'table')
              print(
                "\nremaining = share of the stage's supply left without the largest supplier; coverage = remaining ÷ world demand (IEA demand, where it exists for the year).\n" +
                  "netted (IEA-style) = remaining ÷ (demand on the supply's basis − the removed country's own use), with the range of the own-use estimate; own use = its share of that demand (* = partly assumed).",
              );
            const owned = rows.filter((r) => r.ownUseSource || (r.nettedNote && r.demandTonnes !== null));
            if (format === 'table' && owned.length)
              print(
                '\nOwn use and basis:\n' +
                  owned
                    .map(
                      (r) =>
                        `  ${getMaterial(r.materialId)?.name ?? r.materialId} ${r.year} ${r.removed}: ${[r.ownUseSource, r.nettedNote].filter(Boolean).join(' — ')}`,
                    )
                    .join('\n'),
              );
            return;
          }
          let scenario: Scenario;
          {
            if (fromFile) scenario = fromFile;
            else {
              if (!o.material) throw new UserError('give --scenario <file>, or --material <name> with --exclude <list> or --n1');
              const stage: NetworkStage = o.stage ?? 'refining';
              const year = o.year ?? latestYear(kb.index, o.material, stage) ?? latestYear(kb.index, o.material, stage === 'mining' ? 'refining' : 'mining');
              if (!year) throw new UserError(`no supply data by country for ${getMaterial(o.material)?.name ?? o.material}`);
              scenario = validateScenario(
                scenarioFromFlags({
                  material: o.material,
                  stage,
                  year,
                  exclude: o.exclude,
                  n1: o.n1,
                  mode: o.mode,
                  fraction: o.fraction,
                  months: o.months,
                  stockpileDays: o.stockpileDays,
                  stockpileTonnes: o.stockpileTonnes,
                  stockpilePolicy: o.stockpilePolicy,
                  holder: o.holder,
                  demandScenario: o.demandScenario,
                  demandScope: o.demandScope,
                  tradeYear: o.tradeYear,
                  dataset: o.dataset,
                }),
              );
              if (o.saveScenario) writeFileSync(o.saveScenario, scenarioToYaml(scenario));
            }
            const material = materialArg(scenario.material);
            const report = runScenario(kb.index, { ...scenario, material });
            if (format === 'json') return print(JSON.stringify(report, null, 2));
            if (format === 'csv') return print(csvText(stressShortfallTable(report)));
            print(renderStressReport(report));
            if (o.saveScenario) print(`\nScenario saved to ${o.saveScenario} (re-run with: chokepoint stress --scenario ${o.saveScenario})`);
          }
        },
        sweepAll ? { stages: ['end_use'], governance: false, trade: false } : stressed ? { trade: [stressed] } : undefined,
      );
    });
}
