/**
 * Material briefing: key figures, top producers per stage (with charts), concentration over time, mine → refine
 * flows, net import reliance, demand, gaps and a numbered sources section. Rendered as Markdown (charts as text
 * bars, readable anywhere) or as self-contained HTML with SVG charts, which headless chromium prints to PDF.
 */
import type { ConcentrationRow } from '../engine/concentration-report.ts';
import { cite as citeSource, unknownSourceCitation, type Citation } from '../model/provenance.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import { materialProfile, type MaterialProfile } from '../engine/profile.ts';
import { materialFlows, type MaterialFlows } from './flows.ts';
import { chromiumAvailable, CHROMIUM_PATH, launchChromium } from './chromium.ts';
import { PdfQueue } from './pdf-queue.ts';
import { measuresFor, agreementsFor, projectsFor, timeline } from '../engine/registry.ts';
import { measureInEffect, measureState, measureStatus, type TradeMeasure } from '../model/registry.ts';
import { n1Sweep } from '../engine/stress/sweep.ts';

export class PdfUnavailableError extends Error {}

const pct = (x: number | null | undefined, d = 1) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(d)}%`);
const num = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: x < 100 ? 2 : 0 }));
const qty = (v: number, unit: string) =>
  unit === 't'
    ? Math.abs(v) >= 1e6
      ? `${(v / 1e6).toLocaleString('en-US', { maximumFractionDigits: 2 })} Mt`
      : `${Math.round(v).toLocaleString('en-US')} t`
    : `${num(v)} ${unit}`;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x}`;
const stageLabel = (s: string) => (s === 'mining' ? 'Mining' : s === 'refining' ? 'Refining' : s === 'reserves' ? 'Reserves' : s);

interface Briefing {
  p: MaterialProfile;
  flows: MaterialFlows | null;
  sources: Citation[];
  ref: (c: Citation) => number; // footnote number of a source
  generated: string;
  summary: Summary;
}

/**
 * The one-page summary a minister reads first. One source per number: every share in it comes from the series of the
 * stage's key-figures row (the profile's latest historical year), and the N-1 figure is shown only when it reads the
 * same series, so a country's share never appears twice with two values.
 */
export interface Summary {
  headline: string;
  keyNumbers: Array<{ label: string; value: string; detail: string; source: Citation }>;
  changes: string[];
  measuresInForce: Array<{ title: string; status: string; url: string | null; source: Citation }>;
  measuresPending: Array<{ title: string; status: string; url: string | null; source: Citation }>;
  exposure: string[];
  options: string[];
  /** Which series each stage's shares come from, stated once. */
  seriesNote: string;
}

const name = (s: string) => s;

function buildSummary(index: DatasetIndex, p: MaterialProfile, on: string, ref: (c: Citation) => number): Summary {
  const stage = (id: string) => p.stages.find((s) => s.stage === id)?.latest ?? null;
  const mining = stage('mining');
  const refining = stage('refining');
  const keyNumbers: Summary['keyNumbers'] = [];
  const tag = (r: ConcentrationRow) => `${r.year}${r.estimated ? 'e' : ''}`;
  for (const r of [mining, refining]) {
    if (!r?.largest) continue;
    keyNumbers.push({
      label: `${r.largest.country}, share of world ${r.stage}`,
      value: pct(r.largest.share),
      detail: `${tag(r)}; top-3 ${pct(r.top3Share)}, HHI ${r.hhiPoints}`,
      source: r.source,
    });
  }
  // N-1: refined supply without the largest refiner against world demand, only if it reads the key-figures series.
  const n1 = refining
    ? n1Sweep(index, { materials: [p.materialId], stages: ['refining'], years: [refining.year] }).find((r) => r.sourceId === refining.source.sourceId)
    : undefined;
  if (n1 && n1.coverageWorldRatio !== null) {
    keyNumbers.push({
      label: `refined supply without ${refining!.largest?.country ?? n1.removed}, as a share of world demand`,
      value: pct(n1.coverageWorldRatio, 0),
      detail: `${n1.year}, world demand${n1.demandScenario ? ` (${n1.demandScenario})` : ''}; IEA N-1 method`,
      source: refining!.source,
    });
  } else if (mining) {
    keyNumbers.push({ label: `world mine output, ${tag(mining)}`, value: qty(mining.total, mining.unit), detail: mining.basis, source: mining.source });
  }
  const reg = index.data.registry ?? { agreements: [], measures: [], projects: [] };
  const cite = (m: TradeMeasure): Citation => {
    const s = index.data.sources.get(m.sourceId);
    if (!s) return unknownSourceCitation(m.sourceId);
    const c = citeSource(s, null, undefined, 'published');
    return m.url && m.url !== c.url ? { ...c, url: m.url } : c;
  };
  const measures = measuresFor(reg, p.materialId).filter((m) => m.direction === 'export');
  const row = (m: TradeMeasure) => ({ title: m.title, status: measureStatus(m, on), url: m.url, source: cite(m) });
  // The chokepoint countries' measures first, and among them those that stop or cap exports.
  const key = new Set([mining?.largest?.countryId, refining?.largest?.countryId].filter(Boolean));
  const weight = (m: TradeMeasure) => (key.has(m.countryId) ? 0 : 2) + (m.measureType === 'ban' || m.measureType === 'quota' ? 0 : 1);
  const byWeight = (a: TradeMeasure, b: TradeMeasure) => weight(a) - weight(b);
  const measuresInForce = measures
    .filter((m) => measureInEffect(m, on))
    .sort(byWeight)
    .map(row);
  const twoYearsAgo = `${Number(on.slice(0, 4)) - 2}${on.slice(4)}`;
  const measuresPending = measures
    .filter((m) => ['suspended', 'announced'].includes(measureState(m, on)) || (measureState(m, on) === 'ended' && m.ended! >= twoYearsAgo))
    .sort(byWeight)
    .map(row);
  const changes: string[] = [];
  for (const r of [mining, refining]) {
    if (!r?.previous) continue;
    const d = Math.round(r.previous.hhiChange * 10_000);
    changes.push(
      `${stageLabel(r.stage)} concentration ${Math.abs(d) <= 50 ? 'about flat' : d > 0 ? 'up' : 'down'} (HHI ${signed(d)} points, ${r.previous.year} → ${r.year}) [${ref(r.source)}].`,
    );
  }
  const yearAgo = `${Number(on.slice(0, 4)) - 1}${on.slice(4)}`;
  // The latest event of each record in the last twelve months, newest first.
  const recent = [
    ...new Map(
      timeline(index, { materialId: p.materialId, from: yearAgo, to: on })
        .filter((e) => e.date <= on)
        .map((e) => [e.recordId, e] as const),
    ).values(),
  ].sort((a, b) => b.date.localeCompare(a.date));
  for (const e of recent.slice(0, 5)) changes.push(`${e.date}: ${e.title} — ${e.kind.replace(/^(measure|agreement)_/, '').replace(/_/g, ' ')}.`);
  if (!recent.length) changes.push(`No measure or agreement on ${p.name.toLowerCase()} dated in the twelve months to ${on} in the registry.`);
  const exposure: string[] = [];
  const nir = [...p.netImportReliance].sort((a, b) => b.year - a.year)[0];
  if (nir)
    exposure.push(
      `${nir.countryId === 'USA' ? 'United States' : nir.countryId}: net import reliance ${nir.percent === null ? nir.status : `${nir.percent}%`} (${nir.year}) [${ref(nir.source)}].`,
    );
  if (refining?.chinaShare !== null && refining?.chinaShare !== undefined && refining.largest?.countryId !== 'CHN')
    exposure.push(`China refines ${pct(refining.chinaShare)} of world supply (${tag(refining)}) [${ref(refining.source)}].`);
  if (mining?.largest && refining?.largest && mining.largest.countryId !== refining.largest.countryId)
    exposure.push(
      `Two chokepoints: mining in ${mining.largest.country}, refining in ${refining.largest.country}; a measure at either stage reaches every importer.`,
    );
  if (!exposure.length) exposure.push('No import-reliance figure for this material in the knowledge base; load customs data to see importers.');
  const options: string[] = [];
  const projects = projectsFor(reg, p.materialId);
  if (projects.length) {
    const cap = projects.filter((x) => x.capacityTonnesPerYear !== null);
    options.push(
      `Back new supply: ${projects.length} project${projects.length > 1 ? 's' : ''} in the registry (${projects
        .slice(0, 3)
        .map((x) => name(x.name))
        .join('; ')}${projects.length > 3 ? ' …' : ''})${cap.length ? `, ${cap.length} with a published capacity` : ''}.`,
    );
  }
  const agreements = agreementsFor(reg, p.materialId).filter((a) => a.materials.length > 0);
  if (agreements.length)
    options.push(
      `Use partnerships: ${agreements.length} agreement${agreements.length > 1 ? 's' : ''} naming ${p.name.toLowerCase()} (e.g. ${agreements[0].title}).`,
    );
  if (refining?.largest)
    options.push(
      `Test the shock before it happens: stress-test a stop of ${refining.largest.country}'s refined supply (dashboard: Stress test; CLI: chokepoint stress --material ${p.materialId} --stage refining --exclude ${refining.largest.countryId}).`,
    );
  options.push('Stockpile or diversify offtake where the N-1 figure above is low; recycling data is not in the knowledge base.');
  const largest = mining?.largest ?? refining?.largest;
  const headline = largest
    ? `${largest.country} supplies ${pct(largest.share)} of the world's ${mining?.largest ? 'mined' : 'refined'} ${p.name.toLowerCase()}${
        refining?.largest && mining?.largest ? ` and ${refining.largest.country} ${pct(refining.largest.share)} of refined output` : ''
      }; ${measuresInForce.length} export measure${measuresInForce.length === 1 ? '' : 's'} in force today${measuresInForce[0] ? `, including ${measuresInForce[0].title}` : ''}.`
    : `${p.name}: no supply data by country in the knowledge base.`;
  const seriesNote = [mining, refining]
    .filter((r): r is ConcentrationRow => !!r)
    .map((r) => `${r.stage} shares: ${r.source.text}, ${tag(r)} [${ref(r.source)}]`)
    .join('; ');
  return { headline, keyNumbers, changes, measuresInForce, measuresPending, exposure, options, seriesNote: `One series per stage throughout: ${seriesNote}.` };
}

function collect(index: DatasetIndex, materialId: string, on = new Date().toISOString().slice(0, 10)): Briefing {
  const p = materialProfile(index, materialId);
  const flows = materialFlows(index, materialId);
  const order: Citation[] = [];
  const pos = new Map<string, number>();
  const ref = (c: Citation) => {
    if (!pos.has(c.sourceId)) {
      order.push(c);
      pos.set(c.sourceId, order.length);
    }
    return pos.get(c.sourceId)!;
  };
  // Number sources in reading order, then any others the material has.
  for (const s of p.stages) if (s.latest) ref(s.latest.source);
  const summary = buildSummary(index, p, on, ref);
  for (const s of p.stages) for (const r of s.trend) ref(r.source);
  for (const s of flows?.sources ?? []) ref(s);
  for (const n of p.netImportReliance) ref(n.source);
  for (const d of p.demand) ref(d.source);
  for (const s of p.sources) ref(s);
  for (const m of [...summary.measuresInForce, ...summary.measuresPending]) ref(m.source);
  return { p, flows, sources: order, ref, generated: on, summary };
}

const keyRows = (b: Briefing) =>
  b.p.stages
    .filter((s) => s.latest)
    .map((s) => {
      const r = s.latest!;
      return {
        stage: stageLabel(s.stage),
        year: `${r.year}${r.estimated ? 'e' : ''}`,
        total: qty(r.total, r.unit),
        hhi: String(r.hhiPoints),
        change: r.previous ? `${signed(Math.round(r.previous.hhiChange * 10_000))} vs ${r.previous.year}` : '—',
        top3: pct(r.top3Share),
        largest: r.largest ? `${r.largest.country} ${pct(r.largest.share)}` : '—',
        china: pct(r.chinaShare),
        src: b.ref(r.source),
      };
    });

const topFlows = (f: MaterialFlows) =>
  f.links
    .filter((l) => l.source.startsWith('m:'))
    .sort((a, b) => b.tonnes - a.tonnes)
    .slice(0, 10)
    .map((l) => ({ from: f.nodes.find((n) => n.id === l.source)!.label, to: f.nodes.find((n) => n.id === l.target)!.label, tonnes: l.tonnes, route: l.route }));

// ---------------------------------------------------------------- Markdown

const mdCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
function mdTable(headers: string[], rows: string[][], align?: ('l' | 'r')[]): string {
  const a = align ?? headers.map((_, i) => (i === 0 ? 'l' : 'r'));
  return [
    `| ${headers.map(mdCell).join(' | ')} |`,
    `|${a.map((x) => (x === 'l' ? ':---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`),
  ].join('\n');
}
const bar = (share: number, width = 30) => {
  const n = share * width;
  return '█'.repeat(Math.floor(n)) + (n - Math.floor(n) >= 0.5 ? '▌' : '');
};

export function briefingMarkdown(index: DatasetIndex, materialId: string, on?: string): string {
  const b = collect(index, materialId, on);
  const { p, summary: S } = b;
  const out: string[] = [];
  out.push(`# ${p.name} — briefing`, '', `**${S.headline}**`, '');
  out.push('## Three numbers', '');
  for (const k of S.keyNumbers) out.push(`- **${k.value}** — ${k.label} (${k.detail}) [${b.ref(k.source)}]`);
  out.push('', '## What changed', '', ...S.changes.map((c) => `- ${c}`), '');
  out.push('## Measures in force', '');
  if (S.measuresInForce.length) for (const m of S.measuresInForce) out.push(`- ${m.title} — ${m.status} [${b.ref(m.source)}]`);
  else out.push(`- None in the registry on ${b.generated}.`);
  if (S.measuresPending.length)
    out.push(
      '',
      'Not in force today (suspended, announced, or ended in the last two years):',
      '',
      ...S.measuresPending.map((m) => `- ${m.title} — ${m.status} [${b.ref(m.source)}]`),
    );
  out.push('', '## Exposure', '', ...S.exposure.map((x) => `- ${x}`), '');
  out.push('## Options', '', ...S.options.map((x) => `- ${x}`), '');
  out.push(`*${S.seriesNote} Status of measures as of ${b.generated}, read from their dates.*`, '');
  out.push('---', '', `# Annex: ${p.name} supply-chain data`, '');
  out.push(
    `Generated by Chokepoint on ${b.generated}. Every figure cites its source by number; see [Sources](#sources). HHI on the 0-10,000 scale; shares are of the world total; "e" = estimated.`,
    '',
  );
  out.push('## Key figures', '');
  out.push(
    mdTable(
      ['Stage', 'Year', 'World total', 'HHI', 'HHI change', 'Top-3 share', 'Largest supplier', 'China share', 'Source'],
      keyRows(b).map((r) => [r.stage, r.year, r.total, r.hhi, r.change, r.top3, r.largest, r.china, `[${r.src}]`]),
    ),
    '',
  );
  for (const s of p.stages) {
    const r = s.latest;
    if (!r) continue;
    out.push(`## ${stageLabel(s.stage)}: top producers, ${r.year}${r.scenario ? ` (${r.scenario})` : ''}`, '');
    out.push('```text');
    for (const x of r.shares.slice(0, 8)) out.push(`${x.country.slice(0, 22).padEnd(22)} ${bar(x.share)} ${pct(x.share)}`);
    out.push('```', '');
    out.push(
      mdTable(
        ['Country', s.stage === 'reserves' ? 'Reserves' : 'Output', 'Share'],
        r.shares.slice(0, 10).map((x) => [x.country + (x.estimated ? ' (e)' : ''), qty(x.value, r.unit), pct(x.share)]),
      ),
      '',
    );
    const notes = [
      `Basis: ${r.basis}; world total ${qty(r.total, r.unit)} (${r.totalBasis.replace(/_/g, ' ')}); not attributed to a named country ${pct(r.unallocatedShare)}.`,
    ];
    if (r.gaps.length) notes.push(`Withheld / not available: ${r.gaps.map((g) => `${g.country} (${g.status})`).join(', ')}.`);
    out.push(...notes, '', `*Source [${b.ref(r.source)}]: ${r.source.text}*`, '');
  }
  const trend = p.stages.filter((s) => s.stage !== 'reserves').flatMap((s) => s.trend);
  if (trend.length) {
    out.push('## Concentration over time', '');
    out.push(
      mdTable(
        ['Stage', 'Year', 'Scenario', 'HHI', 'Top-3', 'China', 'Source'],
        trend.map((r) => [
          stageLabel(r.stage),
          String(r.year),
          r.scenario ?? 'historical',
          String(r.hhiPoints),
          pct(r.top3Share),
          pct(r.chinaShare),
          `[${b.ref(r.source)}]`,
        ]),
      ),
      '',
    );
  }
  if (b.flows) {
    const f = b.flows;
    out.push(`## Mine → refinery flows, ${f.year}`, '');
    if (f.sources.some((c) => !p.stages.some((s) => s.latest?.source.sourceId === c.sourceId)))
      out.push(
        `Modelled from a different series than the key figures (tonnes only, no shares restated): ${f.sources.map((c) => `[${b.ref(c)}]`).join(' ')}.`,
        '',
      );
    out.push(
      mdTable(
        ['From (mining)', 'To (refining)', `Ore (${f.unit.mining})`, 'Route'],
        topFlows(f).map((l) => [l.from, l.to, num(l.tonnes), l.route]),
      ),
      '',
    );
    if (f.endUse) out.push(`End uses (${f.endUse.scenario ?? 'historical'}): ${f.endUse.sectors.map((s) => `${s.sector} ${pct(s.share)}`).join(', ')}.`, '');
    out.push(`Assumptions: ${f.assumptions.join(' ')}`, '', `*Sources: ${f.sources.map((s) => `[${b.ref(s)}]`).join(' ')}*`, '');
  }
  if (p.netImportReliance.length) {
    out.push('## Net import reliance', '');
    out.push(
      mdTable(
        ['Country', 'Year', 'Net import reliance', 'Source'],
        p.netImportReliance.map((n) => [
          n.countryId,
          String(n.year),
          n.percent === null ? n.status : `${n.status === 'lower_bound' ? '>' : n.status === 'upper_bound' ? '<' : ''}${n.percent}%`,
          `[${b.ref(n.source)}]`,
        ]),
      ),
      '',
    );
  }
  if (p.demand.length) {
    const latestYear = Math.max(...p.demand.map((d) => d.year));
    const rows = p.demand.filter((d) => d.year === latestYear);
    out.push(`## Demand by sector, ${latestYear}`, '');
    out.push(
      mdTable(
        ['Scenario', 'Sector', 'Demand', 'Source'],
        rows.map((d) => [d.scenario ?? 'historical', d.sector, qty(d.value, d.unit), `[${b.ref(d.source)}]`]),
      ),
      '',
    );
  }
  if (p.gaps.length) out.push('## Not in the knowledge base', '', ...p.gaps.map((g) => `- ${g}`), '');
  out.push('## Sources', '');
  b.sources.forEach((s, i) => out.push(`${i + 1}. ${s.text}${s.url ? ` <${s.url}>` : ''} — licence: ${s.licence}${s.caveat ? `; ${s.caveat}` : ''}`));
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------- HTML (+ PDF)

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function svgBars(rows: Array<{ label: string; share: number }>, title: string): string {
  const w = 560,
    rowH = 22,
    left = 150,
    right = 60;
  const h = rows.length * rowH + 10;
  const max = Math.max(...rows.map((r) => r.share), 0.01);
  const bars = rows
    .map((r, i) => {
      const bw = ((w - left - right) * r.share) / max;
      const y = 5 + i * rowH;
      return `<text x="${left - 6}" y="${y + 15}" text-anchor="end" font-size="12">${esc(r.label)}</text><rect x="${left}" y="${y + 3}" width="${bw.toFixed(1)}" height="${rowH - 6}" fill="#1f5f8b"/><text x="${left + bw + 4}" y="${y + 15}" font-size="12">${pct(r.share)}</text>`;
    })
    .join('');
  return `<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" width="100%" style="max-width:${w}px">${bars}</svg>`;
}

function svgTrend(series: Array<{ name: string; color: string; points: Array<{ year: number; value: number; projected: boolean }> }>, title: string): string {
  const pts = series.flatMap((s) => s.points);
  if (!pts.length) return '';
  const w = 560,
    h = 220,
    l = 50,
    r = 20,
    t = 15,
    bm = 30;
  const x0 = Math.min(...pts.map((p) => p.year)),
    x1 = Math.max(...pts.map((p) => p.year));
  const X = (y: number) => l + (x1 === x0 ? 0.5 : (y - x0) / (x1 - x0)) * (w - l - r);
  const Y = (v: number) => t + (1 - v) * (h - t - bm);
  const axis = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (v) =>
        `<line x1="${l}" x2="${w - r}" y1="${Y(v)}" y2="${Y(v)}" stroke="#ddd"/><text x="${l - 6}" y="${Y(v) + 4}" font-size="11" text-anchor="end">${v * 100}%</text>`,
    )
    .join('');
  const years = [...new Set(pts.map((p) => p.year))].sort((a, b) => a - b);
  const xt = years
    .filter((_, i) => years.length <= 10 || i % Math.ceil(years.length / 10) === 0)
    .map((y) => `<text x="${X(y)}" y="${h - 10}" font-size="11" text-anchor="middle">${y}</text>`)
    .join('');
  const lines = series
    .map((s, k) => {
      const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${X(p.year).toFixed(1)},${Y(p.value).toFixed(1)}`).join('');
      const dots = s.points
        .map((p) => `<circle cx="${X(p.year)}" cy="${Y(p.value)}" r="3" fill="${p.projected ? '#fff' : s.color}" stroke="${s.color}"/>`)
        .join('');
      return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>${dots}<text x="${l + 8 + k * 180}" y="${t + 2}" font-size="11" fill="${s.color}">● ${esc(s.name)}</text>`;
    })
    .join('');
  return `<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${w} ${h}" width="100%" style="max-width:${w}px">${axis}${xt}${lines}</svg>`;
}

function htmlTable(headers: string[], rows: string[][], caption: string): string {
  return `<table><caption>${esc(caption)}</caption><thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function briefingHtml(index: DatasetIndex, materialId: string, on?: string): string {
  const b = collect(index, materialId, on);
  const { p, summary: S } = b;
  const sup = (c: Citation) => `<sup><a href="#src-${b.ref(c)}">[${b.ref(c)}]</a></sup>`;
  const srcLine = (c: Citation) => `<p class="source">Source ${sup(c)}: ${esc(c.text)}</p>`;
  const refs = (t: string) => esc(t).replace(/\[(\d+)\]/g, '<sup><a href="#src-$1">[$1]</a></sup>');
  const li = (xs: string[]) => `<ul>${xs.map((x) => `<li>${refs(x)}</li>`).join('')}</ul>`;
  const measureLi = (ms: Summary['measuresInForce']) =>
    `<ul>${ms.map((m) => `<li>${m.url ? `<a href="${esc(m.url)}">${esc(m.title)}</a>` : esc(m.title)} — ${esc(m.status)} ${sup(m.source)}</li>`).join('')}</ul>`;
  const parts: string[] = [];
  parts.push(
    `<section class="summary" data-testid="briefing-summary"><h1>${esc(p.name)} — briefing</h1><p class="meta">Chokepoint, ${b.generated}. One page; the data annex follows.</p>` +
      `<p class="headline">${esc(S.headline)}</p>` +
      `<div class="keys">${S.keyNumbers.map((k) => `<div class="key"><div class="kv">${esc(k.value)}</div><div class="kl">${esc(k.label)}</div><div class="kd">${esc(k.detail)} ${sup(k.source)}</div></div>`).join('')}</div>` +
      `<h2>What changed</h2>${li(S.changes)}` +
      `<h2>Measures in force</h2>${S.measuresInForce.length ? measureLi(S.measuresInForce) : `<p>None in the registry on ${b.generated}.</p>`}` +
      (S.measuresPending.length
        ? `<p class="meta">Not in force today (suspended, announced, or ended in the last two years):</p>${measureLi(S.measuresPending)}`
        : '') +
      `<h2>Exposure</h2>${li(S.exposure)}<h2>Options</h2>${li(S.options)}` +
      `<p class="source">${refs(S.seriesNote)} Status of measures as of ${b.generated}, read from their dates.</p></section>`,
  );
  parts.push(
    `<h1 class="annex">Annex: ${esc(p.name)} supply-chain data</h1><p class="meta">HHI on the 0-10,000 scale; shares of the world total; "e" = estimated.</p>`,
  );
  parts.push(
    '<h2>Key figures</h2>' +
      htmlTable(
        ['Stage', 'Year', 'World total', 'HHI', 'HHI change', 'Top-3', 'Largest supplier', 'China', 'Src'],
        keyRows(b).map((r) => [r.stage, r.year, r.total, r.hhi, r.change, r.top3, esc(r.largest), r.china, `<a href="#src-${r.src}">[${r.src}]</a>`]),
        `${p.name}: concentration by stage, latest year`,
      ),
  );
  for (const s of p.stages) {
    const r: ConcentrationRow | null = s.latest;
    if (!r) continue;
    const title = `${p.name} ${s.stage === 'reserves' ? 'reserves' : `${s.stage} production`} by country, ${r.year}`;
    parts.push(
      `<section class="fig"><h2>${esc(stageLabel(s.stage))}: top producers, ${r.year}</h2>${svgBars(
        r.shares.slice(0, 8).map((x) => ({ label: x.country, share: x.share })),
        title,
      )}${htmlTable(
        ['Country', s.stage === 'reserves' ? 'Reserves' : 'Output', 'Share'],
        r.shares.slice(0, 10).map((x) => [esc(x.country) + (x.estimated ? ' (e)' : ''), qty(x.value, r.unit), pct(x.share)]),
        title,
      )}${r.gaps.length ? `<p class="note">Withheld / not available: ${esc(r.gaps.map((g) => `${g.country} (${g.status})`).join(', '))}.</p>` : ''}${srcLine(r.source)}</section>`,
    );
  }
  const colors: Record<string, string> = { mining: '#1f5f8b', refining: '#c2571a' };
  const trendStages = p.stages.filter((s) => s.stage !== 'reserves' && s.trend.length);
  if (trendStages.length) {
    const chart = svgTrend(
      trendStages.map((s) => ({
        name: `${stageLabel(s.stage)} top-3 share`,
        color: colors[s.stage],
        points: s.trend.map((r) => ({ year: r.year, value: r.top3Share, projected: r.scenario !== null })),
      })),
      `${p.name}: top-3 share over time`,
    );
    const srcs = [...new Map(trendStages.flatMap((s) => s.trend.map((r) => [r.source.sourceId, r.source] as const))).values()];
    parts.push(
      `<section class="fig"><h2>Concentration over time</h2>${chart}<p class="note">Hollow points: projections (IEA).</p>${htmlTable(
        ['Stage', 'Year', 'Scenario', 'HHI', 'Top-3', 'China'],
        trendStages.flatMap((s) =>
          s.trend.map((r) => [stageLabel(r.stage), String(r.year), r.scenario ?? 'historical', String(r.hhiPoints), pct(r.top3Share), pct(r.chinaShare)]),
        ),
        `${p.name}: HHI and top-3 share by year`,
      )}<p class="source">Sources: ${srcs.map(sup).join(' ')}</p></section>`,
    );
  }
  if (b.flows) {
    const f = b.flows;
    parts.push(
      `<section class="fig"><h2>Mine → refinery flows, ${f.year}</h2>${htmlTable(
        ['From (mining)', 'To (refining)', `Ore (${f.unit.mining})`, 'Route'],
        topFlows(f).map((l) => [esc(l.from), esc(l.to), num(l.tonnes), l.route]),
        `${p.name}: largest modelled ore flows`,
      )}<p class="note">${esc(f.assumptions.join(' '))}</p><p class="source">Sources: ${f.sources.map(sup).join(' ')}</p></section>`,
    );
  }
  if (p.netImportReliance.length) {
    parts.push(
      '<h2>Net import reliance</h2>' +
        htmlTable(
          ['Country', 'Year', 'Net import reliance', 'Src'],
          p.netImportReliance.map((n) => [n.countryId, String(n.year), n.percent === null ? n.status : `${n.percent}%`, sup(n.source)]),
          `${p.name}: net import reliance`,
        ),
    );
  }
  if (p.gaps.length) parts.push(`<h2>Not in the knowledge base</h2><ul>${p.gaps.map((g) => `<li>${esc(g)}</li>`).join('')}</ul>`);
  parts.push(
    `<h2 id="sources">Sources</h2><ol>${b.sources.map((s, i) => `<li id="src-${i + 1}">${esc(s.text)}${s.url ? ` — <a href="${esc(s.url)}">${esc(s.url)}</a>` : ''} <span class="lic">(licence: ${esc(s.licence ?? 'not stated')})</span></li>`).join('')}</ol>`,
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(p.name)} — Chokepoint briefing</title><style>
body{font:13px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;max-width:800px;margin:24px auto;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:22px 0 8px;border-bottom:1px solid #ccc;padding-bottom:3px}
table{border-collapse:collapse;width:100%;margin:8px 0;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid #e2e2e2;padding:3px 6px;text-align:right}th:first-child,thead th{text-align:left}thead th{background:#f3f5f7}
.source,.note,.meta{color:#555;font-size:11.5px}.fig{break-inside:avoid}a{color:#1f5f8b}
.summary{break-after:page;font-size:12px;line-height:1.35}.summary h2{font-size:14px;margin:12px 0 4px}.summary ul{margin:2px 0;padding-left:18px}.summary li{margin:1px 0}
.headline{font-size:15px;font-weight:600;margin:8px 0}.keys{display:flex;gap:10px;margin:8px 0}.key{flex:1;border:1px solid #ccd;border-radius:6px;padding:6px 8px}
.kv{font-size:22px;font-weight:700;color:#1f4e79}.kl{font-size:12px}.kd{font-size:11px;color:#555}
</style></head><body>${parts.join('\n')}</body></html>`;
}

/**
 * PDFs are rendered through a bounded queue (pdf-queue.ts): one at a time, two waiting, each with a time budget, so a
 * burst of requests cannot exhaust the machine. The server and the CLI share this one.
 */
export const pdfQueue = new PdfQueue({ running: 1, waiting: 2, timeoutMs: 60_000 });

/** Render a briefing to PDF through `queue` (default: the process's queue); throws PdfQueueFullError when it is full. */
export function briefingPdf(index: DatasetIndex, materialId: string, queue: PdfQueue = pdfQueue, on?: string): Promise<Buffer> {
  if (!chromiumAvailable()) {
    return Promise.reject(
      new PdfUnavailableError(
        `PDF export needs chromium at ${CHROMIUM_PATH} (Debian: apt-get install -y chromium; or set CHOKEPOINT_CHROMIUM). Markdown and HTML briefings work without it.`,
      ),
    );
  }
  return queue.run((signal) => renderPdf(briefingHtml(index, materialId, on), signal));
}

/** Print `html` with headless chromium; an abort (the time budget spent) closes the browser. */
export async function renderPdf(html: string, signal: AbortSignal): Promise<Buffer> {
  const browser = await launchChromium();
  const stop = () => void browser.close().catch(() => undefined);
  signal.addEventListener('abort', stop, { once: true });
  try {
    if (signal.aborted) throw new Error('PDF rendering aborted');
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4', margin: { top: '14mm', bottom: '14mm', left: '12mm', right: '12mm' }, printBackground: true });
    return Buffer.from(pdf);
  } finally {
    signal.removeEventListener('abort', stop);
    await browser.close().catch(() => undefined);
  }
}
