/**
 * Early-warning rule evaluation (pure): each rule is read against the whole knowledge base and returns the alerts whose
 * condition holds now. Storage of first/last seen is the caller's (src/store/alerts.ts).
 *
 * Indicators: shares and HHI come from the concentration module (the same series choice as every other view), N-1
 * coverage from the N-1 sweep (IEA GCMO 2025 method: supply without the largest supplier ÷ world demand).
 */
import type { Alert, AlertRule, Indicator, Severity } from '../model/alerts.ts';
import { measureState, measureStatus, type TradeMeasure } from '../model/registry.ts';
import { getMaterial } from '../model/materials.ts';
import { countryName } from '../model/countries.ts';
import type { Stage } from '../model/schema.ts';
import { concentrationRow, type ConcentrationRow } from './concentration-report.ts';
import type { DatasetIndex } from './dataset.ts';
import { concerns } from './registry.ts';
import { n1Sweep } from './stress/sweep.ts';
import { priceHistory } from './prices.ts';

const name = (id: string) => getMaterial(id)?.name ?? id;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Historical years (no scenario) with country figures for a material and stage, ascending. */
export function historicalYears(index: DatasetIndex, materialId: string, stage: Stage): number[] {
  return index
    .years(materialId, stage)
    .filter((y) =>
      index
        .rows(materialId, stage, 'production', y)
        .some((o) => o.scenario === null && o.value !== null && o.countryId.length === 3 && o.countryId !== 'WLD' && o.countryId !== 'OTH'),
    );
}

function indicatorValue(row: ConcentrationRow, ind: Exclude<Indicator, 'n1_coverage' | 'n1_remaining_share'>): number | null {
  switch (ind) {
    case 'top_share':
      return row.top1Share;
    case 'top3_share':
      return row.top3Share;
    case 'hhi':
      return row.hhiPoints;
    case 'china_share':
      return row.chinaShare;
  }
}

const fmt = (ind: Indicator, v: number) => (ind === 'hhi' ? String(Math.round(v)) : ind === 'n1_coverage' ? `${(v * 100).toFixed(0)}% of demand` : pct(v));
const LABEL: Record<Indicator, string> = {
  top_share: 'largest supplier share',
  top3_share: 'top-3 share',
  hhi: 'HHI',
  china_share: 'China share',
  n1_coverage: 'N-1 coverage',
  n1_remaining_share: 'supply left without the largest supplier',
};

function materialsOf(index: DatasetIndex, rule: { materials: string[] }): string[] {
  return rule.materials.length ? rule.materials : [...index.materials].sort();
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };
/** A rule's `severity` is a ceiling: an alert is never more severe than the rule that raised it allows. */
export const capSeverity = (s: Severity, ceiling: Severity): Severity => (RANK[s] <= RANK[ceiling] ? s : ceiling);

/** How each kind of rule grades its alerts (shown on the alerts page and in docs/registry-and-early-warning.md). */
export const SEVERITY_RULES: Record<AlertRule['kind'], string> = {
  new_measure:
    'critical: a ban or quota in force today (it stops or caps exports); warning: a licence, tax or other measure in force, a measure announced but not yet in force, or one suspended with a set end date (it can return); info: ended, suspended without end date, or undated. Status is read from the dates on the day you look.',
  concentration_rise: "critical: the rise is more than 3× the rule's threshold; warning: more than 2×; info: above the threshold only.",
  coverage_below: "critical: N-1 coverage below half the rule's threshold; warning: below the threshold.",
  indicator: "the rule's own severity (a comparison has no scale to grade by).",
  price_move: "critical: the move is at least 2× the rule's percent; warning: at least the rule's percent.",
};

/** Severity of a trade-measure alert on a date, from the measure's dates and type (SEVERITY_RULES.new_measure). */
export function measureSeverity(ms: TradeMeasure, on: string, ceiling: Severity): { severity: Severity; severityReason: string } {
  const state = measureState(ms, on);
  const status = measureStatus(ms, on);
  let s: Severity;
  let why: string;
  if (state === 'in_effect' || state === 'in_effect_again') {
    s = ms.measureType === 'ban' || ms.measureType === 'quota' ? 'critical' : 'warning';
    why = s === 'critical' ? `a ${ms.measureType} ${status}` : `a ${ms.measureType} (need not stop exports) ${status}`;
  } else if (state === 'announced' || (state === 'suspended' && ms.suspendedUntil)) {
    s = 'warning';
    why = `${status}: not in force on ${on}, but can apply later`;
  } else {
    s = 'info';
    why = `${status}: not in force on ${on}`;
  }
  return graded(s, why, ceiling);
}

function graded(s: Severity, why: string, ceiling: Severity): { severity: Severity; severityReason: string } {
  const capped = capSeverity(s, ceiling);
  return { severity: capped, severityReason: capped === s ? why : `${why}; capped at ${ceiling} by the rule` };
}

/**
 * Re-read a stored measure alert against the measure's dates on the day it is viewed: a suspension that ran out
 * turns "suspended until …" into "in effect again since …" and raises the severity without a re-evaluation.
 */
export function alertOnDate<A extends Alert>(alert: A, index: DatasetIndex, ceiling: Severity, on: string): A {
  if (!alert.measureId) return alert;
  const ms = index.data.registry?.measures.find((m) => m.id === alert.measureId);
  if (!ms) return alert;
  const prefix = alert.detail.split(' — ')[0];
  const detail = `${prefix} — ${measureTail(ms, on)}`;
  return { ...alert, ...measureSeverity(ms, on, ceiling), detail };
}

const measureTail = (ms: TradeMeasure, on: string) =>
  `${measureStatus(ms, on)}${ms.targets.length ? `; targets ${ms.targets.join(', ')}` : ''}${ms.url ? ` (${ms.url})` : ''}`;

export function evaluateRule(index: DatasetIndex, rule: AlertRule, on: string = new Date().toISOString().slice(0, 10)): Alert[] {
  const out: Alert[] = [];
  const base = (key: string) => ({ ruleId: rule.id, key: `${rule.id}|${key}` });
  switch (rule.kind) {
    case 'concentration_rise': {
      for (const m of materialsOf(index, rule)) {
        const years = historicalYears(index, m, rule.stage);
        const to = rule.toYear ?? years[years.length - 1];
        const from = rule.fromYear ?? [...years].reverse().find((y) => y < to);
        if (to === undefined || from === undefined) continue;
        const a = concentrationRow(index, { materialId: m, stage: rule.stage, year: from });
        const b = concentrationRow(index, { materialId: m, stage: rule.stage, year: to });
        if (!a || !b || a.producers === 0 || b.producers === 0) continue;
        const va = indicatorValue(a, rule.indicator);
        const vb = indicatorValue(b, rule.indicator);
        if (va === null || vb === null) continue;
        const rise = rule.indicator === 'hhi' ? vb - va : (vb - va) * 100;
        if (rise <= rule.points) continue;
        const who = rule.indicator === 'top_share' && b.largest ? ` (${b.largest.country})` : '';
        const unit = rule.indicator === 'hhi' ? ' points' : ' pp';
        const riseText = `${rule.indicator === 'hhi' ? Math.round(rise) : rise.toFixed(1)}${unit}`;
        out.push({
          ...base(`${m}|${rule.stage}|${from}-${to}`),
          ...(rise > 3 * rule.points
            ? graded('critical', `rise ${riseText} > 3× the threshold of ${rule.points}${unit}`, rule.severity)
            : rise > 2 * rule.points
              ? graded('warning', `rise ${riseText} > 2× the threshold of ${rule.points}${unit}`, rule.severity)
              : graded('info', `rise ${riseText} above the threshold of ${rule.points}${unit}, at most 2× it`, rule.severity)),
          materialId: m,
          stage: rule.stage,
          year: to,
          title: `${name(m)} ${rule.stage}: ${LABEL[rule.indicator]} up ${rule.indicator === 'hhi' ? Math.round(rise) : rise.toFixed(1) + ' pp'}${who}`,
          detail: `${LABEL[rule.indicator]} ${fmt(rule.indicator, va)} in ${from} → ${fmt(rule.indicator, vb)} in ${to} (rule: rise > ${rule.points}${rule.indicator === 'hhi' ? '' : ' pp'}). Sources: ${a.source.text}${a.source.sourceId !== b.source.sourceId ? `; ${b.source.text}` : ''}`,
          value: rule.indicator === 'hhi' ? vb : vb,
          threshold: rule.points,
          sourceIds: [...new Set([a.source.sourceId, b.source.sourceId])],
          measureId: null,
        });
      }
      return out;
    }
    case 'new_measure': {
      const reg = index.data.registry;
      if (!reg) return out;
      for (const ms of reg.measures) {
        if (ms.direction !== rule.direction) continue;
        if (rule.countries.length && !rule.countries.includes(ms.countryId)) continue;
        const date = ms.announced ?? ms.effective;
        if (rule.since && (!date || date < rule.since)) continue;
        const watched = rule.materials.length ? rule.materials.filter((w) => concerns(ms.materials, w)) : ms.materials;
        if (rule.materials.length && watched.length === 0) continue;
        out.push({
          ...base(ms.id),
          ...measureSeverity(ms, on, rule.severity),
          materialId: watched[0] ?? null,
          stage: ms.stages[0] ?? null,
          year: date ? Number(date.slice(0, 4)) : null,
          // titles usually name their country already ("China: …", "DRC: …")
          title:
            /^[^:]{2,40}:/.test(ms.title) || ms.title.toLowerCase().includes(countryName(ms.countryId).toLowerCase())
              ? ms.title
              : `${countryName(ms.countryId)}: ${ms.title}`,
          detail: `${ms.direction} ${ms.measureType} on ${watched.map(name).join(', ') || ms.hsCodes.join(', ')} — ${measureTail(ms, on)}`,
          value: null,
          threshold: null,
          sourceIds: [ms.sourceId],
          measureId: ms.id,
        });
      }
      return out;
    }
    case 'coverage_below': {
      const rows = n1Sweep(index, {
        materials: rule.materials.length ? rule.materials : undefined,
        stages: [rule.stage],
        years: rule.year ? [rule.year] : undefined,
      });
      for (const r of rows) {
        // The IEA-style reading nets the removed supplier's own use out of demand; where that is unknown, the world reading.
        const netted = r.coverageNettedRatio;
        const v = netted ?? r.coverageWorldRatio;
        if (v === null || v >= rule.threshold) continue;
        const reading =
          netted !== null
            ? `of demand net of ${countryName(r.removed)}'s own use (${pct(r.ownUseShare!)} of ${r.nettedDemandScope ?? 'world demand'}${r.ownUseAssumed ? ', partly assumed' : ''})`
            : 'of world demand (own use unknown)';
        const cov = `${(v * 100).toFixed(0)}%`;
        out.push({
          ...base(`${r.materialId}|${r.stage}|${r.year}|${r.scenario ?? 'hist'}`),
          ...(v < rule.threshold / 2
            ? graded('critical', `coverage ${cov} < half the threshold (${((rule.threshold / 2) * 100).toFixed(0)}%)`, rule.severity)
            : graded('warning', `coverage ${cov} < the threshold (${(rule.threshold * 100).toFixed(0)}%), at least half of it`, rule.severity)),
          materialId: r.materialId,
          stage: r.stage,
          year: r.year,
          title: `${name(r.materialId)} ${r.stage} ${r.year}: without ${countryName(r.removed)} supply covers ${(v * 100).toFixed(0)}% ${reading}`,
          detail: `IEA-style N-1: ${countryName(r.removed)} (${pct(r.removedShare)} of supply) removed; ${Math.round(r.remainingTonnes).toLocaleString('en')} t left against ${Math.round(r.demandTonnes!).toLocaleString('en')} t world demand (${r.demandScenario ?? 'demand'}) = ${pct(r.coverageWorldRatio!)}${netted !== null ? `; netted ${pct(netted)} (own use: ${r.ownUseSource})` : r.nettedNote ? `; netted reading: ${r.nettedNote}` : ''}; below the rule's ${(rule.threshold * 100).toFixed(0)}%. Source: ${r.sourceId}`,
          value: v,
          threshold: rule.threshold,
          sourceIds: [r.sourceId],
          measureId: null,
        });
      }
      return out;
    }
    case 'indicator': {
      const test = (v: number) => (rule.op === '>' ? v > rule.value : rule.op === '>=' ? v >= rule.value : rule.op === '<' ? v < rule.value : v <= rule.value);
      for (const m of materialsOf(index, rule)) {
        let value: number | null = null;
        let year: number | undefined;
        let sourceId = '';
        let what = '';
        if (rule.indicator === 'n1_coverage' || rule.indicator === 'n1_remaining_share') {
          const years = rule.year ? [rule.year] : historicalYears(index, m, rule.stage).slice(-1);
          const r = n1Sweep(index, { materials: [m], stages: [rule.stage], years })[0];
          if (!r) continue;
          value = rule.indicator === 'n1_coverage' ? (r.coverageNettedRatio ?? r.coverageWorldRatio) : r.remainingSupplyShare;
          year = r.year;
          sourceId = r.sourceId;
          what = `without ${countryName(r.removed)}${rule.indicator === 'n1_coverage' ? (r.coverageNettedRatio !== null ? ', net of its own use' : ', vs world demand (own use unknown)') : ''}`;
        } else {
          const years = historicalYears(index, m, rule.stage);
          year = rule.year ?? years[years.length - 1];
          if (year === undefined) continue;
          const row = concentrationRow(index, { materialId: m, stage: rule.stage, year });
          if (!row || row.producers === 0) continue;
          value = indicatorValue(row, rule.indicator);
          sourceId = row.source.sourceId;
          what = row.largest && rule.indicator === 'top_share' ? `largest: ${row.largest.country}` : '';
        }
        if (value === null || !test(value)) continue;
        out.push({
          ...base(`${m}|${rule.stage}|${year}`),
          severity: rule.severity,
          severityReason: `the rule's severity (${LABEL[rule.indicator]} ${rule.op} ${fmt(rule.indicator, rule.value)})`,
          materialId: m,
          stage: rule.stage,
          year: year ?? null,
          title: `${name(m)} ${rule.stage} ${year}: ${LABEL[rule.indicator]} ${fmt(rule.indicator, value)} ${rule.op} ${fmt(rule.indicator, rule.value)}`,
          detail: `${LABEL[rule.indicator]} ${fmt(rule.indicator, value)}${what ? ` (${what})` : ''}; source ${sourceId}`,
          value,
          threshold: rule.value,
          sourceIds: [sourceId],
          measureId: null,
        });
      }
      return out;
    }
    case 'price_move': {
      const watched = rule.materials.length ? new Set(rule.materials) : null;
      const prices = (index.data.prices ?? []).filter((p) => !watched || watched.has(p.materialId));
      for (const s of priceHistory(prices, index.data.sources, { window: rule.window })) {
        const pick = (y: (typeof s.years)[number]) => (rule.measure === 'yoy' ? y.yoy : y.rollingRange);
        const candidates = s.years.filter((y) => pick(y) !== null && (rule.year === undefined || y.year === rule.year));
        const at = candidates[candidates.length - 1];
        if (!at) continue;
        const change = pick(at)!;
        const limit = rule.percent / 100;
        const hit =
          rule.measure === 'rolling_range'
            ? change >= limit
            : rule.direction === 'up'
              ? change >= limit
              : rule.direction === 'down'
                ? change <= -limit
                : Math.abs(change) >= limit;
        if (!hit) continue;
        const prev = s.years.find((y) => y.year === at.year - 1);
        const label = `${name(s.materialId)} price${s.series === 'average' ? '' : ` (${s.series})`}`;
        const moved =
          rule.measure === 'yoy'
            ? `${change >= 0 ? '+' : ''}${(change * 100).toFixed(0)}% in ${at.year}`
            : `${(change * 100).toFixed(0)}% range over ${at.year - rule.window + 1}-${at.year}`;
        out.push({
          ...base(`${s.materialId}|${s.series}|${s.unit}|${rule.measure}|${at.year}`),
          ...(Math.abs(change) >= 2 * limit
            ? graded('critical', `move ${(change * 100).toFixed(0)}% ≥ 2× the rule's ${rule.percent}%`, rule.severity)
            : graded('warning', `move ${(change * 100).toFixed(0)}% ≥ the rule's ${rule.percent}%`, rule.severity)),
          materialId: s.materialId,
          stage: null,
          year: at.year,
          title: `${label}: ${moved}`,
          detail:
            rule.measure === 'yoy'
              ? `${at.value} ${s.unit} in ${at.year}${at.estimated ? ' (estimate)' : ''} against ${prev?.value} in ${at.year - 1} (rule: ${rule.direction} ${rule.percent}%). Basis: ${s.basis}. Source: ${s.sources.map((x) => x.title).join('; ')}`
              : `(max − min) / min of ${s.unit} prices ${at.year - rule.window + 1}-${at.year} (rule: ≥ ${rule.percent}%). Basis: ${s.basis}. Source: ${s.sources.map((x) => x.title).join('; ')}`,
          value: change,
          threshold: limit,
          sourceIds: [...new Set([at.sourceId, ...(prev ? [prev.sourceId] : [])])],
          measureId: null,
        });
      }
      return out;
    }
  }
}

export function evaluateRules(index: DatasetIndex, rules: AlertRule[], on?: string): Alert[] {
  return rules.flatMap((r) => evaluateRule(index, r, on));
}

/** Rules installed in a new store so the alert feed is useful out of the box; users can delete or replace them. */
export const STARTER_RULES: AlertRule[] = [
  {
    id: 'china-export-controls',
    name: 'New Chinese export controls (since 2023)',
    kind: 'new_measure',
    materials: [],
    severity: 'critical',
    countries: ['CHN'],
    direction: 'export',
    since: '2023',
  },
  {
    id: 'export-measures-2024',
    name: 'Any export ban, licence, quota or tax announced since 2024',
    kind: 'new_measure',
    materials: [],
    severity: 'critical',
    countries: [],
    direction: 'export',
    since: '2024',
  },
  {
    id: 'refining-top-share-up-5pp',
    name: 'Largest refiner gained more than 5 points',
    kind: 'concentration_rise',
    materials: [],
    severity: 'warning',
    stage: 'refining',
    indicator: 'top_share',
    points: 5,
  },
  {
    id: 'mining-top-share-up-5pp',
    name: 'Largest miner gained more than 5 points',
    kind: 'concentration_rise',
    materials: [],
    severity: 'warning',
    stage: 'mining',
    indicator: 'top_share',
    points: 5,
  },
  {
    id: 'iea-n1-below-50pct',
    name: 'IEA N-1: refined supply without the largest supplier below 50% of demand',
    kind: 'coverage_below',
    materials: [],
    severity: 'critical',
    stage: 'refining',
    threshold: 0.5,
  },
];
