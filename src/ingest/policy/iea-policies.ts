/**
 * IEA Critical Minerals Policy Tracker (IEA_CM_Policies.csv: one row per policy and country, with JSON arrays in the
 * `countries`, `technologies`, `tags` and `policyType` cells and HTML descriptions spanning several lines) → trade
 * measures and international agreements of the minerals-diplomacy registry. `path` is the CSV or a folder holding it.
 * Not bundled with Chokepoint: IEA terms of use apply.
 *
 * Which policies become what:
 * - Trade measures: policies with a policyType named in TRADE_TYPES (export controls and restrictions, export and
 *   import bans, tariffs and duties, import controls and restrictions), and "Non-tariff measures" policies whose title
 *   or description names an export control, licence, ban, quota or prohibition (China's gallium/germanium controls are
 *   filed there; conflict-mineral due diligence, waste classification and price benchmarks are not trade measures).
 *   One measure per country of the row (EUR → EU27).
 * - Agreements: International-jurisdiction policies that are not trade measures and are filed as "International
 *   arrangements" or titled as a partnership/alliance/agreement/MoU/dialogue/declaration/communiqué. The tracker
 *   repeats such a policy once per country, so rows with the same title are one agreement whose parties are all their
 *   countries plus the countries the title names ("Canada-US …", "Korea-U.S. …"). Named blocs with a grouping id of
 *   the knowledge base (Minerals Security Partnership → MSP, SCMA, ERGI, CMMI …) get that id as their only party,
 *   because the tracker tags only some members. Fewer than two parties → not imported, with a warning.
 * - Everything else (strategic plans, permitting, financing …) is outside the registry; counted in one warning.
 *
 * Field rules (see the functions below): measureType, direction, materials, stages, dates, targets.
 */
import { z } from 'zod';
import { getCountry } from '../../model/countries.ts';
import { normaliseName, resolveMaterial } from '../../model/materials.ts';
import { AgreementSchema, TradeMeasureSchema, type Agreement, type TradeMeasure } from '../../model/registry.ts';
import { ImportError, type ImportBatch, type Source } from '../../model/schema.ts';
import { checked, columns, readCsv, readText } from '../kit.ts';
import {
  fileInFolder,
  EU_PARTY,
  IdAllocator,
  effectiveDateInText,
  isKnownParty,
  jsonCell,
  materialsInText,
  parseDateCell,
  resolveParty,
  slug,
  stagesInText,
  stripHtml,
  summaryOf,
  Tally,
  targetsInTitle,
  titleOf,
  urlOf,
} from './common.ts';

export const IEA_POLICIES_SOURCE_ID = 'iea-cm-policy-tracker';
const FILE_NAME = 'IEA_CM_Policies.csv';

const COLUMNS = [
  'title',
  'description',
  'status',
  'year',
  'jurisdiction',
  'datePromulgated',
  'yearEnded',
  'learnMore',
  'countries',
  'technologies',
  'tags',
  'policyType',
] as const;

/** policyType names that are trade measures whatever the text says. */
export const TRADE_TYPES = ['Export controls and restrictions', 'Export and import ban', 'Tariffs and duties', 'Import controls and restrictions'];
/** "Non-tariff measures" are trade measures only when the text names an export/import control of this kind. */
const NTM_TYPE = 'Non-tariff measures';
const NTM_TRADE_WORDS =
  /\bexport(?:s|ing)?\s+(?:controls?|licen[cs]\w*|bans?|quotas?|prohibitions?|permits?|restrictions?)\b|\b(?:bans?|prohibit\w*|suspen\w*)\s+(?:on\s+|of\s+)?(?:the\s+)?(?:exports?|imports?)\b|\bimport\s+bans?\b|\bprohibited\s+imports?\b/i;
const ARRANGEMENT_TYPE = 'International arrangements';
const AGREEMENT_TITLE =
  /\b(partnership|alliance|agreement|memorandum|mou|dialogue|declaration|communiqu[eé]|joint statement|arrangement|framework for|working group|conference)\b/i;

/** Blocs with a grouping id in the knowledge base (KNOWN_GROUP_PARTIES), by normalised title fragment. */
const BLOCS: Array<[RegExp, string]> = [
  [/\bminerals security partnership\b/, 'MSP'],
  [/\bsustainable critical minerals? alliance\b/, 'SCMA'],
  [/\benergy resource governance initiative\b/, 'ERGI'],
  [/\bcritical minerals mapping initiative\b/, 'CMMI'],
  [/\bipef\b.*\bcritical minerals\b|\bindo pacific economic framework\b.*\bcritical minerals\b/, 'IPEF_CMD'],
  [/\bbrics\b.*\bgeolog/, 'BRICS_GP'],
];

const CountriesCell = z.array(z.object({ iso3: z.string().min(1), name: z.string().nullish() }));
const StringsCell = z.array(z.string());
const PolicyTypeCell = z.array(z.object({ name: z.string().min(1), family: z.string().nullish(), category: z.string().nullish() }));

interface Policy {
  line: number;
  title: string;
  html: string;
  readonly text: string; // description as plain text (computed on first use: most rows never need it)
  status: string;
  year: string;
  jurisdiction: string;
  promulgated: string | null;
  yearEnded: string | null;
  learnMore: string;
  modified: number | null;
  countries: Array<{ iso3: string; name?: string | null }>;
  labels: string[]; // technologies and tags
  types: string[]; // policyType names
}

function readPolicies(file: string): Policy[] {
  const table = readCsv(file, readText(file));
  const col = columns(file, table, COLUMNS);
  const modifiedCol = table.header.indexOf('dateModified'); // optional: only dates the extract
  return table.rows.map(({ line, cells }) => {
    const cell = (c: (typeof COLUMNS)[number]) => cells[col[c]].trim();
    const title = cell('title');
    if (title.length < 3) throw new ImportError(file, line, 'title', `policy title missing or too short: "${title}"`);
    const year = cell('year');
    if (!/^\d{4}$/.test(year)) throw new ImportError(file, line, 'year', `expected a year (YYYY), found "${year}"`);
    const promulgatedRaw = cell('datePromulgated');
    const promulgated = promulgatedRaw ? parseDateCell(promulgatedRaw) : null;
    if (promulgatedRaw && !promulgated)
      throw new ImportError(file, line, 'datePromulgated', `expected a date (YYYY-MM-DD, DD-MM-YYYY or YYYY), found "${promulgatedRaw}"`);
    const yearEnded = cell('yearEnded') || null;
    if (yearEnded && !/^\d{4}$/.test(yearEnded)) throw new ImportError(file, line, 'yearEnded', `expected a year (YYYY), found "${yearEnded}"`);
    const modifiedRaw = modifiedCol >= 0 ? cells[modifiedCol].trim() : '';
    const modified = /^\d{10,14}$/.test(modifiedRaw) ? Number(modifiedRaw) : null;
    const html = cells[col.description];
    let text: string | null = null;
    return {
      line,
      title,
      html,
      get text() {
        return (text ??= stripHtml(html));
      },
      status: cell('status'),
      year,
      jurisdiction: cell('jurisdiction'),
      promulgated,
      yearEnded,
      learnMore: cell('learnMore'),
      modified,
      countries: jsonCell(CountriesCell, cells[col.countries], file, line, 'countries'),
      labels: [...jsonCell(StringsCell, cells[col.technologies], file, line, 'technologies'), ...jsonCell(StringsCell, cells[col.tags], file, line, 'tags')],
      types: jsonCell(PolicyTypeCell, cells[col.policyType], file, line, 'policyType').map((t) => t.name.trim()),
    };
  });
}

const isTradeMeasure = (p: Policy) =>
  p.types.some((t) => TRADE_TYPES.includes(t)) || (p.types.includes(NTM_TYPE) && (NTM_TRADE_WORDS.test(p.title) || NTM_TRADE_WORDS.test(p.text)));

const isAgreement = (p: Policy) => p.jurisdiction === 'International' && (p.types.includes(ARRANGEMENT_TYPE) || AGREEMENT_TITLE.test(p.title));

/**
 * measureType, first rule that applies:
 * 1. the title's words: "quota" → quota; "ban", "prohibit…", "suspend/suspension" → ban; "licen…", "permit" → licence;
 *    "tax…", "duty/duties", "levy", "tariff", "surtax" → tax;
 * 2. the policyType: "Export and import ban" → ban; "Tariffs and duties" → tax (the IEA's own classification);
 * 3. "export control(s)" in the title or the opening of the description → licence (export-control regimes such as
 *    China's dual-use controls and Zimbabwe's or South Africa's are permit/licence requirements);
 * 4. the description's words, in the order quota, licence, ban, tax (a description that mentions licences describes a
 *    licensing regime even where it also says what is prohibited without one);
 * 5. other.
 */
export function measureTypeOf(title: string, types: string[], text: string): TradeMeasure['measureType'] {
  const QUOTA = /\bquotas?\b/i;
  const BAN = /\b(bans?|banned|banning|prohibit\w*|suspend\w*|suspension)\b/i;
  const LICENCE = /\b(licen[cs]\w*|permits?)\b/i;
  const TAX = /\b(tax|taxes|taxation|dut(y|ies)|lev(y|ies)|tariffs?|surtax)\b/i;
  if (QUOTA.test(title)) return 'quota';
  if (BAN.test(title)) return 'ban';
  if (LICENCE.test(title)) return 'licence';
  if (TAX.test(title)) return 'tax';
  if (types.includes('Export and import ban')) return 'ban';
  if (types.includes('Tariffs and duties')) return 'tax';
  if (/\bexport\s+controls?\b/i.test(title) || /\bexport\s+controls?\b/i.test(text.slice(0, 500))) return 'licence';
  if (QUOTA.test(text)) return 'quota';
  if (LICENCE.test(text)) return 'licence';
  if (BAN.test(text)) return 'ban';
  if (TAX.test(text)) return 'tax';
  return 'other';
}

/**
 * direction: the title when it names only exports or only imports; else a policyType that names one direction
 * ("Export controls and restrictions", "Import controls and restrictions"); else whichever of export…/import… the
 * description says more often, exports on a tie (the tracker's trade measures are mostly export restrictions).
 */
export function directionOf(title: string, types: string[], text: string): TradeMeasure['direction'] {
  const ex = /\bexport/i.test(title);
  const im = /\bimport/i.test(title);
  if (ex !== im) return ex ? 'export' : 'import';
  const exT = types.includes('Export controls and restrictions');
  const imT = types.includes('Import controls and restrictions');
  if (exT !== imT) return exT ? 'export' : 'import';
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return count(/\bimport/gi) > count(/\bexport/gi) ? 'import' : 'export';
}

/** Parties named at the head of a title: "Canada-US …", "Korea-U.S. High-Tech …", "France-Germany-Italy Joint …". */
export function partiesInTitle(title: string): string[] {
  const out: string[] = [];
  const segments = title.split(/\s*[-–—]\s*/);
  const resolveCapitalised = (s: string) => (/^[A-Z]/.test(s) ? resolveParty(s) : null);
  for (const seg of segments) {
    const whole = resolveCapitalised(seg.trim());
    if (whole) {
      if (!out.includes(whole)) out.push(whole);
      continue;
    }
    const words = seg.trim().split(/\s+/);
    let found: string | null = null;
    for (let k = Math.min(5, words.length); k >= 1 && !found; k--) found = resolveCapitalised(words.slice(0, k).join(' '));
    if (found && !out.includes(found)) out.push(found);
    break; // the country chain ends with the first segment that is more than a country name
  }
  return out;
}

export async function importIeaPolicies(path: string): Promise<ImportBatch> {
  const file = fileInFolder(path, FILE_NAME);
  const policies = readPolicies(file);
  const warnings: string[] = [];
  const skipped = new Tally();
  const measures: TradeMeasure[] = [];
  const agreements: Agreement[] = [];
  const ids = new IdAllocator();
  let unknownLabels = 0;
  const unknownLabelExamples = new Set<string>();
  let noMaterial = 0;
  const noMaterialExamples: string[] = [];

  const partyOf = (c: { iso3: string; name?: string | null }): string | null => {
    const iso3 = c.iso3.trim().toUpperCase();
    if (iso3 === 'EUR') return EU_PARTY;
    if (getCountry(iso3)?.kind === 'country') return iso3;
    return c.name ? resolveParty(c.name) : null;
  };

  // ---- trade measures
  const measurePolicies = policies.filter(isTradeMeasure);
  for (const p of measurePolicies) {
    const label = `line ${p.line} "${p.title}"`;
    const labelMaterials: string[] = [];
    for (const l of p.labels) {
      const m = resolveMaterial(l);
      if (m) labelMaterials.push(m);
      else {
        unknownLabels++;
        unknownLabelExamples.add(l.trim());
      }
    }
    // Materials: technology/tag labels that are material names, then the title; the description only when neither names one.
    let materials = [...new Set([...labelMaterials, ...materialsInText(p.title)])];
    if (!materials.length) materials = materialsInText(p.text);
    if (!materials.length) {
      noMaterial++;
      noMaterialExamples.push(label);
      continue;
    }
    const parties: string[] = [];
    for (const c of p.countries) {
      const party = partyOf(c);
      if (party && isKnownParty(party)) {
        if (!parties.includes(party)) parties.push(party);
      } else skipped.add('country', `${label}: ${c.iso3}${c.name ? ` (${c.name})` : ''}`);
    }
    if (!parties.length) {
      skipped.add('no country', label);
      continue;
    }
    // Dates: datePromulgated (else the policy's year) is when it was announced. It took effect on the date the
    // description gives ("effective from 1 August 2023", "came into force on …") when there is one not before the
    // announcement; else on the announcement date, except for policies still only "Announced".
    const announced = p.promulgated ?? p.year;
    const said = effectiveDateInText(p.text);
    const effective = said && said.slice(0, 7) >= announced.slice(0, 7) ? said : p.status === 'Announced' ? null : announced;
    let ended: string | null = null;
    if (p.status === 'Ended') {
      if (p.yearEnded && p.yearEnded >= (effective ?? announced).slice(0, 4)) ended = p.yearEnded;
      else skipped.add('ended', label);
    }
    const url = urlOf(p.learnMore);
    if (p.learnMore && !url) skipped.add('url', `${label}: "${p.learnMore}"`);
    const measureType = measureTypeOf(p.title, p.types, p.text);
    const direction = directionOf(p.title, p.types, p.text);
    const stages = stagesInText(p.title, p.text);
    for (const countryId of parties) {
      const id = ids.take(`iea-${countryId.toLowerCase()}-${slug(p.title, 100)}`, [p.title, countryId, p.promulgated, p.year, p.learnMore, p.status].join('|'));
      if (!id) {
        skipped.add('duplicate', label);
        continue;
      }
      const record: TradeMeasure = {
        id,
        title: titleOf(p.title),
        countryId,
        direction,
        measureType,
        materials,
        stages,
        hsCodes: [],
        targets: targetsInTitle(p.title, [countryId]).filter(isKnownParty),
        announced,
        effective,
        suspended: null,
        ended,
        summary: summaryOf(p.html),
        url,
        sourceId: IEA_POLICIES_SOURCE_ID,
      };
      measures.push(checked(TradeMeasureSchema, record, file, p.line, `measure ${id}`));
    }
  }

  // ---- agreements: rows with the same title are one agreement
  const groups = new Map<string, Policy[]>();
  for (const p of policies) {
    if (isTradeMeasure(p) || !isAgreement(p)) continue;
    const key = normaliseName(p.title);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  for (const [key, rows] of groups) {
    const first = rows[0];
    const label = `line ${first.line} "${first.title.trim()}"`;
    const bloc = BLOCS.find(([re]) => re.test(key))?.[1];
    let parties: string[];
    if (bloc) parties = [bloc];
    else {
      parties = [];
      for (const p of rows) {
        for (const c of p.countries) {
          const party = partyOf(c);
          if (party && isKnownParty(party)) {
            if (!parties.includes(party)) parties.push(party);
          } else skipped.add('country', `line ${p.line} "${p.title.trim()}": ${c.iso3}${c.name ? ` (${c.name})` : ''}`);
        }
      }
      for (const party of partiesInTitle(first.title)) if (isKnownParty(party) && !parties.includes(party)) parties.push(party);
    }
    if (parties.length < (bloc ? 1 : 2)) {
      skipped.add('parties', `${label} (${parties.join(', ') || 'no party'})`);
      continue;
    }
    const text = rows.map((r) => r.text).find((t) => t) ?? '';
    // Type: cooperative, unless the text says "binding" (not "non-binding") or the title names an Agreement that is
    // not a memorandum, statement or declaration (the US-Japan Critical Minerals Agreement, US-Cambodia Agreement on
    // Reciprocal Trade); the tracker's other arrangements are partnerships, dialogues and MoUs.
    const binding =
      /(?<!non-|non |not )\bbinding\b/i.test(text) || (/\bagreement\b/i.test(first.title) && !/\b(memorandum|mou|statement|declaration)\b/i.test(first.title));
    let materials = materialsInText(first.title);
    if (!materials.length) materials = materialsInText(text);
    // Signed: the earliest datePromulgated of the rows, else the earliest year.
    const dates = rows
      .map((r) => r.promulgated)
      .filter((d): d is string => !!d)
      .sort();
    const signed = dates[0] ?? rows.map((r) => r.year).sort()[0];
    const endedRow = rows.find((r) => r.status === 'Ended');
    const ended = rows.every((r) => r.status === 'Ended') ? (endedRow?.yearEnded ?? null) : null;
    if (rows.every((r) => r.status === 'Ended') && !ended) skipped.add('ended', label);
    const urlRow = rows.find((r) => urlOf(r.learnMore));
    const id = ids.take(`iea-${slug(first.title, 110)}`, key);
    if (!id) continue;
    const record: Agreement = {
      id,
      title: titleOf(first.title),
      type: binding ? 'binding' : 'cooperative',
      parties,
      materials,
      signed,
      inForce: null,
      ended: ended && ended >= signed.slice(0, 4) ? ended : null,
      summary: summaryOf(rows.find((r) => r.text)?.html ?? null),
      url: urlRow ? urlOf(urlRow.learnMore) : null,
      sourceId: IEA_POLICIES_SOURCE_ID,
    };
    agreements.push(checked(AgreementSchema, record, file, first.line, `agreement ${id}`));
  }

  // ---- warnings
  const notRegistry = policies.filter((p) => !isTradeMeasure(p) && !isAgreement(p)).length;
  warnings.push(
    `${notRegistry} of ${policies.length} policies are neither trade measures nor international agreements (strategic plans, permitting, financing, standards …): not imported, the registry holds measures and agreements only`,
  );
  if (noMaterial) {
    warnings.push(
      `${noMaterial} trade-measure policies name no known material in their labels, title or description: not imported (a measure needs a material or HS code): ${noMaterialExamples.slice(0, 8).join('; ')}${noMaterial > 8 ? `, … (${noMaterial - 8} more)` : ''}`,
    );
  }
  if (unknownLabels) {
    warnings.push(
      `${unknownLabels} technology/tag labels of trade-measure policies are not material names, ignored: ${[...unknownLabelExamples].slice(0, 8).join(', ')}${unknownLabelExamples.size > 8 ? ', …' : ''}`,
    );
  }
  warnings.push(
    ...skipped.warnings((kind, n) => {
      switch (kind) {
        case 'country':
          return `${n} country entries do not resolve to a known country or EU27 and were left out`;
        case 'no country':
          return `${n} trade-measure policies have no resolvable country: not imported`;
        case 'parties':
          return `${n} international arrangements name fewer than two resolvable parties (or parties that are not governments): not imported as agreements`;
        case 'ended':
          return `${n} policies have status Ended but no usable yearEnded: end date left empty`;
        case 'url':
          return `${n} learnMore links are not http(s) URLs: url left empty`;
        case 'duplicate':
          return `${n} rows repeat an earlier row exactly: imported once`;
        default:
          return `${n} ${kind}`;
      }
    }, 12),
  );

  const modified = policies.map((p) => p.modified).filter((m): m is number => m !== null);
  const latest = modified.length ? new Date(Math.max(...modified)).toISOString().slice(0, 10) : null;
  const years = policies.map((p) => Number(p.year));
  const source: Source = {
    id: IEA_POLICIES_SOURCE_ID,
    dataset: 'iea-policies',
    editionYear: latest ? Number(latest.slice(0, 4)) : Math.max(...years),
    publisher: 'International Energy Agency',
    title: 'Critical Minerals Policy Tracker',
    edition: latest ? `extract, records modified up to ${latest}` : 'extract',
    table: 'Policies and measures (trade measures and international arrangements)',
    licence: 'IEA terms of use (attribution; redistribution not verified)',
    url: 'https://www.iea.org/data-and-statistics/data-tools/critical-minerals-policy-tracker',
    file: FILE_NAME,
    caveat:
      `Third-party extract of the IEA Critical Minerals Policy Tracker (${policies.length} policies as copied into a public ` +
      'GitHub repository), not an IEA download; not bundled with Chokepoint, import your own copy. Trade measures and ' +
      'agreements are derived from the policy records by keyword rules (measure type, direction, materials, stages and ' +
      'effective dates read from titles and descriptions): check the linked policy before relying on a record.',
  };
  return { kind: 'iea-policies', file, sources: [source], observations: [], agreements, measures, warnings };
}
