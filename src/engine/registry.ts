/**
 * Registry analytics (pure): which measures and agreements concern a material, a timeline of their dates, and the
 * stress-test scenario a trade measure implies ("start the stress test from the measure in one step").
 */
import { MATERIALS, getMaterial } from '../model/materials.ts';
import { countryName } from '../model/countries.ts';
import { measureInEffect, measureStatus, type Agreement, type Project, type Registry, type TradeMeasure } from '../model/registry.ts';
import type { Source } from '../model/schema.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { DatasetIndex } from './dataset.ts';
import { cite, unknownSourceCitation, type Citation } from '../model/provenance.ts';

const parentsOf = new Map<string, string[]>();
for (const m of MATERIALS) for (const child of m.members) parentsOf.set(child, [...(parentsOf.get(child) ?? []), m.id]);

/**
 * A material and the materials a record about it may be filed under: its groups (a measure on "rare-earths" concerns
 * dysprosium) and its members (a measure on dysprosium concerns "rare-earths").
 */
export function relatedMaterials(materialId: string): Set<string> {
  const out = new Set<string>([materialId]);
  const up = [materialId];
  while (up.length) for (const p of parentsOf.get(up.pop()!) ?? []) if (!out.has(p)) (out.add(p), up.push(p));
  const down = [materialId];
  while (down.length) for (const c of getMaterial(down.pop()!)?.members ?? []) if (!out.has(c)) (out.add(c), down.push(c));
  return out;
}

export const concerns = (recordMaterials: string[], materialId: string): boolean => {
  const rel = relatedMaterials(materialId);
  return recordMaterials.some((m) => rel.has(m));
};

export type TimelineEventKind =
  | 'measure_announced'
  | 'measure_effective'
  | 'measure_suspended'
  | 'measure_suspension_ends'
  | 'measure_ended'
  | 'agreement_signed'
  | 'agreement_in_force'
  | 'agreement_ended';

export interface TimelineEvent {
  date: string; // ISO date at the precision of the source
  kind: TimelineEventKind;
  recordKind: 'measure' | 'agreement';
  recordId: string;
  title: string;
  countries: string[]; // imposing country, or the parties
  materials: string[];
  measureType: TradeMeasure['measureType'] | null;
  agreementType: Agreement['type'] | null;
  url: string | null;
  source: Citation;
}

export interface TimelineQuery {
  materialId?: string;
  countryId?: string; // imposing country or party
  from?: string;
  to?: string;
}

const sourceOf = (index: DatasetIndex, id: string): Source | undefined => index.data.sources.get(id);

function citation(index: DatasetIndex, sourceId: string): Citation {
  const s = sourceOf(index, sourceId);
  return s ? cite(s) : unknownSourceCitation(sourceId);
}

/** Measures concerning a material (group-aware), newest first. */
export function measuresFor(reg: Registry, materialId?: string, countryId?: string): TradeMeasure[] {
  return reg.measures
    .filter((m) => (!materialId || concerns(m.materials, materialId)) && (!countryId || m.countryId === countryId || m.targets.includes(countryId)))
    .sort((a, b) => (b.effective ?? b.announced ?? '').localeCompare(a.effective ?? a.announced ?? '') || a.id.localeCompare(b.id));
}

export function agreementsFor(reg: Registry, materialId?: string, countryId?: string, groupsOfCountry: string[] = []): Agreement[] {
  return reg.agreements
    .filter((a) => !materialId || a.materials.length === 0 || concerns(a.materials, materialId))
    .filter((a) => !countryId || a.parties.includes(countryId) || a.parties.some((p) => groupsOfCountry.includes(p)))
    .sort((a, b) => (b.signed ?? '').localeCompare(a.signed ?? '') || a.id.localeCompare(b.id));
}

export function projectsFor(reg: Registry, materialId?: string, countryId?: string): Project[] {
  return reg.projects.filter(
    (p) => (!materialId || concerns(p.materials, materialId)) && (!countryId || p.countryId === countryId || p.partners.some((x) => x.partnerId === countryId)),
  );
}

export interface GroupingDeals {
  groupId: string;
  /** Agreements founding or run by the grouping (`groupIds`) or naming it as a party. */
  agreements: Array<Agreement & { link: string }>;
  /** Projects citing one of those agreements, or with the grouping as a partner. */
  projects: Array<Project & { link: string }>;
}

/**
 * The deals a grouping involves ("which deals does the MSP involve?"): its founding and follow-on agreements, the
 * agreements that name it as a party, and the projects linked to any of them or backed by the grouping itself. Each
 * row says why it is listed (`link`). Member countries' own bilateral deals are not listed: they are the members',
 * not the grouping's.
 */
export function dealsOfGrouping(reg: Registry, groupId: string): GroupingDeals {
  const agreements = reg.agreements
    .filter((a) => a.groupIds?.includes(groupId) || a.parties.includes(groupId))
    .map((a) => ({ ...a, link: a.groupIds?.includes(groupId) ? `founds, runs or succeeds the ${groupId}` : `${groupId} is a party` }))
    .sort((a, b) => (a.signed ?? '').localeCompare(b.signed ?? '') || a.id.localeCompare(b.id));
  const ids = new Set(agreements.map((a) => a.id));
  const projects = reg.projects
    .filter((p) => p.agreementIds.some((id) => ids.has(id)) || p.partners.some((x) => x.partnerId === groupId))
    .map((p) => {
      const via = p.agreementIds.filter((id) => ids.has(id));
      return { ...p, link: via.length ? `linked to ${via.join(', ')}` : `${groupId} is a partner` };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  return { groupId, agreements, projects };
}

/**
 * Dated events of measures and agreements, oldest first. Agreements that name no mineral (general frameworks) are
 * included in a material's timeline only when `includeGeneral` is set, because they do not concern it specifically.
 */
export function timeline(index: DatasetIndex, q: TimelineQuery = {}, includeGeneral = false): TimelineEvent[] {
  const reg = index.data.registry ?? { agreements: [], measures: [], projects: [] };
  const out: TimelineEvent[] = [];
  const inRange = (d: string) => (!q.from || d >= q.from) && (!q.to || d.slice(0, q.to.length) <= q.to);
  for (const m of measuresFor(reg, q.materialId, q.countryId)) {
    const dates: Array<[string | null, TimelineEventKind]> = [
      [m.announced, 'measure_announced'],
      // A measure suspended before its effective date never applied: no "effective" event.
      [m.effective !== m.announced && !(m.suspended && m.effective && m.suspended < m.effective) ? m.effective : null, 'measure_effective'],
      [m.suspended, 'measure_suspended'],
      [m.suspendedUntil ?? null, 'measure_suspension_ends'],
      [m.ended, 'measure_ended'],
    ];
    for (const [date, kind] of dates) {
      if (!date || !inRange(date)) continue;
      out.push({
        date,
        kind,
        recordKind: 'measure',
        recordId: m.id,
        title: m.title,
        countries: [m.countryId],
        materials: m.materials,
        measureType: m.measureType,
        agreementType: null,
        url: m.url,
        source: citation(index, m.sourceId),
      });
    }
  }
  const groupsOf = q.countryId ? [...new Set(index.data.groupings.filter((g) => g.countryId === q.countryId).map((g) => g.groupId))] : [];
  for (const a of agreementsFor(reg, q.materialId, q.countryId, groupsOf)) {
    if (q.materialId && a.materials.length === 0 && !includeGeneral) continue;
    const dates: Array<[string | null, TimelineEventKind]> = [
      [a.signed, 'agreement_signed'],
      [a.inForce !== a.signed ? a.inForce : null, 'agreement_in_force'],
      [a.ended, 'agreement_ended'],
    ];
    for (const [date, kind] of dates) {
      if (!date || !inRange(date)) continue;
      out.push({
        date,
        kind,
        recordKind: 'agreement',
        recordId: a.id,
        title: a.title,
        countries: a.parties,
        materials: a.materials,
        measureType: null,
        agreementType: a.type,
        url: a.url,
        source: citation(index, a.sourceId),
      });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.recordId.localeCompare(b.recordId) || a.kind.localeCompare(b.kind));
}

export interface MeasureScenario {
  scenario: Scenario | null;
  /** Why the scenario looks the way it does, or why none could be built. */
  notes: string[];
}

/**
 * The stress test a trade measure implies: the imposing country's supply of the material removed at the stage the
 * measure controls, in the latest historical year with supply data at that stage (or `year`). An export ban maps to
 * `export_ban` with fraction 1; a licence, quota or tax does not stop all exports, so the scenario still removes the
 * whole supply (the worst case the measure makes possible) and says so. A measure targeting named destinations
 * removes supply for everyone here: the engine has no destination-specific shock.
 */
export function scenarioForMeasure(index: DatasetIndex, m: TradeMeasure, opts: { materialId?: string; year?: number } = {}): MeasureScenario {
  const notes: string[] = [];
  if (m.direction !== 'export') return { scenario: null, notes: [`${m.title}: an import measure does not remove supply; no stress test`] };
  if (m.countryId.length !== 3) return { scenario: null, notes: [`${m.title}: imposed by the bloc ${m.countryId}; name its members to stress-test`] };
  // Material: the one asked for if the measure concerns it, else the first of the measure's materials with supply data,
  // else a group that contains one (dysprosium → rare-earths).
  const requested = opts.materialId && concerns(m.materials, opts.materialId) ? [opts.materialId] : [];
  const withData = (id: string) => index.years(id, 'mining').length > 0 || index.years(id, 'refining').length > 0;
  // Materials to try, in order: the one asked for, the measure's own materials with supply series, then the groups
  // they belong to (dysprosium → rare earths).
  const candidates: Array<{ id: string; via: string | null }> = [];
  for (const id of [...requested, ...m.materials]) if (withData(id) && !candidates.some((c) => c.id === id)) candidates.push({ id, via: null });
  for (const id of [...requested, ...m.materials]) {
    const parent = [...relatedMaterials(id)].find((r) => r !== id && withData(r) && getMaterial(r)?.members.includes(id));
    if (parent && !candidates.some((c) => c.id === parent)) candidates.push({ id: parent, via: id });
  }
  if (!candidates.length) return { scenario: null, notes: [`${m.title}: no supply data for ${m.materials.join(', ') || m.hsCodes.join(', ')}`] };
  const stageOrder: Array<'refining' | 'mining'> =
    m.stages.includes('refining') || m.stages.includes('intermediate')
      ? ['refining', 'mining']
      : m.stages.includes('mining')
        ? ['mining', 'refining']
        : ['refining', 'mining'];
  if (!m.stages.length) notes.push('the measure does not say which stage it controls; refining assumed');
  if (m.stages.includes('intermediate') && !m.stages.includes('refining'))
    notes.push('the measure controls intermediates; the refining stage is stressed, the closest stage with supply data');
  const currentYear = new Date().getUTCFullYear();
  const name = (id: string) => getMaterial(id)?.name ?? id;
  for (const { id: material, via } of candidates) {
    for (const stage of stageOrder) {
      const years = index
        .years(material, stage)
        .filter((y) => index.rows(material, stage, 'production', y).some((o) => o.scenario === null && o.countryId === m.countryId && o.value !== null))
        .filter((y) => y <= currentYear);
      const year = opts.year ?? years[years.length - 1];
      if (year === undefined) continue;
      if (via) notes.push(`${name(via)} has no supply series listing ${countryName(m.countryId)}; using ${name(material)}, the group it belongs to`);
      if (requested.length && material !== requested[0] && !via)
        notes.push(`no supply data listing ${countryName(m.countryId)} for ${name(requested[0])}; ${name(material)} used`);
      if (stage !== stageOrder[0]) notes.push(`no ${stageOrder[0]} data with ${countryName(m.countryId)} listed; ${stage} used`);
      if (m.measureType !== 'ban')
        notes.push(
          `a ${m.measureType === 'licence' ? 'licensing requirement' : m.measureType} need not stop all exports: the scenario removes all of ${countryName(m.countryId)}'s supply, the worst case; lower the fraction to test partial enforcement`,
        );
      if (m.targets.length) notes.push(`the measure targets ${m.targets.join(', ')}; the scenario removes the supply for every importer`);
      const today = new Date().toISOString().slice(0, 10);
      if (m.suspended && !measureInEffect(m, today)) notes.push(`${measureStatus(m, today)}: the scenario tests a reinstatement`);
      const scenario: Scenario = {
        version: 1,
        name: `${m.title} — ${name(material)} ${stage}, ${year}`,
        description: `Scenario built from registry measure ${m.id}${m.url ? ` (${m.url})` : ''}`,
        material,
        year,
        stage,
        demandScenario: 'STEPS',
        shock: { exclude: [m.countryId], mode: 'export_ban', fraction: 1, durationMonths: 12 },
      };
      return { scenario, notes };
    }
  }
  return {
    scenario: null,
    notes: [...notes, `no mining or refining supply data listing ${countryName(m.countryId)} for ${candidates.map((c) => name(c.id)).join(', ')}`],
  };
}
