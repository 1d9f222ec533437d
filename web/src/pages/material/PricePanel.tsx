/** Price history on the Material page: the chart, the table of annual prices with revisions, basis and sources. */
import type { MaterialProfile } from '../../api.ts';
import { int } from '../../format.ts';
import { EChart, type EChartsOption } from '../../components/EChart.tsx';

export function PricePanel({ p, priceOpt }: { p: MaterialProfile; priceOpt: EChartsOption }) {
  return (
    <section aria-labelledby="price-title" className="panel" data-testid="price-panel">
      <h2 id="price-title">Price history</h2>
      <EChart
        option={priceOpt}
        label={`${p.name}: annual prices by series, newest edition per year; hollow points are earlier editions' figures`}
        height={300}
        testId="price-chart"
      />
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="price-title">
        <table data-testid="price-table">
          <caption>
            {p.name}: annual prices (newest edition per year), year-on-year change and {3}-year rolling range ((max − min) / min)
          </caption>
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col">Year</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                USD/t
              </th>
              <th scope="col" className="num">
                Year on year
              </th>
              <th scope="col" className="num">
                3-year range
              </th>
              <th scope="col">Edition</th>
              <th scope="col">Earlier editions</th>
            </tr>
          </thead>
          <tbody>
            {p.prices.flatMap((s) =>
              s.years.map((y) => (
                <tr key={`${s.series}-${s.unit}-${y.year}`}>
                  <th scope="row">
                    {s.series === 'average' ? 'price' : s.series} ({s.unit}
                    {s.market ? `, ${s.market}` : ''})
                  </th>
                  <td>
                    {y.year}
                    {y.estimated ? 'e' : ''}
                  </td>
                  <td className="num">
                    {y.value !== null ? y.value.toLocaleString('en-US') : y.low !== null ? `${y.low}–${y.high}` : y.status.replace('_', ' ')}
                  </td>
                  <td className="num">{y.usdPerTonne === null ? '' : int(y.usdPerTonne)}</td>
                  <td className="num">{y.yoy === null ? '' : `${y.yoy >= 0 ? '+' : ''}${Math.round(y.yoy * 100)}%`}</td>
                  <td className="num">{y.rollingRange === null ? '' : `${Math.round(y.rollingRange * 100)}%`}</td>
                  <td>MCS{y.edition}</td>
                  <td>{y.revisions.map((r) => `MCS${r.edition}: ${r.value ?? 'n/a'}`).join(', ')}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
      <p className="note">
        Basis: {p.prices.map((s) => s.basis).join('; ')}. Prices are nominal US dollars of each year; the latest year of an edition is a USGS estimate (marked
        e).
      </p>
      <p className="source" data-testid="source-line">
        Sources:{' '}
        {[...new Map(p.prices.flatMap((s) => s.sources).map((x) => [x.id, x])).values()].map((x, i) => (
          <span key={x.id}>
            {i > 0 && '; '}
            {x.url ? (
              <a href={x.url} target="_blank" rel="noreferrer">
                {x.publisher}, {x.title}
                {x.table ? `, ${x.table}` : ''}
              </a>
            ) : (
              `${x.publisher}, ${x.title}`
            )}
          </span>
        ))}
      </p>
    </section>
  );
}
