/** The EU matrix panel of the Criticality page: supply risk against economic importance, the materials not plotted, and points outside their band. */
import { useMemo } from 'react';
import { type Citation } from '../../api.ts';
import { SourceLine } from '../../components/SourceLine.tsx';
import { EChart } from '../../components/EChart.tsx';
import type { ComparisonRow } from '../../../../src/engine/criticality/index.ts';
import { EI_T, SR_T, isNum, stripMaterial, type CriticalityResponse } from './common.ts';
import { euOption, type EuPoint } from './charts.ts';
import { outsideBand } from './Why.tsx';

export function EuMatrixPanel({
  r,
  sampled,
  officialCell,
  euCites,
}: {
  r: CriticalityResponse;
  sampled: boolean;
  officialCell: (c: ComparisonRow) => string | null;
  euCites: Citation[];
}) {
  // EU matrix: points with both SR and EI; the rest listed under the chart with the API's reason.
  const euPoints: EuPoint[] = useMemo(
    () =>
      r.eu
        .filter((e) => isNum(e.sr) && isNum(e.ei))
        .map((e) => {
          const c = r.comparison.find((x) => x.materialId === e.materialId);
          return {
            id: e.materialId,
            name: e.material,
            ei: e.ei!,
            sr: e.sr!,
            critical: e.critical,
            bottleneck: e.bottleneck,
            srBand: e.band?.sr ?? null,
            eiBand: e.band?.ei ?? null,
            group: Boolean(e.members),
            official: c ? officialCell(c) : null,
          };
        }),
    [r], // eslint-disable-line react-hooks/exhaustive-deps
  );
  const notPlotted = useMemo(() => {
    const m = new Map<string, { what: string; why: string; names: string[] }>();
    for (const e of r.eu) {
      if (isNum(e.sr) && isNum(e.ei)) continue;
      const what = !isNum(e.sr) && !isNum(e.ei) ? 'SR and EI missing' : !isNum(e.ei) ? 'EI missing' : 'SR missing';
      const msg =
        e.messages.map((x) => stripMaterial(x, e.material)).find((x) => x.includes(what.startsWith('EI') ? 'EI' : 'SR')) ??
        e.messages.map((x) => stripMaterial(x, e.material))[0] ??
        '';
      const key = `${what}|${msg}`;
      const cur = m.get(key) ?? { what, why: msg, names: [] };
      cur.names.push(e.material);
      m.set(key, cur);
    }
    return [...m.values()];
  }, [r]);
  // EU points outside their own Monte Carlo band, grouped by the reason the engine gives (band.note), never hidden.
  const bandOutside = useMemo(() => {
    const by = new Map<string, string[]>();
    let banded = 0;
    for (const c of r.comparison) {
      if (!c.eu?.srBand) continue;
      banded++;
      const why = outsideBand(c.eu.sr, c.eu.srBand);
      if (why) by.set(why, [...(by.get(why) ?? []), c.material]);
    }
    return { n: [...by.values()].reduce((a, x) => a + x.length, 0), banded, reasons: [...by] };
  }, [r]);
  const euOpt = useMemo(() => euOption(euPoints, sampled), [euPoints, sampled]);
  const nCritical = r.eu.filter((e) => !e.members && e.critical === true).length;
  const euLabel =
    `EU criticality matrix as ${r.assessor.label}, ${r.year}: economic importance (EI, x axis) against supply risk (SR, y axis) for ${euPoints.length} materials and groups; ` +
    `dashed threshold lines at SR = ${SR_T.toFixed(1)} and EI = ${EI_T.toFixed(1)}, the critical quadrant (both thresholds met) shaded; ${nCritical} materials critical. ` +
    `${sampled ? 'Vertical grey lines: SR p5–p95. ' : ''}The same numbers are in the comparison table below.`;

  return (
    <section className="panel" aria-labelledby="eu-matrix-title" data-testid="eu-panel">
      <h3 id="eu-matrix-title">EU method: supply risk against economic importance</h3>
      <p className="muted">
        One point per material (groups: mean of their members). Critical where SR ≥ {SR_T.toFixed(1)} and EI ≥ {EI_T.toFixed(1)} (shaded); labels name the
        critical materials where they do not overlap — hover or focus the table for the rest.
        {r.assessor.kind !== 'eu' ? ' For an assessor other than the EU, EI, EoL-RIR and the substitution indices are EU values used as proxies.' : ''}
      </p>
      <EChart option={euOpt} label={euLabel} height={540} testId="eu-matrix" />
      {notPlotted.length > 0 && (
        <div data-testid="eu-not-plotted">
          <p className="muted small">Not plotted ({r.eu.length - euPoints.length}):</p>
          <ul className="small">
            {notPlotted.map((n) => (
              <li key={n.what + n.why}>
                <strong>{n.what}</strong>
                {n.why ? ` (${n.why})` : ''}: {n.names.join(', ')}
              </li>
            ))}
          </ul>
        </div>
      )}
      {bandOutside.n > 0 && (
        <div className="note" data-testid="band-outside">
          <p style={{ margin: 0 }}>
            The point SR lies outside its own p5–p95 band for {bandOutside.n} of {bandOutside.banded} materials (marked ⚠ in the table). Reason given:
          </p>
          <ul style={{ margin: '4px 0 0' }}>
            {bandOutside.reasons.map(([why, names]) => (
              <li key={why}>
                {why} ({names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')} and ${names.length - 8} more`})
              </li>
            ))}
          </ul>
        </div>
      )}
      <SourceLine sources={euCites} />
    </section>
  );
}
