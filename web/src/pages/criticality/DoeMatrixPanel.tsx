/** The DOE matrix panel of the Criticality page: importance to energy against supply risk, with the short/medium term switch and why materials are missing. */
import { useMemo } from 'react';
import { type Citation } from '../../api.ts';
import { fixed } from '../../format.ts';
import { SourceLine } from '../../components/SourceLine.tsx';
import { EChart } from '../../components/EChart.tsx';
import { distinct, isNum, pageMessage, plural, stripMaterial, type CriticalityResponse } from './common.ts';
import { doeOption, type Bubble } from './charts.ts';

export function DoeMatrixPanel({
  r,
  term,
  setView,
  doeCites,
}: {
  r: CriticalityResponse;
  term: 'short' | 'medium';
  setView: (patch: Record<string, string | null>, replace?: boolean) => void;
  doeCites: Citation[];
}) {
  // DOE matrix: materials at the same (importance, supply risk) share one bubble.
  const termKey = term === 'medium' ? 'mediumTerm' : 'shortTerm';
  const doeBubbles = useMemo(() => {
    const m = new Map<string, Bubble>();
    for (const d of r.doe) {
      const t = d[termKey];
      if (!isNum(t.importance) || !isNum(t.supplyRisk) || !t.class) continue;
      const k = `${t.importance}|${t.supplyRisk}|${t.class}`;
      const b = m.get(k) ?? { imp: t.importance, sr: t.supplyRisk, cls: t.class, names: [] };
      b.names.push(d.material);
      m.set(k, b);
    }
    return [...m.values()];
  }, [r, termKey]);
  const doeOpt = useMemo(() => doeOption(doeBubbles, term), [doeBubbles, term]);
  const doePlaced = doeBubbles.reduce((a, b) => a + b.names.length, 0);
  const doeNoImportance = r.doe.filter((d) => !isNum(d[termKey].importance));
  const doeMessages = useMemo(() => {
    // The API's own words on why importance is missing: the messages naming it, and the basis of unscored energy-demand indicators.
    const msgs = distinct(r.doe.flatMap((d) => d.messages.filter((m) => /importance/i.test(m)).map((m) => stripMaterial(m, d.material))));
    const bases = distinct(r.doeUnscored.filter((u) => u.term === termKey && /energy demand/i.test(u.indicator)).map((u) => `${u.indicator}: ${u.basis}`));
    return term === 'short' ? [...msgs, ...bases] : bases;
  }, [r, termKey, term]);
  const otherTermPlaced = r.doe.filter((d) => isNum(d[term === 'medium' ? 'shortTerm' : 'mediumTerm'].importance)).length;

  return (
    <section className="panel" aria-labelledby="doe-matrix-title" data-testid="doe-panel">
      <div className="panel-head">
        <h3 id="doe-matrix-title">DOE-style matrix: importance to energy against supply risk ({term} term)</h3>
        <div className="seg" role="group" aria-label="DOE term">
          {(['short', 'medium'] as const).map((t) => (
            <button key={t} type="button" aria-pressed={term === t} onClick={() => setView({ doe: t === 'short' ? null : t })}>
              {t === 'short' ? 'Short term' : 'Medium term (2035)'}
            </button>
          ))}
        </div>
      </div>
      <p className="muted">
        Both axes scored 1–4 from the indicators that have a score (weights renormalised); class colours are the API's classes, the shaded zones our reading of
        the DOE figure. Materials at the same position share a bubble (the number is how many).
      </p>
      {doeNoImportance.length > 0 && (
        <div className="note" data-testid="doe-note">
          <p style={{ margin: 0 }}>
            DOE importance to energy is missing for {doeNoImportance.length} of {r.doe.length} materials at {r.year} ({term} term), so they have no place on
            this matrix and no DOE class. The API says:
          </p>
          <ul style={{ margin: '4px 0 0' }}>
            {doeMessages.map((m) => {
              const pm = pageMessage(m);
              return (
                <li key={m}>
                  {pm.text}
                  {pm.year && pm.year !== String(r.year) && (
                    <>
                      {' '}
                      <button type="button" className="btn small" onClick={() => setView({ year: pm.year }, false)}>
                        open year {pm.year}
                      </button>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
          {otherTermPlaced > 0 && (
            <p style={{ margin: '4px 0 0' }}>
              The {term === 'short' ? 'medium' : 'short'}-term importance is computed for {plural(otherTermPlaced, 'material')}:{' '}
              <button type="button" className="btn small" onClick={() => setView({ doe: term === 'short' ? 'medium' : null })}>
                show the {term === 'short' ? 'medium' : 'short'} term
              </button>
            </p>
          )}
        </div>
      )}
      {doePlaced > 0 && (
        <EChart
          option={doeOpt}
          testId="doe-matrix"
          height={460}
          label={`DOE-style criticality matrix as ${r.assessor.label}, ${r.year}, ${term} term: importance to energy (x, 1–4) against supply risk (y, 1–4) for ${doePlaced} materials; ${doeBubbles
            .map((b) => `${b.cls} at importance ${fixed(b.imp, 1)}, supply risk ${fixed(b.sr, 1)}: ${b.names.join(', ')}`)
            .join('; ')}.`}
        />
      )}
      <SourceLine sources={doeCites} />
    </section>
  );
}
