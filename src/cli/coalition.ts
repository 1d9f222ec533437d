/**
 * `chokepoint coalition …` and `chokepoint country <ISO3>`: coalition share, coalition N-1, the EU CRMA tests, "what if
 * this deal delivers", middle-power roles and country profiles (src/engine/coalition/). Table, JSON or CSV output.
 *
 *   chokepoint coalition share --group MSP --stage refining --year 2024,2035 --dataset iea-cm
 *   chokepoint coalition n1 --group MSP --material rare-earths --stage refining --year 2035
 *   chokepoint coalition crma [--year 2024] [--fails]
 *   chokepoint coalition deal --country USA --material lithium --stage refining --tonnes 40000 --basis lce --group MSP --year 2030
 *   chokepoint coalition roles [--country IDN,CHN]
 *   chokepoint country IDN
 */
import { Command, Option, InvalidArgumentError } from 'commander';
import type { KnowledgeBase } from '../store/knowledge-base.ts';
import type { DatasetScope } from '../store/load.ts';
import { getMaterial } from '../model/materials.ts';
import { BASES, type Basis, type Stage } from '../model/schema.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import {
  IEA_SIX,
  coalitionN1,
  coalitionShare,
  countryProfile,
  crmaReport,
  dealImpact,
  middlePowerRoles,
  resolveCoalition,
  type CoalitionN1Result,
  type CoalitionShareRow,
  type CountryProfile,
  type CrmaReport,
  type DealResult,
  type RolesReport,
} from '../engine/coalition/index.ts';
import type { Citation } from '../model/provenance.ts';
import { coalitionN1Table, coalitionShareTable, crmaTest65Table, dealTable, rolesTable } from '../report/tables.ts';
import { csvText, output, pct, quantity, renderTable, signedPts, type Column, type OutputFormat } from './format.ts';
import { UserError, dbOption, formatOption, intArg, listArg, materialArg, materialList, numArg } from './options.ts';

const yearList = (raw: string, prev: number[] = []) => [
  ...prev,
  ...raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map(intArg),
];
function stageArg(raw: string): 'mining' | 'refining' {
  const s = raw.toLowerCase().replace('processing', 'refining').replace('extraction', 'mining');
  if (s !== 'mining' && s !== 'refining') throw new InvalidArgumentError('stage must be mining or refining (or extraction / processing)');
  return s;
}
function basisArg(raw: string): Basis {
  const b = raw.toLowerCase();
  if (!(BASES as readonly string[]).includes(b)) throw new InvalidArgumentError(`basis must be one of ${BASES.join(', ')}`);
  return b as Basis;
}

/** `scope`: what the command reads (src/store/load.ts); a fixture opener may ignore it. */
export type OpenKb = (dbPath?: string, scope?: DatasetScope) => Promise<KnowledgeBase>;
const defaultOpenKb: OpenKb = async (dbPath, scope) => {
  const { openKnowledgeBase } = await import('../store/knowledge-base.ts'); // lazy: rendering needs no store
  return openKnowledgeBase({ dbPath, scope });
};

/** What shares, CRMA tests, deals, roles and country profiles read: production, demand, groupings and the registry; no trade flow. */
const NO_TRADE: DatasetScope = { trade: false };

/** Runs `fn` on an open knowledge base (input errors reach `main()`, which prints them with their --flag). */
async function withKb<T>(openKb: OpenKb, opts: { db?: string }, fn: (index: DatasetIndex) => T | Promise<T>, scope?: DatasetScope): Promise<T> {
  const kb = await openKb(opts.db, scope);
  try {
    return await fn(kb.index);
  } finally {
    kb.close();
  }
}

/** Latest historical year with supply at a stage. */
function latestYear(index: DatasetIndex, materialId: string, stage: Stage, dataset?: string): number | null {
  const ys = index
    .years(materialId, stage)
    .filter((y) =>
      index.rows(materialId, stage, 'production', y).some((o) => o.scenario === null && (!dataset || index.source(o.sourceId).dataset === dataset)),
    );
  return ys.length ? ys[ys.length - 1] : null;
}

const yearLabel = (year: number, scenario: string | null) => `${year}${scenario === 'base' ? ' proj' : scenario ? ` ${scenario}` : ''}`;
const mat = (id: string) => getMaterial(id)?.name ?? id;

function sourcesBlock(list: Citation[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const s of list) {
    if (seen.has(s.text)) continue;
    seen.add(s.text);
    lines.push(`  - ${s.text}${s.url ? ` <${s.url}>` : ''}`);
  }
  return lines.length ? `SOURCES\n${lines.join('\n')}` : '';
}
const listBlock = (title: string, items: string[]) => (items.length ? `${title}\n${[...new Set(items)].map((x) => `  - ${x}`).join('\n')}` : '');

// ---------------------------------------------------------------------------------------------------------------
// Renderers (exported for tests and reports)
// ---------------------------------------------------------------------------------------------------------------

export const shareColumns: Column<CoalitionShareRow>[] = [
  { header: 'material', value: (r) => r.material, align: 'left' },
  { header: 'stage', value: (r) => r.stage, align: 'left' },
  { header: 'year', value: (r) => yearLabel(r.year, r.scenario) },
  { header: 'inside', value: (r) => pct(r.insideShare) },
  { header: 'outside', value: (r) => pct(r.outsideShare) },
  { header: 'unallocated', value: (r) => pct(r.unallocatedShare) },
  {
    header: 'members present',
    value: (r) =>
      r.membersPresent
        .filter((m) => m.share > 0)
        .slice(0, 4)
        .map((m) => `${m.countryId} ${pct(m.share)}`)
        .join(', ') || '—',
    align: 'left',
  },
  { header: 'largest outside', value: (r) => (r.largestOutside ? `${r.largestOutside.countryId} ${pct(r.largestOutside.share)}` : '—'), align: 'left' },
  { header: 'source', value: (r) => r.source.sourceId, align: 'left' },
];

export function renderShareTable(rows: CoalitionShareRow[], label: string, notes: string[]): string {
  const out = [`Supply inside ${label}: share of each stage's supply (inside / outside / not attributed to a named country)`, renderTable(rows, shareColumns)];
  out.push(
    '\ninside = Σ member shares; unallocated = "other countries" / "rest of world" (never counted as inside or outside; the inside share can be up to inside + unallocated).',
  );
  const n = listBlock('NOTES', notes);
  if (n) out.push(n);
  const gaps = rows.flatMap((r) => r.gaps.filter((g) => !/not attributed/.test(g)).map((g) => `${r.material} ${r.stage} ${r.year}: ${g}`));
  const g = listBlock('GAPS', gaps);
  if (g) out.push(g);
  out.push(sourcesBlock([...rows.map((r) => r.source)]));
  return out.filter(Boolean).join('\n');
}

export function renderN1(rs: CoalitionN1Result[]): string {
  const out: string[] = [];
  const first = rs[0];
  out.push(`Coalition N-1 for ${first.coalition.label}: what is left if (a) the largest outside supplier, (b) every non-member stops exporting`);
  out.push(
    renderTable(rs, [
      { header: 'material', value: (r) => r.material, align: 'left' },
      { header: 'stage', value: (r) => r.stage, align: 'left' },
      { header: 'year', value: (r) => yearLabel(r.year, r.supply.scenario) },
      { header: 'members', value: (r) => pct(r.supply.memberShare) },
      { header: 'unalloc.', value: (r) => pct(r.supply.residualShare) },
      { header: '(a) removed', value: (r) => (r.largestOutside ? `${r.largestOutside.countryId} ${pct(r.largestOutside.share)}` : '—'), align: 'left' },
      { header: '(a) remaining', value: (r) => pct(r.largestOutside?.remainingSupplyShare) },
      { header: '(a) vs demand', value: (r) => pct(r.largestOutside?.coverageWorldRatio) },
      { header: '(b) self-suff. vs demand', value: (r) => pct(r.allOutside?.selfSufficiencyWorldDemand) },
      { header: '(b) incl. unalloc.', value: (r) => pct(r.allOutside?.coverageWithResidualWorldDemand) },
      {
        header: '(b) vs member use',
        value: (r) =>
          r.allOutside?.selfSufficiencyMemberConsumption === null || r.allOutside === null ? 'gap' : pct(r.allOutside.selfSufficiencyMemberConsumption),
      },
      {
        header: 'demand',
        value: (r) =>
          r.demand ? `${quantity(r.demand.tonnes, r.supply.unit)}${r.demand.scenario ? ` ${r.demand.scenario}` : ''}${r.demand.proxy ? ' PROXY' : ''}` : '—',
      },
    ]),
  );
  out.push('\n(a) remaining = world supply left without the largest non-member supplier (share of supply, and ÷ world demand, as `chokepoint stress`).');
  out.push(
    '(b) self-sufficiency = member supply ÷ world demand (unattributed supply lost too); "incl. unalloc." keeps the unattributed residual; "vs member use" needs every member\'s consumption.',
  );
  out.push(
    listBlock(
      'ASSUMPTIONS',
      rs.flatMap((r) => r.assumptions),
    ),
  );
  out.push(
    listBlock(
      'GAPS',
      rs.flatMap((r) => r.gaps.map((g) => `${r.material} ${r.year}: ${g}`)),
    ),
  );
  out.push(sourcesBlock(rs.flatMap((r) => r.sources)));
  return out.filter(Boolean).join('\n');
}

export function renderCrma(r: CrmaReport, opts: { failsOnly?: boolean; benchmarks?: boolean } = {}): string {
  const out: string[] = [];
  out.push(`EU Critical Raw Materials Act — ${r.regulation.regulation}`);
  out.push(`65% TEST — ${r.regulation.article65}`);
  const rows = opts.failsOnly ? r.test65.filter((x) => x.status !== 'pass') : r.test65;
  out.push(
    renderTable(rows, [
      { header: 'result', value: (x) => x.status.toUpperCase(), align: 'left' },
      { header: 'SRM', value: (x) => `(${x.annexItem}) ${x.material}`, align: 'left' },
      { header: 'stage', value: (x) => x.stageLabel, align: 'left' },
      { header: 'basis', value: (x) => (x.basis === 'eu_sourcing' ? 'EU sourcing' : 'global supply'), align: 'left' },
      { header: 'data', value: (x) => `${x.dataset} ${yearLabel(x.year, x.scenario)}`, align: 'left' },
      {
        header: 'top third country',
        value: (x) => (x.topThirdCountry ? `${x.topThirdCountry.countryId} ${pct(x.topThirdCountry.share)}` : '—'),
        align: 'left',
      },
      { header: 'EU27', value: (x) => pct(x.eu27Share) },
      { header: 'unalloc.', value: (x) => pct(x.inputs.unallocatedShare) },
    ]),
  );
  out.push(`\n${r.flags.length} failing cells (top third country > 65%); "global supply" rows are a proxy (world shares, not the EU's own sourcing).`);
  if (opts.benchmarks !== false) {
    out.push(`\n2030 BENCHMARKS — ${r.regulation.articleBenchmarks}`);
    out.push(
      renderTable(r.benchmarks, [
        { header: 'SRM', value: (x) => `(${x.annexItem}) ${x.material}`, align: 'left' },
        { header: 'benchmark', value: (x) => `${x.benchmark} ≥ ${pct(x.target, 0)}`, align: 'left' },
        {
          header: 'proxies',
          value: (x) =>
            x.proxies
              .map(
                (p) =>
                  `${p.proxy === 'eu27_share_of_global_production' ? `EU27/world ${p.dataset}` : p.proxy === 'eu27_share_of_eu_sourcing' ? 'EU27/EU sourcing' : 'EoL-RIR 2020'} ${pct(p.value)}`,
              )
              .join('; ') || '—',
          align: 'left',
        },
        { header: 'status', value: (x) => x.status.replace(/_/g, ' '), align: 'left' },
      ]),
    );
    out.push(
      '\nEU27/world = lower bound of EU capacity ÷ EU consumption (meets → benchmark met; below → inconclusive). EU27/EU sourcing and EoL-RIR = approximations. EU consumption and capacity are not in the knowledge base.',
    );
  }
  out.push(listBlock('NOTES', [...r.notes, ...r.strategicRawMaterials.filter((s) => s.caveat).map((s) => `(${s.annexItem}) ${s.name}: ${s.caveat}`)]));
  out.push(listBlock('GAPS', r.gaps));
  out.push(sourcesBlock([{ sourceId: 'reg-2024-1252', text: r.regulation.regulation, url: r.regulation.url } as Citation, ...r.sources]));
  return out.filter(Boolean).join('\n');
}

export function renderDeal(d: DealResult): string {
  const out: string[] = [];
  const p = d.project;
  out.push(
    `What if ${p.name} delivers: +${quantity(p.addedTonnes, d.series.unit)} ${d.series.basis} ${p.material.toLowerCase()} ${p.stage} in ${p.country} (${p.countryId}), ${yearLabel(d.year, d.series.scenario)}`,
  );
  if (p.conversion.source)
    out.push(`  ${p.capacityTonnesPerYear.toLocaleString('en-US')} t ${p.conversion.from} × ${p.conversion.factor} → ${p.conversion.to}`);
  if (p.partners.length)
    out.push(`  partners: ${p.partners.map((x) => `${x.partnerId} ${x.role}${x.amountUsd ? ` ($${(x.amountUsd / 1e6).toFixed(0)}m)` : ''}`).join('; ')}`);
  const rows: Array<{ metric: string; before: string | null; after: string | null; change: string | null }> = [
    { metric: `${p.countryId} share`, before: pct(d.before.countryShare), after: pct(d.after.countryShare), change: signedPts(d.change.countryShare) },
    {
      metric: 'top supplier share',
      before: d.before.top ? `${d.before.top.countryId} ${pct(d.before.top.share)}` : null,
      after: d.after.top ? `${d.after.top.countryId} ${pct(d.after.top.share)}` : null,
      change: signedPts(d.change.topShare),
    },
    {
      metric: 'HHI (0-10,000)',
      before: String(d.before.hhiPoints),
      after: String(d.after.hhiPoints),
      change: `${d.after.hhiPoints - d.before.hhiPoints >= 0 ? '+' : ''}${d.after.hhiPoints - d.before.hhiPoints}`,
    },
  ];
  if (d.coalition)
    rows.push({
      metric: `${d.coalition.id} share`,
      before: pct(d.before.coalitionShare),
      after: pct(d.after.coalitionShare),
      change: signedPts(d.change.coalitionShare),
    });
  rows.push({
    metric: `N-1 without ${d.before.n1Largest?.countryId ?? '—'} (÷ demand)`,
    before: pct(d.before.n1Largest?.coverageWorldRatio ?? d.before.n1Largest?.remainingSupplyShare),
    after: pct(d.after.n1Largest?.coverageWorldRatio ?? d.after.n1Largest?.remainingSupplyShare),
    change: signedPts(d.change.coverageWithoutLargest),
  });
  if (d.before.n1Excluded?.countryId !== d.before.n1Largest?.countryId)
    rows.push({
      metric: `without ${d.before.n1Excluded?.countryId} (÷ demand)`,
      before: pct(d.before.n1Excluded?.coverageWorldRatio ?? d.before.n1Excluded?.remainingSupplyShare),
      after: pct(d.after.n1Excluded?.coverageWorldRatio ?? d.after.n1Excluded?.remainingSupplyShare),
      change: signedPts(d.change.coverageWithoutExcluded),
    });
  rows.push({
    metric: 'world supply',
    before: quantity(d.before.totalTonnes, d.series.unit),
    after: quantity(d.after.totalTonnes, d.series.unit),
    change: null,
  });
  out.push(
    renderTable(rows, [
      { header: 'metric', value: (x) => x.metric, align: 'left' },
      { header: 'before', value: (x) => x.before },
      { header: 'after', value: (x) => x.after },
      { header: 'change', value: (x) => x.change },
    ]),
  );
  if (d.demand)
    out.push(
      `Demand: ${quantity(d.demand.tonnes, d.series.unit)}${d.demand.scenario ? ` (${d.demand.scenario})` : ''}${d.demand.scope ? `, ${d.demand.scope}` : ''}`,
    );
  out.push(listBlock('ASSUMPTIONS', d.assumptions));
  out.push(listBlock('GAPS', d.gaps));
  out.push(sourcesBlock(d.sources));
  return out.filter(Boolean).join('\n');
}

export function renderRoles(r: RolesReport, detailed: boolean): string {
  const out: string[] = [];
  out.push('Middle-power roles derived from the data (rules below; thresholds are parameters)');
  if (!detailed) {
    out.push(
      renderTable(r.countries, [
        { header: 'country', value: (c) => `${c.countryId} ${c.country}`, align: 'left' },
        { header: 'roles', value: (c) => c.roles.map((x) => x.role.replace(/_/g, ' ')).join(', ') || '—', align: 'left' },
        {
          header: 'main evidence',
          value: (c) =>
            c.roles
              .map((x) => x.evidence.find((e) => e.materialId)?.text ?? x.evidence[0]?.text ?? '')
              .filter(Boolean)
              .join(' | ')
              .slice(0, 160),
          align: 'left',
        },
      ]),
    );
  } else {
    for (const c of r.countries) {
      out.push(`\n${c.countryId} ${c.country}: ${c.roles.map((x) => x.role.replace(/_/g, ' ')).join(', ') || 'no role under these rules'}`);
      for (const role of c.roles) {
        out.push(`  ${role.role.replace(/_/g, ' ').toUpperCase()} — rule: ${role.rule}`);
        for (const e of role.evidence.slice(0, 12)) out.push(`    - ${e.text}${e.sourceIds.length ? ` [${e.sourceIds.join(', ')}]` : ''}`);
        if (role.evidence.length > 12) out.push(`    … ${role.evidence.length - 12} more (--format json for all)`);
      }
    }
  }
  out.push('\nRULES');
  for (const [k, v] of Object.entries(r.rules)) out.push(`  - ${k.replace(/_/g, ' ')}: ${v}`);
  out.push(listBlock('GAPS', r.gaps));
  out.push(sourcesBlock(r.sources));
  return out.filter(Boolean).join('\n');
}

export function renderCountry(p: CountryProfile): string {
  const out: string[] = [];
  out.push(`${p.country} (${p.countryId})${p.region ? ` — ${p.subregion ?? p.region}` : ''}`);
  out.push(`Memberships: ${p.memberships.map((m) => m.groupId).join(', ') || 'none in the knowledge base'}`);
  out.push(`Roles: ${p.roles.map((r) => r.role.replace(/_/g, ' ')).join(', ') || 'none under the default rules'}`);
  out.push('\nPRODUCTION SHARES (latest historical year)');
  out.push(
    p.production.length
      ? renderTable(p.production.slice(0, 25), [
          { header: 'material', value: (x) => x.material, align: 'left' },
          { header: 'stage', value: (x) => x.stage, align: 'left' },
          { header: 'year', value: (x) => String(x.year) },
          { header: 'output', value: (x) => quantity(x.value, x.unit) },
          { header: 'basis', value: (x) => x.basis, align: 'left' },
          { header: 'world share', value: (x) => pct(x.share) },
          { header: 'rank', value: (x) => `${x.rank}/${x.producers}` },
          { header: 'source', value: (x) => x.sourceId, align: 'left' },
        ])
      : '  none',
  );
  if (p.production.length > 25) out.push(`  … ${p.production.length - 25} more (--format json)`);
  if (p.projections.length) {
    out.push('\nIEA PROJECTIONS (base case)');
    out.push(
      renderTable(p.projections, [
        { header: 'material', value: (x) => x.material, align: 'left' },
        { header: 'stage', value: (x) => x.stage, align: 'left' },
        { header: 'year', value: (x) => String(x.year) },
        { header: 'world share', value: (x) => pct(x.share) },
        { header: 'rank', value: (x) => x.rank },
      ]),
    );
  }
  for (const role of p.roles) {
    out.push(`\n${role.role.replace(/_/g, ' ').toUpperCase()} — rule: ${role.rule}`);
    for (const e of role.evidence.slice(0, 10)) out.push(`  - ${e.text}`);
    if (role.evidence.length > 10) out.push(`  … ${role.evidence.length - 10} more`);
  }
  if (p.agreements.length) {
    out.push('\nAGREEMENTS');
    for (const a of p.agreements) out.push(`  - ${a.signed ?? '—'} ${a.title} (${a.type}; ${a.parties.join(', ')}${a.via !== 'party' ? `; ${a.via}` : ''})`);
  }
  if (p.measures.length) {
    out.push('\nTRADE MEASURES');
    for (const m of p.measures)
      out.push(
        `  - ${m.effective ?? m.announced ?? '—'} ${m.title} (${m.countryId} ${m.measureType}, ${m.relation}${m.suspended ? `; suspended ${m.suspended}` : ''})`,
      );
  }
  if (p.projects.length) {
    out.push('\nPROJECTS');
    for (const x of p.projects)
      out.push(
        `  - ${x.name} (${x.materials.join(', ')}, ${x.stage}, ${x.status}${x.capacityTonnesPerYear ? `, ${x.capacityTonnesPerYear.toLocaleString('en-US')} t/y ${x.basis}` : ''}; ${x.relation})`,
      );
  }
  out.push(listBlock('\nGAPS', p.gaps));
  out.push(sourcesBlock(p.sources));
  return out.filter(Boolean).join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------------------------------

export function registerCoalitionCommands(
  program: Command,
  openKb: OpenKb = defaultOpenKb,
  print: (s: string) => void = (s) => process.stdout.write(s + '\n'),
): void {
  const coalition = program
    .command('coalition')
    .description('coalitions and minerals diplomacy: supply share inside a grouping, coalition N-1, EU CRMA tests, deal what-ifs, middle-power roles');

  coalition
    .command('share')
    .description("share of a stage's supply inside a grouping (MSP, G7, EU27, …) or a list of ISO3 codes, outside it, and unattributed")
    .requiredOption('-g, --group <group>', 'grouping id (MSP, G7, EU27, OECD, IPEF_CMD, BRICS_GP, SCMA, ERGI, CMMI), ISO3 code or list AUS+CAN+CHL')
    .option('-s, --stage <stage>', 'mining | refining', stageArg, 'refining')
    .option('-y, --year <years>', 'year(s), comma-separated (default: latest historical per material); IEA projections 2030, 2035, 2040', yearList)
    .option('-m, --material <names>', 'materials, comma-separated (default: every material with data; --iea for the six IEA minerals)', materialList)
    .option('--iea', 'the six IEA minerals (copper, lithium, nickel, cobalt, graphite, rare earths) from the IEA dataset')
    .option('-d, --dataset <dataset>', 'dataset: usgs-mcs | iea-cm | eu-crm (EU CRM share tables, with --detail)')
    .option('--scenario <s>', 'supply scenario for projections (IEA: base)')
    .addOption(
      new Option('--detail <detail>', 'EU CRM share table: global or eu_sourcing (implies --dataset eu-crm, year 2023)').choices(['global', 'eu_sourcing']),
    )
    .option('--expand-eu', 'count all EU27 member states when the grouping lists the EU itself (MSP does)')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      await withKb(
        openKb,
        o,
        (index) => {
          const c = resolveCoalition(index, o.group, { expandEu: !!o.expandEu });
          const measure = o.detail ? 'supply_share' : 'production';
          const dataset = o.detail ? 'eu-crm' : o.iea ? 'iea-cm' : o.dataset;
          const materials: string[] =
            o.material ??
            (o.iea
              ? [...IEA_SIX]
              : o.detail
                ? [
                    ...new Set(
                      index.data.observations
                        .filter((x) => x.measure === 'supply_share' && x.detail === o.detail && x.stage === o.stage)
                        .map((x) => x.materialId),
                    ),
                  ].sort()
                : [...index.materials].sort());
          const rows: CoalitionShareRow[] = [];
          const missing: string[] = [];
          for (const m of materials) {
            const years: number[] = o.year ?? (o.detail ? [2023] : [latestYear(index, m, o.stage, dataset)].filter((y): y is number => y !== null));
            for (const y of years) {
              const r = coalitionShare(index, { materialId: m, stage: o.stage, year: y, dataset, scenario: o.scenario, members: c, measure, detail: o.detail });
              if (r) rows.push(r);
              else if (o.material || o.iea) missing.push(`${mat(m)} ${o.stage} ${y}`);
            }
          }
          if (!rows.length)
            throw new UserError(
              `no ${o.stage} data by country for ${o.material ? materials.map(mat).join(', ') : 'any material'}${o.year ? ` in ${o.year.join(', ')}` : ''}${dataset ? ` (${dataset})` : ''}`,
            );
          const format = o.format as OutputFormat;
          if (format === 'json') return print(JSON.stringify({ coalition: c, rows, missing }, null, 2));
          if (format === 'csv') return print(csvText(coalitionShareTable(rows, c, o.stage)));
          print(renderShareTable(rows, c.label, [...c.notes, ...(missing.length ? [`No data for: ${missing.join('; ')}`] : [])]));
        },
        NO_TRADE,
      );
    });

  coalition
    .command('n1')
    .description('coalition N-1: supply left if the largest outside supplier, or every non-member, stops exporting (self-sufficiency)')
    .requiredOption('-g, --group <group>', 'grouping id, ISO3 code or list AUS+CAN+CHL')
    .option('-m, --material <names>', 'materials, comma-separated (default: the six IEA minerals)', materialList)
    .option('-s, --stage <stage>', 'mining | refining', stageArg, 'refining')
    .option('-y, --year <year>', 'year (default 2035: IEA projection)', intArg, 2035)
    .option('-d, --dataset <dataset>', "supply dataset (default: the stress engine's choice)")
    .option('--demand-scenario <s>', 'IEA demand scenario: STEPS | APS | NZE', 'STEPS')
    .option('--expand-eu', 'count all EU27 member states when the grouping lists the EU itself')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      const materials: string[] = o.material ?? [...IEA_SIX];
      await withKb(
        openKb,
        o,
        (index) => {
          const c = resolveCoalition(index, o.group, { expandEu: !!o.expandEu });
          const rs = materials.map((m) =>
            coalitionN1(index, { materialId: m, stage: o.stage, year: o.year, members: c, dataset: o.dataset, demandScenario: o.demandScenario }),
          );
          const format = o.format as OutputFormat;
          if (format === 'json') return print(JSON.stringify(rs, null, 2));
          if (format === 'csv') return print(csvText(coalitionN1Table(rs, c.id, o.year)));
          print(renderN1(rs));
        },
        { trade: materials },
      );
    });

  coalition
    .command('crma')
    .description('EU Critical Raw Materials Act (Reg. (EU) 2024/1252, Art. 5(1)): 65% single-third-country test and 2030 benchmarks, on the data we hold')
    .option('-y, --year <year>', 'as-of year for USGS / IEA tables (default: latest historical; 2030/2035/2040 use IEA projections)', intArg)
    .option('-m, --material <names>', 'only these strategic raw materials', materialList)
    .option('--fails', 'list only the cells that fail (or cannot be decided)')
    .option('--no-benchmarks', 'leave out the 2030 benchmark table')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      await withKb(
        openKb,
        o,
        (index) => {
          const r = crmaReport(index, { year: o.year, materials: o.material });
          const format = o.format as OutputFormat;
          if (format === 'json') return print(JSON.stringify(r, null, 2));
          if (format === 'csv') return print(csvText(crmaTest65Table(o.fails ? r.test65.filter((x) => x.status !== 'pass') : r.test65, o.year)));
          print(renderCrma(r, { failsOnly: !!o.fails, benchmarks: o.benchmarks }));
        },
        NO_TRADE,
      );
    });

  coalition
    .command('deal')
    .description("what if this deal delivers: add a project's capacity and compare top-supplier share, HHI, coalition share and N-1 coverage")
    .option('--project <id>', 'registry project id')
    .option('-c, --country <iso3>', 'ad-hoc project: host country')
    .option('-m, --material <name>', 'ad-hoc project material (or which material of a multi-material registry project)', materialArg)
    .option('-s, --stage <stage>', 'ad-hoc project stage: mining | refining', stageArg)
    .option('-t, --tonnes <t>', 'ad-hoc capacity, tonnes per year', numArg)
    .option('--basis <basis>', "basis of the tonnes, e.g. lce, contained (default: the series' basis)", basisArg)
    .option('-g, --group <group>', 'coalition whose share is reported (e.g. MSP)')
    .option('-y, --year <year>', 'year the capacity is added to (e.g. 2030)', intArg)
    .option('-x, --exclude <iso3>', 'country whose removal is tested before and after', 'CHN')
    .option('--utilisation <u>', 'share of nameplate capacity delivered (0..1]', numArg)
    .option('-d, --dataset <dataset>', 'supply dataset (default: IEA where IEA demand exists for the year)')
    .option('--demand-scenario <s>', 'IEA demand scenario: STEPS | APS | NZE', 'STEPS')
    .option('--expand-eu', 'count all EU27 member states when the grouping lists the EU itself')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      if (!o.project && !(o.country && o.material && o.stage && o.tonnes !== undefined))
        throw new UserError('give --project <id>, or --country, --material, --stage and --tonnes for an ad-hoc project');
      await withKb(
        openKb,
        o,
        (index) => {
          const year = o.year ?? (o.project ? null : latestYear(index, o.material, o.stage));
          if (!year) throw new UserError('give --year');
          const d = dealImpact(index, {
            project: o.project ?? { countryId: o.country, materialId: o.material, stage: o.stage, tonnesPerYear: o.tonnes, basis: o.basis },
            materialId: o.project ? o.material : undefined,
            year,
            members: o.group,
            exclude: o.exclude,
            utilisation: o.utilisation,
            dataset: o.dataset,
            demandScenario: o.demandScenario,
            expandEu: !!o.expandEu,
          });
          const format = o.format as OutputFormat;
          if (format === 'json') return print(JSON.stringify(d, null, 2));
          if (format === 'csv') return print(csvText(dealTable(d)));
          print(renderDeal(d));
        },
        NO_TRADE,
      );
    });

  coalition
    .command('roles')
    .description('middle-power roles (producer anchor, processing hub, value-capture climber, corridor convener) with the rule and the evidence')
    .option('-c, --country <list>', 'only these countries (ISO3, comma-separated); prints every piece of evidence', listArg)
    .option('-m, --material <names>', 'only these materials', materialList)
    .option('--role <role>', 'only countries with this role: producer_anchor | processing_hub | value_capture_climber | corridor_convener')
    .option('--all-materials', 'assess every material with supply data (default: the EU 2023, USGS 2022 and IEA critical lists)')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (o) => {
      await withKb(
        openKb,
        o,
        (index) => {
          const r = middlePowerRoles(index, { countries: o.country, materials: o.material, scope: o.allMaterials ? 'all' : 'critical' });
          if (o.role) r.countries = r.countries.filter((c) => c.roles.some((x) => x.role === o.role));
          const format = o.format as OutputFormat;
          if (format === 'json') return print(JSON.stringify(r, null, 2));
          if (format === 'csv') return print(csvText(rolesTable(r)));
          print(renderRoles(r, !!o.country));
        },
        NO_TRADE,
      );
    });

  program
    .command('country <iso3>')
    .description('country profile: production shares by material and stage, memberships, agreements, measures, projects, middle-power roles')
    .addOption(formatOption())
    .addOption(dbOption())
    .action(async (iso3: string, o) => {
      await withKb(
        openKb,
        o,
        (index) => {
          const p = countryProfile(index, iso3);
          const format = o.format as OutputFormat;
          if (format === 'json') return print(JSON.stringify(p, null, 2));
          if (format === 'csv') {
            return print(
              output(
                'csv',
                p.production,
                ['materialId', 'stage', 'year', 'value', 'unit', 'basis', 'share', 'rank', 'producers', 'source'].map((k) => ({
                  header: k,
                  value: (r: (typeof p.production)[number]) => r[k as keyof typeof r] as string | number | null,
                })),
              ),
            );
          }
          print(renderCountry(p));
        },
        NO_TRADE,
      );
    });
}
