/**
 * Country-name normalisation to ISO3: the one place where any source's country label becomes an entity id.
 * Handles USGS ("Congo (Kinshasa)", "Burma", "Russiae", "New Caledonia11"), IEA ("Democratic Republic of Congo"),
 * WGI codes (ZAR, ROM, KSV, TMP, WBG, ADO), EU CRM ("Congo, D.R."), APRI free text ("USA", "England"),
 * and aggregates ("World total (rounded)", "Other countries", "Rest of world", "United States and Canada").
 */
import countriesJson from '../data/countries.json' with { type: 'json' };
import { AGGREGATE_IDS, type Country } from './schema.ts';
import { normaliseName } from './materials.ts';

interface CountryRow {
  id: string;
  iso2: string | null;
  m49: string | null;
  name: string;
  officialName: string | null;
  untermShort: string | null;
  region: string | null;
  subregion: string | null;
}
const ROWS = countriesJson as CountryRow[];

/** Display names where the CLDR short name reads oddly in a briefing ("US", "UK", "Congo - Kinshasa"). */
const DISPLAY_NAMES: Record<string, string> = {
  USA: 'United States',
  GBR: 'United Kingdom',
  COD: 'DR Congo',
  COG: 'Congo (Brazzaville)',
};

export const COUNTRIES: Country[] = [
  ...ROWS.map((r) => ({
    id: r.id,
    name: DISPLAY_NAMES[r.id] ?? r.name,
    kind: 'country' as const,
    iso2: r.iso2,
    m49: r.m49,
    region: r.region,
    subregion: r.subregion,
  })),
  { id: AGGREGATE_IDS.world, name: 'World total', kind: 'aggregate', iso2: null, m49: null, region: null, subregion: null },
  { id: AGGREGATE_IDS.other, name: 'Other countries / rest of world', kind: 'aggregate', iso2: null, m49: null, region: null, subregion: null },
  { id: 'X-EU', name: 'European Union', kind: 'aggregate', iso2: 'EU', m49: null, region: 'Europe', subregion: null },
  { id: 'X-USA+CAN', name: 'United States and Canada', kind: 'aggregate', iso2: null, m49: null, region: null, subregion: null },
];
const byId = new Map(COUNTRIES.map((c) => [c.id, c]));

/** Source-specific labels that do not match ISO names. Keys are normalised with `normaliseName`. */
const ALIASES: Record<string, string> = {
  // USGS
  'congo kinshasa': 'COD',
  'congo brazzaville': 'COG',
  burma: 'MMR',
  'korea republic of': 'KOR',
  'korea north': 'PRK',
  turkey: 'TUR',
  turkiye: 'TUR',
  laos: 'LAO',
  russia: 'RUS',
  iran: 'IRN',
  syria: 'SYR',
  vietnam: 'VNM',
  'viet nam': 'VNM',
  bolivia: 'BOL',
  venezuela: 'VEN',
  tanzania: 'TZA',
  'cote d ivoire': 'CIV',
  'ivory coast': 'CIV',
  moldova: 'MDA',
  'czech republic': 'CZE',
  czechia: 'CZE',
  macedonia: 'MKD',
  'north macedonia': 'MKD',
  'united kingdom': 'GBR',
  'united states': 'USA',
  'united states of america': 'USA',
  'bosnia and herzegovina': 'BIH',
  eswatini: 'SWZ',
  swaziland: 'SWZ',
  'new caledonia': 'NCL',
  taiwan: 'TWN',
  'hong kong': 'HKG',
  kosovo: 'XKX',
  'south korea': 'KOR',
  'north korea': 'PRK',
  'republic of korea': 'KOR',
  'korea rep': 'KOR',
  korea: 'KOR',
  'west bank and gaza': 'PSE',
  palestine: 'PSE',
  'the gambia': 'GMB',
  gambia: 'GMB',
  'cabo verde': 'CPV',
  'cape verde': 'CPV',
  brunei: 'BRN',
  micronesia: 'FSM',
  'timor leste': 'TLS',
  'east timor': 'TLS',
  'sao tome and principe': 'STP',
  'st lucia': 'LCA',
  'st kitts and nevis': 'KNA',
  'st vincent and the grenadines': 'VCT',
  kyrgyzstan: 'KGZ',
  'kyrgyz republic': 'KGZ',
  'slovak republic': 'SVK',
  'egypt arab rep': 'EGY',
  egypt: 'EGY',
  'iran islamic rep': 'IRN',
  'venezuela rb': 'VEN',
  'yemen rep': 'YEM',
  yemen: 'YEM',
  'lao pdr': 'LAO',
  'congo dem rep': 'COD',
  'congo rep': 'COG',
  'bahamas the': 'BHS',
  'gambia the': 'GMB',
  'micronesia fed sts': 'FSM',
  'hong kong sar china': 'HKG',
  'macao sar china': 'MAC',
  'taiwan china': 'TWN',
  'russian federation': 'RUS',
  'syrian arab republic': 'SYR',
  'turkiye republic of': 'TUR',
  // IEA
  'democratic republic of congo': 'COD',
  'democratic republic of the congo': 'COD',
  'dr congo': 'COD',
  drc: 'COD',
  'republic of the congo': 'COG',
  myanmar: 'MMR',
  'people s republic of china': 'CHN',
  china: 'CHN',
  // EU CRM
  'congo d r': 'COD',
  'congo dr': 'COD',
  congo: 'COG',
  'korea south': 'KOR',
  'china mainland': 'CHN',
  brasil: 'BRA',
  brasilia: 'BRA',
  turkyie: 'TUR',
  libanon: 'LBN',
  surinam: 'SUR', // misspellings in the transcription
  // APRI and other free text
  usa: 'USA',
  us: 'USA',
  uk: 'GBR',
  england: 'GBR',
  'great britain': 'GBR',
  uae: 'ARE',
  'united arab emirates': 'ARE',
  'saudi arabia': 'SAU',
  'european union': 'X-EU',
  // WGI non-ISO codes
  zar: 'COD',
  rom: 'ROU',
  ado: 'AND',
  ksv: 'XKX',
  tmp: 'TLS',
  wbg: 'PSE',
};

const AGGREGATE_PATTERNS: [RegExp, string][] = [
  [/^world( total)?( \(rounded\))?$/, AGGREGATE_IDS.world],
  [/^world total .*/, AGGREGATE_IDS.world],
  [/^total$/, AGGREGATE_IDS.world],
  [/^(other countries|other|others|rest of (the )?world|row)$/, AGGREGATE_IDS.other],
  [/^united states and canada$/, 'X-USA+CAN'],
];

const byName = new Map<string, string>();
for (const r of ROWS) {
  for (const n of [r.name, r.officialName, r.untermShort, r.id]) if (n) byName.set(normaliseName(n), r.id);
}
for (const [k, v] of Object.entries(ALIASES)) byName.set(normaliseName(k), v);

/** Strip what sources glue to names: footnote digits ("India9"), an estimate marker ("Russiae"), trailing spaces. */
export function cleanCountryLabel(raw: string): string {
  let s = raw.replace(/\u00a0/g, ' ').trim();
  s = s.replace(/\s*\d+(,\s*\d+)*$/, ''); // "World total (rounded) 10", "New Caledonia11"
  return s.trim();
}

export interface ResolvedCountry {
  id: string;
  kind: 'country' | 'aggregate';
  qualifier: string | null; // "(beneficiated)" and similar parentheticals, kept for the record
}

/** Resolve a country label to an entity id. Returns null if unknown (callers report it, never guess). */
export function resolveCountry(raw: string): ResolvedCountry | null {
  const label = cleanCountryLabel(raw);
  if (!label) return null;
  const attempt = (s: string): ResolvedCountry | null => {
    const n = normaliseName(s);
    for (const [re, id] of AGGREGATE_PATTERNS) if (re.test(n)) return { id, kind: 'aggregate', qualifier: null };
    const id = byName.get(n);
    if (id) return { id, kind: id.startsWith('X-') ? 'aggregate' : 'country', qualifier: null };
    return null;
  };
  const direct = attempt(label);
  if (direct) return direct;
  // USGS estimate marker glued to the name: "Russiae", "Other countriese"
  if (label.endsWith('e')) {
    const r = attempt(label.slice(0, -1));
    if (r) return r;
  }
  // Parenthetical qualifiers: "Brazil (beneficiated)", "China (refined)" - but "Congo (Kinshasa)" is handled above.
  const m = /^(.*?)\s*\(([^)]*)\)\s*$/.exec(label);
  if (m) {
    const r = attempt(m[1]);
    if (r) return { ...r, qualifier: m[2] };
  }
  return null;
}

export function getCountry(id: string): Country | undefined {
  return byId.get(id);
}

export function countryName(id: string): string {
  return byId.get(id)?.name ?? id;
}
