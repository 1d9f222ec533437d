/**
 * Importer registry and runner: which importer reads which format, how a folder of public files maps to
 * importers (`discover`), and the one code path that turns a file into an atomic store write (`importPath`).
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  GOVERNANCE_RANGES,
  GovernanceSchema,
  GroupingMemberSchema,
  ImportError,
  ObservationSchema,
  PricePointSchema,
  PRICE_RANGE,
  observationRange,
  SourceSchema,
  TRADE_FLOW_RANGES,
  TradeFlowSchema,
  type Governance,
  type ImportBatch,
  type Observation,
  type PlausibleRange,
  type TradeFlow,
} from '../model/schema.ts';
import { assertReadableInput, maxImportBytes, maxStreamedImportBytes, recordOrigin } from './kit.ts';
import type { ImportSummary, LastImport } from '../store/store.ts';
import { createHash } from 'node:crypto';
import type { StoreApi } from '../store/gate.ts';
import { importBundle } from './bundle.ts';
import { importRegistry } from './registry.ts';
import { AgreementSchema, ProjectSchema, TradeMeasureSchema } from '../model/registry.ts';

export interface ImporterDef {
  kind: string;
  description: string;
  run: (path: string) => Promise<ImportBatch>;
  /**
   * Set for kinds the store reads itself (DuckDB's CSV reader: BACI): `importPath` hands the file to the store instead
   * of `run`, and the size limit is maxStreamedImportBytes (memory does not grow with the file).
   */
  streamed?: (store: StoreApi, path: string, contentHash: string, opts: { replace?: boolean }) => Promise<ImportSummary>;
}

// The importers of public formats load on first use: every command would otherwise build their schemas at start.
const usgsWorld = (p: string) => import('./usgs/world.ts').then((m) => m.importUsgsWorld(p));
const usgsSalient = (p: string) => import('./usgs/salient.ts').then((m) => m.importUsgsSalient(p));
const usgsNir = (p: string) => import('./usgs/nir.ts').then((m) => m.importUsgsNetImportReliance(p));
const iea = (p: string) => import('./iea.ts').then((m) => m.importIeaCriticalMinerals(p));
const wgi = (p: string) => import('./wgi.ts').then((m) => m.importWgi(p));
const euCrm = (p: string) => import('./eu-crm.ts').then((m) => m.importEuCrm2023(p));
const groupings = (p: string) => import('./groupings.ts').then((m) => m.importGroupings(p));
const comtrade = (p: string) => import('./comtrade.ts').then((m) => m.importComtrade(p));
const consumption = (p: string) => import('./consumption.ts').then((m) => m.importConsumption(p));
const chinaExports = (p: string) => import('./china-exports.ts').then((m) => m.importChinaExports(p));
const ieaPolicies = (p: string) => import('./policy/iea-policies.ts').then((m) => m.importIeaPolicies(p));
const gta = (p: string) => import('./policy/gta.ts').then((m) => m.importGtaInterventions(p));
const apri = (p: string) => import('./policy/apri.ts').then((m) => m.importApriPartnerships(p));

export const IMPORTERS: ImporterDef[] = [
  {
    kind: 'usgs-world',
    description: 'USGS MCS world production/capacity/reserves (2025 one-file or 2022-2024 per-commodity CSVs; file or folder)',
    run: usgsWorld,
  },
  { kind: 'usgs-salient', description: 'USGS MCS U.S. salient statistics incl. net import reliance (file or folder)', run: usgsSalient },
  { kind: 'usgs-nir', description: 'USGS MCS industry-trends Fig. 2: net import reliance and major import sources', run: usgsNir },
  { kind: 'iea', description: 'IEA Critical Minerals Data Explorer (processed JSON): supply by country 2024-2040, demand by scenario', run: iea },
  { kind: 'wgi', description: 'World Bank Worldwide Governance Indicators, long CSV', run: wgi },
  { kind: 'eu-crm', description: 'EU CRM 2023 assessment inputs: global and EU supply shares with trade variable t (folder or file)', run: euCrm },
  { kind: 'groupings', description: 'Country groupings (EU27, G7, OECD, MSP, ...) as ISO3 membership CSV', run: groupings },
  {
    kind: 'comtrade',
    description: 'UN Comtrade API v1 CSV (bilateral trade by HS code; file or folder); not bundled: Comtrade terms restrict redistribution',
    run: comtrade,
  },
  {
    kind: 'china-exports',
    description:
      "China's monthly exports of Ga/Ge and graphite by destination and HS6 (ChinaCriticalMineralComtrade tables; folder or deep_dive_hs6_monthly.csv); not bundled",
    run: chinaExports,
  },
  {
    kind: 'consumption',
    description: "Consumption by country in Chokepoint's CSV format (country, material, year, value, unit, basis, method, source); see docs/demand.md",
    run: consumption,
  },
  {
    kind: 'registry',
    description: "Minerals-diplomacy registry in Chokepoint's JSON/YAML format: agreements, trade measures (export controls), projects",
    run: importRegistry,
  },
  {
    kind: 'iea-policies',
    description:
      'IEA Critical Minerals Policy Tracker CSV (file or folder): export controls, bans, duties as trade measures; international partnerships as agreements; not bundled: IEA terms of use (attribution; redistribution not verified)',
    run: ieaPolicies,
  },
  {
    kind: 'gta',
    description:
      'Global Trade Alert critical-minerals interventions JSON (file or folder): trade controls as trade measures; not bundled: GTA terms; verify before redistribution',
    run: gta,
  },
  {
    kind: 'apri',
    description:
      'APRI critical-raw-materials partnerships map data (folder, multiPartner.json or bilateralPartner.json) as agreements; not bundled: none stated; cite APRI; check before redistribution',
    run: apri,
  },
  { kind: 'bundle', description: "Chokepoint's own bundled, normalized dataset (folder)", run: importBundle },
  {
    kind: 'baci',
    description:
      'CEPII BACI bilateral trade CSV (t,i,j,k,v,q; HS6; numeric country codes; any year or HS revision), streamed into the store by DuckDB; not bundled: download from CEPII (Etalab Open Licence 2.0)',
    run: async (path) => {
      throw new ImportError(path, null, null, 'BACI files are read by the store (DuckDB CSV reader), not parsed in JavaScript: import them with importPath');
    },
    streamed: (store, path, hash, opts) => store.importBaci(path, hash, opts),
  },
];

export function importerFor(kind: string): ImporterDef {
  const def = IMPORTERS.find((i) => i.kind === kind);
  if (!def) throw new Error(`unknown import kind "${kind}"; known kinds: ${IMPORTERS.map((i) => i.kind).join(', ')}`);
  return def;
}

/**
 * Refuse an input before reading it: a device, FIFO or socket anywhere (reading /dev/zero never ends), a file over
 * the import limit, or a folder whose files together exceed it (kit.ts maxImportBytes, $CHOKEPOINT_IMPORT_MAX_MB).
 */
export function assertImportInput(path: string, limit = maxImportBytes()): void {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
  if (!st.isDirectory()) {
    assertReadableInput(path, limit);
    return;
  }
  let total = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else total += assertReadableInput(p, limit);
    }
  };
  walk(path);
  if (total > limit) {
    throw new ImportError(
      path,
      null,
      null,
      `folder holds ${Math.round(total / 1024 / 1024)} MB of files, over the import limit of ${Math.round(limit / 1024 / 1024)} MB; nothing read (set CHOKEPOINT_IMPORT_MAX_MB to raise the limit)`,
    );
  }
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** SHA-256 of a file read in 4 MB chunks: the same digest as hashing it whole, without holding it in memory. */
function sha256File(path: string): string {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(4 << 20);
  const fd = openSync(path, 'r');
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** Hash of a file, or of every file under a folder (names and bytes), so unchanged inputs are recognised. */
export function contentHash(path: string): string {
  const st = statSync(path);
  if (!st.isDirectory()) return sha256File(path);
  const parts: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else parts.push(`${p.slice(path.length)}:${sha256File(p)}`);
    }
  };
  walk(path);
  return sha256(parts.join('\n'));
}

/** Rows a batch writes for one source, over every table. */
function rowsBySource(batch: ImportBatch): Map<string, number> {
  const n = new Map(batch.sources.map((s) => [s.id, 0]));
  const add = (xs: Array<{ sourceId: string }> | undefined) => xs?.forEach((x) => n.set(x.sourceId, (n.get(x.sourceId) ?? 0) + 1));
  [batch.observations, batch.governance, batch.groupings, batch.tradeFlows, batch.agreements, batch.measures, batch.projects, batch.prices].forEach(add);
  return n;
}

/**
 * An import replaces the rows of its sources. A header-only or truncated file would silently wipe a source (usgs-world
 * once lost 3,153 rows to a header-only file, exit 0): an import that writes no rows at all, or less than half of the
 * rows its source holds now, is refused unless the user says --replace.
 */
async function refuseSharpDrop(store: StoreApi, batch: ImportBatch): Promise<void> {
  const counts = rowsBySource(batch);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (total === 0)
    throw new ImportError(
      batch.file,
      null,
      null,
      'the file holds no data rows (only a header?); nothing imported. To empty its source on purpose, import it with --replace',
    );
  const held = new Map((await store.sources()).map((s) => [s.id, s.observations + s.governance + s.groupings + s.tradeFlows + s.registry + s.prices]));
  for (const [id, now] of counts) {
    const before = held.get(id) ?? 0;
    if (before >= 20 && now < before / 2) {
      throw new ImportError(
        batch.file,
        null,
        null,
        `would replace the ${before.toLocaleString('en-US')} rows of source "${id}" with ${now.toLocaleString('en-US')} (a drop of ${Math.round(100 * (1 - now / before))}%): a truncated or partial file? Nothing imported. If the smaller file is right, import it with --replace`,
      );
    }
  }
}

/** Where a record came from, for messages: its file and line when the importer recorded them, else the batch's file. */
function origin(batch: ImportBatch, record: object): { file: string; line: number | null } {
  return recordOrigin(record) ?? { file: batch.file, line: null };
}

const describeOrigin = (o: { file: string; line: number | null }, batch: ImportBatch) =>
  o.line !== null ? `${o.file === batch.file ? '' : `${o.file}:`}line ${o.line}` : 'no line recorded';

/** A number outside its plausible range: an ImportError naming file, line, record and field. */
function checkRange(batch: ImportBatch, record: object, label: string, field: string, value: number | null, range: PlausibleRange): void {
  if (value === null || (value >= range.min && value <= range.max)) return;
  const o = origin(batch, record);
  throw new ImportError(
    o.file,
    o.line,
    `${label} ${field}`,
    `${value} is outside the plausible range ${range.min}..${range.max} (${range.why}); nothing imported`,
  );
}

/**
 * Two records with the same key in one batch would be summed or double-counted downstream (a duplicated USGS row took
 * cobalt from 290,000 t to 580,000 t): an error naming both rows. The real inputs have none (checked on ../shared/data).
 */
function checkUnique<T extends object>(batch: ImportBatch, what: string, rows: readonly T[], key: (r: T) => string, label: (r: T) => string): void {
  const first = new Map<string, number>();
  rows.forEach((r, i) => {
    const k = key(r);
    const j = first.get(k);
    if (j === undefined) {
      first.set(k, i);
      return;
    }
    const o = origin(batch, r);
    const p = origin(batch, rows[j]);
    throw new ImportError(
      o.file,
      o.line,
      `${what} #${i + 1} (${label(r)})`,
      `duplicate of ${what} #${j + 1} (${describeOrigin(p, batch)}): same ${what} key twice in one import; nothing imported`,
    );
  });
}

const obsLabel = (o: Observation) =>
  `${o.materialId} ${o.stage} ${o.measure} ${o.countryId} ${o.year}${o.scenario ? ` ${o.scenario}` : ''}${o.sector ? ` ${o.sector}` : ''}`;
const obsKey = (o: Observation) =>
  [o.materialId, o.stage, o.measure, o.countryId, o.year, o.unit, o.basis, o.scenario, o.sector, o.detail, o.sourceId].join('\u0000');
const govLabel = (g: Governance) => `${g.countryId} ${g.indicator} ${g.year}`;
const tradeLabel = (t: TradeFlow) =>
  `${t.reporterId} ${t.flow} ${t.partnerId} ${t.materialId} HS ${t.hsCode} ${t.year}${t.month ? `-${String(t.month).padStart(2, '0')}` : ''}`;

/**
 * Validate a batch as a whole before it touches the store: every record against its schema and its plausible range
 * (src/model/schema.ts), no key twice, every cited source present.
 */
export function validateBatch(batch: ImportBatch): void {
  const ids = new Set<string>();
  for (const s of batch.sources) {
    const r = SourceSchema.safeParse(s);
    if (!r.success) throw new ImportError(batch.file, null, `source ${s.id}`, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    ids.add(s.id);
  }
  batch.observations.forEach((o, i) => {
    const r = ObservationSchema.safeParse(o);
    const at = origin(batch, o);
    if (!r.success) throw new ImportError(at.file, at.line, `observation #${i + 1} ${r.error.issues[0].path.join('.')}`, r.error.issues[0].message);
    if (!ids.has(o.sourceId)) throw new ImportError(at.file, at.line, `observation #${i + 1} sourceId`, `cites source "${o.sourceId}" not in this import`);
    const range = observationRange(o.measure, o.unit);
    if (!range)
      throw new ImportError(
        at.file,
        at.line,
        `observation #${i + 1} (${obsLabel(o)}) unit`,
        `no plausible range is stated for unit "${o.unit}" (${o.measure}); add one in src/model/schema.ts`,
      );
    checkRange(batch, o, `observation #${i + 1} (${obsLabel(o)})`, 'value', o.value, range);
  });
  checkUnique(batch, 'observation', batch.observations, obsKey, obsLabel);
  (batch.governance ?? []).forEach((g, i) => {
    const r = GovernanceSchema.safeParse(g);
    const at = origin(batch, g);
    if (!r.success) throw new ImportError(at.file, at.line, `governance #${i + 1} ${r.error.issues[0].path.join('.')}`, r.error.issues[0].message);
    if (!ids.has(g.sourceId)) throw new ImportError(at.file, at.line, `governance #${i + 1} sourceId`, `cites source "${g.sourceId}" not in this import`);
    for (const field of ['estimate', 'stdErr', 'percentileRank', 'year'] as const)
      checkRange(batch, g, `governance #${i + 1} (${govLabel(g)})`, field, g[field], GOVERNANCE_RANGES[field]);
  });
  checkUnique(batch, 'governance', batch.governance ?? [], (g) => [g.countryId, g.year, g.indicator, g.sourceId].join('\u0000'), govLabel);
  (batch.groupings ?? []).forEach((g, i) => {
    const r = GroupingMemberSchema.safeParse(g);
    const at = origin(batch, g);
    if (!r.success) throw new ImportError(at.file, at.line, `grouping #${i + 1} ${r.error.issues[0].path.join('.')}`, r.error.issues[0].message);
    if (!ids.has(g.sourceId)) throw new ImportError(at.file, at.line, `grouping #${i + 1} sourceId`, `cites source "${g.sourceId}" not in this import`);
  });
  checkUnique(
    batch,
    'grouping',
    batch.groupings ?? [],
    (g) => [g.groupId, g.countryId, g.sourceId].join('\u0000'),
    (g) => `${g.groupId} ${g.countryId}`,
  );
  (batch.tradeFlows ?? []).forEach((t, i) => {
    const r = TradeFlowSchema.safeParse(t);
    const at = origin(batch, t);
    if (!r.success) throw new ImportError(at.file, at.line, `trade flow #${i + 1} ${r.error.issues[0].path.join('.')}`, r.error.issues[0].message);
    if (!ids.has(t.sourceId)) throw new ImportError(at.file, at.line, `trade flow #${i + 1} sourceId`, `cites source "${t.sourceId}" not in this import`);
    for (const field of ['quantityKg', 'valueUsd'] as const)
      checkRange(batch, t, `trade flow #${i + 1} (${tradeLabel(t)})`, field, t[field], TRADE_FLOW_RANGES[field]);
  });
  checkUnique(
    batch,
    'trade flow',
    batch.tradeFlows ?? [],
    (t) => [t.reporterId, t.partnerId, t.flow, t.materialId, t.hsCode, t.year, t.month, t.sourceId].join('\u0000'),
    tradeLabel,
  );
  (batch.prices ?? []).forEach((p, i) => {
    const r = PricePointSchema.safeParse(p);
    const at = origin(batch, p);
    if (!r.success) throw new ImportError(at.file, at.line, `price #${i + 1} ${r.error.issues[0].path.join('.')}`, r.error.issues[0].message);
    if (!ids.has(p.sourceId)) throw new ImportError(at.file, at.line, `price #${i + 1} sourceId`, `cites source "${p.sourceId}" not in this import`);
    const label = `price #${i + 1} (${p.materialId} ${p.series} ${p.year})`;
    checkRange(batch, p, label, 'usdPerTonne', p.usdPerTonne, PRICE_RANGE);
    for (const field of ['value', 'low', 'high'] as const)
      checkRange(batch, p, label, field, p[field], { min: 0, max: PRICE_RANGE.max, why: 'a price is not negative' });
  });
  checkUnique(
    batch,
    'price',
    batch.prices ?? [],
    (p) => [p.materialId, p.series, p.year, p.sourceId].join('\u0000'),
    (p) => `${p.materialId} ${p.series} ${p.year}`,
  );
  const registry: Array<
    [
      string,
      { safeParse: (x: unknown) => { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } },
      Array<{ id: string; sourceId: string }>,
    ]
  > = [
    ['agreement', AgreementSchema, batch.agreements ?? []],
    ['measure', TradeMeasureSchema, batch.measures ?? []],
    ['project', ProjectSchema, batch.projects ?? []],
  ];
  for (const [what, schema, rows] of registry) {
    const seen = new Set<string>();
    rows.forEach((x, i) => {
      const r = schema.safeParse(x);
      if (!r.success) throw new ImportError(batch.file, null, `${what} #${i + 1} (${x.id}) ${r.error!.issues[0].path.join('.')}`, r.error!.issues[0].message);
      if (!ids.has(x.sourceId))
        throw new ImportError(batch.file, null, `${what} #${i + 1} (${x.id}) sourceId`, `cites source "${x.sourceId}" not in this import`);
      if (seen.has(x.id)) throw new ImportError(batch.file, null, `${what} #${i + 1} id`, `duplicate ${what} id "${x.id}"`);
      seen.add(x.id);
    });
  }
}

/** What an import that found its content already in the store reports: the rows its last import wrote, nothing new. */
export function unchangedImport(kind: string, file: string, last: LastImport): ImportSummary {
  return {
    kind,
    file,
    sourceIds: last.sourceIds,
    observations: last.observations,
    governance: 0,
    groupings: 0,
    tradeFlows: 0,
    registry: 0,
    prices: 0,
    unchanged: true,
    warnings: [],
  };
}

/**
 * Import one file or folder of a known kind into the store: validated, atomic, idempotent. The content hash is
 * compared before the file is parsed, so an unchanged input (the bundle at every start) costs one hash, not a parse.
 */
export async function importPath(store: StoreApi, kind: string, path: string, opts: { replace?: boolean } = {}): Promise<ImportSummary> {
  const def = importerFor(kind);
  assertImportInput(path, def.streamed ? maxStreamedImportBytes() : maxImportBytes());
  let hash: string;
  try {
    hash = contentHash(path);
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
  const last = await store.lastImport(kind, path);
  if (last && last.sha256 === hash && !last.superseded) return unchangedImport(kind, path, last);
  if (def.streamed) return def.streamed(store, path, hash, opts);
  const batch = await def.run(path);
  validateBatch(batch);
  if (!opts.replace) await refuseSharpDrop(store, batch);
  return store.applyBatch(batch, hash);
}

export interface Discovered {
  kind: string;
  path: string;
}

/**
 * Map a folder laid out like ../shared/data to importer runs. Returns what will be imported and what is known
 * but has no importer yet, so `data build` can say both.
 */
export function discover(root: string): { runs: Discovered[]; skipped: string[] } {
  const runs: Discovered[] = [];
  const skipped: string[] = [];
  const exists = (p: string) => {
    try {
      statSync(p);
      return true;
    } catch {
      return false;
    }
  };
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!statSync(dir).isDirectory()) continue;
    if (/^usgs-mcs-\d{4}/.test(name)) {
      const sub = (s: string) => join(dir, s);
      if (exists(sub('world'))) {
        runs.push({ kind: 'usgs-world', path: sub('world') });
        runs.push({ kind: 'usgs-salient', path: sub('salient') });
        const trends = sub('industry-trends');
        if (exists(trends)) {
          const fig2 = readdirSync(trends).find((f) => /Fig2_Net_Import_Reliance\.csv$/i.test(f));
          if (fig2) runs.push({ kind: 'usgs-nir', path: join(trends, fig2) });
        }
      } else {
        // 2022 subset: world and salient files side by side
        runs.push({ kind: 'usgs-world', path: dir });
        runs.push({ kind: 'usgs-salient', path: dir });
      }
    } else if (name === 'iea-critical-minerals') {
      for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) runs.push({ kind: 'iea', path: join(dir, f) });
    } else if (name === 'wb-wgi') {
      for (const f of readdirSync(dir).filter((f) => f.endsWith('.csv'))) runs.push({ kind: 'wgi', path: join(dir, f) });
    } else if (name === 'eu-crm-2023') {
      runs.push({ kind: 'eu-crm', path: dir });
    } else if (name === 'trade-comtrade-cmm-sample') {
      runs.push({ kind: 'comtrade', path: dir });
    } else if (name === 'trade-china-cm-exports') {
      runs.push({ kind: 'china-exports', path: dir });
    } else if (name === 'iea-cm-policies') {
      runs.push({ kind: 'iea-policies', path: dir });
    } else if (name === 'gta-cm-interventions') {
      runs.push({ kind: 'gta', path: dir });
    } else if (name === 'apri-cm-partnerships') {
      runs.push({ kind: 'apri', path: dir });
    } else if (name === 'country-groupings') {
      runs.push({ kind: 'groupings', path: join(dir, 'country_groupings.csv') });
    } else {
      skipped.push(basename(dir));
    }
  }
  return { runs, skipped };
}
