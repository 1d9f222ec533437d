/** The result of a stress test: the headline figures, the recovery chart, shortfall and importer tables, assumptions and gaps. */
import { useMemo } from 'react';
import { type StressReport } from '../../api.ts';
import { pct, quantity, stageLabel } from '../../format.ts';
import { SourceLine } from '../../components/SourceLine.tsx';
import { Term } from '../../components/Term.tsx';
import { EChart } from '../../components/EChart.tsx';
import { recoveryOption } from './chart-options.ts';

const ratio = (x: number | null | undefined) => (x === null || x === undefined ? '—' : pct(x, 0));
const priceRange = (p: StressReport['price']) => {
  const f = (x: number | null, beyond: boolean) => (x === null ? '—' : `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%${beyond ? '+' : ''}`);
  return `${f(p.priceChangePct.low, p.beyondModelRange.low)} to ${f(p.priceChangePct.high, p.beyondModelRange.high)}`;
};

export function StressResult({ r }: { r: StressReport }) {
  const rec = useMemo(() => recoveryOption(r), [r]);
  const h = r.headline;
  const unit = r.network[r.stage]?.unit ?? 't';
  const after = h.supplyAfterPropagation;
  const lastUnit = r.network[after.stage]?.unit ?? unit;
  const noun = (st: string) => (st === 'refining' ? 'refined' : 'mined');
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${Math.round(x * 100)}%`;
  return (
    <div className="stress-result" aria-live="polite">
      <h2>
        {r.material}, {stageLabel(r.stage).toLowerCase()} {r.year}: without {r.excluded.map((x) => x.country).join(', ') || 'nothing'}
      </h2>
      <div className="kpis">
        <div className="kpi">
          <h3>Supply removed</h3>
          <p className="big" data-testid="stress-removed">
            {pct(h.supplyRemoved.share)}
          </p>
          <p className="muted">
            {quantity(h.supplyRemoved.tonnes, unit)} of {quantity(h.supplyRemoved.ofTonnes, unit)} {noun(h.supplyRemoved.stage)}
          </p>
          <p className="measures" data-testid="measures-removed">
            {h.supplyRemoved.measures}
          </p>
        </div>
        <div className="kpi">
          <h3>
            <Term id="n1">Coverage</Term> of world demand
          </h3>
          <p className="big" data-testid="stress-coverage">
            {ratio(h.coverage.worldRatio)}
          </p>
          <p className="muted">
            <Term id="n1-netted">netted</Term> of the removed countries' own use:{' '}
            <span data-testid="stress-coverage-netted">{ratio(h.coverage.nettedRatio)}</span>
            {r.coverage.coverageNettedRange ? (
              <>
                {' '}
                (range {pct(r.coverage.coverageNettedRange.low)}–
                {r.coverage.coverageNettedRange.high === null ? 'unbounded' : pct(r.coverage.coverageNettedRange.high)})
              </>
            ) : null}
          </p>
          {r.ownUse.length ? (
            <p className="muted" data-testid="stress-own-use">
              own use:{' '}
              {r.ownUse
                .map(
                  (o) =>
                    `${o.countryId} ${pct(o.share)} of ${o.demandScope ?? 'demand'} (${pct(o.low)}–${pct(o.high)}; ${o.method}${o.assumed ? ', partly assumed' : ''}; ${o.sources.map((x) => x.source).join('; ')})`,
                )
                .join(' · ')}
            </p>
          ) : null}
          {r.coverage.recycled ? (
            <p className="muted" data-testid="stress-coverage-primary">
              of the primary requirement (demand less {pct(r.coverage.recycled.rate, 0)} met by recycled scrap, an EU EoL-RIR applied to the world):{' '}
              {ratio(r.coverage.recycled.coveragePrimaryRatio)}
            </p>
          ) : null}
          <p className="measures">{h.coverage.measures}</p>
        </div>
        <div className="kpi">
          <h3>Shortfall</h3>
          <p className="big" data-testid="stress-shortfall">
            {h.shortfall.tonnes === null ? '—' : quantity(h.shortfall.tonnes, unit)}
          </p>
          <p className="muted">{h.shortfall.shareOfDemand === null ? 'no demand figure' : `${pct(h.shortfall.shareOfDemand)} of demand`}</p>
          <p className="measures">{h.shortfall.measures}</p>
        </div>
        <div className="kpi">
          <h3>{stageLabel(after.stage)} supply after propagation</h3>
          <p className="big" data-testid="stress-after">
            {quantity(after.afterTonnes, lastUnit)}
          </p>
          <p className="muted">
            <span data-testid="stress-after-coverage">
              {after.coverageWorldRatio === null ? 'no demand figure' : `${pct(after.coverageWorldRatio)} of demand`}
            </span>
            ; lost{' '}
            <span data-testid="stress-after-lost">
              {quantity(after.lostTonnes, lastUnit)} ({pct(after.lostShare)})
            </span>
            {after.upperBound ? ', upper bound' : ''}
          </p>
          <p className="measures" data-testid="measures-after">
            {after.measures}
          </p>
        </div>
        <div className="kpi">
          <h3>Price change</h3>
          <p className="big" data-testid="stress-price">
            {priceRange(r.price)}
          </p>
          <p className="muted">
            central {r.price.priceChangePct.central === null ? '—' : `${r.price.beyondModelRange.central ? '> ' : ''}${signed(r.price.priceChangePct.central)}`}
            {r.price.beyondModelRange.central ? ' (beyond the model range)' : ''}; computed on{' '}
            <span data-testid="stress-price-basis">{pct(h.priceBasis.lostShare)}</span> of {noun(h.priceBasis.stage)} supply lost after propagation,{' '}
            {pct(h.priceBasis.netLostShare.central)} net of spare capacity
          </p>
          <p className="measures">{h.priceBasis.measures}</p>
        </div>
        <div className="kpi">
          <h3>Stockpile cover</h3>
          <p className="big" data-testid="stress-days">
            {h.stockpileCover.days === null ? '—' : `${Math.round(h.stockpileCover.days)} days`}
          </p>
          <p className="muted">
            {quantity(h.stockpileCover.stockpileTonnes, unit)} held by{' '}
            {h.stockpileCover.holder === 'world' ? 'all affected consumers' : h.stockpileCover.holder};{' '}
            {r.stockpile.monthsToFullReplacement === null
              ? 'not fully replaced within the shock'
              : `replaced after ${r.stockpile.monthsToFullReplacement} months`}
          </p>
          <p className="measures">{h.stockpileCover.measures}</p>
        </div>
      </div>
      {h.reconciliation && (
        <p className="note" data-testid="stress-reconciliation">
          {h.reconciliation}
        </p>
      )}
      {r.stockpile.months.length > 0 && (
        <section className="panel" aria-labelledby="rec-title">
          <h3 id="rec-title">Month by month: how the lost supply is met</h3>
          <EChart
            option={rec}
            label={`Recovery timeline for ${r.material}: replaced, drawn from stockpile and unmet tonnes per month`}
            height={280}
            testId="recovery-chart"
          />
          <SourceLine sources={r.sources} />
        </section>
      )}
      <section className="panel" aria-labelledby="sf-title">
        <h3 id="sf-title">Shortfall by stage, country and sector</h3>
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="sf-title">
          <table data-testid="shortfall-table">
            <caption>Supply before and after the shock</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Country / sector</th>
                <th scope="col" className="num">
                  Before
                </th>
                <th scope="col" className="num">
                  After
                </th>
                <th scope="col" className="num">
                  Shortfall
                </th>
                <th scope="col" className="num">
                  %
                </th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {r.shortfall
                .filter((s) => s.shortfallTonnes > 0 || s.countryId === null)
                .slice(0, 40)
                .map((s, i) => (
                  <tr key={i}>
                    <th scope="row">{stageLabel(s.stage)}</th>
                    <td>{s.country ?? s.sector ?? 'World'}</td>
                    <td className="num">{quantity(s.beforeTonnes, 't')}</td>
                    <td className="num">{quantity(s.afterTonnes, 't')}</td>
                    <td className="num">{quantity(s.shortfallTonnes, 't')}</td>
                    <td className="num">{pct(s.shortfallPct)}</td>
                    <td>{s.note ?? ''}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
        <SourceLine sources={r.sources} />
      </section>
      {r.importerExposure.map((ex) => (
        <section className="panel" key={ex.exporterId} aria-labelledby={`imp-${ex.exporterId}`}>
          <h3 id={`imp-${ex.exporterId}`}>Who loses {ex.exporter}'s supply</h3>
          <p className="muted">
            {ex.allocation === 'exports'
              ? `${quantity(ex.lostTonnes, 't')} of lost exports (${quantity(ex.lostOutputTonnes, 't')} lost output − ${quantity(ex.lostOutputTonnes - ex.lostTonnes, 't')} own use)`
              : `${quantity(ex.lostTonnes, 't')} lost output, an upper bound of lost exports (${ex.exporter}'s own use unknown)`}
            , allocated to {ex.exporter}'s export destinations pro rata to their share of its {ex.tradeYear} exports
            {ex.months < 12 ? ` (${ex.months} months of data)` : ''} — customs net weight, HS {ex.hsCodes.join(', ')}.
          </p>
          <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={`imp-${ex.exporterId}`}>
            <table data-testid="importer-table">
              <caption>Importing countries' loss</caption>
              <thead>
                <tr>
                  <th scope="col">Importer</th>
                  <th scope="col" className="num">
                    Share of exports
                  </th>
                  <th scope="col" className="num">
                    Loses
                  </th>
                </tr>
              </thead>
              <tbody>
                {ex.importers.slice(0, 20).map((x) => (
                  <tr key={x.countryId}>
                    <th scope="row">{x.country}</th>
                    <td className="num">{pct(x.shareOfExports)}</td>
                    <td className="num">{quantity(x.lostTonnes, 't')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <SourceLine sources={[ex.source]} />
        </section>
      ))}
      <section className="panel" aria-labelledby="as-title">
        <h3 id="as-title">Assumptions, defaults and gaps</h3>
        <ul>
          {[...r.exclusionNotes, ...r.assumptions].map((a, i) => (
            <li key={i}>{a}</li>
          ))}
          {r.defaulted.map((d) => (
            <li key={d.parameter}>
              Default {d.parameter} = {JSON.stringify(d.value)} {d.flag ? <em>({d.flag})</em> : null}
            </li>
          ))}
          {r.gaps.map((g, i) => (
            <li key={`g${i}`} className="gap">
              Gap: {g}
            </li>
          ))}
          {r.price.notes.map((n, i) => (
            <li key={`p${i}`}>{n}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}
