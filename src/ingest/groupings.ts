/**
 * Country groupings (EU27, G7, OECD, MSP, IPEF, BRICS geological platform ...) as membership rows with ISO3 codes,
 * compiled for this project. A supranational member (the EU in the MSP) has no ISO3 code and is resolved by name.
 */
import { GroupingMemberSchema, type GroupingMember, type ImportBatch, type Source } from '../model/schema.ts';
import { resolveCountry } from '../model/countries.ts';
import { checked, columns, readCsv, readText } from './kit.ts';

export const GROUPINGS_SOURCE: Source = {
  id: 'chokepoint-groupings-2026',
  dataset: 'groupings',
  editionYear: 2026,
  publisher: 'Chokepoint project (compiled)',
  title: 'Country groupings for aggregation: EU27, G7, OECD, MSP and critical-minerals blocs',
  edition: '2026',
  table: null,
  licence: 'membership lists are facts; no restriction intended',
  url: null,
  file: 'country_groupings.csv',
  caveat:
    'Hand-compiled: EU27, G7 and OECD from official membership lists, critical-minerals blocs from the APRI CRM partnerships map; ' +
    'not checked live, verify before publishing. Memberships change over time (see asOf).',
};

const COLUMNS = ['group_id', 'group_name', 'iso3', 'member_name', 'as_of'] as const;
const DATE = /\d{4}(-\d{2}){0,2}/;

export async function importGroupings(path: string): Promise<ImportBatch> {
  const table = readCsv(path, readText(path));
  const col = columns(path, table, COLUMNS);
  const warnings: string[] = [];
  const groupings: GroupingMember[] = [];
  const seen = new Set<string>();
  for (const { line, cells } of table.rows) {
    const [groupId, groupName, iso3, memberName, asOfText] = COLUMNS.map((c) => cells[col[c]].trim());
    // The ISO3 column is authoritative; the name is only used where there is no code (supranational members).
    const member = resolveCountry(iso3 || memberName);
    if (!member) {
      warnings.push(`line ${line}: ${groupId} member "${iso3 || memberName}" does not resolve to a country id; not imported`);
      continue;
    }
    const byName = resolveCountry(memberName);
    if (iso3 && byName && byName.id !== member.id)
      warnings.push(`line ${line}: ${groupId} member "${memberName}" is ${byName.id} by name but ${member.id} by code; code kept`);
    const key = `${groupId}|${member.id}`;
    if (seen.has(key)) {
      warnings.push(`line ${line}: ${groupId} lists ${member.id} twice; second row not imported`);
      continue;
    }
    seen.add(key);
    // as_of holds free text such as "2020-02-01 (post-Brexit)" or "source file updated 2026-03; MSP launched 2022":
    // the first date in it is the date of the list.
    const asOf = DATE.exec(asOfText)?.[0] ?? null;
    if (!asOf) warnings.push(`line ${line}: as_of "${asOfText}" has no date; asOf left empty`);
    const record = { groupId, groupName, countryId: member.id, asOf, sourceId: GROUPINGS_SOURCE.id };
    groupings.push(checked(GroupingMemberSchema, record, path, line, 'grouping'));
  }
  return { kind: 'groupings', file: path, sources: [GROUPINGS_SOURCE], observations: [], groupings, warnings };
}
