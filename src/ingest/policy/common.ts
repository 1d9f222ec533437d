/**
 * Helpers shared by the policy-tracker importers (IEA policies, GTA interventions, APRI partnerships): reading JSON
 * and JSON-in-CSV cells with errors that name file, record and field; HTML → plain text; country and material names
 * in free text → registry parties and material ids; stable record ids; counted warnings.
 *
 * Parties follow the rules of the registry format (src/ingest/registry.ts): an ISO3 code of a known country or one of
 * `KNOWN_GROUP_PARTIES`; the European Union is the grouping `EU27`.
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { getCountry, resolveCountry } from '../../model/countries.ts';
import { getMaterial, MATERIALS, normaliseName } from '../../model/materials.ts';
import { ImportError, type Stage } from '../../model/schema.ts';
import { EU27 } from '../../data/criticality-parameters.ts';
import { readText } from '../kit.ts';
import { KNOWN_GROUP_PARTIES } from '../registry.ts';

export const EU_PARTY = 'EU27';
export const EU27_MEMBERS: readonly string[] = EU27;

// ---------------------------------------------------------------------------------------------------------------
// JSON with ImportErrors

export function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Parse a JSON file; a syntax error becomes an ImportError naming the line where the text stops being JSON. */
/**
 * The file an importer reads: `path` itself, or in a folder the file called `fileName`, else the only file with its
 * extension. ImportError (naming what the folder holds) when there is none.
 */
export function fileInFolder(path: string, fileName: string): string {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
  if (!isDir) return path;
  const ext = extname(fileName).toLowerCase();
  const candidates = readdirSync(path).filter((f) => f.toLowerCase().endsWith(ext));
  const name = candidates.find((f) => f === fileName) ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!name) throw new ImportError(path, null, null, `no ${fileName} in this folder${candidates.length ? ` (found ${candidates.join(', ')})` : ''}`);
  return join(path, name);
}

export function readJson(file: string): unknown {
  let text = readText(file);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    // V8 gives "position N" or "(line L column C)" for some errors only; find the offset ourselves otherwise.
    const pos = /position (\d+)/.exec(msg);
    const offset = pos ? Number(pos[1]) : jsonErrorOffset(text);
    const line = offset === null ? null : text.slice(0, offset).split('\n').length;
    throw new ImportError(file, line, null, `not valid JSON: ${msg.split('\n')[0].slice(0, 200)}`);
  }
}

/** Offset of the first character at which `text` stops being valid JSON (null if it is valid). */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const str = () => {
    i++; // opening quote
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const n = text[i + 1];
        if (n === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail();
          i += 6;
        } else if (n !== undefined && '"\\/bfnrt'.includes(n)) i += 2;
        else fail();
      } else if (c.charCodeAt(0) < 0x20) fail();
      else i++;
    }
    fail();
  };
  const value = (depth: number): void => {
    if (depth > 10_000) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') str();
    else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m || m[0] === '' || m[0] === '-') fail();
      i += m![0].length;
    }
  };
  try {
    value(0);
    ws();
    return i < text.length ? i : null;
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
}

/** Validate an input record with a zod schema; the first issue becomes an ImportError naming `label.path`. */
export function inputRecord<S extends z.ZodType>(schema: S, value: unknown, file: string, line: number | null, label: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = deepestIssue(r.error.issues[0]);
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    const found = issue.code === 'invalid_type' ? `; found ${typeName(valueAt(value, issue.path))}` : '';
    throw new ImportError(file, line, `${label}${path}`, `${issue.message}${found}`);
  }
  return r.data;
}

type Issue = z.core.$ZodIssue;

/**
 * For a value that matches no alternative of a union (APRI's members: a list, or {countries, EU}), the issue of the
 * alternative that got furthest into the value, so the message names the field that is wrong ("members.EU").
 */
function deepestIssue(issue: Issue): Issue {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return issue;
  let best: Issue | null = null;
  for (const branch of issue.errors) {
    if (!branch.length) continue;
    const cand = deepestIssue(branch[0]);
    if (!best || cand.path.length > best.path.length) best = cand;
  }
  if (!best || best.path.length === 0) return issue;
  return { ...best, path: [...issue.path, ...best.path] } as Issue;
}

function valueAt(v: unknown, path: PropertyKey[]): unknown {
  let cur = v;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** A JSON cell of a CSV row (IEA's `countries`, `policyType` ...), validated; errors name the line and column. */
export function jsonCell<S extends z.ZodType>(schema: S, raw: string, file: string, line: number, column: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(raw.trim() === '' ? '[]' : raw);
  } catch (e) {
    throw new ImportError(file, line, column, `not valid JSON in cell: ${(e as Error).message}; cell starts "${raw.slice(0, 60)}"`);
  }
  return inputRecord(schema, value, file, line, column);
}

// ---------------------------------------------------------------------------------------------------------------
// Text

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
  eacute: 'é',
  egrave: 'è',
  euro: '€',
  deg: '°',
  middot: '·',
  bull: '•',
  shy: '',
};

/** HTML fragment → plain text: block ends become line breaks, tags dropped, entities decoded, spaces collapsed. */
export function stripHtml(html: string): string {
  return html
    .replace(/<\s*(br|\/p|\/div|\/li|\/h[1-6]|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<\s*li\b[^>]*>/gi, '\n• ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((l) => l.replace(/[ \t\r\f\v]+/g, ' ').trim())
    .filter((l) => l !== '' && l !== '•')
    .join('\n');
}

/** Plain-text summary of at most `max` characters (the registry's limit), cut with an ellipsis; null when empty. */
export function summaryOf(html: string | null | undefined, max = 4000): string | null {
  if (!html) return null;
  const text = stripHtml(html);
  if (!text) return null;
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Title within the registry's 3..300 characters. */
export function titleOf(raw: string): string {
  const t = raw.replace(/\s+/g, ' ').trim();
  return t.length <= 300 ? t : `${t.slice(0, 299).trimEnd()}…`;
}

/** Lower-case slug of at most `max` characters, cut at a hyphen where possible. */
export function slug(raw: string, max = 80): string {
  const s = normaliseName(raw).replace(/ /g, '-');
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const i = cut.lastIndexOf('-');
  return i > max / 2 ? cut.slice(0, i) : cut;
}

export function shortHash(raw: string, n = 8): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, n);
}

/**
 * Hands out record ids: `base` when free, else `base-<hash of key>` (the key describes the record, so the id is the
 * same on every run over the same file). Returns null when the same base and key were already given out (a duplicate).
 */
export class IdAllocator {
  private readonly used = new Map<string, string>(); // id → key
  take(base: string, key: string): string | null {
    const prev = this.used.get(base);
    if (prev === undefined) {
      this.used.set(base, key);
      return base;
    }
    if (prev === key) return null;
    const id = `${base.slice(0, 112)}-${shortHash(key)}`;
    if (this.used.has(id)) return null;
    this.used.set(id, key);
    return id;
  }
}

/** A URL the registry schema accepts (http/https), or null. Unwraps Google redirect links to their target. */
export function urlOf(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const s = raw.trim().split(/\s+/)[0];
  if (!/^https?:\/\//i.test(s)) return null;
  try {
    const u = new URL(s);
    if (/(^|\.)google\.[a-z.]+$/.test(u.hostname) && u.pathname === '/url') {
      const target = u.searchParams.get('url') ?? u.searchParams.get('q');
      if (target && /^https?:\/\//i.test(target)) return urlOf(target);
    }
    return z.string().url().safeParse(s).success ? s : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const pad = (n: number) => String(n).padStart(2, '0');

function ymd(y: number, m: number | null, d: number | null): string | null {
  if (y < 1900 || y > 2100) return null;
  if (m === null) return String(y);
  if (m < 1 || m > 12) return null;
  if (d === null) return `${y}-${pad(m)}`;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d >= 1 && d <= days ? `${y}-${pad(m)}-${pad(d)}` : null;
}

/**
 * A date cell as an ISO date with the precision given: "2024-01-30", "2024-01", "2024", "16-08-2023" (IEA's
 * day-first form), "2023-04-dd" (APRI's unknown day → "2023-04"), "2014-02 - and later renewed" (leading date kept).
 * Returns null for text that holds no date.
 */
export function parseDateCell(raw: string): string | null {
  const s = raw.trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})\b/.exec(s);
  if (m) return ymd(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (m) return ymd(+m[3], +m[2], +m[1]);
  m = /^(\d{4})-(\d{1,2})(?:-[a-z]{1,2})?\b/i.exec(s);
  if (m) return ymd(+m[1], +m[2], null);
  m = /^(\d{4})$/.exec(s) ?? /^(\d{4})\b/.exec(s);
  if (m) return ymd(+m[1], null, null);
  return null;
}

const MONTH_RE = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const TEXT_DATE = new RegExp(
  `(?:(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?\\s+${MONTH_RE}\\.?,?\\s+(\\d{4})|${MONTH_RE}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})|${MONTH_RE}\\.?\\s+(\\d{4})|(\\d{4})-(\\d{2})-(\\d{2}))`,
  'i',
);

/** The first date written out in `text` ("1 March 2025", "August 1, 2023", "June 2023", "2025-03-01"), or null. */
export function dateInText(text: string): string | null {
  const m = TEXT_DATE.exec(text);
  if (!m) return null;
  const mon = (s: string) => MONTHS[s.toLowerCase().slice(0, s.toLowerCase().startsWith('sept') ? 4 : 3)] ?? null;
  if (m[1]) return ymd(+m[3], mon(m[2]), +m[1]);
  if (m[4]) return ymd(+m[6], mon(m[4]), +m[5]);
  if (m[7]) return ymd(+m[8], mon(m[7]), null);
  return ymd(+m[9], +m[10], +m[11]);
}

const EFFECTIVE_CUE =
  /\b(?:effective\s+(?:from|on|as\s+of)|(?:take|takes|took|taking)\s+effect(?:\s+(?:from|on|as\s+of))?|(?:come|comes|came|coming)\s+into\s+(?:force|effect)(?:\s+(?:on|from))?|(?:entered|enters|enter)\s+into\s+force(?:\s+on)?|with\s+effect\s+from|in\s+force\s+(?:from|since|as\s+of)|starting(?:\s+(?:from|on))?|(?:shall\s+)?apply\s+from|applicable\s+from|implemented\s+(?:from|on|as\s+of))\s+/gi;

/**
 * The date a description says a measure took or takes effect ("starting from August 1, 2023", "effective from
 * September 15, 2024", "came into force on …"), or null. Only the opening of the text is read (`within` characters):
 * later sentences tend to describe amendments and extensions, whose dates are not the measure's start.
 */
export function effectiveDateInText(text: string, within = 500): string | null {
  const head = text.slice(0, within);
  for (const m of head.matchAll(EFFECTIVE_CUE)) {
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 30);
    const d = /^(?:the\s+)?(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i.test(after) ? dateInText(after) : null;
    if (d) return d;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Countries → parties

/** Labels `resolveCountry` does not know that these sources use. Keys normalised with `normaliseName`. */
const PARTY_ALIASES: Record<string, string> = {
  eu: EU_PARTY,
  eur: EU_PARTY,
  'european union': EU_PARTY,
  'the european union': EU_PARTY,
  'u s': 'USA',
  'the us': 'USA',
  'the united states': 'USA',
  'the u s': 'USA',
  'republic of korea': 'KOR',
  'the democratic republic of the congo': 'COD',
  'the democratic republic of congo': 'COD',
  'the drc': 'COD',
  'united republic of tanzania': 'TZA',
  'the united kingdom': 'GBR',
};

/** A registry party for a country label: ISO3 of a known country, or EU27 for the EU; null when it is neither. */
export function resolveParty(label: string): string | null {
  const n = normaliseName(label);
  if (!n) return null;
  const alias = PARTY_ALIASES[n];
  if (alias) return alias;
  const r = resolveCountry(label);
  if (!r) return null;
  if (r.id === 'X-EU') return EU_PARTY;
  return r.kind === 'country' ? r.id : null;
}

/** Whether a party passes the registry's rule (known country ISO3 or known grouping id). */
export function isKnownParty(p: string): boolean {
  return KNOWN_GROUP_PARTIES.includes(p) || getCountry(p)?.kind === 'country';
}

const DEMONYMS: Record<string, string> = { russian: 'RUS', chinese: 'CHN', american: 'USA', iranian: 'IRN', belarusian: 'BLR', 'north korean': 'PRK' };

/**
 * Destinations a title says a measure is aimed at: "… to Russia", "… against Russia", "imports … from Russia",
 * "tariffs … on China", "… on Russian mining projects". `own` (the imposing party) is never a target.
 */
export function targetsInTitle(title: string, own: string[]): string[] {
  const out: string[] = [];
  const re = /\b(?:to|against|from|on)\s+((?:the\s+)?[A-Z][A-Za-z.'’-]*(?:\s+(?:of\s+(?:the\s+)?)?[A-Z][A-Za-z.'’-]*){0,4})/g;
  for (const m of title.matchAll(re)) {
    const words = m[1].split(/\s+/);
    for (let k = words.length; k >= 1; k--) {
      const phrase = words.slice(0, k).join(' ');
      const p = DEMONYMS[normaliseName(phrase)] ?? resolveParty(phrase);
      if (p) {
        if (!own.includes(p) && !out.includes(p)) out.push(p);
        break;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Materials in free text

/** Phrases `resolveMaterial` does not know that policy texts use. Keys normalised with `normaliseName`. */
const MATERIAL_PHRASES: Record<string, string> = {
  'rare earth': 'rare-earths',
  'rare earth element': 'rare-earths',
  'rare earth metals': 'rare-earths',
  'rare earth minerals': 'rare-earths',
  'heavy rare earth': 'hree',
  'heavy rare earths': 'hree',
  'medium and heavy rare earth': 'hree',
  'medium and heavy rare earths': 'hree',
  'light rare earth': 'lree',
  'light rare earths': 'lree',
  'platinum group metal': 'pgm',
  'chrome ore': 'chromium',
  chrome: 'chromium',
  phosphate: 'phosphate-rock',
  phosphates: 'phosphate-rock',
  'nickel ore': 'nickel',
  'bauxite ore': 'bauxite',
  'bauxite ores': 'bauxite',
  'natural graphite': 'graphite',
  'synthetic graphite': 'graphite',
  'spherical graphite': 'graphite',
  polysilicon: 'polysilicon',
};

/** Normalised material names, aliases and MATERIAL_PHRASES → material id (what `resolveMaterial` does, without
 * normalising again for every word sequence of a long text). */
let materialNames: Map<string, string> | null = null;
function lookupMaterial(phrase: string): string | null {
  if (!materialNames) {
    materialNames = new Map();
    for (const m of MATERIALS) for (const n of [m.id, m.name, ...m.aliases, m.usgsCode ?? '']) if (n) materialNames.set(normaliseName(n), m.id);
    for (const [k, v] of Object.entries(MATERIAL_PHRASES)) materialNames.set(normaliseName(k), v);
  }
  const names = materialNames;
  return names.get(phrase) ?? names.get(`${phrase}s`) ?? (phrase.endsWith('s') ? (names.get(phrase.slice(0, -1)) ?? null) : null);
}

/**
 * Words that name a material id but in policy prose mostly mean something else ("lead to", "lime", "salt", "renewable
 * hydrogen", "ammonia" as a fuel, "cement" and "aggregates" as construction): never read from free text.
 */
const AMBIGUOUS_IN_PROSE = new Set(['lime', 'salt', 'cement', 'aggregates', 'hydrogen', 'nitrogen', 'ammonia', 'abrasives', 'clays', 'peat', 'gemstones']);

/** "lead" is a material only in a list of metals ("copper, lead and zinc", "lead-zinc", "lead ore"). */
const LEAD_AS_METAL =
  /\blead\s*(?:,|\/|-\s*zinc|\s+and\s+(?:zinc|silver|copper|tin)|\s+(?:ores?|concentrates?|metal|scrap)\b)|(?:copper|zinc|silver|iron|tin|nickel|cobalt)\s*(?:,|\/|and)\s*lead\b/i;

/**
 * Material ids named in free text: the longest word sequence (up to 5 words) at each position that is a material
 * name or alias of src/model/materials.ts (or a plural/singular of one, or one of MATERIAL_PHRASES). "heavy rare
 * earths" gives hree, not also rare-earths. Words in AMBIGUOUS_IN_PROSE are skipped unless the context makes them metals.
 */
export function materialsInText(text: string): string[] {
  const words = normaliseName(text).split(' ').filter(Boolean);
  const found: string[] = [];
  const add = (id: string) => {
    if (getMaterial(id) && !found.includes(id)) found.push(id);
  };
  for (let i = 0; i < words.length;) {
    let matched = 0;
    for (let k = Math.min(5, words.length - i); k >= 1; k--) {
      const phrase = k === 1 ? words[i] : words.slice(i, i + k).join(' ');
      if (k === 1 && (AMBIGUOUS_IN_PROSE.has(phrase) || phrase === 'lead' || phrase.length < 3)) break;
      const id = lookupMaterial(phrase);
      if (id) {
        add(id);
        matched = k;
        break;
      }
    }
    i += Math.max(matched, 1);
  }
  if (LEAD_AS_METAL.test(text)) add('lead');
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Stages

/**
 * Supply-chain stages named by a text: ore, concentrate, unrefined/unprocessed/unbeneficiated material → mining;
 * metal, oxide, refined product, chemical, compound (not "unrefined metals") → refining. The first text (the title) that names any stage wins; later texts
 * (the description) are read only when it names none.
 */
export function stagesInText(...texts: string[]): Stage[] {
  for (const t of texts) {
    const stages: Stage[] = [];
    // "unrefined metals", "unprocessed lithium", "raw ore": the product is still at the mining stage
    const unworked = /\b(unrefined|unprocessed|unbeneficiated|non-beneficiated|raw)\s+(\w+)/gi;
    if (/\b(ores?|concentrates?)\b/i.test(t) || /\b(unrefined|unprocessed|unbeneficiated)\b/i.test(t)) stages.push('mining');
    if (/\b(metals?|oxides?|refined|chemicals?|compounds?)\b/i.test(t.replace(unworked, ' '))) stages.push('refining');
    if (stages.length) return stages;
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// Counted warnings

/** Collects things that were dropped or guessed, one warning per kind with the count and a few examples. */
export class Tally {
  private readonly items = new Map<string, { n: number; examples: string[] }>();
  add(kind: string, example: string): void {
    const it = this.items.get(kind) ?? { n: 0, examples: [] };
    it.n++;
    if (!it.examples.includes(example)) it.examples.push(example);
    this.items.set(kind, it);
  }
  count(kind: string): number {
    return this.items.get(kind)?.n ?? 0;
  }
  /** `render(kind, n)` gives the sentence; up to `show` examples are appended. */
  warnings(render: (kind: string, n: number) => string, show = 6): string[] {
    return [...this.items.entries()].map(([kind, { n, examples }]) => {
      const more = examples.length > show ? `, … (${examples.length - show} more)` : '';
      return `${render(kind, n)}: ${examples.slice(0, show).join('; ')}${more}`;
    });
  }
}
