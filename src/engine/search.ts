/**
 * Global search (pure): one query over materials, countries, groupings, trade measures, agreements, projects and the
 * dashboard's analysis pages, ranked so the thing the analyst named comes first. Matching is on normalised text
 * (lower case, accents dropped): an exact id or name beats a prefix, a prefix beats a word prefix, a word prefix
 * beats a substring of a title, and a match only in a summary ranks last.
 */
import { MATERIALS, normaliseName } from '../model/materials.ts';
import { COUNTRIES, countryName } from '../model/countries.ts';
import type { DatasetIndex } from './dataset.ts';

export const SEARCH_KINDS = ['page', 'material', 'country', 'grouping', 'importer', 'measure', 'agreement', 'project'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchHit {
  kind: SearchKind;
  id: string;
  label: string;
  /** One line of context: a measure's country and date, an agreement's parties, a material's group. */
  detail: string;
  /** For measures and agreements: the material and country a timeline of it is best opened on. */
  materialId: string | null;
  countryId: string | null;
  /** For groupings, and agreements founding or run by one: the grouping whose page answers "what deals". */
  groupId: string | null;
  score: number;
}

/** Analysis pages a search can jump to (the dashboard routes them; ids are route names). */
const PAGES: Array<{ id: string; label: string; words: string }> = [
  { id: 'crma', label: 'EU CRMA 65% test and 2030 benchmarks', words: 'crma critical raw materials act 65 test benchmarks strategic eu' },
  {
    id: 'criticality',
    label: 'Criticality by method (EU, DOE, USGS, GeoPolRisk)',
    words: 'criticality supply risk economic importance doe usgs geopolrisk methods',
  },
  { id: 'stress', label: 'Stress test builder', words: 'stress test export ban shock shortfall stockpile n-1 scenario' },
  { id: 'timeline', label: 'Measures and agreements timeline', words: 'timeline measures export controls agreements registry' },
  { id: 'coalitions', label: 'Coalition shares and N-1', words: 'coalitions coalition share msp g7 friend-shoring n-1 deal' },
  { id: 'country', label: 'Countries and their roles', words: 'countries country roles processing hub producer' },
  { id: 'importer', label: 'Importer exposure (countries and blocs)', words: 'importer imports exposure dependence suppliers hubs eu who loses' },
  { id: 'alerts', label: 'Early-warning alerts', words: 'alerts early warning rules' },
  { id: 'sources', label: 'Data sources', words: 'sources provenance data licence' },
];

/** Score one candidate text against the query: 0 = no match. */
function scoreText(q: string, text: string, base: number): number {
  const t = normaliseName(text);
  if (!t) return 0;
  if (t === q) return base + 40;
  if (t.startsWith(q)) return base + 30;
  if (t.split(' ').some((w) => w.startsWith(q))) return base + 20;
  if (t.includes(q)) return base + 10;
  // Several words in any order ("indonesia nickel ban"): each starts a word of the text.
  const qs = q.split(' ');
  if (qs.length > 1) {
    const words = t.split(' ');
    if (qs.every((w) => words.some((x) => x.startsWith(w)))) return base + 5;
  }
  return 0;
}

const best = (q: string, texts: Array<string | null | undefined>, base: number) =>
  Math.max(0, ...texts.filter((t): t is string => !!t).map((t) => scoreText(q, t, base)));

export function search(index: DatasetIndex, query: string, limit = 30): SearchHit[] {
  const q = normaliseName(query);
  if (q.length < 2) return [];
  const hits: SearchHit[] = [];
  const push = (h: Omit<SearchHit, 'score' | 'groupId'> & { groupId?: string | null }, score: number) => {
    if (score > 0) hits.push({ groupId: null, ...h, score });
  };
  for (const p of PAGES)
    push({ kind: 'page', id: p.id, label: p.label, detail: 'analysis page', materialId: null, countryId: null }, best(q, [p.label, p.words], 40));
  for (const m of MATERIALS) {
    const score = best(q, [m.id, m.name, ...m.aliases], 60);
    push(
      {
        kind: 'material',
        id: m.id,
        label: m.name,
        detail: m.group ? `in ${MATERIALS.find((g) => g.id === m.group)?.name ?? m.group}` : m.members.length ? `group of ${m.members.length}` : 'material',
        materialId: m.id,
        countryId: null,
      },
      score && score + (index.materials.has(m.id) ? 5 : 0), // materials with data before those without
    );
  }
  for (const c of COUNTRIES) {
    if (c.kind !== 'country') continue;
    const score = Math.max(best(q, [c.name], 55), q === c.id.toLowerCase() ? 95 : 0);
    push({ kind: 'country', id: c.id, label: c.name, detail: c.id, materialId: null, countryId: c.id }, score);
    // The same country as an importer (its suppliers, dependence, measures): listed just after its profile.
    push({ kind: 'importer', id: c.id, label: `${c.name}: importer exposure`, detail: c.id, materialId: null, countryId: c.id }, score - 1);
  }
  const groups = new Map<string, { name: string; members: number }>();
  for (const g of index.data.groupings) {
    const e = groups.get(g.groupId) ?? { name: g.groupName, members: 0 };
    e.members++;
    groups.set(g.groupId, e);
  }
  for (const [id, g] of groups) {
    const score = best(q, [id, g.name], 60);
    push({ kind: 'grouping', id, label: `${g.name} (${id})`, detail: `${g.members} members`, materialId: null, countryId: null, groupId: id }, score);
    push(
      { kind: 'importer', id, label: `${g.name} (${id}): importer exposure`, detail: 'extra-bloc imports', materialId: null, countryId: null, groupId: id },
      score - 1,
    );
  }
  const reg = index.data.registry;
  if (reg) {
    for (const m of reg.measures)
      push(
        {
          kind: 'measure',
          id: m.id,
          label: m.title,
          detail: `${countryName(m.countryId)} · ${m.direction} ${m.measureType} · ${m.effective ?? m.announced ?? 'undated'}`,
          materialId: m.materials[0] ?? null,
          countryId: m.countryId,
        },
        Math.max(best(q, [m.title, m.id], 20), best(q, [m.summary, countryName(m.countryId), ...m.materials], 5)),
      );
    for (const a of reg.agreements)
      push(
        {
          kind: 'agreement',
          id: a.id,
          label: a.title,
          detail: `${a.parties.slice(0, 6).join(', ')}${a.parties.length > 6 ? ' …' : ''} · ${a.type} · ${a.signed ?? 'undated'}`,
          materialId: a.materials[0] ?? null,
          countryId: a.parties.find((p) => p.length === 3 && !groups.has(p)) ?? null,
          groupId: a.groupIds?.[0] ?? a.parties.find((p) => groups.has(p)) ?? null,
        },
        Math.max(best(q, [a.title, a.id, ...(a.groupIds ?? [])], 20), best(q, [a.summary, ...a.parties.map(countryName), ...a.parties], 5)),
      );
    for (const p of reg.projects)
      push(
        {
          kind: 'project',
          id: p.id,
          label: p.name,
          detail: `${countryName(p.countryId)} · ${p.materials.join(', ')} · ${p.stage} · ${p.status}`,
          materialId: p.materials[0] ?? null,
          countryId: p.countryId,
        },
        Math.max(best(q, [p.name, p.id], 20), best(q, [p.summary, countryName(p.countryId), ...p.materials], 5)),
      );
  }
  return hits
    .sort((a, b) => b.score - a.score || SEARCH_KINDS.indexOf(a.kind) - SEARCH_KINDS.indexOf(b.kind) || a.label.localeCompare(b.label))
    .slice(0, limit);
}
