/** Reads the whole knowledge base out of the store into the in-memory Dataset the engine works on. */
import type { Dataset } from '../engine/dataset.ts';
import type { Basis, Governance, GroupingMember, Measure, Observation, Source, Stage, TradeFlow, ValueStatus } from '../model/schema.ts';
import type { Store } from './store.ts';
import { emptyRegistry, type Agreement, type Project, type Registry, type TradeMeasure } from '../model/registry.ts';

/** Source of records entered by the user through `chokepoint registry add` or the API. */
export const USER_REGISTRY_SOURCE_ID = 'user-registry';

export async function loadDataset(store: Store): Promise<Dataset> {
  // store.sources() adds row counts; the dataset keeps the Source record itself
  const sources = new Map((await store.sources()).map(({ observations: _o, governance: _g, groupings: _gr, tradeFlows: _t, registry: _r, ...s }) => [s.id, s as Source]));
  const obs = await store.conn.runAndReadAll(
    `select material_id, stage, measure, country_id, year, value, unit, basis, status, estimated, scenario, sector, detail, note, source_id
     from observations`,
  );
  const observations: Observation[] = obs.getRows().map((r) => ({
    materialId: r[0] as string,
    stage: r[1] as Stage,
    measure: r[2] as Measure,
    countryId: r[3] as string,
    year: Number(r[4]),
    value: r[5] === null ? null : Number(r[5]),
    unit: r[6] as string,
    basis: r[7] as Basis,
    status: r[8] as ValueStatus,
    estimated: Boolean(r[9]),
    scenario: (r[10] as string | null) ?? null,
    sector: (r[11] as string | null) ?? null,
    detail: (r[12] as string | null) ?? null,
    note: (r[13] as string | null) ?? null,
    sourceId: r[14] as string,
  }));
  const gov = await store.conn.runAndReadAll(
    'select country_id, year, indicator, estimate, std_err, percentile_rank, source_id from governance',
  );
  const governance: Governance[] = gov.getRows().map((r) => ({
    countryId: r[0] as string,
    year: Number(r[1]),
    indicator: r[2] as Governance['indicator'],
    estimate: Number(r[3]),
    stdErr: r[4] === null ? null : Number(r[4]),
    percentileRank: r[5] === null ? null : Number(r[5]),
    sourceId: r[6] as string,
  }));
  const grp = await store.conn.runAndReadAll('select group_id, group_name, country_id, as_of, source_id from groupings');
  const groupings: GroupingMember[] = grp.getRows().map((r) => ({
    groupId: r[0] as string,
    groupName: r[1] as string,
    countryId: r[2] as string,
    asOf: (r[3] as string | null) ?? null,
    sourceId: r[4] as string,
  }));
  const tf = await store.conn.runAndReadAll(
    'select reporter_id, partner_id, flow, material_id, hs_code, year, month, quantity_kg, value_usd, product_scope, source_id from trade_flows',
  );
  const tradeFlows: TradeFlow[] = tf.getRows().map((r) => ({
    reporterId: r[0] as string,
    partnerId: r[1] as string,
    flow: r[2] as TradeFlow['flow'],
    materialId: r[3] as string,
    hsCode: r[4] as string,
    year: Number(r[5]),
    month: r[6] === null ? null : Number(r[6]),
    quantityKg: r[7] === null ? null : Number(r[7]),
    valueUsd: r[8] === null ? null : Number(r[8]),
    productScope: (r[9] as string | null) ?? null,
    sourceId: r[10] as string,
  }));
  return { observations, sources, governance, groupings, tradeFlows, registry: await loadRegistry(store, sources) };
}

/**
 * Registry records by kind. The same id from several sources: a user-entered record (source `user-registry`)
 * overrides the imported one; otherwise the newest edition of the citing source wins.
 */
export async function loadRegistry(store: Store, sources: Map<string, Source>): Promise<Registry> {
  const rows = await store.registryRecords();
  const rank = (sourceId: string) => (sourceId === USER_REGISTRY_SOURCE_ID ? Number.MAX_SAFE_INTEGER : (sources.get(sourceId)?.editionYear ?? 0));
  const pick = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    const k = `${r.kind}|${r.id}`;
    const prev = pick.get(k);
    if (!prev || rank(r.sourceId) > rank(prev.sourceId)) pick.set(k, r);
  }
  const reg = emptyRegistry();
  for (const r of pick.values()) {
    if (r.kind === 'agreement') reg.agreements.push(r.record as Agreement);
    else if (r.kind === 'measure') reg.measures.push(r.record as TradeMeasure);
    else reg.projects.push(r.record as Project);
  }
  return reg;
}
