/**
 * Mine → refine → end-use flows of one material in one year, for the dashboard Sankey and the briefing.
 * Uses the stress engine's network (`buildNetwork`, with the same default flow rules), so the figure shows exactly
 * the allocation the stress tests propagate shocks through. End uses: refined output split by world demand sector
 * shares (IEA), when the knowledge base has demand by sector for the year.
 */
import { countryName } from '../model/countries.ts';
import { getMaterial } from '../model/materials.ts';
import { cite, type Citation } from '../model/provenance.ts';
import type { DatasetIndex } from '../engine/dataset.ts';
import { buildNetwork, networkFlows } from '../engine/stress/network.ts';
import { pickStageSupply, worldDemand } from '../engine/stress/inputs.ts';
import { parametersFor } from '../scenario/parameters.ts';

export interface FlowNode {
  id: string; // "m:COD", "r:CHN", "u:EV batteries"
  stage: 'mining' | 'refining' | 'end_use';
  label: string;
  tonnes: number;
}
export interface FlowLink {
  source: string;
  target: string;
  tonnes: number; // mining-stage units for mine→refine links, refining units for refine→use links
  route: string;
}
export interface MaterialFlows {
  materialId: string;
  material: string;
  year: number;
  unit: { mining: string | null; refining: string | null };
  basis: { mining: string | null; refining: string | null };
  nodes: FlowNode[];
  links: FlowLink[];
  endUse: { scenario: string | null; sectors: Array<{ sector: string; tonnes: number; share: number }>; source: Citation | null } | null;
  assumptions: string[];
  sources: Citation[];
  /** Years in which both mining and refining by country exist (a Sankey is only drawn for these). */
  yearsWithBothStages: number[];
}

/** Countries below this share of a stage are grouped into "Other" nodes to keep the diagram readable. */
const MIN_SHARE = 0.02;

export function yearsWithBothStages(index: DatasetIndex, materialId: string): number[] {
  const ref = new Set(index.years(materialId, 'refining'));
  return index.years(materialId, 'mining').filter((y) => ref.has(y));
}

export function materialFlows(index: DatasetIndex, materialId: string, year?: number): MaterialFlows | null {
  const both = yearsWithBothStages(index, materialId);
  const material = getMaterial(materialId)?.name ?? materialId;
  if (!both.length) return null;
  const historical = both.filter((y) => index.rows(materialId, 'mining', 'production', y).some((o) => o.scenario === null));
  const y = year ?? historical[historical.length - 1] ?? both[both.length - 1];
  if (!both.includes(y)) return null;
  const demand = worldDemand(index, materialId, y, 'STEPS');
  // Same series choice as the stress test: the demand's dataset where it has both stages, else the default.
  let dataset: string | undefined;
  if (
    demand &&
    index.pick({ materialId, stage: 'refining', year: y, dataset: demand.source.dataset }).series &&
    index.pick({ materialId, stage: 'mining', year: y, dataset: demand.source.dataset }).series
  ) {
    dataset = demand.source.dataset;
  }
  const pm = pickStageSupply(index, materialId, 'mining', y, { dataset });
  const pr = pickStageSupply(index, materialId, 'refining', y, { dataset });
  if (!pm.supply || !pr.supply) return null;
  const { params } = parametersFor(materialId);
  const net = buildNetwork(materialId, y, pm.supply, pr.supply, params.flowRules);
  const sources: Citation[] = [];
  if (pm.source) sources.push(cite(pm.source, pm.detail, material));
  if (pr.source && pr.source.id !== pm.source?.id) sources.push(cite(pr.source, pr.detail, material));

  const big = (total: number, list: Array<{ countryId: string; tonnes: number }>) =>
    new Set(list.filter((c) => c.countryId !== 'OTH' && c.tonnes / total >= MIN_SHARE).map((c) => c.countryId));
  const bigM = big(pm.supply.totalTonnes, pm.supply.countries);
  const bigR = big(pr.supply.totalTonnes, pr.supply.countries);
  const mId = (c: string) => `m:${bigM.has(c) ? c : 'OTH'}`;
  const rId = (c: string) => `r:${bigR.has(c) ? c : 'OTH'}`;
  const label = (c: string) => (c === 'OTH' ? 'Other countries' : countryName(c));

  const nodes = new Map<string, FlowNode>();
  const node = (id: string, stage: FlowNode['stage'], lbl: string) => {
    if (!nodes.has(id)) nodes.set(id, { id, stage, label: lbl, tonnes: 0 });
    return nodes.get(id)!;
  };
  for (const c of pm.supply.countries) node(mId(c.countryId), 'mining', label(bigM.has(c.countryId) ? c.countryId : 'OTH')).tonnes += c.tonnes;
  for (const c of pr.supply.countries) node(rId(c.countryId), 'refining', label(bigR.has(c.countryId) ? c.countryId : 'OTH')).tonnes += c.tonnes;
  const links = new Map<string, FlowLink>();
  for (const f of networkFlows(net)) {
    const k = `${mId(f.from)}>${rId(f.to)}`;
    const l = links.get(k) ?? { source: mId(f.from), target: rId(f.to), tonnes: 0, route: f.route };
    l.tonnes += f.oreTonnes;
    links.set(k, l);
  }
  const assumptions = [...net.assumptions];
  let endUse: MaterialFlows['endUse'] = null;
  if (demand && demand.sectors.length && demand.totalTonnes > 0) {
    const sectorTotal = demand.sectors.reduce((s, x) => s + x.tonnes, 0);
    const sectors = demand.sectors.filter((x) => x.tonnes > 0).map((x) => ({ sector: x.sector, tonnes: x.tonnes, share: x.tonnes / sectorTotal }));
    endUse = { scenario: demand.scenario, sectors, source: cite(demand.source, demand.scope, material) };
    sources.push(endUse.source!);
    const refiners = [...nodes.values()].filter((n) => n.stage === 'refining');
    for (const s of sectors) {
      const u = node(`u:${s.sector}`, 'end_use', s.sector);
      for (const r of refiners) {
        const t = r.tonnes * s.share;
        u.tonnes += t;
        links.set(`${r.id}>${u.id}`, { source: r.id, target: u.id, tonnes: t, route: 'pro rata to world demand' });
      }
    }
    assumptions.push(
      `End uses: each refiner's output is split by world demand shares by sector (${demand.scenario ?? 'historical'}${demand.scope ? `, ${demand.scope}` : ''}); no country-level end-use data is used.`,
    );
  } else assumptions.push('No demand by sector in the knowledge base for this material and year: end uses are not shown.');
  if (pm.supply.unit !== pr.supply.unit || pm.supply.basis !== pr.supply.basis) {
    assumptions.push(
      `Mining is in ${pm.supply.unit} (${pm.supply.basis}) and refining in ${pr.supply.unit} (${pr.supply.basis}); link widths are in each stage's own units.`,
    );
  }
  return {
    materialId,
    material,
    year: y,
    unit: { mining: pm.supply.unit, refining: pr.supply.unit },
    basis: { mining: pm.supply.basis, refining: pr.supply.basis },
    nodes: [...nodes.values()],
    links: [...links.values()].filter((l) => l.tonnes > 0),
    endUse,
    assumptions,
    sources,
    yearsWithBothStages: both,
  };
}
