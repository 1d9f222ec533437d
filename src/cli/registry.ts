/**
 * CLI for the minerals-diplomacy registry, timelines and early warning:
 *   chokepoint registry list measures|agreements|projects [-m gallium] [--country CHN]
 *   chokepoint registry show <id>
 *   chokepoint registry add <file.yaml|json>          user records (validated like an import; override seed ids)
 *   chokepoint registry remove <kind> <id>            user records only
 *   chokepoint registry stress <measure-id>           run the stress test the measure implies
 *   chokepoint timeline [-m gallium] [--country CHN] [--from 2020]
 *   chokepoint alerts [--all] | alerts rules | alerts add-rule <file> | alerts remove-rule <id> | alerts evaluate
 */
import { Command, Option, InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { parseYamlDocument } from '../ingest/registry.ts';
import { getMaterial } from '../model/materials.ts';
import { countryName } from '../model/countries.ts';
import { AlertRuleSchema, type StoredAlert } from '../model/alerts.ts';
import { ImportError } from '../model/schema.ts';
import type { Agreement, Project, TradeMeasure } from '../model/registry.ts';
import { agreementsFor, measuresFor, projectsFor, scenarioForMeasure, timeline, type TimelineEvent } from '../engine/registry.ts';
import { runScenario } from '../scenario/run.ts';
import { addUserRecords, KIND_SECTIONS } from '../store/registry.ts';
import { USER_REGISTRY_SOURCE_ID } from '../store/load.ts';
import { alertsOnDate, evaluateAlerts, listRules, type Evaluation } from '../store/alerts.ts';
import type { RegistryKind } from '../store/store.ts';
import { agreementsTable, alertsTable, measuresTable, projectsTable, sourceLookup, timelineTable } from '../report/tables.ts';
import { csvText, output, renderTable, type Column } from './format.ts';
import { ALERTS_ONLY, dbOption, formatOption, materialArg, NO_OBSERVATIONS, withKb } from './options.ts';
import { renderStressReport } from './stress.ts';

const upper = (s: string) => s.toUpperCase();

const mats = (ids: string[]) => (ids.length ? ids.map((m) => getMaterial(m)?.name ?? m).join(', ') : 'critical minerals (general)');
const dates = (m: TradeMeasure) =>
  [
    m.announced && `announced ${m.announced}`,
    m.effective && m.effective !== m.announced && `effective ${m.effective}`,
    m.suspended && `suspended ${m.suspended}${m.suspendedUntil ? ` until ${m.suspendedUntil}` : ''}`,
    m.ended && `ended ${m.ended}`,
  ]
    .filter(Boolean)
    .join(', ');

const measureColumns: Column<TradeMeasure>[] = [
  { header: 'id', value: (r) => r.id, align: 'left' },
  { header: 'country', value: (r) => r.countryId, align: 'left' },
  { header: 'type', value: (r) => `${r.direction} ${r.measureType}`, align: 'left' },
  { header: 'materials', value: (r) => mats(r.materials), align: 'left' },
  { header: 'dates', value: (r) => dates(r), align: 'left' },
  { header: 'targets', value: (r) => r.targets.join(' ') || 'all', align: 'left' },
  { header: 'source', value: (r) => r.sourceId, align: 'left' },
];
const agreementColumns: Column<Agreement>[] = [
  { header: 'id', value: (r) => r.id, align: 'left' },
  { header: 'type', value: (r) => r.type, align: 'left' },
  { header: 'parties', value: (r) => r.parties.join(' '), align: 'left' },
  { header: 'materials', value: (r) => mats(r.materials), align: 'left' },
  { header: 'signed', value: (r) => r.signed, align: 'left' },
  { header: 'in force', value: (r) => r.inForce, align: 'left' },
  { header: 'source', value: (r) => r.sourceId, align: 'left' },
];
const projectColumns: Column<Project>[] = [
  { header: 'id', value: (r) => r.id, align: 'left' },
  { header: 'country', value: (r) => r.countryId, align: 'left' },
  { header: 'materials', value: (r) => mats(r.materials), align: 'left' },
  { header: 'stage', value: (r) => r.stage, align: 'left' },
  { header: 't/yr', value: (r) => r.capacityTonnesPerYear },
  { header: 'basis', value: (r) => r.basis, align: 'left' },
  { header: 'status', value: (r) => r.status, align: 'left' },
  { header: 'partners', value: (r) => r.partners.map((p) => `${p.partnerId} (${p.role})`).join('; '), align: 'left' },
];
const timelineColumns: Column<TimelineEvent>[] = [
  { header: 'date', value: (e) => e.date, align: 'left' },
  { header: 'event', value: (e) => e.kind.replaceAll('_', ' '), align: 'left' },
  { header: 'who', value: (e) => e.countries.join(' '), align: 'left' },
  { header: 'what', value: (e) => e.title, align: 'left' },
  { header: 'record', value: (e) => e.recordId, align: 'left' },
  { header: 'source', value: (e) => e.source.publisher, align: 'left' },
];
const alertColumns: Column<StoredAlert>[] = [
  { header: 'first seen', value: (a) => a.firstSeen.slice(0, 16), align: 'left' },
  { header: 'severity', value: (a) => a.severity, align: 'left' },
  { header: 'alert', value: (a) => a.title, align: 'left' },
  { header: 'rule', value: (a) => a.ruleId, align: 'left' },
  { header: 'active', value: (a) => a.active },
];

/** Lines summarising an evaluation after an import: the alerts first seen now. */
export function describeEvaluation(e: Evaluation): string {
  const head = `alerts: ${e.active.length} active from ${e.rules} rule(s), ${e.fresh.length} new`;
  const fresh = e.fresh.slice(0, 15).map((a) => `  [${a.severity}] ${a.title}`);
  const more = e.fresh.length > 15 ? [`  ... and ${e.fresh.length - 15} more: chokepoint alerts`] : [];
  const errs = e.ruleErrors.map((r) => `  rule ${r.id} skipped: ${r.error}`);
  return [head, ...fresh, ...more, ...errs].join('\n');
}

/** A YAML/JSON file as data, with line lookup for error messages. */
function readDoc(path: string): ReturnType<typeof parseYamlDocument> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
  return parseYamlDocument(text, path);
}

export function registerRegistryCommands(program: Command, print: (s: string) => void = (s) => process.stdout.write(s + '\n')): void {
  const reg = program.command('registry').description('agreements, export controls and other trade measures, projects (minerals diplomacy)');

  reg
    .command('list <kind>')
    .description('list measures, agreements or projects')
    .option('-m, --material <name>', 'only records concerning this material (groups included)', materialArg)
    .option('--country <iso3>', 'imposing country / party / host or partner', upper)
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (kind: string, o) => {
      if (!['measures', 'agreements', 'projects'].includes(kind))
        throw new InvalidArgumentError(`kind must be measures, agreements or projects, not "${kind}"`);
      await withKb(
        o,
        (kb) => {
          const r = kb.index.data.registry ?? { agreements: [], measures: [], projects: [] };
          // CSV: the tables the API sends (src/report/tables/registry.ts); the terminal table is a shorter view
          const source = sourceLookup(kb.index);
          if (kind === 'measures') {
            const rows = measuresFor(r, o.material, o.country);
            print(o.format === 'csv' ? csvText(measuresTable(rows, source, new Date().toISOString().slice(0, 10))) : output(o.format, rows, measureColumns));
          } else if (kind === 'agreements') {
            const groups = o.country ? [...new Set(kb.index.data.groupings.filter((g) => g.countryId === o.country).map((g) => g.groupId))] : [];
            const rows = agreementsFor(r, o.material, o.country, groups);
            print(o.format === 'csv' ? csvText(agreementsTable(rows, source)) : output(o.format, rows, agreementColumns));
          } else {
            const rows = projectsFor(r, o.material, o.country);
            print(o.format === 'csv' ? csvText(projectsTable(rows, source)) : output(o.format, rows, projectColumns));
          }
        },
        NO_OBSERVATIONS,
      );
    });

  reg
    .command('show <id>')
    .description('one record with its source')
    .addOption(dbOption())
    .action(async (id: string, o) => {
      await withKb(
        o,
        (kb) => {
          const r = kb.index.data.registry!;
          const rec = [...r.measures, ...r.agreements, ...r.projects].find((x) => x.id === id);
          if (!rec) throw new InvalidArgumentError(`no registry record "${id}" (chokepoint registry list measures|agreements|projects)`);
          const s = kb.index.data.sources.get(rec.sourceId);
          print(JSON.stringify({ record: rec, source: s ?? rec.sourceId, userEntered: rec.sourceId === USER_REGISTRY_SOURCE_ID }, null, 2));
        },
        NO_OBSERVATIONS,
      );
    });

  reg
    .command('add <file>')
    .description('add or replace user records from a YAML/JSON file with agreements:, measures:, projects: lists (sourceId not needed)')
    .addOption(dbOption())
    .action(async (file: string, o) => {
      await withKb(
        o,
        async (kb) => {
          const { data, lineOf } = readDoc(file);
          const doc = (data ?? {}) as Record<string, unknown[]>;
          const r = await addUserRecords(kb.store, { agreements: doc.agreements, measures: doc.measures, projects: doc.projects }, file, lineOf);
          print(r.added.map((a) => `${a.overrides ? 'overrides' : 'added'} ${a.kind} ${a.id}`).join('\n'));
          for (const w of r.warnings) print(`warning: ${w}`);
          print(describeEvaluation(await kb.afterImport()));
        },
        undefined,
        ALERTS_ONLY,
      );
    });

  reg
    .command('remove <kind> <id>')
    .description('remove a user-entered record (kind: measure, agreement, project)')
    .addOption(dbOption())
    .action(async (kind: string, id: string, o) => {
      if (!(kind in KIND_SECTIONS)) throw new InvalidArgumentError(`kind must be measure, agreement or project, not "${kind}"`);
      await withKb(
        o,
        async (kb) => {
          if (!(await kb.store.removeRegistryRecord(kind as RegistryKind, id, USER_REGISTRY_SOURCE_ID)))
            throw new InvalidArgumentError(
              `no user-entered ${kind} "${id}" (imported records cannot be removed; add a user record with the same id to override one)`,
            );
          print(`removed ${kind} ${id}`);
          print(describeEvaluation(await kb.afterImport()));
        },
        undefined,
        ALERTS_ONLY,
      );
    });

  reg
    .command('stress <measureId>')
    .description('run the stress test a trade measure implies (its country removed at the stage it controls)')
    .option('-m, --material <name>', 'material of the measure to stress (default: the first with supply data)', materialArg)
    .option('-y, --year <year>', 'year (default: latest historical year listing the country)', (v) => Number(v))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'yaml']).default('table'))
    .addOption(dbOption())
    .action(async (measureId: string, o) => {
      await withKb(
        o,
        async (kb) => {
          const m = kb.index.data.registry?.measures.find((x) => x.id === measureId);
          if (!m) throw new InvalidArgumentError(`no measure "${measureId}" (chokepoint registry list measures)`);
          const built = scenarioForMeasure(kb.index, m, { materialId: o.material, year: o.year });
          if (!built.scenario) throw new InvalidArgumentError(built.notes.join('; '));
          if (o.format === 'yaml') {
            const { scenarioToYaml } = await import('../scenario/load.ts');
            print(scenarioToYaml(built.scenario));
            return;
          }
          // The trade flows of the stressed material only, read once the measure named it.
          const index = kb.index.withTrade(await kb.store.readTradeTable([built.scenario.material]));
          const report = runScenario(index, built.scenario);
          if (o.format === 'json') return print(JSON.stringify({ measureId, scenario: built.scenario, notes: built.notes, report }, null, 2));
          print(`From measure ${m.id}: ${m.title}`);
          for (const n of built.notes) print(`  note: ${n}`);
          print(renderStressReport(report));
        },
        { trade: false },
      );
    });

  program
    .command('timeline')
    .description('dated export controls, other trade measures and agreements, oldest first')
    .option('-m, --material <name>', 'concerning this material (groups included)', materialArg)
    .option('--country <iso3>', 'imposing country or party', upper)
    .option('--from <date>', 'from this date (YYYY, YYYY-MM or YYYY-MM-DD)')
    .option('--to <date>', 'up to this date')
    .option('--general', 'with a material: include frameworks that name no mineral')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      await withKb(
        o,
        (kb) => {
          const events = timeline(kb.index, { materialId: o.material, countryId: o.country, from: o.from, to: o.to }, !!o.general);
          if (o.format === 'table' && !events.length)
            return print(`no dated measures or agreements${o.material ? ` concerning ${o.material}` : ''}${o.country ? ` for ${countryName(o.country)}` : ''}`);
          print(o.format === 'csv' ? csvText(timelineTable(events)) : output(o.format, events, timelineColumns, events));
          if (o.format === 'table' && o.material) print(`\nrun a measure as a stress test: chokepoint registry stress <record>`);
        },
        NO_OBSERVATIONS,
      );
    });

  const alerts = program.command('alerts').description('early warning: alerts raised by your rules (evaluated after every import)');
  alerts
    .option('--all', 'include alerts whose condition no longer holds')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      await withKb(
        o,
        async (kb) => {
          // as the API reads them: measure alerts re-read against the measure's dates today
          const all = await alertsOnDate(kb.store, kb.index, new Date().toISOString().slice(0, 10));
          const rows = o.all ? all : all.filter((a) => a.active);
          if (o.format === 'table') {
            if (!rows.length) return print('no alerts (chokepoint alerts rules lists the rules; chokepoint alerts evaluate re-runs them)');
            print(renderTable(rows, alertColumns));
            print(`\n${rows.length} alert(s); details: chokepoint alerts -f json`);
          } else print(o.format === 'csv' ? csvText(alertsTable(rows, sourceLookup(kb.index))) : JSON.stringify(rows, null, 2));
        },
        NO_OBSERVATIONS,
      );
    });
  alerts
    .command('rules')
    .description('list the alert rules')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      await withKb(
        o,
        async (kb) => {
          const rules = await listRules(kb.store);
          print(
            output(o.format, rules, [
              { header: 'id', value: (r) => r.id, align: 'left' },
              { header: 'kind', value: (r) => r.rule?.kind ?? 'invalid', align: 'left' },
              { header: 'name', value: (r) => r.rule?.name ?? r.error, align: 'left' },
              { header: 'materials', value: (r) => (r.rule?.materials.length ? r.rule.materials.join(' ') : 'all'), align: 'left' },
            ]),
          );
        },
        NO_OBSERVATIONS,
      );
    });
  alerts
    .command('add-rule <file>')
    .description('add or replace a rule from a YAML/JSON file, e.g. {id: ga-watch, kind: new_measure, materials: [gallium]}; then evaluate')
    .addOption(dbOption())
    .action(async (file: string, o) => {
      const { data } = readDoc(file);
      const r = AlertRuleSchema.safeParse(data);
      if (!r.success) throw new InvalidArgumentError(`${file}: ${r.error.issues[0].path.join('.') || 'rule'}: ${r.error.issues[0].message}`);
      for (const m of r.data.materials) materialArg(m);
      await withKb(
        o,
        async (kb) => {
          await kb.store.putAlertRule(r.data.id, r.data);
          print(`rule ${r.data.id} saved`);
          print(describeEvaluation(await evaluateAlerts(kb.store, kb.index)));
        },
        undefined,
        ALERTS_ONLY,
      );
    });
  alerts
    .command('remove-rule <id>')
    .description('delete a rule and its alerts')
    .addOption(dbOption())
    .action(async (id: string, o) => {
      await withKb(
        o,
        async (kb) => {
          if (!(await kb.store.deleteAlertRule(id))) throw new InvalidArgumentError(`no rule "${id}" (chokepoint alerts rules)`);
          print(`rule ${id} removed`);
        },
        NO_OBSERVATIONS,
      );
    });
  alerts
    .command('evaluate')
    .description('evaluate every rule now')
    .addOption(dbOption())
    .action(async (o) => {
      await withKb(o, async (kb) => print(describeEvaluation(await evaluateAlerts(kb.store, kb.index))), undefined, ALERTS_ONLY);
    });
}
