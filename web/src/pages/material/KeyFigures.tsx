/** Key figures of the Material page: one card per stage with its latest HHI, top-3, largest and China share, world total and trend. */
import type { MaterialProfile } from '../../api.ts';
import { pct, int, quantity, stageLabel } from '../../format.ts';
import { SourceLine } from '../../components/SourceLine.tsx';
import { Term } from '../../components/Term.tsx';
import { TrendArrow } from '../Overview.tsx';

export function KeyFigures({ p }: { p: MaterialProfile }) {
  return (
    <section aria-labelledby="kpi-title">
      <h2 id="kpi-title" className="visually-hidden">
        Key figures
      </h2>
      <div className="kpis">
        {p.stages
          .filter((s) => s.latest)
          .map((s) => {
            const r = s.latest!;
            return (
              <div className="kpi" key={s.stage} data-testid={`kpi-${s.stage}`}>
                <h3>
                  {stageLabel(s.stage)} {r.year}
                  {r.estimated ? 'e' : ''}
                </h3>
                <dl>
                  <div>
                    <dt>
                      <Term id="hhi">HHI</Term>
                    </dt>
                    <dd data-testid={`kpi-${s.stage}-hhi`}>{int(r.hhiPoints)}</dd>
                  </div>
                  <div>
                    <dt>
                      <Term id="top3">Top-3</Term>
                    </dt>
                    <dd data-testid={`kpi-${s.stage}-top3`}>{pct(r.top3Share)}</dd>
                  </div>
                  <div>
                    <dt>Largest</dt>
                    <dd data-testid={`kpi-${s.stage}-largest`}>{r.largest ? `${r.largest.country} ${pct(r.largest.share)}` : '—'}</dd>
                  </div>
                  <div>
                    <dt>China</dt>
                    <dd data-testid={`kpi-${s.stage}-china`}>{pct(r.chinaShare)}</dd>
                  </div>
                  <div>
                    <dt>World</dt>
                    <dd>{quantity(r.total, r.unit)}</dd>
                  </div>
                  <div>
                    <dt>Trend</dt>
                    <dd>
                      <TrendArrow change={r.previous ? Math.round(r.previous.hhiChange * 10000) : null} prevYear={r.previous?.year ?? null} />
                    </dd>
                  </div>
                </dl>
                <SourceLine sources={[r.source]} />
              </div>
            );
          })}
      </div>
    </section>
  );
}
