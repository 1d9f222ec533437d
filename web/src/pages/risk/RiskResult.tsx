/** The result of a Monte Carlo run: shortfall table, basket panel, distributions by material, likelihoods used, assumptions and sources. */
import { useMemo, useState } from 'react';
import { pct, quantity } from '../../format.ts';
import { Term } from '../../components/Term.tsx';
import { EChart, type EChartsOption } from '../../components/EChart.tsx';
import type { RiskReport } from '../../../../src/scenario/risk-run.ts';
import type { Histogram } from '../../../../src/engine/risk/report.ts';
import { days, signedPct } from './common.ts';

function histogramOption(h: Histogram, samples: number, xLabel: string, fmt: (x: number) => string): EChartsOption {
  const labels = ['0', ...h.bars.map((b) => `${fmt(b.from)}–${fmt(b.to)}`)];
  const values = [h.zeros, ...h.bars.map((b) => b.count)].map((c) => c / samples);
  return {
    grid: { left: 56, right: 16, top: 16, bottom: 64 },
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => pct(v, 2) },
    xAxis: { type: 'category', data: labels, name: xLabel, nameLocation: 'middle', nameGap: 48, axisLabel: { rotate: 30, fontSize: 10 } },
    yAxis: { type: 'log', name: 'share of samples', min: 1 / samples / 2, axisLabel: { formatter: (v: number) => pct(v, v < 0.01 ? 2 : 0) } },
    series: [{ type: 'bar', data: values.map((v) => (v > 0 ? v : null)), itemStyle: { color: '#b5542d' } }],
  };
}

export function RiskResult({ r }: { r: RiskReport }) {
  const [sel, setSel] = useState(0);
  const m = r.materials[Math.min(sel, r.materials.length - 1)];
  const shortfallChart = useMemo(
    () => histogramOption(m.histograms.shortfallTonnes, r.samples, `shortfall (${m.unit})`, (x) => quantity(x, m.unit)),
    [m, r.samples],
  );
  const priceChart = useMemo(() => histogramOption(m.histograms.priceChange, r.samples, 'price change', signedPct), [m, r.samples]);
  const basketChart = useMemo(
    () =>
      r.basket ? histogramOption(r.basket.histogram, r.samples, 'basket shortfall (share of one year’s demand of the scarcest input)', (x) => pct(x, 0)) : null,
    [r],
  );
  return (
    <div aria-live="polite">
      <h2>
        {r.name ?? (r.basket ? r.basket.name : r.materials.map((x) => x.name).join(', '))}: {r.samples.toLocaleString('en-US')} samples, seed {r.seed}
      </h2>
      <div className="table-wrap" tabIndex={0} role="region" aria-label="Shortfall distribution by material">
        <table data-testid="risk-table">
          <caption>Shortfall over the episode after spare capacity, ramp-up and stockpile (± standard error of the mean)</caption>
          <thead>
            <tr>
              <th scope="col">Material</th>
              <th scope="col" className="num">
                P(short)
              </th>
              <th scope="col" className="num">
                Expected
              </th>
              <th scope="col" className="num">
                p95
              </th>
              <th scope="col" className="num">
                <Term id="cvar">CVaR 95%</Term>
              </th>
              <th scope="col" className="num">
                CVaR % of demand
              </th>
              <th scope="col" className="num">
                Days short (mean / CVaR)
              </th>
              <th scope="col" className="num">
                Price p50 / p95 / p99
              </th>
            </tr>
          </thead>
          <tbody>
            {r.materials.map((x) => (
              <tr key={x.materialId}>
                <th scope="row">
                  {x.name} <span className="muted small">{x.year}</span>
                </th>
                <td className="num">{pct(x.shortfallTonnes.probabilityPositive)}</td>
                <td className="num">
                  {quantity(x.shortfallTonnes.mean, x.unit)} ± {quantity(x.shortfallTonnes.stdErr, x.unit)}
                </td>
                <td className="num">{quantity(x.shortfallTonnes.p95, x.unit)}</td>
                <td className="num">{quantity(x.shortfallTonnes.cvar95, x.unit)}</td>
                <td className="num">{pct(x.shortfallShareOfDemand.cvar95)}</td>
                <td className="num">
                  {days(x.daysShort.mean)} / {days(x.daysShort.cvar95)}
                </td>
                <td className="num">
                  {signedPct(x.priceChange.p50)} / {signedPct(x.priceChange.p95)} / {signedPct(x.priceChange.p99)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.basket && basketChart && (
        <section className="panel" aria-labelledby="basket-title">
          <h3 id="basket-title">{r.basket.name}: output limited by the scarcest input</h3>
          <p data-testid="risk-basket">
            P(short) {pct(r.basket.shortfallShare.probabilityPositive)}; expected {pct(r.basket.shortfallShare.mean)}; p95 {pct(r.basket.shortfallShare.p95)};
            CVaR 95% {pct(r.basket.shortfallShare.cvar95)} of a year's demand; days short mean {days(r.basket.daysShort.mean)}.
          </p>
          <EChart option={basketChart} label={`Distribution of the ${r.basket.name} shortfall`} height={260} testId="risk-basket-chart" />
          {r.basket.source && <p className="muted small">Composition: {r.basket.source}</p>}
        </section>
      )}
      <section className="panel" aria-labelledby="dist-title">
        <h3 id="dist-title">Distributions</h3>
        <div className="field">
          <label htmlFor="r-sel">Material</label>
          <select id="r-sel" value={sel} onChange={(e) => setSel(Number(e.target.value))}>
            {r.materials.map((x, i) => (
              <option key={x.materialId} value={i}>
                {x.name}
              </option>
            ))}
          </select>
        </div>
        <EChart option={shortfallChart} label={`Distribution of the ${m.name} shortfall`} height={260} testId="risk-shortfall-chart" />
        <EChart option={priceChart} label={`Distribution of the ${m.name} short-run price change`} height={240} testId="risk-price-chart" />
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Loss by country">
          <table data-testid="risk-country-table">
            <caption>Who causes the loss ({m.name})</caption>
            <thead>
              <tr>
                <th scope="col">Country</th>
                <th scope="col" className="num">
                  P(hit) per year
                </th>
                <th scope="col" className="num">
                  Mean lost
                </th>
                <th scope="col" className="num">
                  Share of loss
                </th>
              </tr>
            </thead>
            <tbody>
              {m.byCountry.slice(0, 8).map((c) => (
                <tr key={c.countryId}>
                  <th scope="row">{c.countryId}</th>
                  <td className="num">{pct(c.hitProbability, 2)}</td>
                  <td className="num">{quantity(c.meanLostTonnes, m.unit)}</td>
                  <td className="num">{pct(c.shareOfExpectedLoss)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ul className="muted small">
          {m.byStage.map((s) => (
            <li key={s.stage}>
              {s.stage}: {quantity(s.meanTonnes, m.unit)} — {s.measure}
            </li>
          ))}
        </ul>
      </section>
      <section className="panel" aria-labelledby="lik-title">
        <h3 id="lik-title">Likelihoods used (prior, evidence, posterior and range)</h3>
        <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="lik-title">
          <table data-testid="risk-likelihood-table">
            <caption>Annual probability of an export control, per supplier × material × stage (≥ 0.1%/yr shown)</caption>
            <thead>
              <tr>
                <th scope="col">Country</th>
                <th scope="col">Material</th>
                <th scope="col">Stage</th>
                <th scope="col" className="num">
                  Share
                </th>
                <th scope="col" className="num">
                  Prior
                </th>
                <th scope="col" className="num">
                  Events
                </th>
                <th scope="col" className="num">
                  Posterior (5–95%)
                </th>
                <th scope="col" className="num">
                  Used
                </th>
              </tr>
            </thead>
            <tbody>
              {[...r.likelihood.units]
                .filter((u) => u.probability >= 0.001)
                .sort((a, b) => b.probability - a.probability)
                .map((u) => (
                  <tr key={`${u.countryId}-${u.materialId}-${u.stage}`}>
                    <th scope="row">{u.country}</th>
                    <td>{u.materialId}</td>
                    <td>{u.stage}</td>
                    <td className="num">{pct(u.share)}</td>
                    <td className="num">{pct(u.prior.probability, 2)}</td>
                    <td className="num" title={u.evidence.measureIds.join(', ')}>
                      {u.evidence.events} in {u.evidence.windowYears} y
                    </td>
                    <td className="num">
                      {pct(u.posterior.probability)} ({pct(u.posterior.low)}–{pct(u.posterior.high)})
                    </td>
                    <td className="num">
                      {pct(u.probability)}
                      {u.basis === 'override' ? ' (override)' : ''}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </section>
      <details className="panel">
        <summary>Assumptions, defaulted parameters, gaps and sources</summary>
        <ul>
          {r.assumptions.map((a) => (
            <li key={a}>{a}</li>
          ))}
          {r.likelihood.notes.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
        <p className="muted small">
          Defaulted (no published value): {r.defaulted.map((d) => `${d.parameter} = ${JSON.stringify(d.value)}`).join('; ') || 'none'}
        </p>
        {r.gaps.length > 0 && <p className="muted small">Gaps: {r.gaps.join('; ')}</p>}
        <p className="muted small">
          Sources: {[...new Set(r.materials.flatMap((x) => x.sources.map((s) => s.text)))].join(' | ')}; registry export measures; World Bank WGI. Model:
          docs/risk.md.
        </p>
      </details>
    </div>
  );
}
