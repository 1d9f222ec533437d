/**
 * Importer registry and runner: which importer reads which format, how a folder of public files maps to
 * importers (`discover`), and the one code path that turns a file into an atomic store write (`importPath`).
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ImportError, SourceSchema, type ImportBatch } from '../model/schema.ts';
import { assertReadableInput, maxImportBytes, maxStreamedImportBytes, maxWholeImportBytes, REGISTRY_MAX_BYTES } from './kit.ts';
import type { ImportSummary, LastImport } from '../store/store.ts';
import { createHash } from 'node:crypto';
import type { StoreApi } from '../store/gate.ts';
import { importBundle } from './bundle.ts';
import { AgreementSchema, ProjectSchema, TradeMeasureSchema } from '../model/registry.ts';
import { duplicateError, originOf, RECORD_CHECKS, UNIQUE_KEYS } from './checks.ts';
import { collectBatch, importStreamed, refuseSharpDropOf, type StreamImporter } from './stream.ts';

export interface ImporterDef {
  kind: string;
  description: string;
  run: (path: string) => Promise<ImportBatch>;
  /**
   * Set for kinds the store reads itself (DuckDB's CSV reader: BACI): `importPath` hands the file to the store instead
   * of `run`, and the size limit is maxStreamedImportBytes (memory does not grow with the file).
   */
  streamed?: (store: StoreApi, path: string, contentHash: string, opts: { replace?: boolean }) => Promise<ImportSummary>;
  /**
   * Set for kinds whose importer reads row by row (stream.ts): `importPath` checks each record as it is read and stages
   * it in the store in batches, so the heap never holds the file or its records; `run` collects the same records.
   */
  stream?: () => Promise<StreamImporter>;
}

// The importers of public formats load on first use: every command would otherwise build their schemas at start.
const usgsWorld = (p: string) => import('./usgs/world.ts').then((m) => m.importUsgsWorld(p));
const usgsSalient = (p: string) => import('./usgs/salient.ts').then((m) => m.importUsgsSalient(p));
const usgsNir = (p: string) => import('./usgs/nir.ts').then((m) => m.importUsgsNetImportReliance(p));
const iea = (p: string) => import('./iea.ts').then((m) => m.importIeaCriticalMinerals(p));
const wgiStream = () => import('./wgi.ts').then((m) => m.streamWgi);
const wgi = async (p: string) => collectBatch('wgi', p, await wgiStream());
const euCrm = (p: string) => import('./eu-crm.ts').then((m) => m.importEuCrm2023(p));
const groupings = (p: string) => import('./groupings.ts').then((m) => m.importGroupings(p));
const comtradeStream = () => import('./comtrade.ts').then((m) => m.streamComtrade);
const comtrade = async (p: string) => collectBatch('comtrade', p, await comtradeStream());
const consumptionStream = () => import('./consumption.ts').then((m) => m.streamConsumption);
const consumption = async (p: string) => collectBatch('consumption', p, await consumptionStream());
const chinaExportsStream = () => import('./china-exports.ts').then((m) => m.streamChinaExports);
const chinaExports = async (p: string) => collectBatch('china-exports', p, await chinaExportsStream());
const registry = (p: string) => import('./registry.ts').then((m) => m.importRegistry(p));
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
  { kind: 'wgi', description: 'World Bank Worldwide Governance Indicators, long CSV', run: wgi, stream: wgiStream },
  { kind: 'eu-crm', description: 'EU CRM 2023 assessment inputs: global and EU supply shares with trade variable t (folder or file)', run: euCrm },
  { kind: 'groupings', description: 'Country groupings (EU27, G7, OECD, MSP, ...) as ISO3 membership CSV', run: groupings },
  {
    kind: 'comtrade',
    description: 'UN Comtrade API v1 CSV (bilateral trade by HS code; file or folder); not bundled: Comtrade terms restrict redistribution',
    run: comtrade,
    stream: comtradeStream,
  },
  {
    kind: 'china-exports',
    description:
      "China's monthly exports of Ga/Ge and graphite by destination and HS6 (ChinaCriticalMineralComtrade tables; folder or deep_dive_hs6_monthly.csv); not bundled",
    run: chinaExports,
    stream: chinaExportsStream,
  },
  {
    kind: 'consumption',
    description: "Consumption by country in Chokepoint's CSV format (country, material, year, value, unit, basis, method, source); see docs/demand.md",
    run: consumption,
    stream: consumptionStream,
  },
  {
    kind: 'registry',
    description: "Minerals-diplomacy registry in Chokepoint's JSON/YAML format: agreements, trade measures (export controls), projects",
    run: registry,
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
 * The size limit of a kind's input, and the setting that raises it. Memory decides it: kinds the store reads itself
 * (BACI) are limited by the disk; row-by-row kinds hold one chunk and per-key state, their limit bounds DuckDB's
 * staging copy; kinds read whole hold ~12x the file (the registry's YAML tree ~38x), so their limit bounds their memory.
 */
export function importLimitOf(kind: string): { bytes: number; setting: string } {
  const def = importerFor(kind);
  if (def.streamed) return { bytes: maxStreamedImportBytes(), setting: 'CHOKEPOINT_STREAM_IMPORT_MAX_MB' };
  if (def.stream) return { bytes: maxImportBytes(), setting: 'CHOKEPOINT_IMPORT_MAX_MB' };
  // The bundle is our own tables (5.9 MB today), read whole at ~12x: it grows with the dataset, so the larger limit.
  if (kind === 'bundle') return { bytes: maxImportBytes(), setting: 'CHOKEPOINT_IMPORT_MAX_MB' };
  if (kind === 'registry')
    return { bytes: Math.min(REGISTRY_MAX_BYTES, maxWholeImportBytes()), setting: 'a registry file is hand-written; split a larger one' };
  return { bytes: maxWholeImportBytes(), setting: 'CHOKEPOINT_WHOLE_IMPORT_MAX_MB' };
}

/**
 * Refuse an input before reading it: a device, FIFO or socket anywhere (reading /dev/zero never ends), a file over
 * the import limit, or a folder whose files together exceed it (`importLimitOf`).
 */
export function assertImportInput(path: string, limit = maxImportBytes(), setting = 'CHOKEPOINT_IMPORT_MAX_MB'): void {
  const note = setting.startsWith('CHOKEPOINT_') ? `set ${setting} to raise the limit` : setting;
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
  if (!st.isDirectory()) {
    assertReadableInput(path, limit, note);
    return;
  }
  let total = 0;
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else total += assertReadableInput(p, limit, note);
    }
  };
  walk(path);
  if (total > limit) {
    throw new ImportError(
      path,
      null,
      null,
      `folder holds ${Math.round(total / 1024 / 1024)} MB of files, over the import limit of ${Math.round(limit / 1024 / 1024)} MB; nothing read (${note})`,
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
  const held = new Map((await store.sources()).map((s) => [s.id, s.observations + s.governance + s.groupings + s.tradeFlows + s.registry + s.prices]));
  refuseSharpDropOf(batch.file, rowsBySource(batch), held);
}

/**
 * Two records with the same key in one batch would be summed or double-counted downstream (a duplicated USGS row took
 * cobalt from 290,000 t to 580,000 t): an error naming both rows. The real inputs have none (checked on ../shared/data).
 */
function checkUnique<T extends object>(batch: ImportBatch, table: keyof typeof UNIQUE_KEYS, rows: readonly T[]): void {
  const { what, fields, label } = UNIQUE_KEYS[table];
  const first = new Map<string, number>();
  rows.forEach((r, i) => {
    const k = fields.map((f) => (r as Record<string, unknown>)[f]).join('\u0000');
    const j = first.get(k);
    if (j === undefined) {
      first.set(k, i);
      return;
    }
    throw duplicateError(batch.file, what, (label as (x: T) => string)(r), i, originOf(batch.file, r), j, originOf(batch.file, rows[j]));
  });
}

/**
 * Validate a batch as a whole before it touches the store: every record against its schema and its plausible range
 * (src/model/schema.ts, checks.ts), no key twice, every cited source present.
 */
export function validateBatch(batch: ImportBatch): void {
  const ids = new Set<string>();
  for (const s of batch.sources) {
    const r = SourceSchema.safeParse(s);
    if (!r.success) throw new ImportError(batch.file, null, `source ${s.id}`, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    ids.add(s.id);
  }
  const f = batch.file;
  batch.observations.forEach((o, i) => RECORD_CHECKS.observation(f, o, i, ids));
  checkUnique(batch, 'observations', batch.observations);
  (batch.governance ?? []).forEach((g, i) => RECORD_CHECKS.governance(f, g, i, ids));
  checkUnique(batch, 'governance', batch.governance ?? []);
  (batch.groupings ?? []).forEach((g, i) => RECORD_CHECKS.grouping(f, g, i, ids));
  checkUnique(batch, 'groupings', batch.groupings ?? []);
  (batch.tradeFlows ?? []).forEach((t, i) => RECORD_CHECKS.tradeFlow(f, t, i, ids));
  checkUnique(batch, 'trade_flows', batch.tradeFlows ?? []);
  (batch.prices ?? []).forEach((p, i) => RECORD_CHECKS.price(f, p, i, ids));
  checkUnique(batch, 'prices', batch.prices ?? []);
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
  const limit = importLimitOf(kind);
  assertImportInput(path, limit.bytes, limit.setting);
  let hash: string;
  try {
    hash = contentHash(path);
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
  const last = await store.lastImport(kind, path);
  if (last && last.sha256 === hash && !last.superseded) return unchangedImport(kind, path, last);
  if (def.streamed) return def.streamed(store, path, hash, opts);
  if (def.stream) return importStreamed(store, kind, path, hash, await def.stream(), opts);
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
