/**
 * The coalition tables (src/engine/coalition/): share inside a grouping, coalition N-1, the CRMA 65 % test, a deal's
 * before/after and middle-power roles. One definition each for `chokepoint coalition … --format csv`, the API's
 * format=csv|xlsx and the dashboard's downloads.
 */
import type { CoalitionN1Result, CoalitionShareRow, Crma65Row, DealResult, RolesReport } from '../../engine/coalition/index.ts';
import { fileStem, flatTable, type DataTable, type Field } from './define.ts';

const SHARE_FIELDS: Field<CoalitionShareRow>[] = [
  { key: 'coalition', value: (r) => r.coalition.id },
  { key: 'material', value: (r) => r.materialId },
  { key: 'stage', value: (r) => r.stage },
  { key: 'year', value: (r) => r.year },
  { key: 'scenario', value: (r) => r.scenario },
  { key: 'dataset', value: (r) => r.dataset },
  { key: 'measure', value: (r) => r.measure },
  { key: 'detail', value: (r) => r.detail },
  { key: 'inside_share', kind: 'share', value: (r) => r.insideShare },
  { key: 'outside_share', kind: 'share', value: (r) => r.outsideShare },
  { key: 'unallocated_share', kind: 'share', value: (r) => r.unallocatedShare },
  { key: 'inside_share_max', kind: 'share', value: (r) => r.insideShareRange[1] },
  { key: 'members_present', value: (r) => r.membersPresent.map((c) => `${c.countryId}:${c.share.toFixed(4)}`).join(' ') },
  { key: 'largest_outside', value: (r) => r.largestOutside?.countryId ?? null },
  { key: 'largest_outside_share', kind: 'share', value: (r) => r.largestOutside?.share ?? null },
  { key: 'total', kind: 'number', value: (r) => r.totalValue },
  { key: 'unit', value: (r) => r.unit },
  { key: 'basis', value: (r) => r.basis },
  { key: 'gaps', value: (r) => r.gaps.join(' | ') },
  { key: 'source', value: (r) => r.source.text },
];

/** Share of a stage's supply inside a grouping, outside it and unattributed: one row per material and year. */
export function coalitionShareTable(rows: CoalitionShareRow[], coalition: { id: string; label?: string }, stage: string): DataTable {
  return flatTable(
    {
      id: `coalition-share-${fileStem(coalition.id)}-${stage}`,
      title: `Share of ${stage} supply inside ${coalition.label ?? coalition.id}`,
      sources: rows.map((r) => r.source),
      notes: ['inside + outside + unallocated = 1; members_present lists member:share with 4 decimals.'],
    },
    SHARE_FIELDS,
    rows,
  );
}

const N1_FIELDS: Field<CoalitionN1Result>[] = [
  { key: 'coalition', value: (r) => r.coalition.id },
  { key: 'material', value: (r) => r.materialId },
  { key: 'stage', value: (r) => r.stage },
  { key: 'year', value: (r) => r.year },
  { key: 'member_share', kind: 'share', value: (r) => r.supply.memberShare },
  { key: 'unallocated_share', kind: 'share', value: (r) => r.supply.residualShare },
  { key: 'largest_outside', value: (r) => r.largestOutside?.countryId ?? null },
  { key: 'largest_outside_share', kind: 'share', value: (r) => r.largestOutside?.share ?? null },
  { key: 'a_remaining_share', kind: 'share', value: (r) => r.largestOutside?.remainingSupplyShare ?? null },
  { key: 'a_coverage_world_demand', kind: 'share', value: (r) => r.largestOutside?.coverageWorldRatio ?? null },
  { key: 'b_self_sufficiency_world_demand', kind: 'share', value: (r) => r.allOutside?.selfSufficiencyWorldDemand ?? null },
  { key: 'b_with_unallocated_world_demand', kind: 'share', value: (r) => r.allOutside?.coverageWithResidualWorldDemand ?? null },
  { key: 'b_self_sufficiency_member_consumption', kind: 'share', value: (r) => r.allOutside?.selfSufficiencyMemberConsumption ?? null },
  { key: 'demand_tonnes', kind: 'number', value: (r) => r.demand?.tonnes ?? null },
  { key: 'demand_proxy', value: (r) => r.demand?.proxy ?? null },
  { key: 'source', value: (r) => r.supply.source.text },
];

/** Coalition N-1: (a) without the largest outside supplier, (b) without every non-member; one row per material. */
export function coalitionN1Table(results: CoalitionN1Result[], coalitionId: string, year: number): DataTable {
  return flatTable(
    {
      id: `coalition-n1-${fileStem(coalitionId)}-${year}`,
      title: `Coalition N-1 for ${coalitionId}, ${year}`,
      sources: results.map((r) => r.supply.source),
      notes: ['(a) supply left without the largest outside supplier; (b) without every non-member, against world demand and member consumption.'],
    },
    N1_FIELDS,
    results,
  );
}

/**
 * The CRMA 65 % test, one row per strategic raw material, stage, basis and dataset. `inputs` lists country:share with
 * 4 decimals (the CLI wrote 3, the API 4: 4 won, so shares under 0.05 % do not print as 0.000).
 */
const CRMA_FIELDS: Field<Crma65Row>[] = [
  { key: 'status', value: (x) => x.status },
  { key: 'annex_item', value: (x) => x.annexItem },
  { key: 'srm', value: (x) => x.srm },
  { key: 'material', value: (x) => x.materialId },
  { key: 'stage', value: (x) => x.stageLabel },
  { key: 'basis', value: (x) => x.basis },
  { key: 'dataset', value: (x) => x.dataset },
  { key: 'year', value: (x) => x.year },
  { key: 'scenario', value: (x) => x.scenario },
  { key: 'top_third_country', value: (x) => x.topThirdCountry?.countryId ?? null },
  { key: 'top_third_share', kind: 'share', value: (x) => x.topThirdCountry?.share ?? null },
  { key: 'eu27_share', kind: 'share', value: (x) => x.eu27Share },
  { key: 'unallocated_share', kind: 'share', value: (x) => x.inputs.unallocatedShare },
  { key: 'inputs', value: (x) => x.inputs.shares.map((s) => `${s.countryId}:${s.share.toFixed(4)}`).join(' ') },
  { key: 'reason', value: (x) => x.reason },
  { key: 'source', value: (x) => x.source.text },
];

export function crmaTest65Table(rows: Crma65Row[], year: number | undefined): DataTable {
  return flatTable(
    {
      id: `crma-65-${year ?? 'latest'}`,
      title: 'EU CRMA Art. 5(1): no more than 65 % from a single third country',
      sources: rows.map((r) => r.source),
      notes: ['inputs: country:share of the stage, 4 decimals; status pass | fail | indeterminate, with the reason.'],
    },
    CRMA_FIELDS,
    rows,
  );
}

type DealMetric = { metric: string; before: number | null; after: number | null; source: string };

/**
 * A deal's before/after metrics. The CLI's copy named the excluded-country row `coverage_without_excluded` and had no
 * source column; the API's named the country (`coverage_without_CHN`) and cited each row: the API's won (a figure
 * keeps its source, and the row says which country was removed).
 */
export function dealTable(d: DealResult): DataTable {
  const src = d.series.source.text;
  const withDemand = `${src}; demand: ${d.demand?.source.text ?? 'none'}`;
  const metrics: DealMetric[] = [
    { metric: 'country_share', before: d.before.countryShare, after: d.after.countryShare, source: src },
    { metric: 'top_share', before: d.before.top?.share ?? null, after: d.after.top?.share ?? null, source: src },
    { metric: 'hhi', before: d.before.hhi, after: d.after.hhi, source: src },
    { metric: 'coalition_share', before: d.before.coalitionShare, after: d.after.coalitionShare, source: src },
    {
      metric: 'coverage_without_largest',
      before: d.before.n1Largest?.coverageWorldRatio ?? null,
      after: d.after.n1Largest?.coverageWorldRatio ?? null,
      source: withDemand,
    },
    {
      metric: `coverage_without_${d.before.n1Excluded?.countryId}`,
      before: d.before.n1Excluded?.coverageWorldRatio ?? null,
      after: d.after.n1Excluded?.coverageWorldRatio ?? null,
      source: withDemand,
    },
    { metric: 'total_tonnes', before: d.before.totalTonnes, after: d.after.totalTonnes, source: src },
  ];
  return flatTable(
    {
      id: `deal-${d.project.countryId}-${d.project.materialId}-${d.year}`,
      title: `What if this deal delivers: ${d.project.countryId} ${d.project.materialId} ${d.year}`,
      sources: [d.series.source, ...(d.demand ? [d.demand.source] : [])],
      notes: ['shares and coverage are fractions; hhi on the 0-1 scale; total_tonnes of the series basis.'],
    },
    [
      { key: 'metric', value: (m) => m.metric },
      { key: 'before', kind: 'number', value: (m) => m.before },
      { key: 'after', kind: 'number', value: (m) => m.after },
      { key: 'source', value: (m) => m.source },
    ],
    metrics,
  );
}

type RoleLine = { country: string; role: string; e: RolesReport['countries'][number]['roles'][number]['evidence'][number] };

/** Middle-power roles: one row per piece of evidence (country, role, material, year, share, text, source ids). */
export function rolesTable(r: RolesReport): DataTable {
  const lines: RoleLine[] = r.countries.flatMap((c) => c.roles.flatMap((role) => role.evidence.map((e) => ({ country: c.countryId, role: role.role, e }))));
  return flatTable(
    {
      id: 'coalition-roles',
      title: 'Middle-power roles, with the evidence for each',
      sources: r.sources,
      notes: Object.entries(r.rules).map(([role, rule]) => `${role}: ${rule}`),
    },
    [
      { key: 'country', value: (x) => x.country },
      { key: 'role', value: (x) => x.role },
      { key: 'material', value: (x) => x.e.materialId ?? null },
      { key: 'year', value: (x) => x.e.year ?? null },
      { key: 'share', kind: 'share', value: (x) => x.e.share ?? x.e.refiningShare ?? null },
      { key: 'evidence', value: (x) => x.e.text },
      { key: 'sources', value: (x) => x.e.sourceIds.join(' ') },
    ],
    lines,
  );
}
