/**
 * Shared harness for the malformed-input property tests of the importers: temp files, a seeded PRNG, random
 * truncation/byte flips, and the one property every importer must have — a run either returns a valid result
 * or throws an ImportError naming the file, never any other exception.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { mulberry32 } from '../../src/engine/criticality/common.ts';
import { KNOWN_GROUP_PARTIES } from '../../src/ingest/registry.ts';
import { getCountry } from '../../src/model/countries.ts';
import { getMaterial } from '../../src/model/materials.ts';
import { AgreementSchema, TradeMeasureSchema } from '../../src/model/registry.ts';
import {
  GovernanceSchema,
  GroupingMemberSchema,
  ImportError,
  ObservationSchema,
  SourceSchema,
  TradeFlowSchema,
  PricePointSchema,
  type ImportBatch,
} from '../../src/model/schema.ts';

/** A file or folder of the small source excerpts committed under test/fixtures (each folder's PROVENANCE.md says what was cut). */
export const fixturePath = (rel: string) => fileURLToPath(new URL(`../fixtures/${rel}`, import.meta.url));

const made: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chokepoint-ingest-'));
  made.push(dir);
  return dir;
}

/** For afterAll: remove the temp folders this test file made. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function writeTemp(dir: string, name: string, content: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Seeded PRNG so a failing mutation can be replayed: the engine's mulberry32. */
export const rng = mulberry32;

const PLAUSIBLE = new TextEncoder().encode('0123456789.-+eE%<>,;"\'{}[]: \n\r\tabcxyz');

/** Truncate at a random offset, or overwrite 1-8 random bytes with random bytes or with characters that keep the text plausible. */
export function mutate(bytes: Uint8Array, rand: () => number): Uint8Array {
  // copies via the constructor: Buffer#slice would share memory and corrupt the caller's original
  if (rand() < 0.25) return new Uint8Array(bytes.subarray(0, Math.floor(rand() * bytes.length)));
  const plausible = rand() < 0.6;
  const out = new Uint8Array(bytes);
  const flips = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < flips; i++) {
    out[Math.floor(rand() * out.length)] = plausible ? PLAUSIBLE[Math.floor(rand() * PLAUSIBLE.length)] : Math.floor(rand() * 256);
  }
  return out;
}

/** Structural mutation of parsed JSON: delete a random key or replace a random value with one of the wrong type. */
export function mutateJson(value: unknown, rand: () => number): unknown {
  const copy = structuredClone(value);
  const slots: Array<[Record<string, unknown>, string]> = [];
  (function walk(v: unknown) {
    if (v && typeof v === 'object')
      for (const k of Object.keys(v)) {
        slots.push([v as Record<string, unknown>, k]);
        walk((v as Record<string, unknown>)[k]);
      }
  })(copy);
  const [parent, key] = slots[Math.floor(rand() * slots.length)];
  const replacements = [undefined, null, '12.5', -1, 0, 1e308 * 10, [], {}, true, { 2030: 'x' }];
  const r = replacements[Math.floor(rand() * replacements.length)];
  if (r === undefined) delete parent[key];
  else parent[key] = r;
  return copy;
}

export const BINARY_JUNK = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);

/** Every number anywhere in the value is finite (zod already checks records; this covers helper outputs too). */
export function expectNoNaN(value: unknown, path = '$'): void {
  if (typeof value === 'number') expect(Number.isFinite(value), `${path} is ${value}`).toBe(true);
  else if (Array.isArray(value)) value.forEach((v, i) => expectNoNaN(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectNoNaN(v, `${path}.${k}`);
}

export function expectValidBatch(batch: ImportBatch): void {
  for (const s of batch.sources) SourceSchema.parse(s);
  for (const o of batch.observations) ObservationSchema.parse(o);
  for (const g of batch.governance ?? []) GovernanceSchema.parse(g);
  for (const g of batch.groupings ?? []) GroupingMemberSchema.parse(g);
  for (const t of batch.tradeFlows ?? []) TradeFlowSchema.parse(t);
  for (const p of batch.prices ?? []) PricePointSchema.parse(p);
  const ids = new Set(batch.sources.map((s) => s.id));
  for (const r of [...batch.observations, ...(batch.governance ?? []), ...(batch.groupings ?? []), ...(batch.tradeFlows ?? []), ...(batch.prices ?? [])])
    expect(ids.has(r.sourceId)).toBe(true);
  expect(batch.warnings.every((w) => typeof w === 'string')).toBe(true);
  expectNoNaN(batch);
}

/**
 * Run an importer on malformed input: it must either succeed with a result that passes `validate`, or throw an
 * ImportError whose file is (inside) `file`. Returns which of the two happened.
 */
export async function expectResultOrImportError<T>(run: () => Promise<T>, file: string, validate: (r: T) => void): Promise<'ok' | ImportError> {
  let result: T;
  try {
    result = await run();
  } catch (e) {
    if (!(e instanceof ImportError)) throw new Error(`expected ImportError for ${file}, got ${(e as Error)?.name}: ${(e as Error)?.message}`, { cause: e });
    expect(e.file.startsWith(file), `ImportError names ${e.file}, expected ${file}`).toBe(true);
    expect(e.message).toContain(e.file);
    return e;
  }
  validate(result);
  return 'ok';
}

const isParty = (p: string) => KNOWN_GROUP_PARTIES.includes(p) || getCountry(p)?.kind === 'country';

/** What the store and `registry add` demand of every policy record: schema, known parties and materials, cited source, unique id. */
export function expectValidRegistryBatch(b: ImportBatch): void {
  expectValidBatch(b);
  const sources = new Set(b.sources.map((s) => s.id));
  const ids = new Set<string>();
  for (const m of b.measures ?? []) {
    TradeMeasureSchema.parse(m);
    expect(isParty(m.countryId), `${m.id} countryId ${m.countryId}`).toBe(true);
    expect(m.targets.every(isParty), `${m.id} targets`).toBe(true);
    expect(
      m.materials.every((x) => !!getMaterial(x)),
      `${m.id} materials`,
    ).toBe(true);
    expect(sources.has(m.sourceId)).toBe(true);
    expect(ids.has(m.id), `duplicate id ${m.id}`).toBe(false);
    ids.add(m.id);
  }
  for (const a of b.agreements ?? []) {
    AgreementSchema.parse(a);
    expect(a.parties.every(isParty), `${a.id} parties ${a.parties}`).toBe(true);
    expect(
      a.materials.every((x) => !!getMaterial(x)),
      `${a.id} materials`,
    ).toBe(true);
    expect(sources.has(a.sourceId)).toBe(true);
    expect(ids.has(a.id), `duplicate id ${a.id}`).toBe(false);
    ids.add(a.id);
  }
}
