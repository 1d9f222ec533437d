/**
 * Africa Policy Research Institute (APRI) "Critical Raw Materials partnerships" map data → agreements of the
 * minerals-diplomacy registry. `path` is the folder holding multiPartner.json and bilateralPartner.json, or either
 * file (told apart by name, else by shape). numberPartner.json only counts the bilateral entries and is not read.
 * Not bundled with Chokepoint: no licence is stated.
 *
 * Rules:
 * - multiPartner.json: one agreement per bloc, type cooperative, parties = the members as ISO3 codes; a member list
 *   of the form {countries, EU} adds the party EU27 (and keeps the member states the bloc lists in its own right);
 *   "England" → GBR. Members that are not countries (AfDB, AFC) are dropped with a warning. signed = `date` (a year).
 * - bilateralPartner.json: one agreement per partnership entry, or per item of an entry's nested `agreements`
 *   array, between the non-African partner (the EU → EU27) and the African country. Type from `typeAgreement`, first
 *   rule that applies: "offtake" → offtake; "fund" → investment_fund; MoU, memorandum, partnership, declaration,
 *   statement, letter of intent, protocol, committee, working group, compact, plan, pact → cooperative;
 *   "investment" → investment_fund; an agreement with binding words (binding, treaty, legally, intergovernmental) →
 *   binding; else cooperative. signed = `year` at the precision given ("2023-04-dd" → "2023-04"). url =
 *   `linkAgreement`, else the first link in `sources`. materials = the names in `minerals` and `typeAgreement`;
 *   phrases that name no known material are counted in a warning.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { AgreementSchema, type Agreement } from '../../model/registry.ts';
import { ImportError, type ImportBatch, type Source } from '../../model/schema.ts';
import { checked } from '../kit.ts';
import {
  EU27_MEMBERS,
  EU_PARTY,
  IdAllocator,
  inputRecord,
  isKnownParty,
  materialsInText,
  parseDateCell,
  readJson,
  resolveParty,
  slug,
  summaryOf,
  Tally,
  titleOf,
  urlOf,
} from './common.ts';

export const APRI_SOURCE_ID = 'apri-cm-partnerships';
const MULTI = 'multiPartner.json';
const BILATERAL = 'bilateralPartner.json';

const YearLike = z.union([z.string(), z.number().int()]).nullish();
const BlocSchema = z.object({
  blocName: z.string().min(2),
  description: z.string().nullish(),
  link: z.string().nullish(),
  members: z.union([z.array(z.string()), z.object({ countries: z.array(z.string()), EU: z.array(z.string()).optional() })]),
  date: YearLike,
});
const AgreementFields = {
  typeAgreement: z.string().nullish(),
  year: YearLike,
  inforce: z.string().nullish(),
  minerals: z.string().nullish(),
  areasCoop: z.union([z.array(z.string()), z.string()]).nullish(),
  linkAgreement: z.string().nullish(),
  sources: z.string().nullish(),
};
const SubAgreementSchema = z.object(AgreementFields);
const EntrySchema = z.object({ country: z.string().min(1), ...AgreementFields, agreements: z.array(SubAgreementSchema).optional() });
const PartnerSchema = z.object({
  nonafrican: z.union([z.string().min(1), z.object({ name: z.string().min(1), countries: z.array(z.string()).optional() })]),
  partnership: z.array(z.unknown()),
});
type Fields = z.output<typeof SubAgreementSchema>;

/** Files to read: the two data files of a folder, or the one file given. */
function filesOf(path: string, warnings: string[]): Array<{ file: string; kind: 'multi' | 'bilateral' | null }> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    throw new ImportError(path, null, null, `cannot read: ${(e as Error).message}`);
  }
  if (!isDir) {
    const name = basename(path);
    return [{ file: path, kind: name === MULTI ? 'multi' : name === BILATERAL ? 'bilateral' : null }];
  }
  const names = readdirSync(path);
  const out: Array<{ file: string; kind: 'multi' | 'bilateral' | null }> = [];
  if (names.includes(MULTI)) out.push({ file: join(path, MULTI), kind: 'multi' });
  if (names.includes(BILATERAL)) out.push({ file: join(path, BILATERAL), kind: 'bilateral' });
  if (!out.length) throw new ImportError(path, null, null, `neither ${MULTI} nor ${BILATERAL} in this folder`);
  if (out.length === 1) warnings.push(`${out[0].kind === 'multi' ? BILATERAL : MULTI} not found in ${path}: only ${basename(out[0].file)} imported`);
  if (names.includes('numberPartner.json')) warnings.push('numberPartner.json not read: it counts the partnerships of bilateralPartner.json');
  return out;
}

/**
 * Agreement type from the wording of `typeAgreement` (see the module comment for the order of the rules).
 * "MoU on Investments in the Solid Minerals Sector" is cooperative (an MoU), "Agreement on Investment in Minerals"
 * investment_fund.
 */
export function apriTypeOf(text: string): Agreement['type'] {
  const t = text.toLowerCase();
  if (/\bofftake\b/.test(t)) return 'offtake';
  if (/\bfunds?\b/.test(t)) return 'investment_fund';
  if (/\b(mou|memorandum|partnership|declaration|statement|letter of intent|protocol|committee|working group|compact|plan|pact)\b/.test(t))
    return 'cooperative';
  if (/\binvestments?\b/.test(t)) return 'investment_fund';
  if (/\bagreements?\b/.test(t) && /\b(binding|treaty|legally|intergovernmental)\b/.test(t)) return 'binding';
  return 'cooperative';
}

export async function importApriPartnerships(path: string): Promise<ImportBatch> {
  const warnings: string[] = [];
  const files = filesOf(path, warnings);
  const tally = new Tally();
  const agreements: Agreement[] = [];
  const ids = new IdAllocator();
  const read: string[] = [];

  for (const { file, kind: named } of files) {
    const root = readJson(file);
    if (!Array.isArray(root))
      throw new ImportError(
        file,
        null,
        '$',
        `expected an array of ${named === 'bilateral' ? 'partners' : named === 'multi' ? 'blocs' : 'blocs or partners'}, found ${root === null ? 'null' : typeof root}`,
      );
    const first = root[0] as Record<string, unknown> | undefined;
    const kind =
      named ??
      (first && typeof first === 'object' && 'blocName' in first ? 'multi' : first && typeof first === 'object' && 'nonafrican' in first ? 'bilateral' : null);
    if (!kind)
      throw new ImportError(file, null, '[0]', `not APRI partnership data: records have neither "blocName" (${MULTI}) nor "nonafrican" (${BILATERAL})`);
    read.push(basename(file));
    if (kind === 'multi') agreements.push(...blocs(file, root, tally, ids));
    else agreements.push(...bilateral(file, root, tally, ids));
  }

  warnings.push(
    ...tally.warnings((kind, n) => {
      switch (kind) {
        case 'member':
          return `${n} bloc members are not countries (development banks, companies) or do not resolve: dropped from the parties`;
        case 'eu':
          return `${n} EU member lists differ from the 27 EU member states: their countries are listed one by one instead of EU27`;
        case 'partner':
          return `${n} partnership entries name a partner or African country that does not resolve: not imported`;
        case 'mineral':
          return `${n} phrases of the minerals field name no known material: ignored`;
        case 'date':
          return `${n} year fields hold no date: signed left empty`;
        case 'parties':
          return `${n} blocs have fewer than two resolvable parties: not imported`;
        case 'duplicate':
          return `${n} entries repeat an earlier entry (same parties, type and date): imported once`;
        default:
          return `${n} ${kind}`;
      }
    }, 8),
  );

  const dates = agreements
    .map((a) => a.signed)
    .filter((d): d is string => !!d)
    .sort();
  const last = dates[dates.length - 1] ?? null;
  const source: Source = {
    id: APRI_SOURCE_ID,
    dataset: 'apri',
    editionYear: last ? Number(last.slice(0, 4)) : new Date().getUTCFullYear(),
    publisher: 'Africa Policy Research Institute (APRI)',
    title: 'Critical Raw Materials partnerships involving African countries (interactive map data)',
    edition: last ? `map data, agreements dated to ${last}` : 'map data',
    table: 'Multilateral blocs and bilateral partnerships',
    licence: 'none stated; cite APRI; check before redistribution',
    url: 'https://afripoli.org',
    file: read.join(', '),
    caveat:
      'No licence stated: cite APRI and check before redistribution; not bundled with Chokepoint. Bilateral entries cover ' +
      'agreements with African countries only; names are free text resolved to ISO3 codes, agreement types are read ' +
      'from the wording of each entry (MoU, agreement, fund …), dates have the precision APRI gives.',
  };
  return { kind: 'apri', file: path, sources: [source], observations: [], agreements, warnings };
}

function blocs(file: string, root: unknown[], tally: Tally, ids: IdAllocator): Agreement[] {
  const out: Agreement[] = [];
  const eu = new Set(EU27_MEMBERS);
  root.forEach((raw, i) => {
    const name = (raw as { blocName?: unknown } | null)?.blocName;
    const label = `[${i}]${typeof name === 'string' ? ` (${name})` : ''}`;
    const b = inputRecord(BlocSchema, raw, file, null, label);
    const parties: string[] = [];
    const add = (p: string) => {
      if (!parties.includes(p)) parties.push(p);
    };
    const names = Array.isArray(b.members) ? b.members : b.members.countries;
    for (const m of names) {
      const p = resolveParty(m);
      if (p && isKnownParty(p)) add(p);
      else tally.add('member', `${b.blocName}: "${m}"`);
    }
    if (!Array.isArray(b.members) && b.members.EU?.length) {
      const members = b.members.EU.map((m) => ({ m, p: resolveParty(m) }));
      const resolved = new Set(members.map((x) => x.p).filter((p): p is string => !!p));
      if (resolved.size === eu.size && [...resolved].every((p) => eu.has(p))) add(EU_PARTY);
      else {
        tally.add('eu', b.blocName);
        for (const { m, p } of members) {
          if (p && isKnownParty(p)) add(p);
          else tally.add('member', `${b.blocName}: "${m}"`);
        }
      }
    }
    if (parties.length < 2) {
      tally.add('parties', b.blocName);
      return;
    }
    const signed = b.date === null || b.date === undefined || b.date === '' ? null : parseDateCell(String(b.date));
    if (b.date && !signed) tally.add('date', `${b.blocName}: "${b.date}"`);
    const id = ids.take(`apri-bloc-${slug(b.blocName, 100)}`, b.blocName);
    if (!id) {
      tally.add('duplicate', b.blocName);
      return;
    }
    const record: Agreement = {
      id,
      title: titleOf(b.blocName),
      type: 'cooperative',
      parties,
      materials: materialsInText(b.blocName),
      signed,
      inForce: null,
      ended: null,
      summary: summaryOf(b.description),
      url: urlOf(b.link),
      sourceId: APRI_SOURCE_ID,
    };
    out.push(checked(AgreementSchema, record, file, null, `${label} agreement ${id}`));
  });
  return out;
}

function bilateral(file: string, root: unknown[], tally: Tally, ids: IdAllocator): Agreement[] {
  const out: Agreement[] = [];
  root.forEach((raw, i) => {
    const na = (raw as { nonafrican?: unknown } | null)?.nonafrican;
    const naName = typeof na === 'string' ? na : typeof (na as { name?: unknown } | null)?.name === 'string' ? (na as { name: string }).name : null;
    const label = `[${i}]${naName ? ` (${naName})` : ''}`;
    const partner = inputRecord(PartnerSchema, raw, file, null, label);
    const partnerName = typeof partner.nonafrican === 'string' ? partner.nonafrican : partner.nonafrican.name;
    const partnerParty = resolveParty(partnerName);
    partner.partnership.forEach((rawEntry, j) => {
      const c = (rawEntry as { country?: unknown } | null)?.country;
      const entryLabel = `${label}.partnership[${j}]${typeof c === 'string' ? ` (${c})` : ''}`;
      const entry = inputRecord(EntrySchema, rawEntry, file, null, entryLabel);
      const items: Array<[string, Fields]> = entry.agreements?.length
        ? entry.agreements.map((a, k) => [`${entryLabel}.agreements[${k}]`, a] as [string, Fields])
        : [[entryLabel, entry]];
      for (const [itemLabel, a] of items) {
        if (!a.typeAgreement?.trim())
          throw new ImportError(
            file,
            null,
            `${itemLabel}.typeAgreement`,
            'missing: every partnership names the type of agreement (or lists them under "agreements")',
          );
      }
      const african = resolveParty(entry.country);
      if (!partnerParty || !isKnownParty(partnerParty) || !african || !isKnownParty(african)) {
        for (let k = 0; k < items.length; k++) tally.add('partner', `${partnerName}–${entry.country}`);
        return;
      }
      for (const [itemLabel, a] of items) {
        const type = a.typeAgreement!.replace(/\s+/g, ' ').trim();
        const yearText = a.year === null || a.year === undefined ? '' : String(a.year).trim();
        const signed = yearText ? parseDateCell(yearText) : null;
        if (yearText && !signed) tally.add('date', `${partnerName}–${entry.country}: "${yearText}"`);
        const mineralsText = a.minerals?.trim() ?? '';
        for (const phrase of mineralsText
          .split(/[,;.]|\band\b/i)
          .map((s) => s.trim())
          .filter(Boolean)) {
          if (!materialsInText(phrase).length) tally.add('mineral', `${partnerName}–${entry.country}: "${phrase}"`);
        }
        const materials = [...new Set([...materialsInText(mineralsText), ...materialsInText(type)])];
        const areas = Array.isArray(a.areasCoop) ? a.areasCoop.join('; ') : (a.areasCoop ?? '').trim();
        const summary = [
          type,
          areas ? `Areas of cooperation: ${areas}.` : '',
          mineralsText ? `Minerals: ${mineralsText}` : '',
          a.inforce ? `In force (APRI): ${a.inforce}.` : '',
        ]
          .filter(Boolean)
          .join('\n');
        const sourceUrl =
          (a.sources ?? '')
            .split(/\s+/)
            .map(urlOf)
            .find((u): u is string => !!u) ?? null;
        const key = [partnerParty, african, type, yearText].join('|');
        const id = ids.take(`apri-${partnerParty.toLowerCase()}-${african.toLowerCase()}-${slug(type, 70)}`, key);
        if (!id) {
          tally.add('duplicate', `${partnerName}–${entry.country}: ${type}`);
          continue;
        }
        const record: Agreement = {
          id,
          title: titleOf(`${partnerName}–${entry.country}: ${type}`),
          type: apriTypeOf(type),
          parties: [partnerParty, african],
          materials,
          signed,
          inForce: null,
          ended: null,
          summary: summaryOf(summary),
          url: urlOf(a.linkAgreement) ?? sourceUrl,
          sourceId: APRI_SOURCE_ID,
        };
        out.push(checked(AgreementSchema, record, file, null, `${itemLabel} agreement ${id}`));
      }
    });
  });
  return out;
}
