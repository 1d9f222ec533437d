/**
 * Synthetic data for the scale benchmark (bench/scale.ts). Nothing here is a figure anyone should read: it exists to
 * measure how the product's costs grow with the size of its inputs.
 *
 * - `scaledDataset(base, f)`: the bundled dataset with every material copied f times (copy k of cobalt is the material
 *   "cobalt-x<k>", same rows, same sources), so materials and observations grow together by f.
 * - `syntheticImports(n)`: n distinct import flows (reporter ← partner, HS code, year) over the real country list and
 *   the HS codes of HS_MATERIALS, deterministic (seeded), quantities log-uniform.
 * - `writeBaciCsv(path, n)`: n rows in CEPII BACI's layout (t,i,j,k,v,q; numeric country codes; HS6 without leading
 *   zeros as BACI writes them), streamed to disk so 10M rows never sit in memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { COUNTRIES } from '../src/model/countries.ts';
import { HS_MATERIALS } from '../src/ingest/comtrade.ts';
import type { Dataset } from '../src/engine/dataset.ts';
import type { Observation, TradeFlow } from '../src/model/schema.ts';

/** mulberry32: small, fast, seeded; the same seed gives the same data on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const copyId = (materialId: string, k: number): string => (k === 0 ? materialId : `${materialId}-x${k}`);

export function scaledDataset(base: Dataset, factor: number): Dataset {
  if (factor === 1) return base;
  const observations: Observation[] = new Array(base.observations.length * factor);
  let i = 0;
  for (let k = 0; k < factor; k++) for (const o of base.observations) observations[i++] = k === 0 ? o : { ...o, materialId: copyId(o.materialId, k) };
  return { ...base, observations };
}

/** Countries with an M49 code (what BACI and Comtrade files use), in a fixed order. */
export function m49Countries(): Array<{ id: string; m49: string }> {
  return COUNTRIES.filter((c) => c.kind === 'country' && c.m49)
    .map((c) => ({ id: c.id, m49: c.m49! }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** 6-digit HS codes of HS_MATERIALS (4-digit headings padded with "00"; China's 8-digit lines left out). */
export function mappedHs6(): string[] {
  return [
    ...new Set(
      Object.keys(HS_MATERIALS)
        .map((k) => (k.length === 4 ? `${k}00` : k))
        .filter((k) => k.length === 6),
    ),
  ].sort();
}

/** n distinct import rows: every (year, HS code, reporter, partner) combination in turn, deterministic quantities. */
export function syntheticImports(n: number, opts: { years?: number[]; seed?: number; sourceId?: string } = {}): TradeFlow[] {
  const countries = m49Countries().map((c) => c.id);
  const codes = Object.keys(HS_MATERIALS).filter((k) => k.length <= 6);
  const years = opts.years ?? [2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016, 2015, 2014];
  const rnd = prng(opts.seed ?? 7);
  const out: TradeFlow[] = [];
  for (const year of years)
    for (const hsCode of codes)
      for (const reporterId of countries)
        for (const partnerId of countries) {
          if (reporterId === partnerId) continue;
          if (out.length >= n) return out;
          const materialId = HS_MATERIALS[hsCode].materials[0];
          out.push({
            reporterId,
            partnerId,
            flow: 'import',
            materialId,
            hsCode,
            year,
            month: null,
            quantityKg: Math.round(Math.exp(rnd() * 18)),
            valueUsd: Math.round(Math.exp(rnd() * 20)),
            productScope: null,
            sourceId: opts.sourceId ?? 'bench-synthetic-trade',
          });
        }
  if (out.length < n) throw new Error(`syntheticImports: only ${out.length} distinct flows possible`);
  return out;
}

/**
 * A BACI-layout CSV of n rows (exporter i → importer j, product k, year t; v in thousand USD, q in tonnes, "NA" for a
 * quantity BACI does not have). `mappedShare` of the rows carry HS codes of our materials, the rest other HS6 codes
 * (a real BACI year has ~5,000 codes of which a few dozen are ours).
 */
export async function writeBaciCsv(path: string, n: number, opts: { mappedShare?: number; seed?: number; years?: number[] } = {}): Promise<void> {
  const countries = m49Countries().map((c) => Number(c.m49));
  const mapped = mappedHs6().map(Number);
  const other: number[] = [];
  for (let c = 10111; other.length < 400; c += 977) if (!mapped.includes(c)) other.push(c); // chapter 01.. codes, leading zero dropped
  const share = opts.mappedShare ?? 1;
  const years = opts.years ?? [2022, 2021, 2020, 2019, 2018, 2017, 2016, 2015, 2014, 2013];
  const rnd = prng(opts.seed ?? 11);
  const out = createWriteStream(path);
  let buf = 't,i,j,k,v,q\n';
  let written = 0;
  const C = countries.length;
  // Enumerate (year, code, exporter, importer) so every row is a distinct flow; mapped and other codes interleaved.
  const codes: number[] = [];
  const nMapped = Math.max(1, Math.round(share * 40));
  for (let x = 0; x < 40; x++) codes.push(x < nMapped ? mapped[x % mapped.length] : other[x % other.length]);
  const uniqueCodes = [...new Set(codes)];
  outer: for (const t of years)
    for (const code of uniqueCodes)
      for (let a = 0; a < C; a++)
        for (let b = 0; b < C; b++) {
          if (a === b) continue;
          if (written >= n) break outer;
          const v = (Math.exp(rnd() * 14) / 1000).toFixed(3);
          const q = rnd() < 0.05 ? 'NA' : (Math.exp(rnd() * 12) / 1000).toFixed(3);
          buf += `${t},${countries[a]},${countries[b]},${code},${v},${q}\n`;
          written++;
          if (buf.length > 1 << 20) {
            if (!out.write(buf)) await once(out, 'drain');
            buf = '';
          }
        }
  if (written < n) {
    out.end();
    throw new Error(`writeBaciCsv: only ${written} distinct rows possible with these years`);
  }
  out.end(buf);
  await once(out, 'finish');
}
