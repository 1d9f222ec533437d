/**
 * Why the methods disagree about one material: for each method, the inputs that drive its score, read from the inputs
 * the API returns for the material (detail=<id>, the same run as the table). Nothing is recomputed here: the sentences
 * quote the engine's own stage breakdowns, indicator scores and input values.
 */
import { fixed, pct } from '../../format.ts';
import type { Band, CriticalityReport, Method } from '../../../../src/engine/criticality/index.ts';
import { METHOD_NAME, isNum, stageName, stripMaterial } from './common.ts';
import { Term } from '../../components/Term.tsx';

export interface MethodDrivers {
  method: Method;
  /** The method's headline score as a phrase ("SR 5.50"), or null when not computed. */
  score: string | null;
  drivers: string[];
}

const GLOSSARY_TERM: Record<Method, string> = { eu: 'sr-ei', doe: 'doe', usgs: 'usgs', geopolrisk: 'geopolrisk' };

/** A point estimate outside its own p5–p95 band, with the reason the engine gives (band.note) or the gap said plainly. */
export function outsideBand(point: number | null | undefined, b: (Band & { note?: string | null }) | null | undefined): string | null {
  if (!isNum(point) || !b) return null;
  if (point >= b.p5 && point <= b.p95) return null;
  return b.note ? b.note : 'no reason given by the engine for this band';
}

/** The drivers of each method's score for material `id` in a one-material report. */
export function methodDrivers(r: CriticalityReport, id: string): MethodDrivers[] {
  const out: MethodDrivers[] = [];
  const e = r.eu.find((x) => x.materialId === id);
  if (r.methods.includes('eu') && e) {
    const st = e.stages.find((s) => s.stage === e.bottleneck);
    const drivers: string[] = [];
    if (st) {
      drivers.push(
        `bottleneck stage ${stageName(st.stage)}: governance-weighted concentration ${fixed(st.hhiGlobal, 2)} (global), ${fixed(st.hhiSourcing, 2)} (sourcing, ${st.sourcing}), import reliance ${pct(st.ir)}`,
      );
      const top = st.topRisk.filter((t) => t.contribution > 0).slice(0, 3);
      if (top.length)
        drivers.push(
          `largest contributions: ${top.map((t) => `${t.countryId} ${pct(t.share)} of ${stageName(st.stage)} × WGI ${fixed(t.wgi)} × t ${fixed(t.t)} → ${fixed(t.contribution, 2)}`).join('; ')}`,
        );
    }
    for (const name of ['EoL-RIR', 'SI_SR']) {
      const i = e.inputs.find((x) => x.input === name);
      if (i) drivers.push(`${name} ${typeof i.value === 'number' ? fixed(i.value) : (i.value ?? '—')} (${i.status})`);
    }
    if (!isNum(e.sr)) drivers.push(...e.messages.map((m) => stripMaterial(m, e.material)));
    out.push({ method: 'eu', score: isNum(e.sr) ? `SR ${fixed(e.sr)}` : null, drivers });
  }
  const d = r.doe.find((x) => x.materialId === id);
  if (r.methods.includes('doe') && d) {
    const t = d.shortTerm;
    const scored = t.indicators.filter((i) => isNum(i.score));
    const missing = t.indicators.filter((i) => !isNum(i.score));
    const drivers = scored.map((i) => `${i.indicator} (weight ${fixed(i.weight)}): ${i.score} of 4 — ${i.basis}`);
    if (missing.length) drivers.push(`not scored (weights renormalised over the rest): ${missing.map((i) => i.indicator).join(', ')}`);
    out.push({
      method: 'doe',
      score: isNum(t.supplyRisk) ? `supply risk ${fixed(t.supplyRisk, 1)}${t.class ? `, ${t.class}` : ', no class (importance missing)'}` : null,
      drivers,
    });
  }
  const u = r.usgs.find((x) => x.materialId === id);
  if (r.methods.includes('usgs') && u) {
    const te = u.inputs.find((i) => i.input.startsWith('trade exposure'));
    const drivers = [
      `disruption potential ${fixed(u.disruptionPotential)} (governance-weighted concentration at ${stageName(u.stage)})`,
      `trade exposure ${fixed(u.tradeExposure)}${te?.note ? ` (${te.note})` : ''}`,
    ];
    const ev = u.inputs.find((i) => i.input === 'economic vulnerability');
    if (ev && ev.status === 'missing') drivers.push(`economic vulnerability missing (${ev.note ?? 'no data'}): DP·TE is a partial score`);
    out.push({ method: 'usgs', score: isNum(u.partialScore) ? `DP·TE ${fixed(u.partialScore)}` : null, drivers });
  }
  const g = r.geopolrisk.find((x) => x.materialId === id);
  if (r.methods.includes('geopolrisk') && g) {
    const drivers = g.stages.length
      ? g.stages.map((s) => `${stageName(s.stage)}: HHI ${fixed(s.hhi, 3)} × import risk ${fixed(s.importRisk, 3)} = ${fixed(s.score, 3)}`)
      : g.messages.map((m) => stripMaterial(m, g.material));
    out.push({ method: 'geopolrisk', score: isNum(g.score) ? `score ${fixed(g.score, 3)}` : null, drivers });
  }
  return out;
}

/** The per-method drivers as a list, each method linked to its glossary entry. */
export function DriversList({ items, ranks }: { items: MethodDrivers[]; ranks?: Partial<Record<Method, number | null>> }) {
  return (
    <ul className="small drivers" data-testid="crit-why">
      {items.map((m) => (
        <li key={m.method} data-method={m.method}>
          <strong>
            <Term id={GLOSSARY_TERM[m.method]}>{METHOD_NAME[m.method]}</Term>
          </strong>
          {ranks ? ` (rank ${ranks[m.method] ?? '—'})` : ''}: {m.score ?? 'not computed'}
          {m.drivers.length > 0 && (
            <ul>
              {m.drivers.map((x, k) => (
                <li key={k}>{x}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
