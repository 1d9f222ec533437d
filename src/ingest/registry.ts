/**
 * Chokepoint's own registry file format (JSON or YAML), used for the curated seed that ships in
 * `src/data/registry/` and for registries users write themselves:
 *
 *   version: 1
 *   sources: [ { id, dataset, editionYear, publisher, title, edition, table, licence, url, file, caveat } ]
 *   agreements: [ { id, title, type, parties, materials, signed, inForce, ended, summary, url, sourceId } ]
 *   measures:   [ { id, title, countryId, direction, measureType, materials, stages, hsCodes, targets,
 *                   announced, effective, suspended, ended, summary, url, sourceId } ]
 *   projects:   [ { id, name, countryId, materials, stage, capacityTonnesPerYear, basis, status, expectedStartYear,
 *                   partners, agreementIds, summary, url, sourceId } ]
 *
 * Every record is validated (src/model/registry.ts) and must cite a source of the file; material ids must be known
 * and countries must be ISO3 codes or grouping ids. A malformed record fails the whole file, naming the line, the
 * record and the field; nothing is written.
 */
import { fileURLToPath } from 'node:url';
import { parseDocument, LineCounter } from 'yaml';
import { z } from 'zod';
import { assertReadableInput, maxWholeImportBytes, readText, REGISTRY_MAX_BYTES } from './kit.ts';

export { REGISTRY_MAX_BYTES } from './kit.ts';
import { ImportError, SourceSchema, type ImportBatch, type Source } from '../model/schema.ts';
import { AgreementSchema, ProjectSchema, TradeMeasureSchema, type Agreement, type Project, type TradeMeasure } from '../model/registry.ts';
import { getMaterial, suggestMaterials } from '../model/materials.ts';
import { getCountry } from '../model/countries.ts';

/** The curated seed shipped with Chokepoint, imported into every store with the bundled dataset. */

export const REGISTRY_SEED_FILE = fileURLToPath(new URL('../data/registry/seed.yaml', import.meta.url));

/** Grouping ids a party may name besides ISO3 codes (the groupings of the bundled knowledge base). */
export const KNOWN_GROUP_PARTIES = ['EU27', 'G7', 'OECD', 'MSP', 'IPEF_CMD', 'BRICS_GP', 'SCMA', 'ERGI', 'CMMI'];

const FileSchema = z
  .object({
    version: z.literal(1),
    sources: z.array(z.unknown()).min(1, 'list at least one source'),
    agreements: z.array(z.unknown()).default([]),
    measures: z.array(z.unknown()).default([]),
    projects: z.array(z.unknown()).default([]),
  })
  .strict();

type Section = 'sources' | 'agreements' | 'measures' | 'projects';

export async function importRegistry(path: string): Promise<ImportBatch> {
  // A hand-written file (the seed is 90 kB) parsed into a YAML document tree, far larger than the text: its own limit.
  assertReadableInput(path, Math.min(REGISTRY_MAX_BYTES, maxWholeImportBytes()), 'registry files are hand-written; split a larger one');
  return parseRegistry(readText(path), path);
}

/** Parse and validate registry text (JSON is YAML too). Exported for the API and CLI `registry add`. */
export function parseRegistry(text: string, file: string): ImportBatch {
  const { data, lineOf } = parseYamlDocument(text, file);
  return registryFromObject(data, file, lineOf);
}

export type LineOf = (path: Array<string | number>) => number | null;

/**
 * Parse JSON or YAML text into plain data and a `lineOf` that locates a path of the data in the text, so validation
 * errors name the line. A syntax error is an ImportError with its line.
 */
export function parseYamlDocument(text: string, file: string): { data: unknown; lineOf: LineOf } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0];
    throw new ImportError(file, e.linePos?.[0]?.line ?? (e.pos ? lc.linePos(e.pos[0]).line : null), null, `not valid JSON/YAML: ${e.message.split('\n')[0]}`);
  }
  const lineOf: LineOf = (path) => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lc.linePos(node.range[0]).line : null;
  };
  return { data: doc.toJS(), lineOf };
}

/**
 * Validate a registry document already parsed (the API's JSON body, or a YAML document with `lineOf` locating paths
 * in the text) and turn it into an import batch.
 */
export function registryFromObject(data: unknown, file: string, lineOf: LineOf = () => null): ImportBatch {
  const top = FileSchema.safeParse(data);
  if (!top.success) {
    const i = top.error.issues[0];
    throw new ImportError(file, lineOf(i.path as Array<string | number>), i.path.join('.') || null, i.message);
  }
  const raw = top.data;
  const warnings: string[] = [];

  const parse = <T>(section: Section, schema: z.ZodType<T>, items: unknown[]): T[] => {
    const ids = new Set<string>();
    return items.map((item, n) => {
      const r = schema.safeParse(item);
      const id = (item as { id?: unknown })?.id;
      const label = `${section}[${n}]${typeof id === 'string' ? ` (${id})` : ''}`;
      if (!r.success) {
        const i = r.error.issues[0];
        throw new ImportError(
          file,
          lineOf([section, n, ...(i.path as Array<string | number>)]) ?? lineOf([section, n]),
          [label, ...i.path.map(String)].join('.'),
          i.message,
        );
      }
      const rec = r.data as { id: string };
      if (ids.has(rec.id)) throw new ImportError(file, lineOf([section, n]), `${label}.id`, `duplicate id "${rec.id}" in ${section}`);
      ids.add(rec.id);
      return r.data;
    });
  };
  const sources = parse<Source>('sources', SourceSchema, raw.sources);
  const sourceIds = new Set(sources.map((s) => s.id));
  const agreements = parse<Agreement>('agreements', AgreementSchema, raw.agreements);
  const measures = parse<TradeMeasure>('measures', TradeMeasureSchema, raw.measures);
  const projects = parse<Project>('projects', ProjectSchema, raw.projects);

  const check = (section: Section, n: number, id: string, field: string, ok: boolean, reason: string | (() => string)) => {
    if (!ok)
      throw new ImportError(
        file,
        lineOf([section, n, field]) ?? lineOf([section, n]),
        `${section}[${n}] (${id}).${field}`,
        typeof reason === 'function' ? reason() : reason,
      );
  };
  const party = (p: string) => KNOWN_GROUP_PARTIES.includes(p) || getCountry(p)?.kind === 'country';
  const material = (m: string) => !!getMaterial(m);
  const materialReason = (ms: string[]) => {
    const bad = ms.find((m) => !material(m))!;
    const s = suggestMaterials(bad);
    return `unknown material "${bad}"${s.length ? `; did you mean ${s.join(', ')}?` : ''}`;
  };
  const partyReason = (ps: string[]) =>
    `unknown country or grouping "${ps.find((p) => !party(p))}"; use ISO3 codes or one of ${KNOWN_GROUP_PARTIES.join(', ')}`;

  agreements.forEach((a, n) => {
    check('agreements', n, a.id, 'sourceId', sourceIds.has(a.sourceId), `cites source "${a.sourceId}" not listed in sources`);
    check('agreements', n, a.id, 'parties', a.parties.every(party), () => partyReason(a.parties));
    check('agreements', n, a.id, 'materials', a.materials.every(material), () => materialReason(a.materials));
    check(
      'agreements',
      n,
      a.id,
      'groupIds',
      (a.groupIds ?? []).every((g) => KNOWN_GROUP_PARTIES.includes(g)),
      () => {
        const bad = (a.groupIds ?? []).find((g) => !KNOWN_GROUP_PARTIES.includes(g));
        return `unknown grouping "${bad}"; use one of ${KNOWN_GROUP_PARTIES.join(', ')}`;
      },
    );
    check('agreements', n, a.id, 'inForce', !(a.signed && a.inForce && a.inForce < a.signed), `in force (${a.inForce}) before signed (${a.signed})`);
  });
  measures.forEach((m, n) => {
    check('measures', n, m.id, 'sourceId', sourceIds.has(m.sourceId), `cites source "${m.sourceId}" not listed in sources`);
    check('measures', n, m.id, 'countryId', party(m.countryId), () => partyReason([m.countryId]));
    check('measures', n, m.id, 'targets', m.targets.every(party), () => partyReason(m.targets));
    check('measures', n, m.id, 'materials', m.materials.every(material), () => materialReason(m.materials));
    check(
      'measures',
      n,
      m.id,
      'effective',
      !(m.announced && m.effective && m.effective.slice(0, 7) < m.announced.slice(0, 7)),
      `effective (${m.effective}) before announced (${m.announced})`,
    );
    check(
      'measures',
      n,
      m.id,
      'suspended',
      !(m.suspended && m.announced && m.suspended < m.announced),
      `suspended (${m.suspended}) before announced (${m.announced})`,
    );
    check(
      'measures',
      n,
      m.id,
      'suspendedUntil',
      !(m.suspendedUntil && (!m.suspended || m.suspendedUntil < m.suspended)),
      `suspendedUntil (${m.suspendedUntil}) needs a suspended date on or before it`,
    );
    if (!m.effective && !m.announced) warnings.push(`measures[${n}] (${m.id}): no announced or effective date; it is not placed on timelines`);
  });
  projects.forEach((p, n) => {
    check('projects', n, p.id, 'sourceId', sourceIds.has(p.sourceId), `cites source "${p.sourceId}" not listed in sources`);
    check('projects', n, p.id, 'countryId', getCountry(p.countryId)?.kind === 'country', `unknown country "${p.countryId}"; use an ISO3 code`);
    check('projects', n, p.id, 'materials', p.materials.every(material), () => materialReason(p.materials));
    const bad = p.partners.find((x) => !party(x.partnerId));
    check('projects', n, p.id, 'partners', !bad, () => partyReason(p.partners.map((x) => x.partnerId)));
    const agreementIds = new Set(agreements.map((a) => a.id));
    const unknownAgreement = p.agreementIds.find((a) => !agreementIds.has(a));
    if (unknownAgreement) warnings.push(`projects[${n}] (${p.id}): agreement "${unknownAgreement}" is not in this file`);
  });
  return { kind: 'registry', file, sources, observations: [], agreements, measures, projects, warnings };
}
