/**
 * Global Trade Alert critical-minerals interventions (gta-interventions.json: `{"interventions": [...]}`, built by a
 * third party from GTA CSV exports, one record per GTA intervention) → trade measures of the minerals-diplomacy
 * registry. `path` is the JSON file or a folder holding it. Not bundled with Chokepoint: GTA's terms apply.
 *
 * Rules:
 * - Only `dealType` "Trade Control" records are measures. Subsidies (grants, state loans, tax relief …) are not trade
 *   measures and are counted in one warning; any other deal type is counted too.
 * - direction: "import" when interventionType names imports ("Import tariff", "Import ban", "Internal taxation of
 *   imports"), "export" when it names exports; a type naming neither is skipped with a warning.
 * - measureType from interventionType words: ban → ban; licens/licenc/permit → licence; quota → quota;
 *   tax/tariff/duty/levy (not "non-tariff") → tax; anything else ("Import monitoring", "Export-related non-tariff measure, nes") → other.
 * - countryId: one measure per implementer (id gta-<id>-<iso3>), a single implementer gives id gta-<id>. When the
 *   implementers are exactly the 27 EU member states the act is an EU act (GTA lists EU regulations by member state):
 *   one measure with countryId EU27 (id gta-<id>) instead of 27 copies. Unresolvable implementers → warning.
 * - materials: the `minerals` tags (resolveMaterial; "Rare Earths" → rare-earths) plus materials the title names.
 *   The tags come from the extract's HS-code → mineral table and are sometimes off (China's 2011 neodymium export
 *   tariff is tagged Lithium): tags the title and description never mention are kept but counted in a warning.
 * - dates: `dateISO` is GTA's implementation date where the extract had one, else the announcement date (the
 *   extract's build script takes "Date Implemented" or else "Date Announced"). It is stored as `effective`, and
 *   `announced` is left empty because the file does not say which of the two it holds. The extract only kept
 *   interventions in force, so no end dates.
 * - targets: destinations the title names ("… to Russia", "… against Russia", "imports … from Russia", "… on China").
 * - stages from the title (ore/concentrate → mining; metal/oxide/refined/chemical → refining), else the description.
 * - summary: description with HTML stripped (max 4000 characters); url: the GTA intervention page.
 */
import { z } from 'zod';
import { resolveMaterial } from '../../model/materials.ts';
import { TradeMeasureSchema, type TradeMeasure } from '../../model/registry.ts';
import { ImportError, type ImportBatch, type Source } from '../../model/schema.ts';
import { checked } from '../kit.ts';
import {
  fileInFolder,
  EU27_MEMBERS,
  EU_PARTY,
  inputRecord,
  isKnownParty,
  materialsInText,
  readJson,
  resolveParty,
  stagesInText,
  stripHtml,
  summaryOf,
  Tally,
  targetsInTitle,
  titleOf,
  urlOf,
} from './common.ts';

export const GTA_SOURCE_ID = 'gta-cm-interventions';
const FILE_NAME = 'gta-interventions.json';

const DateIso = z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'expected YYYY-MM-DD or ""');
const InterventionSchema = z.object({
  id: z.union([z.string().regex(/^\d+$/, 'expected a numeric GTA id'), z.number().int().nonnegative()]).transform(String),
  title: z.string().min(3),
  evaluation: z.string().nullish(),
  dealType: z.string().min(1),
  interventionType: z.string(),
  minerals: z.array(z.string()),
  implementers: z.array(z.string()),
  date: z.string().nullish(),
  dateISO: DateIso,
  link: z.string().nullish(),
  description: z.string().nullish(),
});
type Intervention = z.output<typeof InterventionSchema>;
const RootSchema = z.object({ interventions: z.array(z.unknown()) });

/** Direction and measure type of a GTA intervention type; direction null when the type names neither. */
export function gtaTypeOf(interventionType: string): { direction: TradeMeasure['direction'] | null; measureType: TradeMeasure['measureType'] } {
  const t = interventionType.toLowerCase().replace(/non-tariff/g, 'ntm');
  const direction = /\bimport/.test(t) ? 'import' : /\bexport/.test(t) ? 'export' : null;
  const measureType = /\bban\b/.test(t)
    ? 'ban'
    : /licen[cs]|permit/.test(t)
      ? 'licence'
      : /\bquota/.test(t)
        ? 'quota'
        : /\btax|tariff|dut(y|ies)|levy/.test(t)
          ? 'tax'
          : 'other';
  return { direction, measureType };
}

export async function importGtaInterventions(path: string): Promise<ImportBatch> {
  const file = fileInFolder(path, FILE_NAME);
  const root = inputRecord(RootSchema, readJson(file), file, null, '$');
  const records: Intervention[] = root.interventions.map((raw, i) => {
    const id = (raw as { id?: unknown } | null)?.id;
    const label = `interventions[${i}]${typeof id === 'string' || typeof id === 'number' ? ` (id ${id})` : ''}`;
    return inputRecord(InterventionSchema, raw, file, null, label);
  });

  const warnings: string[] = [];
  const tally = new Tally();
  const measures: TradeMeasure[] = [];
  const seen = new Set<string>();
  const otherDeals = new Map<string, number>();
  const eu = new Set(EU27_MEMBERS);

  records.forEach((r, i) => {
    const label = `interventions[${i}] (id ${r.id})`;
    if (seen.has(r.id)) throw new ImportError(file, null, `${label}.id`, `duplicate intervention id ${r.id}`);
    seen.add(r.id);
    if (r.dealType !== 'Trade Control') {
      otherDeals.set(r.dealType, (otherDeals.get(r.dealType) ?? 0) + 1);
      return;
    }
    const { direction, measureType } = gtaTypeOf(r.interventionType);
    if (!direction) {
      tally.add('direction', `${r.id} "${r.interventionType}"`);
      return;
    }
    const text = r.description ? stripHtml(r.description) : '';
    const materials: string[] = [];
    const untold: string[] = [];
    const mentioned = new Set([...materialsInText(r.title), ...materialsInText(text)]);
    for (const m of r.minerals) {
      const id = resolveMaterial(m);
      if (!id) {
        tally.add('mineral', `${r.id}: "${m}"`);
        continue;
      }
      if (!materials.includes(id)) materials.push(id);
      if (!mentioned.has(id)) untold.push(m);
    }
    for (const id of materialsInText(r.title)) if (!materials.includes(id)) materials.push(id);
    if (untold.length) tally.add('untold', `${r.id} "${r.title.slice(0, 70)}" tagged ${untold.join(', ')}`);
    if (!materials.length) {
      tally.add('no material', `${r.id} "${r.title.slice(0, 70)}"`);
      return;
    }
    const parties: string[] = [];
    for (const name of r.implementers) {
      const p = resolveParty(name);
      if (p && isKnownParty(p)) {
        if (!parties.includes(p)) parties.push(p);
      } else tally.add('implementer', `${r.id}: "${name}"`);
    }
    const isEuAct = parties.length === eu.size && parties.every((p) => eu.has(p));
    const countries = isEuAct ? [EU_PARTY] : parties;
    if (isEuAct) tally.add('eu', r.id);
    if (!countries.length) {
      tally.add('no implementer', `${r.id} "${r.title.slice(0, 70)}"`);
      return;
    }
    const url = urlOf(r.link);
    if (r.link && !url) tally.add('url', `${r.id}: "${r.link}"`);
    const stages = stagesInText(r.title, text);
    for (const countryId of countries) {
      const id = countries.length === 1 ? `gta-${r.id}` : `gta-${r.id}-${countryId.toLowerCase()}`;
      const own = isEuAct ? [EU_PARTY, ...EU27_MEMBERS] : [countryId];
      const record: TradeMeasure = {
        id,
        title: titleOf(r.title),
        countryId,
        direction,
        measureType,
        materials,
        stages,
        hsCodes: [],
        targets: targetsInTitle(r.title, own).filter(isKnownParty),
        announced: null,
        effective: r.dateISO || null,
        suspended: null,
        ended: null,
        summary: summaryOf(r.description),
        url,
        sourceId: GTA_SOURCE_ID,
      };
      measures.push(checked(TradeMeasureSchema, record, file, null, `${label} measure ${id}`));
    }
  });

  for (const [deal, n] of otherDeals) {
    warnings.push(
      deal === 'Subsidy'
        ? `${n} subsidy records not imported: not trade measures`
        : `${n} "${deal}" records not imported: only "Trade Control" records are trade measures`,
    );
  }
  warnings.push(
    ...tally.warnings((kind, n) => {
      switch (kind) {
        case 'eu':
          return `${n} interventions list all 27 EU member states as implementers: imported once each as an EU27 measure`;
        case 'untold':
          return `${n} trade controls carry mineral tags their title and description never mention (tags come from the extract's HS-code table): kept as tagged, check them`;
        case 'mineral':
          return `${n} mineral tags are not known materials: ignored`;
        case 'no material':
          return `${n} trade controls name no known material: not imported`;
        case 'implementer':
          return `${n} implementers do not resolve to a known country: left out`;
        case 'no implementer':
          return `${n} trade controls have no resolvable implementer: not imported`;
        case 'direction':
          return `${n} trade controls have an intervention type that names neither exports nor imports: not imported`;
        case 'url':
          return `${n} links are not http(s) URLs: url left empty`;
        default:
          return `${n} ${kind}`;
      }
    }, 8),
  );

  const dates = records
    .map((r) => r.dateISO)
    .filter(Boolean)
    .sort();
  const last = dates[dates.length - 1] ?? null;
  const source: Source = {
    id: GTA_SOURCE_ID,
    dataset: 'gta',
    editionYear: last ? Number(last.slice(0, 4)) : new Date().getUTCFullYear(),
    publisher: 'Global Trade Alert (St. Gallen Endowment for Prosperity through Trade)',
    title: 'Global Trade Alert: critical-minerals trade interventions',
    edition: last ? `extract, interventions dated ${dates[0]} to ${last}` : 'extract',
    table: 'Trade Control interventions (export bans, taxes, licensing, quotas; import tariffs and bans)',
    licence: 'GTA terms; verify before redistribution',
    url: 'https://globaltradealert.org',
    file: FILE_NAME,
    caveat:
      'GTA terms; verify before redistribution. Third-party extract (interventions in force, selected by keyword and ' +
      'HS code, descriptions scraped from GTA pages), not a GTA download and not a complete inventory; not bundled with ' +
      'Chokepoint. Dates are GTA implementation dates where known, else announcement dates; mineral tags come from an ' +
      'HS-code table of the extract and can be wider or narrower than the measure.',
  };
  return { kind: 'gta', file, sources: [source], observations: [], measures, warnings };
}
